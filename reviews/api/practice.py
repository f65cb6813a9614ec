"""Practice over REST: let the coach act (tick, finish), read the feedback, list one's attempts.

The person practising drives the coach's clock: their page calls `tick` after
each acknowledged batch and every few seconds (`reviews.coach_services`).
Everything here is for the board's author alone.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.coach_services import coach_step
from reviews.practice_queries import attempts, feedback_of, require_author
from whiteboard.api.access import ERRORS, participation, require

_Stored = inline_serializer(
    "CoachBatches", {"batches": serializers.ListField(child=serializers.IntegerField(), help_text="Their seqs.")}
)
_Lines = inline_serializer(
    "ChecklistLine",
    many=True,
    fields={
        "id": serializers.CharField(),
        "advice": serializers.CharField(),
        "verdict": serializers.CharField(),
        "count": serializers.JSONField(),
        "text": serializers.CharField(),
        "moments": serializers.ListField(child=serializers.IntegerField(), help_text="Seqs to replay (?seq=)."),
    },
)
_Feedback = inline_serializer(
    "PracticeFeedback",
    {
        "checklist": _Lines,
        "missing": serializers.ListField(child=serializers.CharField()),
        "shows": serializers.CharField(),
        "next": serializers.DictField(),
        "ended": serializers.BooleanField(),
        "signals": serializers.DictField(),
        "question": serializers.CharField(),
    },
)
_Attempts = inline_serializer(
    "PracticeAttempt",
    many=True,
    fields={
        "id": serializers.UUIDField(),
        "title": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
        "ended": serializers.BooleanField(),
        "verdicts": serializers.DictField(child=serializers.CharField()),
        "counts": serializers.DictField(),
    },
)


class PracticeTickApi(APIView):
    @extend_schema(request=None, responses={200: _Stored, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        require_author(participation(request, board_id))
        committed = coach_step(board_id)
        return Response({"batches": [c.seq for c in committed]})


class PracticeFinishApi(APIView):
    @extend_schema(request=None, responses={200: _Stored, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        require_author(participation(request, board_id))
        committed = coach_step(board_id, finish=True)
        return Response({"batches": [c.seq for c in committed]})


class PracticeFeedbackApi(APIView):
    @extend_schema(responses={200: _Feedback, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        require_author(participation(request, board_id))
        return Response(feedback_of(board_id))


class PracticeListApi(APIView):
    @extend_schema(responses={200: _Attempts, **ERRORS})
    def get(self, request: Request) -> Response:
        require(request.user.is_authenticated, "Sign in to see your practice.")
        return Response(attempts(request.user))
