"""Flows over REST: the board's flows, and one flow op at a time.

`GET` answers any participant (flows are public); `POST` takes one `flow` or `delete_flow`
op (docs/protocol.md, "Flows") and runs it as a batch of one through the same path a
socket batch takes, so it is checked, logged and broadcast alike.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.flow_queries import welcome_state
from reviews.flow_services import flow_apply
from whiteboard.api.access import ERRORS, participation


class FlowListApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response(welcome_state(board_id))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(flow_apply(board_id=board_id, participant=participant, op=request.data), status=201)
