"""The practice pages: one session's feedback, and a person's attempts side by side. Their author only.

Plain Django views like the report: read after the session, no JavaScript.
Someone not on the board gets 404; an invited observer gets 403.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from reviews.practice_queries import attempts, feedback_of, require_author
from whiteboard import vocabulary
from whiteboard.errors import SyncError
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
    context = {"board": participant.board, "feedback": feedback_of(board_id)}
    return render(request, "reviews/practice_feedback.html", context)


@login_required
def practice_page(request: HttpRequest) -> HttpResponse:
    lines = list(vocabulary.CHECKLIST.items())
    rows = [
        {**attempt, "cells": [(attempt["verdicts"][key], attempt["counts"][key]) for key, _ in lines]}
        for attempt in attempts(request.user)
    ]
    return render(request, "reviews/practice.html", {"attempts": rows, "lines": lines})
