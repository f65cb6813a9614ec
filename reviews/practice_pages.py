"""The practice pages: one session's feedback, and a person's attempts side by side. Their author only.

Plain Django views like the report: read after the session, no JavaScript.
Someone not on the board gets 404; an invited observer gets 403.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from reviews.practice_queries import attempts, feedback_of, require_author
from whiteboard import vocabulary
from whiteboard.errors import SyncError
from whiteboard.models import Board, Mode
from whiteboard.selectors import participant_for


@login_required
def feedback_page(request: HttpRequest, board_id: UUID) -> HttpResponse:
    participant = participant_for(board_id, user=request.user, guest_ids=[])
    if participant is None:
        raise Http404("No board with this id is shared with you.")
    try:
        require_author(participant)
    except SyncError as error:
        return render(
            request, "reviews/practice_forbidden.html", {"board": participant.board, "why": error.message}, status=403
        )
    share = request.build_absolute_uri(reverse("practice-shared", args=[share_token(board_id)]))
    context = {"board": participant.board, "feedback": feedback_of(board_id), "share": share}
    return render(request, "reviews/practice_feedback.html", context)


SHARE_SALT = "bothsides.practice.share"


def share_token(board_id: UUID) -> str:
    """A link to one session's feedback that anyone holding it may read (signed, so it cannot be guessed)."""
    return signing.dumps(str(board_id), salt=SHARE_SALT)


def shared_page(request: HttpRequest, token: str) -> HttpResponse:
    """The feedback as its author shared it: the checklist and the reference comparison, no board."""
    try:
        board_id = UUID(signing.loads(token, salt=SHARE_SALT))
    except (signing.BadSignature, ValueError):
        raise Http404("This link is not valid.") from None
    board = Board.objects.filter(pk=board_id, mode=Mode.PRACTICE).first()
    if board is None:
        raise Http404("This practice session was deleted.")
    context = {"board": board, "feedback": feedback_of(board_id), "shared": True}
    return render(request, "reviews/practice_feedback.html", context)


@login_required
def practice_page(request: HttpRequest) -> HttpResponse:
    lines = list(vocabulary.CHECKLIST.items())
    rows = [
        {**attempt, "cells": [(attempt["verdicts"][key], attempt["counts"][key]) for key, _ in lines]}
        for attempt in attempts(request.user)
    ]
    return render(request, "reviews/practice.html", {"attempts": rows, "lines": lines})
