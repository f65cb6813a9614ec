"""GET /api/boards/{id}/analysis/: the failure drill over REST, on the notification-system reference design."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from reviews.question_bank import BANK
from tests.factories import Member, UserFactory, add, member
from tests.reviews.api.helpers import Cast, api, cast, submit
from tests.reviews.factories import annotate
from whiteboard.models import Participant
from whiteboard.services.boards import board_create

pytestmark = pytest.mark.django_db

ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")
SECRET = "Ask about Kafka retention"


@pytest.fixture
def people() -> Cast:
    """The notification system's reference design as a board, with a member per role."""
    question = BANK["notification_system"]
    user = UserFactory()
    elements = question["reference"]["elements"]
    board = board_create(owner=user, title=question["title"], prompt=question["prompt"], elements=elements)
    owner = Member(Participant.objects.get(board=board, user=user), user, Token.objects.create(user=user).key)
    return Cast(
        board=board,
        owner=owner,
        interviewer=member(board, "interviewer"),
        candidate=member(board, "candidate"),
        reviewer=member(board, "reviewer"),
        observer=member(board, "observer"),
    )


def url(board, fail: str | None = None) -> str:
    return f"/api/boards/{board.id}/analysis/" + ("" if fail is None else f"?fail={fail}")


def analysis(who, board, fail: str | None = None) -> dict:
    response = api(who).get(url(board, fail))
    assert response.status_code == 200, response.content
    return response.json()


def test_failing_a_consumer_of_the_send_queue_does_not_take_the_api_down(people):
    body = analysis(people.candidate, people.board, "email")
    assert set(body) == {"seq", "entry_points", "data_stores", "spofs", "lints", "probes", "drill"}
    result = body["drill"]
    assert set(result) == {
        "failed",
        "failed_components",
        "lost",
        "degraded",
        "unreachable",
        "entry_points_cut",
        "stores_cut",
        "single_point_of_failure",
        "summary",
    }
    assert result["failed"] == "email"
    assert result["lost"] == []  # the queue buffers: neither it nor the API nor the callers go down
    assert result["degraded"] == ["api", "client", "queue"]
    assert result["entry_points_cut"] == [] and result["single_point_of_failure"] is False
    assert result["summary"] == (
        "If Email worker goes down, no other component stops working, and every entry point keeps its paths to "
        "its data. Still up but degraded: Send queue buffers work for Email worker until it recovers. "
        "Upstream of those, also degraded: Notification API and Product services."
    )


def test_the_queue_itself_going_down_leaves_the_api_up_but_cuts_off_the_delivery_log(people):
    result = analysis(people.observer, people.board, "queue")["drill"]
    assert result["lost"] == [] and result["degraded"] == ["api", "client"]  # the enqueue is async
    assert result["entry_points_cut"] == ["client"] and result["stores_cut"] == ["log"]
    assert result["unreachable"] == ["email", "log", "providers", "push", "sms"]
    assert result["single_point_of_failure"] is True
    assert result["summary"].startswith(
        "If Send queue goes down, Product services can no longer reach Delivery log: every path from Product "
        "services to Delivery log runs through a lost component, e.g. Product services → Notification API → "
        "Send queue → Push worker → Delivery log breaks at Send queue."
    )


def test_the_preferences_database_is_the_worst_single_point_of_failure(people):
    body = analysis(people.reviewer, people.board, "prefs")
    people.board.refresh_from_db()
    assert body["seq"] == people.board.seq
    assert body["entry_points"] == ["client"] and body["data_stores"] == ["log", "prefs"]
    assert body["spofs"] == [
        {"id": "prefs", "entry_points_cut": 1, "stores_cut": 2, "components_lost": 2},
        {"id": "providers", "entry_points_cut": 1, "stores_cut": 1, "components_lost": 3},
        {"id": "log", "entry_points_cut": 1, "stores_cut": 1, "components_lost": 1},
        {"id": "push", "entry_points_cut": 1, "stores_cut": 1, "components_lost": 0},
        {"id": "queue", "entry_points_cut": 1, "stores_cut": 1, "components_lost": 0},
    ]  # the API runs 3 replicas: never a SPOF
    result = body["drill"]
    assert result["lost"] == ["api", "client"] and result["stores_cut"] == ["log", "prefs"]
    assert result["summary"] == (
        "If Preferences DB goes down, Product services can no longer reach Delivery log and Preferences DB: the "
        "calls Product services → Notification API → Preferences DB are all synchronous. It also takes down, by "
        "synchronous dependency: Notification API and Product services. No longer reached from any entry point: "
        "Delivery log, Email / SMS / push providers, Email worker, Push worker, Send queue and SMS worker. "
        "There is one instance of Preferences DB, so it is a single point of failure."
    )
    assert [(lint["code"], lint["elements"]) for lint in body["lints"]] == [
        ("unlabelled_arrow", ["queue-email"]),
        ("unlabelled_arrow", ["queue-push"]),
        ("unlabelled_arrow", ["queue-sms"]),
    ]
    assert body["probes"][0] == {
        "target": "prefs",
        "kind": "failure_mode",
        "text": "There is one instance of Preferences DB; if it goes down, Product services can no longer reach "
        "Delivery log and Preferences DB. How would you keep them working when it does?",
    }


