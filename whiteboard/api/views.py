"""One view per resource; each resolves the caller's participation, then calls a service."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from whiteboard import roles, starts
from whiteboard.api import serializers as s
from whiteboard.api.access import ERRORS, participation, require
from whiteboard.api.authentication import guest_ids
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Invite, Participant
from whiteboard.selectors import batches_after, board_dict, board_state, head_seq, participations
from whiteboard.services.boards import board_create, board_delete, board_update
from whiteboard.services.invites import invite_create, invite_revoke


def _board_out(board: Board, participant: Participant) -> dict[str, Any]:
    return {**board_dict(board), "role": participant.role}


class BoardListApi(APIView):
    @extend_schema(responses={200: s.BoardOutput(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        mine = participations(user=request.user, guest_ids=guest_ids(request))
        return Response([_board_out(p.board, p) for p in mine])

    @extend_schema(request=s.BoardCreateInput, responses={201: s.BoardOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        require(request.user.is_authenticated, "Sign in to create boards.")
        data = s.BoardCreateInput(data=request.data).validated()
        question, template = data.pop("question", None), data.pop("template", None)
        if question is not None and template is not None and question != template:
            raise SyncError(ErrorCode.VALIDATION_ERROR, "Give the question once: `question` or `template`.", "template")
        key = str(question or template or starts.BLANK["id"])
        start = starts.resolve(request.user, key)
        if start is None:
            path = "question" if question is not None else "template"
            raise SyncError(ErrorCode.VALIDATION_ERROR, f"No question with id '{key}'.", path)
        prompt = data.pop("prompt", None)
        kind = data.pop("question_type", None)
        if kind is not None and start.question_type is not None and kind != start.question_type:
            raise SyncError(
                ErrorCode.VALIDATION_ERROR, f"The question is a {start.question_type} question.", "question_type"
            )
        data["question_type"] = start.question_type or kind or "design"
        with transaction.atomic():
            board = board_create(
                owner=request.user,
                prompt=start.prompt if prompt is None else prompt,
                elements=start.elements,
                **data,
            )
            start.created(board)
        return Response(_board_out(board, participation(request, board.id)), status=201)


class TemplateListApi(APIView):
    @extend_schema(responses={200: s.TemplateOutput(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        return Response(starts.listing(request.user))


class BoardDetailApi(APIView):
    @extend_schema(responses={200: s.BoardDetailOutput, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        board, elements, _ = board_state(board_id)
        return Response({**_board_out(board, participant), "elements": elements})

    @extend_schema(request=s.BoardUpdateInput, responses={200: s.BoardOutput, **ERRORS})
    def patch(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        author = roles.is_author(participant)
        mode = participant.board.mode
        require(
            roles.can_edit_board(participant.role, mode=mode, author=author),
            f"A {participant.role} cannot rename this board.",
        )
        data = s.BoardUpdateInput(data=request.data).validated()
        board = board_update(board=participant.board, **data)
        return Response(_board_out(board, participant))

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        author = roles.is_author(participant)
        mode = participant.board.mode
        require(
            roles.can_delete_board(participant.role, mode=mode, author=author), "Only the owner can delete a board."
        )
        board_delete(board=participant.board)
        return Response(status=204)


class BoardOpsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Return batches with seq greater than this."),
            OpenApiParameter("limit", int, description="At most this many batches (1-1000, default 100)."),
        ],
        responses={200: s.OpsPageOutput, **ERRORS},
    )
    def get(self, request: Request, board_id: UUID) -> Response:
        participation(request, board_id)
        query = s.OpsQueryInput(data=request.query_params).validated()
        after, limit = query["after"], query["limit"]
        batches = batches_after(board_id, after, limit + 1)
        more = len(batches) > limit
        batches = batches[:limit]
        return Response({"seq": head_seq(board_id), "batches": batches, "next": batches[-1]["seq"] if more else None})


def _invite_out(invite: Invite, url: str | None = None) -> dict[str, Any]:
    out = {
        "id": str(invite.id),
        "role": invite.role,
        "created_by": invite.created_by.name,
        "created_at": invite.created_at.isoformat(),
        "expires_at": invite.expires_at.isoformat(),
        "revoked": invite.revoked_at is not None,
        "joined": getattr(invite, "joined", 0),
    }
    if url is not None:
        out["url"] = url
    return out


class InviteListApi(APIView):
    @extend_schema(responses={200: s.InviteOutput(many=True), **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        author = roles.is_author(participant)
        mode = participant.board.mode
        require(
            roles.can_invite(participant.role, mode=mode, author=author), f"A {participant.role} cannot see invites."
        )
        invites = Invite.objects.filter(board_id=board_id).select_related("created_by")
        return Response([_invite_out(i) for i in invites.annotate(joined=Count("participants"))])

    @extend_schema(request=s.InviteCreateInput, responses={201: s.InviteOutput, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        data = s.InviteCreateInput(data=request.data).validated()
        invite, token = invite_create(board=participant.board, by=participant, **data)
        url = request.build_absolute_uri(reverse("join", args=[token]))
        return Response(_invite_out(invite, url), status=201)


class InviteDetailApi(APIView):
    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, board_id: UUID, invite_id: UUID) -> Response:
        participant = participation(request, board_id)
        invite = Invite.objects.filter(pk=invite_id, board_id=board_id).first()
        if invite is None:
            raise SyncError(ErrorCode.NOT_FOUND, "No such invite on this board.")
        invite_revoke(invite=invite, by=participant)
        return Response(status=204)
