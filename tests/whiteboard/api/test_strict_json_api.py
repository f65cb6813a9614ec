"""REST bodies go through the socket's strict decoder: a key given twice is bad JSON, deep nesting a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import board_with_owner
from whiteboard.models import Board

pytestmark = pytest.mark.django_db


def api(who) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {who.token}")
    return client


def test_a_key_given_twice_is_bad_json_as_on_the_socket():
    _, owner = board_with_owner()
    before = Board.objects.count()
    body = '{"title": "One", "title": "Two"}'
    response = api(owner).post("/api/boards/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"
    assert "duplicate key" in response.json()["message"]
    assert Board.objects.count() == before


def test_a_body_nested_fifty_thousand_deep_is_a_validation_error_not_a_crash():
    _, owner = board_with_owner()
    body = '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = api(owner).post("/api/boards/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "nest at most" in response.json()["message"]


def test_a_body_that_is_not_the_named_charset_is_bad_json():
    _, owner = board_with_owner()
    response = api(owner).post("/api/boards/", b'{"title": "\xff"}', content_type="application/json; charset=utf-8")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"
