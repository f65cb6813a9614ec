"""Interview read models over REST: signals now, replay state and timeline.

Signals judge the candidate, so like scorecards they are for the board's
owner and interviewers only.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import scoring
from reviews.signal_queries import signals_of
from whiteboard.api.views import ERRORS, participation, require

_Pair = inline_serializer(
    "PromptedPair", {"prompted": serializers.IntegerField(), "unprompted": serializers.IntegerField()}
)
_Signals = inline_serializer(
    "Signals",
    {
        "questions_before_first_component": serializers.IntegerField(),
        "failure_modes": _Pair,
        "trade_offs": _Pair,
        "challenges": inline_serializer(
            "ChallengeCounts",
            {
                "raised": serializers.IntegerField(),
                "answered": serializers.IntegerField(),
                "open": serializers.IntegerField(),
            },
        ),
        "evidence": serializers.DictField(child=serializers.ListField(child=serializers.DictField())),
    },
)


class SignalsApi(APIView):
    @extend_schema(responses={200: _Signals, **ERRORS}, description="Signals computed from the public log; see docs.")
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        require(scoring.can_score(participant.role), "Only the board's owner and interviewers see its signals.")
        return Response(signals_of(board_id))
