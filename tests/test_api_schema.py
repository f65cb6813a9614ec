"""The REST API against its own OpenAPI schema (GET /api/schema/), with schemathesis.

Every operation gets generated requests (bounded: a few examples each, so the
whole run takes a minute or two) made as the owner of a real review board that
has an annotation, a reply and a published version; path parameters that name
them are pinned to the real ones, so requests reach the code behind the 404s.
A test fails on any 5xx and on any response that does not match the schema
(status, content type, body). Issue 19: the hardening found 500s this way.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from reviews.review_services import version_publish
from tests.reviews.api.helpers import cast, submit
from tests.reviews.factories import annotate, reply

pytestmark = [pytest.mark.django_db, pytest.mark.schema]

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def _keep_the_test_connection():
    # As Django's test client does: the WSGI handler would otherwise close the test's database
    # connection (and its transaction) at the end of every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def pinned(_keep_the_test_connection) -> dict[str, Any]:
    people = cast("review")
    submit(people.board, people.reviewer, annotate("a-1"))
    submit(people.board, people.owner, reply("a-1", "r-1"))
    version = version_publish(board_id=people.board.id, participant=people.owner.participant, name="v1")
    return {
        "token": people.owner.token,
        "path": {
            "board_id": str(people.board.id),
            "annotation_id": "a-1",
            "reply_id": "r-1",
            "number": version.number,
        },
    }


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_matches_its_schema_and_never_answers_5xx(case, pinned):
    if case.path_parameters:
        # Mostly the real ids, so generated bodies and queries reach the views behind the lookups.
        for name, value in pinned["path"].items():
            if name in case.path_parameters and not str(case.path_parameters[name]).startswith("x"):
                case.path_parameters[name] = value
    case.call_and_validate(headers={"Authorization": f"Token {pinned['token']}"}, checks=CHECKS)
