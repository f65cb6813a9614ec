"""The privacy sweep shared by the tests of private board data (a question's facts, an incident's fault).

What an outsider (candidate, observer, reviewer) may have received is checked the same way
for every kind of secret: every live frame, a late joiner's welcome and a catch-up from the
start, then every REST response and page they can ask for. Each test brings its own
`assert_clean` (what its secret looks like) and `record_rest` (which paths it reads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from django.test import Client as PageClient

from reviews.formats import EXPORTS
from tests.reviews.questions_cast import rest
from tests.reviews.sockets import RawClient, raw

OUTSIDERS = ("candidate", "observer", "reviewer")
READERS = ("owner", "interviewer")

Clean = Callable[[str, str], None]
Recorded = dict[str, tuple[int, str]]


def rest_paths(board_id: Any, seq: int) -> list[str]:
    base = f"/api/boards/{board_id}"
    return [
        "/api/templates/",
        "/api/questions/",
        "/api/questions/canary_question/",
        "/api/questions/canary_question/versions/",
        f"{base}/",
        f"{base}/ops/",
        f"{base}/question/",
        f"{base}/question/compare/",
        f"{base}/annotations/",
        f"{base}/state/?at={seq}",
        f"{base}/timeline/",
        f"{base}/analysis/",
        f"{base}/signals/",
        f"{base}/scenarios/",
        f"{base}/scorecards/",
        f"{base}/scorecards/mine/",
        f"{base}/versions/",
        f"{base}/diff/",
        *(f"{base}/export/?format={name}" for name in EXPORTS),
    ]


def pages(board_id: Any) -> list[str]:
    return [
        f"/boards/{board_id}/",
        f"/boards/{board_id}/report/",
        f"/boards/{board_id}/report.md",
        f"/boards/{board_id}/report.json",
        f"/boards/{board_id}/diagram.svg",
        "/",
    ]


def record(who: Any, api_paths: list[str], page_paths: list[str]) -> Recorded:
    """Every response `who` gets for these REST paths and pages, as (status, text)."""
    api = rest(who)
    seen = {path: api.get(path) for path in api_paths}
    browser = PageClient()
    browser.force_login(who.user)
    seen.update({path: browser.get(path) for path in page_paths})
    return {path: (r.status_code, r.content.decode("utf-8", "replace")) for path, r in seen.items()}


async def assert_outsiders_clean(
    connect: Any,
    cast: Any,
    clients: dict[str, RawClient],
    *,
    assert_clean: Clean,
    record_rest: Callable[[Any, str, int], Recorded],
    seq: int,
) -> None:
    """Live frames, a late welcome, a catch-up from 0, and every response: none holds the secret."""
    for role in OUTSIDERS:
        assert clients[role].texts, f"{role} received nothing at all"
        for text in clients[role].texts:
            assert_clean(text, f"a frame to the {role}")
    for role in OUTSIDERS:
        late = await raw(connect, cast.board.id, cast.by_role(role))
        await late.recv_type("welcome")
        again = await raw(connect, cast.board.id, cast.by_role(role), since=0)
        await again.recv_type("catchup")
        for text in [*late.texts, *again.texts]:
            assert_clean(text, f"a reconnecting {role}'s frame")
    for role in OUTSIDERS:
        for path, (status, body) in (await database_sync_to_async(record_rest)(cast, role, seq)).items():
            assert status < 500, (role, path, status)
            assert_clean(body, f"{role} GET {path} ({status})")
