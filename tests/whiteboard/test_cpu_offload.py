"""Issue 19, defect 2: CPU-heavy request work runs outside the serving process, with a time cap.

Under Daphne each HTTP request has a thread of its own, but every thread of the
process shares the GIL with the event loop and the database thread: 12 s of
pure Python in one request (a big import) took the sockets' acknowledgements
from 6 ms to 200 ms. The pure steps (parsing an import, rendering an export,
the failure-drill analysis, a diff) now run in `whiteboard.cpu`'s worker
processes; the short database reads and writes stay in the request.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.reviews.api.helpers import api, cast
from whiteboard import cpu
from whiteboard.errors import ErrorCode, SyncError


def test_pure_work_runs_in_another_process():
    assert cpu.run(os.getpid) != os.getpid()


def test_errors_come_back_as_raised_even_with_their_own_fields():
    from reviews.formats.interop import MAX_INPUT, check_size

    with pytest.raises(SyncError) as caught:
        cpu.run(check_size, "x" * (MAX_INPUT + 1))
    assert caught.value.code == ErrorCode.TOO_LARGE and caught.value.as_dict()["reason"] == "file_too_large"


def test_work_past_the_time_cap_is_refused_and_the_pool_recovers(settings):
    settings.BOTHSIDES = {**settings.BOTHSIDES, "CPU_TIME_CAP": 0.5}
    with pytest.raises(SyncError) as caught:
        cpu.run(time.sleep, 30)
    assert caught.value.code == ErrorCode.TOO_LARGE
    assert cpu.run(sum, [1, 2, 3]) == 6


@pytest.fixture
def offloaded(monkeypatch):
    calls = []
    real = cpu.run

    def spy(fn, *args, **kwargs):
        calls.append(f"{fn.__module__}.{fn.__qualname__}")
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(cpu, "run", spy)
    return calls


@pytest.mark.django_db
def test_imports_exports_analysis_and_diffs_parse_and_render_off_the_process(offloaded):
    people = cast("review")
    client, base = api(people.owner), f"/api/boards/{people.board.id}"
    assert client.get(f"{base}/export/?format=svg").status_code == 200
    text = "flowchart LR\n  a[API] --> b[(DB)]\n"
    assert client.post("/api/boards/import/", {"format": "mermaid", "content": text}, format="json").status_code == 201
    assert client.get(f"{base}/analysis/").status_code == 200
    assert client.post(f"{base}/versions/", {"name": "v1"}, format="json").status_code == 201
    assert client.get(f"{base}/diff/?from=1&to=now").status_code == 200
    assert any(c.startswith("reviews.formats.svg.") for c in offloaded), offloaded
    assert any(c.startswith("reviews.formats.mermaid.") for c in offloaded), offloaded
    assert any(c.startswith("reviews.drill.") for c in offloaded), offloaded
    assert any(c.startswith("reviews.diff.") for c in offloaded), offloaded
