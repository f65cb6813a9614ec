"""Set up and inspect data for the browser tests, in the live server's database.

Run as `python -m tests.browser.seed COMMAND JSON` with the server's DATABASE_URL;
prints one JSON object. The browser tests and bench/canvas_fps.py use it, so no
test touches the server's database except through Django's own services.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bothsides.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from reviews.question_bank import BANK  # noqa: E402
from whiteboard.models import Board, Mode, Participant  # noqa: E402
from whiteboard.selectors import elements_of  # noqa: E402
from whiteboard.services.boards import board_create  # noqa: E402
from whiteboard.services.invites import invite_create, invite_redeem  # noqa: E402
from whiteboard.services.participants import participant_add  # noqa: E402
from whiteboard.ws_auth import GUEST_SESSION_KEY  # noqa: E402


def _user(username: str, first_name: str) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _session(user: Any) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _guest_session(token: str, name: str) -> str:
    """What /join/<token> leaves in a guest's session, without the form (for tests that are not about joining)."""
    participant = invite_redeem(token=token, name=name)
    store = SessionStore()
    store[GUEST_SESSION_KEY] = [str(participant.id)]
    store.create()
    return str(store.session_key)


def _component(element_id: str, kind: str, label: str, x: float, y: float) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": kind, "label": label, "x": x, "y": y}


def board(args: dict[str, Any]) -> dict[str, Any]:
    """A board owned by Olivia with Ivan as interviewer, and candidate and observer invite links."""
    owner = _user("olivia", "Olivia")
    interviewer = _user("ivan", "Ivan")
    # An explicit empty list is a blank board; no list at all is the three-box default.
    elements = (
        args["elements"]
        if args.get("elements") is not None
        else [
            _component("client", "client", "Web app", 0, 0),
            _component("api", "service", "API", 320, 0),
            _component("db", "database", "Orders DB", 640, 0),
            {"id": "client-api", "kind": "arrow", "source": "client", "target": "api", "label": "HTTPS"},
        ]
    )
    new = board_create(
        owner=owner,
        title=args.get("title", "Browser test"),
        prompt=args.get("prompt", "Design an order service."),
        elements=elements,
        question_type=args.get("question_type", "design"),
    )
    participant_add(board=new, user=interviewer, role="interviewer")
    by = Participant.objects.get(board=new, user=owner)
    tokens = {role: invite_create(board=new, by=by, role=role)[1] for role in ("candidate", "observer")}
    sessions = {"owner": _session(owner), "interviewer": _session(interviewer)}
    if args.get("guests", True):
        sessions["candidate"] = _guest_session(tokens["candidate"], "Casey")
        sessions["observer"] = _guest_session(tokens["observer"], "Otto")
    return {"board": str(new.id), "tokens": tokens, "sessions": sessions}


def template_board(args: dict[str, Any]) -> dict[str, Any]:
    """`board`, drawn as a question's reference design (the notification system's unless told)."""
    question = BANK[args.get("template", "notification_system")]
    elements = question["reference"]["elements"]
    return board({"elements": elements, "title": question["title"], "prompt": question["prompt"]})


def incident_board(args: dict[str, Any]) -> dict[str, Any]:
    """`board`, drawn as an incident question's system, with its fault hidden and its symptom ready."""
    from reviews.incident_services import incident_prepare
    from whiteboard.models import Board

    question = BANK[args.get("question", "slow_database")]
    made = board(
        {
            "elements": question["reference"]["elements"],
            "title": question["title"],
            "prompt": question["prompt"],
            "question_type": "incident",
        }
    )
    incident_prepare(board=Board.objects.get(pk=made["board"]), spec=question["incident"])
    return made


