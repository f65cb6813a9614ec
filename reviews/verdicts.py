"""Review verdicts and the board's review state, like a pull request's. Pure.

A verdict is an op in the log (`{"op": "verdict", ...}`), so everyone sees a
review land live, together with the challenges it releases, and a replay
shows when it happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reviews.fields import fail
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import MAX_TEXT, only_keys, text_field
from whiteboard.vocabulary import VERDICTS, holders

NAMES = frozenset({"verdict"})
REVIEWERS = holders("give_verdict")

_summary = text_field(MAX_TEXT)


def parse_op(raw: dict[str, Any], path: str) -> dict[str, Any]:
    only_keys(raw, ["op", "version", "verdict", "summary"], path)
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fail(f"{path}.version", "A version is its number: a whole number from 1.")
    verdict = raw.get("verdict")
    if verdict not in VERDICTS:
        raise fail(f"{path}.verdict", f"Expected one of: {', '.join(VERDICTS)}.")
    return {
        "op": "verdict",
        "version": version,
        "verdict": verdict,
        "summary": _summary(raw.get("summary", ""), f"{path}.summary"),
    }


def check(op: dict[str, Any], *, role: str, versions: Iterable[int], submitted: bool, path: str) -> None:
    """May this sender give this verdict now? `submitted`: they already reviewed that version."""
    if role not in REVIEWERS:
        raise SyncError(ErrorCode.FORBIDDEN, "Only a reviewer gives a review verdict.", path)
    if op["version"] not in set(versions):
        raise SyncError(ErrorCode.UNKNOWN_REF, f"This board has no version {op['version']}.", f"{path}.version")
    if submitted:
        message = f"You already reviewed version {op['version']}; review a later version."
        raise fail(f"{path}.version", message)


def board_state(reviews: Iterable[Mapping[str, Any]]) -> str:
    """`none`, `in_review`, `changes_requested` or `approved`, from each reviewer's latest review.

    Reviews carry `reviewer`, `version` (number) and `verdict` ("" while
    requested but not submitted). As on a pull request, a reviewer who
    requested changes holds the board at `changes_requested` until they
    approve a later version; it is `approved` once every requested reviewer's
    latest review approves.
    """
    latest: dict[str, str] = {}  # each reviewer's newest review, submitted or not
    blocking: set[str] = set()  # reviewers who requested changes and have not approved since
    for review in sorted(reviews, key=lambda r: r["version"]):
        reviewer, verdict = review["reviewer"], review["verdict"]
        latest[reviewer] = verdict
        if verdict == "request_changes":
            blocking.add(reviewer)
        elif verdict == "approve":
            blocking.discard(reviewer)
    if not latest:
        return "none"
    if blocking:
        return "changes_requested"
    if all(verdict == "approve" for verdict in latest.values()):
        return "approved"
    return "in_review"
