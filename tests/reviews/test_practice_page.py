"""The practice feedback page shows its share link once, in the page (a merge once pasted it into
the page's <title>, <head> and body class too, so it showed above the header)."""

from __future__ import annotations

import re

import pytest
from django.test import Client as PageClient

from reviews.coach_services import coach_step
from tests.reviews.test_practice import practising

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_feedback_page_has_one_share_section_in_its_body_and_a_plain_title() -> None:
    board, me = practising()
    coach_step(board.id, finish=True)
    author = PageClient()
    author.force_login(me.user)
    page = author.get(f"/boards/{board.id}/feedback/").content.decode()
    assert page.count('data-testid="practice-share"') == 1
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1) and "share" not in title.group(1).lower()
    head = page.split("</head>")[0]
    assert "practice-share" not in head
