"""Annotation threads over REST: each endpoint, the filters, the derived flags, and refused input."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from reviews.models import Annotation
from tests.factories import add, arrow, board_with_owner, member
from tests.reviews.api.helpers import api, cast, challenge, ids, stored, submit, url
from tests.reviews.factories import annotate, reply, set_status
from whiteboard.models import Batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


# Happy paths


def test_raising_a_challenge_returns_the_stored_thread_and_logs_one_batch(people):
    board = people.board
    response = api(people.interviewer).post(url(board), challenge(id="a-1"), format="json")
    assert response.status_code == 201
    body = response.json()
    snapshot = {"kind": "component", "type": "service", "label": "API", "tech": "", "replicas": 1, "notes": ""}
    assert body | {"created_at": None, "updated_at": None} == {
        "id": "a-1",
        "layer": "challenges",
        "target": "api",
        "kind": "failure_mode",
        "text": "What if API dies?",
        "author": people.interviewer.id,
        "prompted": True,
        "status": "open",
        "snapshot": snapshot,
        "raised_seq": 2,
        "answered_seq": None,
        "version": None,
        "created_at": None,
        "updated_at": None,
        "replies": [],
        "orphaned": False,
        "outdated": False,
    }
    batch = Batch.objects.get(board=board, seq=2)
    assert batch.stream == "public" and batch.participant_id == people.interviewer.participant.id
    assert [op["op"] for op in batch.ops] == ["annotate"]


def test_an_annotation_without_an_id_gets_one_from_the_server_in_its_layers_namespace(people):
    public = api(people.interviewer).post(url(people.board), challenge(), format="json").json()
    private = api(people.interviewer).post(url(people.board), challenge(layer="private"), format="json").json()
    assert public["id"].startswith("a-") and private["id"].startswith("p-")
    people.board.refresh_from_db()
    assert (people.board.seq, people.board.private_seq) == (2, 1)


def test_a_candidates_note_is_unprompted_and_a_board_level_one_has_no_snapshot(people):
    body = (
        api(people.candidate)
        .post(
            url(people.board),
            {"layer": "notes", "target": None, "kind": "trade_off", "text": "SQL over NoSQL"},
            format="json",
        )
        .json()
    )
    assert (body["prompted"], body["target"], body["snapshot"], body["author"]) == (
        False,
        None,
        None,
        people.candidate.id,
    )


def test_a_challenge_on_an_arrow_snapshots_the_arrow(people):
    body = api(people.owner).post(url(people.board), challenge(target="api-db"), format="json").json()
    assert body["snapshot"] == {"kind": "arrow", "source": "api", "target": "db", "label": "", "style": "sync"}


def test_retrieve_returns_one_thread_with_its_replies(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1", "It retries."))
    body = api(people.observer).get(url(people.board, "a-1")).json()
    assert body["id"] == "a-1" and body["status"] == "answered" and body["answered_seq"] == 3
    assert [(r["id"], r["text"], r["author"], r["seq"], r["edited_at"]) for r in body["replies"]] == [
        ("r-1", "It retries.", people.candidate.id, 3, None)
    ]


def test_editing_the_text_of_your_annotation(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    response = api(people.interviewer).patch(url(people.board, "a-1"), {"text": "And the DB?"}, format="json")
    assert response.status_code == 200 and response.json()["text"] == "And the DB?"
    assert Annotation.objects.get(annotation_id="a-1").text == "And the DB?"
    assert Batch.objects.get(board=people.board, seq=3).ops == [
        {"op": "edit_text", "annotation": "a-1", "text": "And the DB?"}
    ]


def test_resolving_then_reopening(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    resolved = api(people.owner).patch(url(people.board, "a-1"), {"status": "resolved"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    reopened = api(people.interviewer).patch(url(people.board, "a-1"), {"status": "reopened"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"


def test_deleting_removes_the_thread_with_its_replies(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1"))
    response = api(people.interviewer).delete(url(people.board, "a-1"))
    assert response.status_code == 204 and not response.content
    assert api(people.interviewer).get(url(people.board, "a-1")).status_code == 404
    assert ids(api(people.interviewer).get(url(people.board))) == []
    assert Batch.objects.get(board=people.board, seq=4).ops == [{"op": "delete_annotation", "annotation": "a-1"}]


def test_a_candidates_reply_answers_the_challenge_and_returns_the_whole_thread(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    response = api(people.candidate).post(
        url(people.board, "a-1", replies=True), {"id": "r-1", "text": "Requests queue."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["id"], body["status"], body["answered_seq"]) == ("a-1", "answered", 3)
    assert [(r["id"], r["text"], r["author"]) for r in body["replies"]] == [
        ("r-1", "Requests queue.", people.candidate.id)
    ]


def test_a_reply_without_an_id_gets_one(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    body = api(people.interviewer).post(url(people.board, "a-1", replies=True), {"text": "Hint?"}, format="json").json()
    assert body["replies"][0]["id"].startswith("r-") and body["status"] == "open"


def test_editing_your_reply_marks_it_edited(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1", "Queue."))
    response = api(people.candidate).patch(url(people.board, "a-1", reply_id="r-1"), {"text": "SQS."}, format="json")
    assert response.status_code == 200
    (edited,) = response.json()["replies"]
    assert edited["text"] == "SQS." and edited["edited_at"] is not None


def test_editing_your_reply_to_the_same_text_still_marks_it_edited(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1", "Queue."))
    response = api(people.candidate).patch(url(people.board, "a-1", reply_id="r-1"), {"text": "Queue."}, format="json")
    assert response.status_code == 200
    assert Batch.objects.filter(board=people.board).last().ops[0]["op"] == "edit_text"  # logged and broadcast
    assert response.json()["replies"][0]["edited_at"] is not None


# Listing and filters


@pytest.fixture
def threads(people):
    """a-1 open challenge on api, a-2 resolved board-level scaling challenge, n-1 note on the arrow, p-1 private."""
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.owner, annotate("a-2", None, kind="scaling"))
    submit(people.board, people.owner, set_status("a-2", "resolved"))
    submit(people.board, people.candidate, annotate("n-1", "api-db", layer="notes", kind="trade_off"))
    submit(people.board, people.interviewer, annotate("p-1", layer="private", kind="comment", text="Weak on queues"))
    return people


def test_the_list_is_oldest_first_with_the_derived_flags(threads):
    body = api(threads.owner).get(url(threads.board)).json()
    assert [t["id"] for t in body] == ["a-1", "a-2", "n-1", "p-1"]
    assert all(t["orphaned"] is False and t["outdated"] is False for t in body)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("layer=challenges", ["a-1", "a-2"]),
        ("layer=notes", ["n-1"]),
        ("layer=private", ["p-1"]),
        ("kind=scaling", ["a-2"]),
        ("kind=security", []),
        ("status=resolved", ["a-2"]),
        ("status=open", ["a-1", "n-1", "p-1"]),
        ("target=api", ["a-1", "p-1"]),
        ("target=api-db", ["n-1"]),
        ("target=", ["a-2"]),
        ("target=ghost", []),
        ("layer=challenges&status=open", ["a-1"]),
        ("layer=private&target=api&kind=comment", ["p-1"]),
    ],
)
def test_filters_return_exactly_the_matching_threads(threads, query, expected):
    assert ids(api(threads.owner).get(f"{url(threads.board)}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("layer=secret", "layer"),
        ("layer=", "layer"),
        ("kind=rant", "kind"),
        ("status=closed", "status"),
        ("status=answered&kind=FAILURE_MODE", "kind"),
        ("target=" + "x" * 65, "target"),
        ("author=me", "author"),
    ],
)
def test_unknown_filter_values_are_a_validation_error_naming_the_parameter(threads, query, path):
    response = api(threads.owner).get(f"{url(threads.board)}?{query}")
    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": response.json()["message"],
        "path": path,
        "retryable": False,
    }


# Orphaned and outdated, as the canvas changes through ordinary batches


def test_moving_the_target_keeps_the_thread_current_but_relabelling_outdates_it(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, {"op": "update", "id": "api", "props": {"x": 300, "w": 200}})
    (thread,) = api(people.interviewer).get(url(people.board)).json()
    assert (thread["orphaned"], thread["outdated"]) == (False, False)
    submit(people.board, people.candidate, {"op": "update", "id": "api", "props": {"label": "Gateway"}})
    (thread,) = api(people.interviewer).get(url(people.board)).json()
    assert (thread["orphaned"], thread["outdated"]) == (False, True)
    submit(people.board, people.candidate, {"op": "update", "id": "api", "props": {"label": "API"}})
    assert api(people.interviewer).get(url(people.board, "a-1")).json()["outdated"] is False


def test_deleting_the_target_orphans_the_thread_until_it_comes_back(people):
    submit(people.board, people.interviewer, annotate("a-1"), annotate("a-2", "api-db"), annotate("a-3", None))
    submit(people.board, people.candidate, {"op": "delete", "id": "db"})  # takes the arrow with it
    flags = {t["id"]: (t["orphaned"], t["outdated"]) for t in api(people.interviewer).get(url(people.board)).json()}
    assert flags == {"a-1": (False, False), "a-2": (True, False), "a-3": (False, False)}
    submit(people.board, people.candidate, add("db", type="database", label="DB"), arrow("api-db", "api", "db"))
    thread = api(people.interviewer).get(url(people.board, "a-2")).json()
    assert (thread["orphaned"], thread["outdated"]) == (False, False)
    submit(people.board, people.candidate, {"op": "delete", "id": "api"})
    flags = {t["id"]: t["orphaned"] for t in api(people.interviewer).get(url(people.board)).json()}
    assert flags == {"a-1": True, "a-2": True, "a-3": False}


def test_a_target_replaced_by_a_sticky_note_with_its_id_is_flagged_not_a_500(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, {"op": "delete", "id": "api"})
    submit(people.board, people.candidate, add("api", "note", text="was a service"))  # a deleted id may be reused
    response = api(people.interviewer).get(url(people.board))
    assert response.status_code == 200
    (thread,) = response.json()
    assert thread["orphaned"] and not thread["outdated"]


# Refused input: a validation error naming the field, nothing stored, never a 500

DECOMPOSED_E = "e\u0301"  # two code points that NFC makes one


@pytest.mark.parametrize(
    ("body", "status", "code", "path"),
    [
        (challenge(text=""), 400, "validation_error", "text"),
        (challenge(text="   "), 400, "validation_error", "text"),
        (challenge(text="x" * 4001), 400, "validation_error", "text"),
        (challenge(text="a\x00b"), 400, "validation_error", "text"),
        (challenge(text="a\u202eb"), 400, "validation_error", "text"),
        (challenge(text="a\u2066b"), 400, "validation_error", "text"),
        (challenge(text=12), 400, "validation_error", "text"),
        (challenge(text=None), 400, "validation_error", "text"),
        (challenge(kind="rant"), 400, "validation_error", "kind"),
        (challenge(layer="public"), 400, "validation_error", "layer"),
        (challenge(target="sticky"), 400, "validation_error", "target"),
        (challenge(target="ghost"), 400, "unknown_ref", "target"),
        (challenge(target=""), 400, "validation_error", "target"),
        (challenge(target=["api"]), 400, "validation_error", "target"),
        (challenge(id="has space"), 400, "validation_error", "id"),
        (challenge(id="x" * 65), 400, "validation_error", "id"),
        (challenge(id=7), 400, "validation_error", "id"),
        (challenge(id="p-mine"), 400, "validation_error", "id"),
        (challenge(id="a-mine", layer="private"), 400, "validation_error", "id"),
        (challenge(status="resolved"), 400, "validation_error", "status"),
        (challenge(author="00000000-0000-0000-0000-000000000000"), 400, "validation_error", "author"),
        ({"layer": "challenges", "target": "api", "kind": "scaling"}, 400, "validation_error", "text"),
        ({"layer": "challenges", "kind": "scaling", "text": "How?"}, 400, "validation_error", "target"),
    ],
)
def test_bad_annotation_input_is_refused_with_the_field_and_stores_nothing(people, body, status, code, path):
    before = stored(people.board)
    response = api(people.owner).post(url(people.board), body, format="json")
    assert response.status_code == status
    assert response.json() == {"code": code, "message": response.json()["message"], "path": path, "retryable": False}
    assert response.json()["message"]
    assert stored(people.board) == before


def test_an_unpaired_surrogate_is_refused(people):
    body = '{"layer": "challenges", "target": "api", "kind": "scaling", "text": "a\\ud800b"}'
    response = api(people.owner).post(url(people.board), body, content_type="application/json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["path"]) == ("validation_error", "text")
    assert not Annotation.objects.exists()


def test_text_is_limited_after_nfc_as_on_the_socket(people):
    response = api(people.owner).post(url(people.board), challenge(text=DECOMPOSED_E * 4000), format="json")
    assert response.status_code == 201
    assert response.json()["text"] == unicodedata.normalize("NFC", DECOMPOSED_E * 4000)
    assert len(response.json()["text"]) == 4000


def test_an_annotation_id_in_use_is_a_conflict(people):
    assert api(people.owner).post(url(people.board), challenge(id="a-1"), format="json").status_code == 201
    before = stored(people.board)
    response = api(people.interviewer).post(url(people.board), challenge(id="a-1", kind="scaling"), format="json")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["path"]) == ("duplicate_id", "id")
    assert stored(people.board) == before


def test_a_reply_id_in_use_in_the_thread_is_a_conflict(people):
    submit(people.board, people.interviewer, annotate("a-1"), annotate("a-2"))
    submit(people.board, people.candidate, reply("a-1", "r-1"))
    response = api(people.candidate).post(
        url(people.board, "a-1", replies=True), {"id": "r-1", "text": "Again"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "duplicate_id" and response.json()["path"] == "id"
    other_thread = api(people.candidate).post(
        url(people.board, "a-2", replies=True), {"id": "r-1", "text": "Ok"}, format="json"
    )
    assert other_thread.status_code == 201


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, None),
        ({"text": "New", "status": "resolved"}, None),
        ({"status": "open"}, "status"),
        ({"status": "answered"}, "status"),
        ({"text": ""}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"label": "x"}, "label"),
        ({"status": "reopened"}, "status"),  # reopening one that is not resolved
    ],
)
def test_bad_patches_are_validation_errors(people, body, path):
    submit(people.board, people.interviewer, annotate("a-1"))
    before = stored(people.board)
    response = api(people.interviewer).patch(url(people.board, "a-1"), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert response.json().get("path") == path and response.json()["message"]
    assert stored(people.board) == before


def test_resolving_a_resolved_annotation_is_a_validation_error(people):
    submit(people.board, people.interviewer, annotate("a-1"), set_status("a-1", "resolved"))
    response = api(people.owner).patch(url(people.board, "a-1"), {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["path"]) == ("validation_error", "status")


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "ok", "id": "r-2"}, {"text": "a\x00"}])
def test_bad_reply_edits_are_validation_errors(people, body):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1"))
    before = stored(people.board)
    response = api(people.candidate).patch(url(people.board, "a-1", reply_id="r-1"), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert stored(people.board) == before


@pytest.mark.parametrize("reply_id", ["r-9", "x" * 65, "r-1"])
def test_editing_a_reply_that_is_not_in_the_thread_is_not_found(people, reply_id):
    submit(people.board, people.interviewer, annotate("a-1"), annotate("a-2"))
    submit(people.board, people.interviewer, reply("a-2", "r-1"))  # r-1 lives in another thread
    before = stored(people.board)
    response = api(people.interviewer).patch(url(people.board, "a-1", reply_id=reply_id), {"text": "x"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"], "retryable": False}
    assert stored(people.board) == before


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "bad_json"),
        (
            '{"layer": "challenges", "target": "api", "kind": "scaling", "text": NaN}',
            "application/json",
            400,
            "bad_json",
        ),
        ('[{"layer": "challenges"}]', "application/json", 400, "validation_error"),
        ('"just text"', "application/json", 400, "validation_error"),
        ("layer=challenges&target=api&kind=scaling&text=hi", "application/x-www-form-urlencoded", 415, "bad_request"),
        ("<annotation/>", "text/xml", 415, "bad_request"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_cleanly(people, content, content_type, status, code):
    submit(people.board, people.interviewer, annotate("a-1"))
    submit(people.board, people.candidate, reply("a-1", "r-1"))
    before = stored(people.board)
    calls = [
        (api(people.owner).post, url(people.board)),
        (api(people.interviewer).patch, url(people.board, "a-1")),
        (api(people.owner).post, url(people.board, "a-1", replies=True)),
        (api(people.candidate).patch, url(people.board, "a-1", reply_id="r-1")),
    ]
    for method, path in calls:
        response = method(path, content, content_type=content_type)
        assert response.status_code == status and response.json()["code"] == code, path
    assert stored(people.board) == before


def test_anonymous_callers_are_told_to_sign_in(people):
    response = APIClient().get(url(people.board))
    assert response.status_code in (401, 403) and response.json()["code"] == "not_authenticated"
    response = APIClient().post(url(people.board), challenge(), format="json")
    assert response.status_code in (401, 403) and response.json()["code"] == "not_authenticated"


def test_other_methods_are_refused_in_the_error_shape(people):
    submit(people.board, people.interviewer, annotate("a-1"))
    response = api(people.owner).put(url(people.board, "a-1"), challenge(), format="json")
    assert response.status_code == 405 and response.json()["code"] == "bad_request"


# Another board's annotations (IDOR)


def test_a_member_of_one_board_cannot_reach_anothers_annotations():
    board_a, owner_a = board_with_owner()
    board_b, owner_b = board_with_owner()
    submit(board_a, owner_a, add("api"))
    submit(board_b, owner_b, add("api"), annotate("a-b"))
    submit(board_b, owner_b, annotate("p-b", layer="private", kind="comment"))
    submit(board_b, owner_b, reply("a-b", "r-b"))
    intruder = member(board_a, "interviewer")
    before = stored(board_b)
    calls = [
        ("get", url(board_b), None),
        ("post", url(board_b), challenge()),
        ("get", url(board_b, "a-b"), None),
        ("patch", url(board_b, "a-b"), {"text": "mine now"}),
        ("delete", url(board_b, "a-b"), None),
        ("post", url(board_b, "a-b", replies=True), {"text": "hi"}),
        ("patch", url(board_b, "a-b", reply_id="r-b"), {"text": "hi"}),
    ]
    for method, path, body in calls:
        for caller in (intruder, owner_a):
            response = getattr(api(caller), method)(path, body, format="json")
            assert response.status_code == 404 and response.json()["code"] == "not_found", (method, path)
    # B's ids under A's URL: A has no such annotation.
    for aid in ("a-b", "p-b"):
        for method, path, body in [
            ("get", url(board_a, aid), None),
            ("patch", url(board_a, aid), {"status": "resolved"}),
            ("delete", url(board_a, aid), None),
            ("post", url(board_a, aid, replies=True), {"text": "hi"}),
            ("patch", url(board_a, aid, reply_id="r-b"), {"text": "hi"}),
        ]:
            response = getattr(api(owner_a), method)(path, body, format="json")
            assert response.status_code == 404 and response.json()["code"] == "not_found", (method, path)
    assert stored(board_b) == before
    assert ids(api(owner_a).get(url(board_a))) == []


def test_the_same_annotation_id_on_two_boards_is_two_threads():
    board_a, owner_a = board_with_owner()
    board_b, owner_b = board_with_owner()
    submit(board_b, owner_b, add("api"), annotate("a-1"))
    submit(board_a, owner_a, add("api"))
    response = api(owner_a).post(url(board_a), challenge(id="a-1", text="Mine"), format="json")
    assert response.status_code == 201
    assert api(owner_b).get(url(board_b, "a-1")).json()["text"] == "What happens when api goes down?"


# The OpenAPI schema


def test_the_schema_documents_the_annotation_endpoints():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    base = "/api/boards/{board_id}/annotations/"
    assert set(paths[base]) >= {"get", "post"}
    assert set(paths[base + "{annotation_id}/"]) >= {"get", "patch", "delete"}
    assert "post" in paths[base + "{annotation_id}/replies/"]
    assert "patch" in paths[base + "{annotation_id}/replies/{reply_id}/"]
    assert {p["name"] for p in paths[base]["get"]["parameters"]} >= {"layer", "kind", "status", "target"}
    created = schema["components"]["schemas"]["AnnotationCreateInput"]
    assert set(created["required"]) == {"layer", "target", "kind", "text"}
    assert {"orphaned", "outdated", "replies"} <= set(schema["components"]["schemas"]["AnnotationOutput"]["properties"])


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_a_key_given_twice_is_bad_json_and_stores_nothing(people):
    body = '{"layer": "challenges", "target": "api", "kind": "scaling", "text": "a", "text": "b"}'
    response = api(people.owner).post(url(people.board), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"
    assert not Annotation.objects.exists()


def test_an_annotation_nested_fifty_thousand_deep_is_a_validation_error(people):
    body = '{"layer": "challenges", "target": "api", "kind": "scaling", "text": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = api(people.owner).post(url(people.board), body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert not Annotation.objects.exists()
