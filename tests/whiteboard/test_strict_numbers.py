"""Issue 19, defect 5: every number a client sends in a query or path is ASCII digits, or a 400.

`"²".isdigit()` is true and `int("²")` raises; `int("٣")` is 3; `int("1_0")` is 10;
`int(" 7 ")` is 7. None of them is a number on the wire. The socket answers a bad
`since` with a `rejected` naming it and closes 4400; REST answers 400.
"""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from bothsides.asgi import application
from tests.conftest import ORIGIN, Client
from tests.reviews.api.helpers import api, cast
from whiteboard.numbers import whole_number

NOT_NUMBERS = ["²", "٣", "1_0", " 7", "7 ", "+1", "-1", "1.0", "0x1", "", "1" * 19, "\uff11"]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_the_helper_refuses_anything_but_ascii_digits(text):
    assert whole_number(text) is None


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("7", 7), ("0042", 42), ("9" * 18, int("9" * 18))])
def test_the_helper_reads_ascii_digits(text, value):
    assert whole_number(text) == value


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["since", "private_since"])
@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "1_0", "%201", "99999999999999999999"])
async def test_a_socket_resuming_from_a_non_number_is_rejected_and_closed_4400(room, name, value):
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", ORIGIN)]
    headers.append((b"authorization", f"Token {room.owner.token}".encode()))
    ws = WebsocketCommunicator(application, f"/ws/boards/{room.board.id}/?{name}={value}", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    client = Client(ws)
    rejected = await client.recv()
    assert (rejected["type"], rejected["code"], rejected["path"]) == ("rejected", "bad_request", name)
    assert await client.closed() == 4400


@pytest.fixture
def people(db):
    return cast("review")


@pytest.mark.parametrize("value", ["²", "٣", "1_0", " 1", "99999999999999999999999", "-1"])
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("ops/?after={}", "after"),
        ("ops/?limit={}", "limit"),
        ("diff/?from={}", "from"),
        ("diff/?from=now&to={}", "to"),
        ("state/?at={}", "at"),
    ],
)
def test_rest_query_numbers_that_are_not_ascii_digits_are_a_400(people, path, param, value):
    from urllib.parse import quote

    response = api(people.owner).get(f"/api/boards/{people.board.id}/" + path.format(quote(value)))
    assert response.status_code == 400, response.content
    assert response.json()["path"] == param


def test_a_version_number_too_big_for_the_database_is_not_found_not_a_500(people):
    board = people.board
    for tail in ("", "restore/"):
        method = api(people.owner).post if tail else api(people.owner).get
        response = method(f"/api/boards/{board.id}/versions/{'9' * 30}/{tail}")
        assert response.status_code == 404, response.content


@pytest.mark.parametrize("days", ["٣", "1_0", " 3", True, 3.5])
def test_invite_days_must_be_a_whole_number(people, days):
    response = api(people.owner).post(
        f"/api/boards/{people.board.id}/invites/", {"role": "reviewer", "days": days}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["path"] == "days"


@pytest.mark.parametrize("version", ["٣", "1_0", " 1", True, 1.5, 10**30])
def test_a_review_request_names_its_version_with_a_whole_number(people, version):
    body = {"version": version, "reviewers": [people.reviewer.user.username]}
    response = api(people.owner).post(f"/api/boards/{people.board.id}/reviews/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["path"] == "version"
