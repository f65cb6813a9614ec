"""The questions page: everyone signed in reads prompts; interviewers write their own, each save a version."""

from __future__ import annotations

import pytest
from django.test import Client

from reviews.models import QuestionVersion
from reviews.question_bank import BANK
from reviews.question_forms import from_form, to_form
from reviews.questions import parse_question
from tests.factories import UserFactory
from tests.reviews.questions_cast import CANARY, interviewer_account

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "title": "Design a canary service",
    "question_type": "design",
    "prompt": "Design a service that tells miners when the air is bad.",
    "facts": f"scale | {CANARY} 40 million miners | miner, miners\nlatency | {CANARY} alarms in 2 s",
    "follow_ups": f"deep_dive | {CANARY} what if the queue is down?",
    "cards": f"A mine floods | {CANARY} half the sensors go silent",
    "rubric": f"{CANARY} strong answers ask first",
    "shows": "",
}


def test_the_form_round_trips_a_question():
    for key in ("notification_system", "project_walkthrough"):
        question = BANK[key]
        again = parse_question({**from_form(to_form(question), question), "id": key})
        assert [f["answer"] for f in again["facts"]] == [f["answer"] for f in question["facts"]]
        assert again["follow_ups"] == question["follow_ups"] and again["reference"] == question["reference"]
        assert [c["text"] for c in again["cards"]] == [c["text"] for c in question["cards"]]


def test_an_interviewer_writes_a_question_on_the_page_and_every_save_is_a_version():
    quinn = browser(interviewer_account())
    assert quinn.get("/questions/new/").status_code == 200
    response = quinn.post("/questions/new/", FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    page = quinn.get("/questions/").content.decode()
    assert "Design a canary service" in page and f"{CANARY} 40 million miners" in page
    key = QuestionVersion.objects.get().question.key
    edit = quinn.get(f"/questions/{key}/edit/").content.decode()
    assert "miner, miners" in edit and "Saving adds version 2" in edit
    assert quinn.post(f"/questions/{key}/edit/", {**FORM, "prompt": "Design it."}).status_code == 302
    assert [v.number for v in QuestionVersion.objects.order_by("number")] == [1, 2]
    assert "v1:" in quinn.get(f"/questions/{key}/edit/").content.decode()


def test_a_line_the_form_cannot_read_is_shown_not_saved():
    quinn = browser(interviewer_account())
    page = quinn.post("/questions/new/", {**FORM, "facts": "just words"}).content.decode()
    assert "facts line 1" in page and not QuestionVersion.objects.exists()
    page = quinn.post("/questions/new/", {**FORM, "facts": "weather | sunny"}).content.decode()
    assert "question.facts[0].topic" in page


def test_others_read_prompts_only_and_write_nothing():
    quinn = browser(interviewer_account())
    quinn.post("/questions/new/", FORM)
    key = QuestionVersion.objects.get().question.key
    plain = browser(UserFactory())
    page = plain.get("/questions/").content.decode()
    assert "Design a canary service" in page and BANK["chat"]["prompt"] in page
    assert CANARY not in page and BANK["chat"]["facts"][0]["answer"] not in page
    assert plain.get("/questions/new/").status_code == 403
    assert plain.get(f"/questions/{key}/edit/").status_code == 403
    assert browser(interviewer_account()).post(f"/questions/{key}/edit/", FORM).status_code == 403
    assert quinn.get("/questions/chat/edit/").status_code == 403
    assert quinn.get("/questions/nope/edit/").status_code == 404
    assert Client().get("/questions/").status_code == 302
