"""Scorecards over REST: owners and interviewers only, never over the socket.

Validation and the independent-scoring rule live in `reviews.scoring` and
`reviews.scorecard_services` / `reviews.scorecard_queries`; these views authenticate and hand over.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import scoring
from reviews.scorecard_queries import scorecard_dict, scorecards_for
from reviews.scorecard_services import scorecard_save, scorecard_submit
from whiteboard.api.access import ERRORS, participation

_Dimension = inline_serializer(
    "ScorecardDimension",
    {
        "rating": serializers.IntegerField(min_value=1, max_value=4, allow_null=True),
        "notes": serializers.CharField(allow_blank=True),
        "evidence": serializers.ListField(child=serializers.DictField()),
    },
)
_Card = inline_serializer(
    "Scorecard",
    {
        "author": serializers.UUIDField(read_only=True),
        "author_name": serializers.CharField(read_only=True),
        "dimensions": serializers.DictField(child=_Dimension),
        "hire": serializers.ChoiceField(choices=["", *scoring.HIRE]),
        "notes": serializers.CharField(allow_blank=True),
        "submitted_at": serializers.DateTimeField(read_only=True, allow_null=True),
        "updated_at": serializers.DateTimeField(read_only=True, allow_null=True),
    },
)
_Scorecards = inline_serializer(
    "Scorecards",
    {
        "rubric": serializers.DictField(),
        "mine": _Card,
        "others": serializers.ListField(child=_Card),
        "others_submitted": serializers.IntegerField(),
    },
)


class ScorecardListApi(APIView):
    @extend_schema(responses={200: _Scorecards, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(scorecards_for(board_id=board_id, participant=participant))


class MyScorecardApi(APIView):
    @extend_schema(request=_Card, responses={200: _Card, **ERRORS})
    def put(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        card = scorecard_save(board_id=board_id, participant=participant, data=request.data)
        return Response(scorecard_dict(card))


class SubmitScorecardApi(APIView):
    @extend_schema(request=None, responses={200: _Card, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(scorecard_dict(scorecard_submit(board_id=board_id, participant=participant)))
