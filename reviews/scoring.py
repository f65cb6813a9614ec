"""The interview scorecard: its rubric and the rules for filling it in. Pure.

Four dimensions from how system-design interviews are judged (thinking, not
trivia), each rated 1-4 against short written anchors so two interviewers
mean the same thing by a 3. Evidence links point at what happened on the
board, so a rating can be checked against the replay.
"""

from __future__ import annotations

from typing import Any

from reviews.fields import fail
from whiteboard import vocabulary
from whiteboard.ops import MAX_TEXT, check_id, expect_object, only_keys, text_field
from whiteboard.roles import can

DIMENSIONS = vocabulary.DIMENSIONS
HIRE = vocabulary.HIRE
EVIDENCE_TYPES = ("annotation", "requirement", "element", "seq")
MAX_EVIDENCE = vocabulary.LIMITS["evidence"]

RUBRIC: dict[str, dict[str, Any]] = {
    "ambiguity_handling": {
        "label": "Handling ambiguity",
        "anchors": {
            1: "Started drawing without asking anything; worked to unstated assumptions.",
            2: "Asked a few questions, but late or without using the answers.",
            3: "Clarified users, scale and key constraints before designing, and used them.",
            4: "Drove scoping: stated assumptions, sized the problem, revisited them as the design grew.",
        },
    },
    "trade_off_awareness": {
        "label": "Trade-off awareness",
        "anchors": {
            1: "Named technologies without reasons.",
            2: "Gave reasons only when asked, and only the benefits.",
            3: "Named the cost of the main choices and an alternative for each.",
            4: "Compared options against the stated constraints, unprompted, and changed course when one lost.",
        },
    },
    "failure_mode_thinking": {
        "label": "Failure-mode thinking",
        "anchors": {
            1: "Did not consider what breaks, even when asked.",
            2: "Answered failure questions, but only when asked and only for the obvious parts.",
            3: "Raised the main failure modes and their blast radius unprompted.",
            4: "Designed for failure: degradation, retries, idempotency and recovery throughout.",
        },
    },
    "communication_clarity": {
        "label": "Communication clarity",
        "anchors": {
            1: "Hard to follow; the diagram and the words disagreed.",
            2: "Followable with effort; parts unlabelled or unexplained.",
            3: "Clear, labelled diagram; explained it plainly.",
            4: "Structured the conversation; anyone could follow and rebuild the design from the board.",
        },
    },
}

_notes = text_field(MAX_TEXT)


def _evidence(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    only_keys(raw, ["type", "id", "seq"], path)
    kind = raw.get("type")
    if kind not in EVIDENCE_TYPES:
        raise fail(f"{path}.type", f"Expected one of: {', '.join(EVIDENCE_TYPES)}.")
    link: dict[str, Any] = {"type": kind}
    if kind != "seq":
        link["id"] = check_id(raw.get("id"), f"{path}.id")
    if "seq" in raw or kind == "seq":
        seq = raw.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise fail(f"{path}.seq", "A seq is a whole number of at least 0.")
        link["seq"] = seq
    return link


def _dimension(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    only_keys(raw, ["rating", "notes", "evidence"], path)
    rating = raw.get("rating")
    if rating is not None and (isinstance(rating, bool) or rating not in (1, 2, 3, 4)):
        raise fail(f"{path}.rating", "A rating is 1, 2, 3 or 4.")
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
        raise fail(f"{path}.evidence", f"Evidence is a list of at most {MAX_EVIDENCE} links.")
    return {
        "rating": rating,
        "notes": _notes(raw.get("notes", ""), f"{path}.notes"),
        "evidence": [_evidence(link, f"{path}.evidence[{i}]") for i, link in enumerate(evidence)],
    }


def parse_scorecard(raw: Any) -> dict[str, Any]:
    """A draft scorecard: every field optional, every present field checked."""
    raw = expect_object(raw, "")
    only_keys(raw, ["dimensions", "hire", "notes"], "")
    dimensions = expect_object(raw.get("dimensions", {}), "dimensions")
    only_keys(dimensions, DIMENSIONS, "dimensions")
    hire = raw.get("hire", "")
    if hire not in ("", *HIRE):
        raise fail("hire", f"Expected one of: {', '.join(HIRE)}.")
    return {
        "dimensions": {name: _dimension(dimensions.get(name, {}), f"dimensions.{name}") for name in DIMENSIONS},
        "hire": hire,
        "notes": _notes(raw.get("notes", ""), "notes"),
    }


def check_complete(card: dict[str, Any]) -> None:
    """A scorecard can be submitted once every dimension is rated and a hire decision made."""
    for name in DIMENSIONS:
        if card["dimensions"].get(name, {}).get("rating") is None:
            raise fail(f"dimensions.{name}.rating", "Rate every dimension before submitting.")
    if not card["hire"]:
        raise fail("hire", "Choose a hire recommendation before submitting.")


def can_score(role: str) -> bool:
    return can(role, "score")
