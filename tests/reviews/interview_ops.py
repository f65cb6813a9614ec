"""Interview session and requirements ledger ops as a client sends them (docs/protocol.md, "Interview session")."""

from __future__ import annotations

from typing import Any


def session(action: str, minutes: Any = None) -> dict[str, Any]:
    op: dict[str, Any] = {"op": "session", "action": action}
    return op if minutes is None else {**op, "minutes": minutes}


def start(minutes: Any = None) -> dict[str, Any]:
    return session("start", minutes)


def pause() -> dict[str, Any]:
    return session("pause")


def resume() -> dict[str, Any]:
    return session("resume")


def end() -> dict[str, Any]:
    return session("end")


def phase(name: str) -> dict[str, Any]:
    return {"op": "phase", "phase": name}


def requirement(
    entry_id: str, text: str = "How many users?", *, kind: str = "question", links: list[str] | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id, "kind": kind, "text": text}
    return {"op": "requirement", "entry": entry if links is None else {**entry, "links": links}}


def answer_requirement(entry_id: str, text: str = "10M daily, 1k writes a second at peak.") -> dict[str, Any]:
    return {"op": "answer_requirement", "entry": entry_id, "text": text}


def link_requirement(entry_id: str, links: list[str]) -> dict[str, Any]:
    return {"op": "link_requirement", "entry": entry_id, "links": links}
