"""Decision records over REST: the board's decisions, and one `decide`/`delete_decision` op at a time.

`GET` answers any participant (decisions are public, like the canvas) with the public seq they
are current at; `POST` runs one op (docs/protocol.md, "Decisions") as a batch of one through
the same path a socket batch takes, so it is checked, logged and broadcast alike.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.decision_queries import decision_list
from reviews.decision_services import decision_apply
from whiteboard.api.access import ERRORS, participation
from whiteboard.selectors import head_seq


class DecisionListApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response({"seq": head_seq(board_id), "decisions": decision_list(board_id)})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(decision_apply(board_id=board_id, participant=participant, op=request.data), status=201)
