"""The question bank over REST, and a board's question.

`/api/questions/`: everyone signed in reads prompts; accounts allowed to interview
read whole questions and write their team's (every edit a new version).
`/api/boards/{id}/question/`: everyone on the board reads the public part; owners
and interviewers (`read_question`) of a board made by an interviewer read it all,
with fact suggestions for the ledger's open questions, and the comparison with the
reference. See `reviews.question_queries` for the two gates.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import question_queries as q
from reviews.question_services import question_create, question_delete, question_update
from whiteboard.api.access import ERRORS, participation, require
from whiteboard.errors import ErrorCode, SyncError

_FIELDS: dict[str, serializers.Field] = {
    "id": serializers.CharField(),
    "version": serializers.IntegerField(),
    "title": serializers.CharField(),
    "question_type": serializers.CharField(),
    "prompt": serializers.CharField(),
    "built_in": serializers.BooleanField(),
    "owner": serializers.CharField(allow_null=True),
    "facts": serializers.ListField(child=serializers.DictField(), required=False),
    "reference": serializers.DictField(allow_null=True, required=False),
    "follow_ups": serializers.DictField(required=False),
    "cards": serializers.ListField(child=serializers.DictField(), required=False),
    "rubric": serializers.CharField(required=False),
}
_Question = inline_serializer("Question", _FIELDS)
_Questions = inline_serializer("QuestionListItem", _FIELDS, many=True)
_BoardQuestion = inline_serializer(
    "BoardQuestion",
    {
        "question": inline_serializer("BoardQuestionBody", _FIELDS, allow_null=True),
        "full": serializers.BooleanField(help_text="Whether the private fields are included."),
        "suggestions": serializers.DictField(
            child=serializers.ListField(child=serializers.DictField()),
            required=False,
            help_text="Ledger entry id -> suggested facts ({fact, score, matched}), best first.",
        ),
    },
)
_Comparison = inline_serializer("QuestionComparison", {"comparison": serializers.JSONField(allow_null=True)})
_Versions = inline_serializer(
    "QuestionVersion",
    {
        "version": serializers.IntegerField(),
        "title": serializers.CharField(),
        "created_at": serializers.DateTimeField(allow_null=True),
        "created_by": serializers.CharField(allow_null=True),
    },
    many=True,
)


def _signed_in(request: Request) -> None:
    if not request.user.is_authenticated:
        raise SyncError(ErrorCode.NOT_AUTHENTICATED, "Sign in to see the question bank.")


def _version(request: Request) -> int | None:
    raw = request.query_params.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "A version is a whole number from 1.", "version")
    return int(raw)


class QuestionListApi(APIView):
    @extend_schema(responses={200: _Questions, **ERRORS}, description="Private parts only for interviewers.")
    def get(self, request: Request) -> Response:
        _signed_in(request)
        return Response(q.question_list(request.user))

    @extend_schema(request=_Question, responses={201: _Question, **ERRORS})
    def post(self, request: Request) -> Response:
        _signed_in(request)
        return Response(question_create(user=request.user, raw=request.data), status=201)


class QuestionDetailApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="A past version (default: the latest).")],
        responses={200: _Question, **ERRORS},
    )
    def get(self, request: Request, key: str) -> Response:
        _signed_in(request)
        return Response(q.question_detail(request.user, key, _version(request)))

    @extend_schema(request=_Question, responses={200: _Question, **ERRORS}, description="Adds a version.")
    def patch(self, request: Request, key: str) -> Response:
        _signed_in(request)
        return Response(question_update(user=request.user, key=key, raw=request.data))

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, key: str) -> Response:
        _signed_in(request)
        question_delete(user=request.user, key=key)
        return Response(status=204)


class QuestionVersionListApi(APIView):
    @extend_schema(responses={200: _Versions, **ERRORS})
    def get(self, request: Request, key: str) -> Response:
        _signed_in(request)
        return Response(q.question_versions(request.user, key))


class BoardQuestionApi(APIView):
    @extend_schema(
        responses={200: _BoardQuestion, **ERRORS},
        description="`question` (null when the board was made from none), `full`, and `suggestions` when full.",
    )
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(q.board_question_for(participant))


class BoardQuestionCompareApi(APIView):
    @extend_schema(responses={200: _Comparison, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        record = q.board_question(board_id)
        require(
            record is not None and q.private_allowed(record, participant),
            "Only the board's owner and interviewers compare it with a reference.",
        )
        return Response({"comparison": q.comparison_for(participant)})
