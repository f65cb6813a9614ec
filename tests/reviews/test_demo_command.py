"""`make run`'s demo: an interview board and a review board, ready to try, however often it runs."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from reviews.models import BoardQuestion, Version
from whiteboard.models import Batch, Board, Element

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_prints_working_invite_links_for_both_boards_and_runs_again_without_duplicates():
    first = run_demo()
    second = run_demo()
    boards = Board.objects.filter(owner__username="demo")
    assert sorted(board.mode for board in boards) == ["interview", "review"]
    review = boards.get(mode="review")
    assert list(Version.objects.filter(board=review).values_list("number", flat=True)) == [1]
    interview = boards.get(mode="interview")
    # The interview starts from the question with an empty canvas; the review has the design to review.
    assert Element.objects.filter(board=interview).count() == 0
    assert not Batch.objects.filter(board=interview).exists()
    assert BoardQuestion.objects.get(board=interview).question_id == "notification_system"
    assert Element.objects.filter(board=review).count() > 5
    assert boards.get(mode="interview").owner.has_perm("reviews.interview")
    for role in ("interviewer", "candidate", "observer", "reviewer"):
        assert re.search(rf"{role}\s+http://127\.0\.0\.1:8000/join/\S+", second)
    assert first.count("/join/") == second.count("/join/") == 5
