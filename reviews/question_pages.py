"""The questions page: the bank and the team's questions; interviewers write theirs, every save a version.

Plain Django like the inbox. What a reader sees of each question is what
`GET /api/questions/` gives them (`question_queries`), so the page cannot show a
fact the REST gate would not.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from reviews import questions
from reviews.question_forms import FIELDS, from_form, to_form
from reviews.question_queries import content, may_interview, question_detail, question_list, question_versions
from reviews.question_services import question_create, question_update
from whiteboard import vocabulary
from whiteboard.errors import SyncError


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "may_interview": may_interview(request.user),
        "types": list(vocabulary.QUESTION_TYPES),
        "topics": vocabulary.QUESTION_TOPICS,
        "phases": vocabulary.PHASES,
        **extra,
    }


@login_required
def questions_page(request: HttpRequest) -> HttpResponse:
    listed = question_list(request.user)
    return render(request, "reviews/questions.html", _context(request, questions=listed))


@login_required
def question_edit_page(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """A new question (no key) or a new version of one of mine."""
    previous = None
    if key is not None:
        try:
            question = question_detail(request.user, key)
        except SyncError as missing:
            raise Http404(missing.message) from missing
        if question["built_in"] or question["owner"] != request.user.get_username():
            raise PermissionDenied("Only the question's owner can change it.")
        previous = content(key)
    elif not may_interview(request.user):
        raise PermissionDenied("Only accounts allowed to interview write questions.")
    form = {name: request.POST.get(name, "") for name in FIELDS}
    error = None
    if request.method == "POST":
        try:
            raw = from_form(form, previous)
            saved = (
                question_update(user=request.user, key=key, raw=raw)
                if key
                else question_create(user=request.user, raw=raw)
            )
            return HttpResponseRedirect(f"{reverse('questions')}#q-{saved['id']}")
        except SyncError as refused:
            error = f"{refused.path or 'question'}: {refused.message}"
    elif previous is not None:
        form = to_form(previous)
    versions = question_versions(request.user, key) if key else []
    return render(
        request,
        "reviews/question_edit.html",
        _context(request, key=key, form=form, error=error, versions=versions, public=questions.PUBLIC),
    )