@pytest.mark.parametrize("role", ROLES)
def test_everyone_on_the_board_may_read_it_and_gets_the_same_answer(people, role):
    submit(people.board, people.interviewer, annotate("a-1", "prefs"))  # asked: no longer probed
    submit(people.board, people.interviewer, annotate("p-1", "queue", layer="private", text=SECRET))
    response = api(people.by_role(role)).get(url(people.board, "api"))
    assert response.status_code == 200
    assert response.json() == analysis(people.owner, people.board, "api")
    targets = [(p["target"], p["kind"]) for p in response.json()["probes"]]
    assert ("prefs", "failure_mode") not in targets
    assert ("queue", "failure_mode") in targets  # a private note is not a challenge, and is never read here
    assert SECRET not in response.content.decode() and "p-1" not in response.content.decode()


def test_a_stranger_or_a_removed_participant_gets_not_found(people):
    stranger = member(cast().board, "owner")  # on another board only
    removed = member(people.board, "candidate")
    Participant.objects.filter(pk=removed.participant.pk).update(revoked_at=people.board.created_at)
    for who in (stranger, removed):
        response = api(who).get(url(people.board))
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_ids_of_another_board_are_unknown_here(people):
    other = cast()  # components api and db, arrow api-db, note sticky
    response = api(people.owner).get(url(people.board, "db"))
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_ref",
        "message": "No element with id 'db' on this board.",
        "path": "fail",
        "retryable": False,
    }
    # The caller's own board is the one analysed, whatever ids the other one shares.
    assert analysis(other.owner, other.board, "db")["drill"]["lost"] == ["api"]
    assert api(people.owner).get(url(other.board, "db")).status_code == 404


@pytest.mark.parametrize(
    ("fail", "code", "message"),
    [
        ("client-api", "validation_error", "Only a component or a frame can fail; 'client-api' is an arrow."),
        ("sticky", "validation_error", "Only a component or a frame can fail; 'sticky' is a note."),
        ("nope", "unknown_ref", "No element with id 'nope' on this board."),
        ("", "validation_error", "This field may not be blank."),
        ("a%20b", "validation_error", "An id is 1 to 64 characters of letters, digits, '-' or '_'."),
        ("x" * 65, "validation_error", "Ensure this field has no more than 64 characters."),
    ],
)
def test_a_bad_fail_is_refused(people, fail, code, message):
    submit(people.board, people.owner, add("sticky", "note", text="todo"))
    response = api(people.candidate).get(url(people.board, fail))
    assert response.status_code == 400
    assert response.json() == {"code": code, "message": message, "path": "fail", "retryable": False}


def test_the_analysis_follows_the_board(people):
    before = analysis(people.owner, people.board)
    assert "drill" not in before
    submit(people.board, people.candidate, {"op": "update", "id": "prefs", "props": {"replicas": 2}})
    after = analysis(people.owner, people.board)
    assert after["seq"] == before["seq"] + 1
    assert [s["id"] for s in after["spofs"]] == ["providers", "log", "push", "queue"]
    assert analysis(people.owner, people.board, "prefs")["drill"]["single_point_of_failure"] is False


def test_failing_a_frame_fails_every_component_in_it_at_once(people):
    """The API and both databases in one availability zone: the client and the push worker go down with it."""
    zone = {"id": "zone", "kind": "frame", "label": "eu-west-1a", "x": 0, "y": 0, "w": 400, "h": 300}
    inside = ["api", "log", "prefs"]
    submit(
        people.board,
        people.candidate,
        {"op": "add", "element": zone},
        *({"op": "update", "id": i, "props": {"frame": "zone"}} for i in inside),
    )
    result = analysis(people.observer, people.board, "zone")["drill"]
    assert result["failed"] == "zone" and result["failed_components"] == sorted(inside)
    alone = [analysis(people.observer, people.board, i)["drill"] for i in inside]
    assert set(result["lost"]) == {x for r in alone for x in r["lost"]} - set(inside) == {"client", "push"}
    assert set(result["stores_cut"]) >= {s for r in alone for s in r["stores_cut"]}
    assert result["summary"].startswith("If eu-west-1a goes down, taking ")
    assert analysis(people.owner, people.board, "zone") == analysis(people.candidate, people.board, "zone")


def test_failing_an_empty_frame_is_a_drill_of_nothing(people):
    submit(people.board, people.owner, {"op": "add", "element": {"id": "empty", "kind": "frame", "x": 0, "y": 0}})
    result = analysis(people.candidate, people.board, "empty")["drill"]
    assert (result["failed"], result["failed_components"], result["lost"], result["degraded"]) == ("empty", [], [], [])
    assert "holds no component" in result["summary"]
