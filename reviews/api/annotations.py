"""Annotations over REST, each write a one-op batch in the board's log.

Every view resolves the caller's participation (a board they are not on is
404), finds the annotation the URL names among those the caller may see
(else 404, the same for a private id and a missing one), then hands an op to
`annotation_apply` and reads the annotation back through the annotation_queries.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import annotation_queries, annotation_services
from reviews.annotations import PRIVATE_PREFIX
from reviews.api import errors
from reviews.api import serializers as s
from whiteboard.api.access import ERRORS, participation
from whiteboard.api.serializers import ErrorOutput
from whiteboard.errors import SyncError
from whiteboard.models import Participant

WRITE_ERRORS = {**ERRORS, 409: ErrorOutput}


def _visible(board_id: UUID, participant: Participant, annotation_id: str) -> dict[str, Any]:
    """The annotation, or 404 before any write is tried: a refusal must not tell a private annotation exists."""
    annotation = annotation_queries.annotation_of(board_id, participant, annotation_id)
    if annotation is None:
        raise errors.annotation_not_found()
    return annotation


def _out(board_id: UUID, participant: Participant, annotation_id: str) -> dict[str, Any]:
    return annotation_queries.with_derived(board_id, [_visible(board_id, participant, annotation_id)])[0]


def _apply(board_id: UUID, participant: Participant, op: dict[str, Any]) -> str:
    try:
        return annotation_services.annotation_apply(board_id=board_id, participant=participant, op=op)
    except SyncError as error:
        raise errors.as_rest(error) from error


class AnnotationListApi(APIView):
    @extend_schema(parameters=[s.AnnotationQuery], responses={200: s.AnnotationOutput(many=True), **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        # A plain dict, not the QueryDict: DRF reads an empty form value as absent, and `layer=` must not mean "any".
        query = s.AnnotationQuery(data=request.query_params.dict()).validated()
        annotations = annotation_queries.annotations_of(board_id, participant, **query)
        return Response(annotation_queries.with_derived(board_id, annotations))

    @extend_schema(request=s.AnnotationCreateInput, responses={201: s.AnnotationOutput, **WRITE_ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        annotation = s.AnnotationCreateInput(data=request.data).validated()
        annotation.setdefault(
            "id", annotation_services.new_id(PRIVATE_PREFIX if annotation["layer"] == "private" else "a-")
        )
        annotation_id = _apply(board_id, participant, {"op": "annotate", "annotation": annotation})
        return Response(_out(board_id, participant, annotation_id), status=201)


class AnnotationDetailApi(APIView):
    @extend_schema(responses={200: s.AnnotationOutput, **ERRORS})
    def get(self, request: Request, board_id: UUID, annotation_id: str) -> Response:
        return Response(_out(board_id, participation(request, board_id), annotation_id))

    @extend_schema(request=s.AnnotationUpdateInput, responses={200: s.AnnotationOutput, **ERRORS})
    def patch(self, request: Request, board_id: UUID, annotation_id: str) -> Response:
        participant = participation(request, board_id)
        _visible(board_id, participant, annotation_id)
        change = s.AnnotationUpdateInput(data=request.data).validated()
        op = {"op": "edit_text" if "text" in change else "set_status", "annotation": annotation_id, **change}
        _apply(board_id, participant, op)
        return Response(_out(board_id, participant, annotation_id))

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, board_id: UUID, annotation_id: str) -> Response:
        participant = participation(request, board_id)
        _visible(board_id, participant, annotation_id)
        _apply(board_id, participant, {"op": "delete_annotation", "annotation": annotation_id})
        return Response(status=204)


class ReplyListApi(APIView):
    @extend_schema(request=s.ReplyCreateInput, responses={201: s.AnnotationOutput, **WRITE_ERRORS})
    def post(self, request: Request, board_id: UUID, annotation_id: str) -> Response:
        participant = participation(request, board_id)
        _visible(board_id, participant, annotation_id)
        reply = s.ReplyCreateInput(data=request.data).validated()
        reply.setdefault("id", annotation_services.new_id("r-"))
        _apply(board_id, participant, {"op": "reply", "annotation": annotation_id, "reply": reply})
        return Response(_out(board_id, participant, annotation_id), status=201)


class ReplyDetailApi(APIView):
    @extend_schema(request=s.ReplyUpdateInput, responses={200: s.AnnotationOutput, **ERRORS})
    def patch(self, request: Request, board_id: UUID, annotation_id: str, reply_id: str) -> Response:
        participant = participation(request, board_id)
        _visible(board_id, participant, annotation_id)
        text = s.ReplyUpdateInput(data=request.data).validated()["text"]
        _apply(board_id, participant, {"op": "edit_text", "annotation": annotation_id, "reply": reply_id, "text": text})
        return Response(_out(board_id, participant, annotation_id))
