"""Interview read models over REST: signals, and the replay's state and timeline.

Signals judge the candidate, so like scorecards they are for the board's
owner and interviewers only. Replay is for everyone on the board, each seeing
only what they may see live (no private layer for a candidate).
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import scoring
from reviews.replay_queries import state_for, timeline_for
from reviews.signal_queries import signals_of
from whiteboard.api.access import ERRORS, participation, require
from whiteboard.api.serializers import WholeNumberField

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


_List = serializers.ListField(child=serializers.DictField())
_State = inline_serializer(
    "ReplayState",
    {
        "seq": serializers.IntegerField(),
        "at": serializers.DateTimeField(allow_null=True),
        "elements": _List,
        "annotations": _List,
        "requirements": _List,
        "session": serializers.DictField(),
    },
)
_Timeline = inline_serializer(
    "Timeline",
    {
        "seq": serializers.IntegerField(),
        "start": serializers.DateTimeField(allow_null=True),
        "end": serializers.DateTimeField(allow_null=True),
        "markers": _List,
        "gaps": _List,
    },
)


class ReplayQuery(serializers.Serializer):
    at = WholeNumberField(min_value=0, help_text="The public seq to show the board right after.")


class StateApi(APIView):
    @extend_schema(
        parameters=[ReplayQuery],
        responses={200: _State, **ERRORS},
        description="Elements, the annotations the caller may see, the ledger and the session right after batch `at`.",
    )
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        query = ReplayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(state_for(board_id, participant, query.validated_data["at"]))


class TimelineApi(APIView):
    @extend_schema(responses={200: _Timeline, **ERRORS}, description="Markers and idle gaps for the scrubber.")
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response(timeline_for(board_id))
