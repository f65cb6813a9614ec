"""Versions, diffs and reviews over REST: thin shells over `reviews.review_services` and `review_queries`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import review_queries as rq
from reviews import review_services as rs
from reviews import verdicts
from reviews.inbox_queries import inbox_for
from whiteboard.api.access import ERRORS, participation
from whiteboard.api.serializers import Input, WholeNumberField
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.numbers import whole_number

_Elements = serializers.ListField(child=serializers.DictField())


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="The version's number on its board: 1, 2, 3…")
    name = serializers.CharField()
    note = serializers.CharField()
    seq = serializers.IntegerField()
    author = serializers.UUIDField()
    created_at = serializers.DateTimeField()


class VersionDetailOutput(VersionOutput):
    elements = serializers.ListField(child=serializers.DictField())


_Diff = inline_serializer(
    "Diff",
    {
        "added": _Elements,
        "removed": _Elements,
        "changed": serializers.ListField(child=serializers.DictField()),
    },
)
_Review = inline_serializer(
    "Review",
    {
        "reviewer": serializers.UUIDField(),
        "reviewer_name": serializers.CharField(),
        "version": serializers.IntegerField(),
        "verdict": serializers.CharField(),
        "summary": serializers.CharField(),
        "submitted_at": serializers.DateTimeField(allow_null=True),
        "submitted_seq": serializers.IntegerField(allow_null=True),
    },
)
_Reviews = inline_serializer(
    "Reviews",
    {
        "state": serializers.ChoiceField(["none", "in_review", "changes_requested", "approved"]),
        "reviews": serializers.ListField(child=_Review),
    },
)


class VersionInput(Input):
    name = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReviewRequestInput(Input):
    version = WholeNumberField(min_value=1)
    reviewers = serializers.ListField(
        child=serializers.CharField(max_length=254),
        min_length=1,
        max_length=20,
        help_text="Each a username, an account's email, a participant id, or a name on this board (a guest reviewer).",
    )


class PendingInput(Input):
    id = serializers.CharField(required=False, max_length=64)
    target = serializers.CharField(allow_null=True, max_length=64)
    kind = serializers.CharField(max_length=32)
    text = serializers.CharField(max_length=8000, trim_whitespace=False)


class SubmitInput(Input):
    verdict = serializers.ChoiceField(choices=verdicts.VERDICTS)
    summary = serializers.CharField(
        max_length=8000, required=False, allow_blank=True, default="", trim_whitespace=False
    )


class VersionListApi(APIView):
    @extend_schema(responses={200: VersionOutput(many=True), **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response(rq.versions_of(board_id))

    @extend_schema(request=VersionInput, responses={201: VersionOutput, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        data = VersionInput(data=request.data).validated()
        version = rs.version_publish(board_id=board_id, participant=participant, **data)
        return Response(rq.version_dict(version), status=201)


class VersionDetailApi(APIView):
    @extend_schema(responses={200: VersionDetailOutput, **ERRORS})
    def get(self, request: Request, board_id: UUID, number: int) -> Response:
        participation(request, board_id)
        versions = [v for v in rq.versions_of(board_id) if v["id"] == number]
        if not versions:
            raise SyncError(ErrorCode.NOT_FOUND, f"This board has no version {number}.")
        return Response({**versions[0], "elements": rq.version_elements(board_id, number)})


class VersionRestoreApi(APIView):
    @extend_schema(
        request=None,
        responses={200: inline_serializer("Restored", {"seq": serializers.IntegerField(allow_null=True)}), **ERRORS},
        description="Restore the version's canvas as one new batch (history is never rewritten).",
    )
    def post(self, request: Request, board_id: UUID, number: int) -> Response:
        participant = participation(request, board_id)
        committed = rs.version_restore(board_id=board_id, participant=participant, number=number)
        return Response({"seq": committed.seq if committed else None})


def _ref(value: str | None, name: str) -> int | str:
    if value == "now":
        return value
    number = whole_number(value)
    if number is None:
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Expected a version id or 'now'.", name)
    return number


class DiffApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="A version id."),
            OpenApiParameter("to", str, description="A version id, or 'now' (the default)."),
        ],
        responses={200: _Diff, **ERRORS},
    )
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        before = _ref(request.query_params.get("from"), "from")
        after = _ref(request.query_params.get("to", "now"), "to")
        return Response(rq.board_diff(board_id, before, after))


class ReviewListApi(APIView):
    @extend_schema(responses={200: _Reviews, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        return Response(rq.reviews_of(board_id))

    @extend_schema(request=ReviewRequestInput, responses={201: _Reviews, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        data = ReviewRequestInput(data=request.data).validated()
        rs.review_request(
            board_id=board_id, participant=participant, number=data["version"], usernames=data["reviewers"]
        )
        return Response(rq.reviews_of(board_id), status=201)


class PendingListApi(APIView):
    @extend_schema(responses={200: PendingInput(many=True), **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        return Response(rq.pending_of(board_id, participation(request, board_id)))

    @extend_schema(request=PendingInput, responses={201: PendingInput, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        raw: dict[str, Any] = PendingInput(data=request.data).validated()
        comment = rs.pending_add(board_id=board_id, participant=participant, raw=raw)
        return Response(rq.pending_dict(comment), status=201)


class PendingDetailApi(APIView):
    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, board_id: UUID, annotation_id: str) -> Response:
        participant = participation(request, board_id)
        rs.pending_remove(board_id=board_id, participant=participant, annotation_id=annotation_id)
        return Response(status=204)


class ReviewSubmitApi(APIView):
    @extend_schema(request=SubmitInput, responses={200: _Review, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        data = SubmitInput(data=request.data).validated()
        return Response(rq.review_dict(rs.review_submit(board_id=board_id, participant=participant, **data)))


class InboxApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Inbox",
                {
                    "requested": serializers.ListField(child=serializers.DictField()),
                    "my_boards": serializers.ListField(child=serializers.DictField()),
                    "waiting": serializers.ListField(child=serializers.DictField()),
                },
            ),
            **ERRORS,
        },
        description="Reviews requested from me, reviews of my boards, challenges waiting for my answer.",
    )
    def get(self, request: Request) -> Response:
        return Response(inbox_for(request.user))
