"""The verdict op and a board's review state, like a pull request's. Pure."""

from __future__ import annotations

from typing import Any

import pytest

from reviews.verdicts import board_state, check, parse_op
from whiteboard.errors import ErrorCode, SyncError


def verdict(version: Any = 1, kind: Any = "approve", **extra: Any) -> dict[str, Any]:
    return {"op": "verdict", "version": version, "verdict": kind, **extra}


def review(reviewer: str, version: int, kind: str = "") -> dict[str, Any]:
    return {"reviewer": reviewer, "version": version, "verdict": kind}


def refused(call: Any, *args: Any, **kwargs: Any) -> SyncError:
    with pytest.raises(SyncError) as caught:
        call(*args, **kwargs)
    return caught.value


# Parsing the op


@pytest.mark.parametrize("kind", ["comment", "approve", "request_changes"])
def test_each_verdict_parses_with_an_empty_summary_by_default(kind):
    assert parse_op(verdict(2, kind), "ops[0]") == {"op": "verdict", "version": 2, "verdict": kind, "summary": ""}


def test_the_summary_is_kept_in_nfc():
    parsed = parse_op(verdict(summary="Cafe\u0301 looks fine"), "ops[0]")
    assert parsed["summary"] == "Caf\u00e9 looks fine"


@pytest.mark.parametrize("version", [0, -1, True, "1", 1.0, None])
def test_a_version_is_a_whole_number_from_one(version):
    error = refused(parse_op, verdict(version), "ops[3]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[3].version")


def test_a_missing_version_is_refused():
    error = refused(parse_op, {"op": "verdict", "verdict": "approve"}, "ops[0]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].version")


@pytest.mark.parametrize("kind", ["lgtm", "Approve", "", None, 1, "changes_requested"])
def test_only_the_three_verdicts_exist(kind):
    error = refused(parse_op, verdict(kind=kind), "ops[0]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].verdict")


@pytest.mark.parametrize("field", ["reviewer", "submitted_at", "seq", "state"])
def test_fields_the_server_stamps_are_refused(field):
    error = refused(parse_op, verdict(**{field: "x"}), "ops[0]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, f"ops[0].{field}")


@pytest.mark.parametrize("summary", ["x" * 4001, "nul\x00", "bidi\u202e", 5])
def test_a_summary_obeys_the_text_rules(summary):
    error = refused(parse_op, verdict(summary=summary), "ops[0]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].summary")


def test_a_summary_at_the_limit_is_accepted():
    assert parse_op(verdict(summary="x" * 4000), "ops[0]")["summary"] == "x" * 4000


# Who may give a verdict, on what


def test_a_reviewer_may_give_a_verdict_on_any_published_version():
    for version in (1, 2, 3):
        check(verdict(version), role="reviewer", versions=[1, 2, 3], submitted=False, path="ops[0]")


@pytest.mark.parametrize("role", ["owner", "interviewer", "candidate", "observer"])
def test_nobody_but_a_reviewer_gives_a_verdict(role):
    error = refused(check, verdict(1), role=role, versions=[1], submitted=False, path="ops[0]")
    assert (error.code, error.path) == (ErrorCode.FORBIDDEN, "ops[0]")


def test_a_version_that_does_not_exist_is_an_unknown_ref():
    error = refused(check, verdict(3), role="reviewer", versions=[1, 2], submitted=False, path="ops[1]")
    assert (error.code, error.path) == (ErrorCode.UNKNOWN_REF, "ops[1].version")
    error = refused(check, verdict(1), role="reviewer", versions=[], submitted=False, path="ops[0]")
    assert error.code == ErrorCode.UNKNOWN_REF


def test_a_version_already_reviewed_is_refused_and_says_so():
    error = refused(check, verdict(2), role="reviewer", versions=[1, 2], submitted=True, path="ops[0]")
    assert (error.code, error.path) == (ErrorCode.VALIDATION_ERROR, "ops[0].version")
    assert "already reviewed version 2" in error.message


def test_the_role_is_checked_before_the_version():
    # A non-reviewer learns nothing about which versions exist.
    error = refused(check, verdict(9), role="observer", versions=[1], submitted=True, path="ops[0]")
    assert error.code == ErrorCode.FORBIDDEN


# The board's review state


def test_no_review_requested_is_none():
    assert board_state([]) == "none"


def test_a_requested_review_not_yet_submitted_is_in_review():
    assert board_state([review("r1", 1)]) == "in_review"


def test_a_comment_keeps_the_board_in_review():
    assert board_state([review("r1", 1, "comment")]) == "in_review"


def test_one_approval_out_of_two_requested_is_still_in_review():
    assert board_state([review("r1", 1, "approve"), review("r2", 1)]) == "in_review"


def test_every_reviewer_approving_is_approved():
    assert board_state([review("r1", 1, "approve"), review("r2", 1, "approve")]) == "approved"


def test_any_request_for_changes_wins_over_approvals():
    reviews = [review("r1", 1, "approve"), review("r2", 1, "request_changes"), review("r3", 1)]
    assert board_state(reviews) == "changes_requested"


def test_changes_requested_holds_while_that_reviewer_has_not_reviewed_the_next_version():
    assert board_state([review("r1", 1, "request_changes"), review("r1", 2)]) == "changes_requested"


def test_changes_requested_holds_when_the_reviewer_only_comments_on_a_later_version():
    # The issue: "changes requested" until those reviewers APPROVE a later version.
    assert board_state([review("r1", 1, "request_changes"), review("r1", 2, "comment")]) == "changes_requested"


def test_changes_requested_is_not_cleared_by_another_reviewers_approval():
    reviews = [review("r1", 1, "request_changes"), review("r2", 2, "approve")]
    assert board_state(reviews) == "changes_requested"


def test_the_same_reviewer_approving_a_later_version_clears_it():
    reviews = [review("r1", 1, "request_changes"), review("r2", 1, "approve"), review("r1", 2, "approve")]
    assert board_state(reviews) == "approved"


def test_an_approval_then_changes_requested_on_a_later_version_is_changes_requested():
    assert board_state([review("r1", 1, "approve"), review("r1", 2, "request_changes")]) == "changes_requested"


def test_an_approval_is_stale_once_a_later_version_is_requested_from_the_same_reviewer():
    assert board_state([review("r1", 1, "approve"), review("r1", 2)]) == "in_review"


def test_the_state_follows_version_order_not_list_order():
    newest_first = [review("r1", 3, "approve"), review("r1", 2, "request_changes"), review("r1", 1, "approve")]
    assert board_state(newest_first) == "approved"
    newest_first = [review("r1", 2, "request_changes"), review("r1", 1, "approve")]
    assert board_state(newest_first) == "changes_requested"
