"""The interview report (a page, Markdown, JSON, the diagram alone) for owners and interviewers, and the inbox.

Plain Django views like the rest of the HTML shell: the report is read after
the interview, printed or pasted into hiring notes, and needs no JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from reviews.formats import thinking
from reviews.formats.report import KIND_LABELS, to_markdown
from reviews.inbox_queries import inbox_for
from reviews.report_queries import report_for
from whiteboard.errors import SyncError
from whiteboard.selectors import participant_for
from whiteboard.ws_auth import GUEST_SESSION_KEY

View = Callable[[HttpRequest, dict[str, Any]], HttpResponse]


def _with_report(view: View) -> Callable[[HttpRequest, UUID], HttpResponse]:
    """Find the caller's participation and build the report, or answer as the board page would."""

    def wrapped(request: HttpRequest, board_id: UUID) -> HttpResponse:
        guests = list(request.session.get(GUEST_SESSION_KEY, []))
        participant = participant_for(board_id, user=request.user, guest_ids=guests)
        if participant is None:
            if not request.user.is_authenticated and not guests:
                return HttpResponseRedirect(f"{reverse('account_login')}?next={request.path}")
            raise Http404("No board with this id is shared with you.")
        try:
            report = report_for(board_id=board_id, participant=participant)
        except SyncError:
            return render(request, "reviews/report_forbidden.html", {"board": participant.board}, status=403)
        return view(request, report)

    return wrapped


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_with_report
def report_page(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    # reviews.formats.svg escapes every piece of user text, so the document is safe to inline.
    rows = thinking.view(report)
    curve = mark_safe(rows["curve"])  # built by formats.thinking.curve_svg, every text in it escaped
    context = {
        "report": report,
        "svg": mark_safe(report["svg"]),
        "kinds": KIND_LABELS,
        "thinking": rows,
        "curve": curve,
    }
    return render(request, "reviews/report.html", context)


@_with_report
def report_markdown(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    name = slugify(report["board"]["title"]) or "interview"
    return _download(to_markdown(report), "text/markdown; charset=utf-8", f"{name}-report.md")


@_with_report
def report_json(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    """Everything the page shows, as data: signals with their evidence, records, ledger, threads, scorecards."""
    name = slugify(report["board"]["title"]) or "interview"
    body = json.dumps({key: value for key, value in report.items() if key != "svg"}, ensure_ascii=False, indent=1)
    return _download(body, "application/json; charset=utf-8", f"{name}-report.json")


@_with_report
def report_diagram(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    response = _download(report["svg"], "image/svg+xml", f"{slugify(report['board']['title']) or 'diagram'}.svg")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/inbox.html", {"inbox": inbox_for(request.user)})
