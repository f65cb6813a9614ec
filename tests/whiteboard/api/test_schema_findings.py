"""What schemathesis (tests/test_api_schema.py) found, each pinned by a focused test.

- A URL under /api/ that no route matches (`invites/null,null/`: not a UUID) answered a
  404 without `retryable`, which every documented error body has.
- An import refused by its input checks (no `content`) answers a plain error, without
  `problems`; the schema said `problems` was always there.
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.reviews.api.helpers import api, cast

pytestmark = pytest.mark.django_db


def test_an_unrouted_api_url_answers_the_documented_error_shape():
    people = cast("review")
    response = api(people.owner).delete(f"/api/boards/{people.board.id}/invites/null,null/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such API endpoint or object.", "retryable": False}


def test_the_import_error_schema_does_not_promise_problems_on_every_400():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    error = schema["components"]["schemas"]["ImportErrorOutput"]
    assert "problems" not in error.get("required", [])
    people = cast("review")
    response = api(people.owner).post("/api/boards/import/", {"format": "json"}, format="json")
    assert response.status_code == 400 and "problems" not in response.json()
