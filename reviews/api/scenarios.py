"""Scenario cards over REST: the cards played on a board, and playing one.

`GET` answers any participant (played cards are public); `POST` takes
`{"card": {"id", "text", "title"?}}` (docs/protocol.md, "Scenario cards") and
runs it as a batch of one through the path a socket batch takes, so it is
checked, logged and broadcast alike.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import scenario
from reviews.scenario_queries import played
from reviews.scenario_services import scenario_play
from whiteboard.api.access import ERRORS, participation


class ScenarioListApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response({"scenarios": [scenario.card_dict(card) for card in played(board_id)]})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(scenario_play(board_id=board_id, participant=participant, data=request.data), status=201)