def review_board(args: dict[str, Any]) -> dict[str, Any]:
    """A design-review board owned by Rosa, nothing published yet, and Ravi: a user with an account
    who is not on the board until Rosa asks him for a review. Both have a session."""
    owner = _user("rosa", "Rosa")
    reviewer = _user("ravi", "Ravi")
    elements = [
        _component("client", "client", "Web app", 0, 0),
        _component("api", "service", "API", 320, 0),
        _component("db", "database", "Orders DB", 640, 0),
        _component("legacy", "service", "Legacy sync", 320, 220),
        {"id": "client-api", "kind": "arrow", "source": "client", "target": "api", "label": "HTTPS"},
        {"id": "api-db", "kind": "arrow", "source": "api", "target": "db", "label": "SQL"},
        {"id": "api-legacy", "kind": "arrow", "source": "api", "target": "legacy", "label": "sync"},
    ]
    new = board_create(
        owner=owner,
        title=args.get("title", "Order service review"),
        prompt="Review my order service design.",
        mode=Mode.REVIEW,
        elements=elements,
    )
    return {
        "board": str(new.id),
        "reviewer": reviewer.get_username(),
        "sessions": {"owner": _session(owner), "reviewer": _session(reviewer)},
    }


def interviewer(args: dict[str, Any]) -> dict[str, Any]:
    """An account allowed to interview (Quinn, unless told), with a session: they start boards from questions."""
    from django.contrib.auth.models import Permission

    user = _user(args.get("username", "quinn"), args.get("name", "Quinn"))
    user.user_permissions.add(Permission.objects.get(codename="interview", content_type__app_label="reviews"))
    return {"session": _session(user)}


def big_board(args: dict[str, Any]) -> dict[str, Any]:
    """A board of `components` boxes in a grid and `arrows` arrows between neighbours (for the bench)."""
    count, arrows = int(args.get("components", 500)), int(args.get("arrows", 600))
    columns = 25
    types = ["client", "service", "database", "cache", "queue", "load_balancer", "cdn", "storage", "search", "worker"]
    elements: list[dict[str, Any]] = [
        _component(f"n{i}", types[i % len(types)], f"Service {i}", (i % columns) * 240, (i // columns) * 160)
        for i in range(count)
    ]
    across = [(i, i + 1) for i in range(count - 1) if (i + 1) % columns]
    down = [(i, i + columns) for i in range(count - columns)]
    pairs = across + down
    for k, (a, b) in enumerate(pairs[:arrows]):
        style = "async" if k % 3 == 0 else "sync"
        elements.append({"id": f"e{k}", "kind": "arrow", "source": f"n{a}", "target": f"n{b}", "style": style})
    result = board({"elements": elements, "title": "Bench board"})
    result["elements"] = len(elements)
    return result


def guests(args: dict[str, Any]) -> dict[str, Any]:
    """`n` more guests on a board, invited by its author, each with a session (the latency bench needs one per
    client)."""
    new = Board.objects.get(pk=args["board"])
    by = Participant.objects.get(board=new, user=new.owner)  # the owner; on a practice board, the candidate
    role = args.get("role", "candidate")
    tokens = [invite_create(board=new, by=by, role=role)[1] for _ in range(args["n"])]
    sessions = [_guest_session(token, f"Guest {i + 1}") for i, token in enumerate(tokens)]
    return {"sessions": sessions}


def user(args: dict[str, Any]) -> dict[str, Any]:
    """A signed-in account with no special permission (Pat, unless told): anyone may practise."""
    return {"session": _session(_user(args.get("username", "pat"), args.get("name", "Pat")))}


def elements(args: dict[str, Any]) -> dict[str, Any]:
    """The board's materialised elements, by id."""
    return {"elements": {e["id"]: e for e in elements_of(args["board"])}}


COMMANDS = {
    "board": board,
    "template_board": template_board,
    "incident_board": incident_board,
    "review_board": review_board,
    "interviewer": interviewer,
    "big_board": big_board,
    "guests": guests,
    "elements": elements,
    "user": user,
}

if __name__ == "__main__":
    command, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    print(json.dumps(COMMANDS[command](json.loads(raw))))
