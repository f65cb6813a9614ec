"""The HTML shell: my boards, a board, joining by invite link, and the page for an unknown URL.

Django renders these pages so URLs, sessions and CSRF stay Django's; the
canvas itself is the front-end bundle mounted on the board page.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from whiteboard.errors import SyncError
from whiteboard.selectors import participant_for, participations
from whiteboard.services.invites import invite_find, invite_redeem
from whiteboard.ws_auth import GUEST_SESSION_KEY


def _guest_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(GUEST_SESSION_KEY, []))


@login_required
def board_list(request: HttpRequest) -> HttpResponse:
    mine = participations(user=request.user, guest_ids=_guest_ids(request))
    config = {"csrf": get_token(request), "user": request.user.get_username(), "api": "/api/"}
    return render(request, "whiteboard/board_list.html", {"participations": mine, "boards_config": config})


def boards_redirect(request: HttpRequest) -> HttpResponse:
    """`/boards/` is where people look for their boards: the list lives at `/`."""
    return HttpResponseRedirect(reverse("board-list"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the API answers in its error shape; a page gets the product's 404, never a URL listing."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "No such API endpoint or object."}, status=404)
    response = render(request, "404.html", {"request_path": request.path}, status=404)
    response.product_page = True  # type: ignore[attr-defined]
    return response


def board_page(request: HttpRequest, board_id: UUID) -> HttpResponse:
    participant = participant_for(board_id, user=request.user, guest_ids=_guest_ids(request))
    if participant is None:
        if not request.user.is_authenticated and not _guest_ids(request):
            return HttpResponseRedirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404("No board with this id is shared with you.")
    config = {
        "board": str(board_id),
        "socket": f"/ws/boards/{board_id}/",
        "participant": str(participant.id),
        "role": participant.role,
        "name": participant.name,
        "csrf": get_token(request),
        "api": "/api/",
    }
    context = {"board": participant.board, "participant": participant, "board_config": config}
    return render(request, "whiteboard/board.html", context)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invite = invite_find(token)
    if invite is None:
        response = render(request, "whiteboard/join_invalid.html", status=410)
    elif request.method == "GET":
        default = request.user.get_full_name() or request.user.get_username() if request.user.is_authenticated else ""
        response = render(request, "whiteboard/join.html", {"invite": invite, "name": default})
    else:
        response = _redeem(request, token)
    # The token is a credential: keep the path out of Referer headers sent from this page.
    # (Not "no-referrer": Chrome then posts the form with Origin: null, which CSRF refuses.)
    response["Referrer-Policy"] = "strict-origin"
    return response


def _redeem(request: HttpRequest, token: str) -> HttpResponse:
    name = request.POST.get("name", "").strip()
    invite = invite_find(token)
    if not name or len(name) > 80 or "\x00" in name:
        context = {"invite": invite, "name": name, "error": "Enter a display name of up to 80 characters."}
        return render(request, "whiteboard/join.html", context, status=400)
    try:
        participant = invite_redeem(token=token, name=name, user=request.user)
    except SyncError:
        return render(request, "whiteboard/join_invalid.html", status=410)
    # A new session key on every grant: a session id planted before the
    # invite was redeemed must not inherit the role (session fixation).
    request.session.cycle_key()
    if participant.user_id is None:
        request.session[GUEST_SESSION_KEY] = [*_guest_ids(request), str(participant.id)]
    return HttpResponseRedirect(reverse("board", args=[participant.board_id]))
