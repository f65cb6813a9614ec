"""The pure annotation rules (`reviews.annotations`): shapes and limits, who may do what, derived state, replay.

No database and no socket: these pin down what the server decides, so the
socket tests only need to show that the decision reaches the wire and the rows.
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import annotations as A
from tests.reviews.factories import annotate, delete_annotation, edit_text, reply, set_status
from whiteboard.errors import SyncError

PIDS = {
    "owner": "00000000-0000-0000-0000-00000000000a",
    "interviewer": "00000000-0000-0000-0000-00000000000b",
    "candidate": "00000000-0000-0000-0000-00000000000c",
    "reviewer": "00000000-0000-0000-0000-00000000000d",
    "observer": "00000000-0000-0000-0000-00000000000e",
    "colleague": "00000000-0000-0000-0000-00000000000f",  # a second reviewer
}
ROLE_OF = {name: ("reviewer" if name == "colleague" else name) for name in PIDS}
API = {"id": "api", "kind": "component", "type": "service", "label": "API", "x": 0, "y": 0, "w": 160, "h": 72}
API |= {"tech": "", "replicas": 1, "notes": ""}
DB = {**API, "id": "db", "type": "database", "label": "DB"}
LINK = {"id": "api-db", "kind": "arrow", "source": "api", "target": "db", "label": "", "style": "sync"}
STICKY = {"id": "sticky", "kind": "note", "text": "todo", "x": 0, "y": 0, "w": 200, "h": 120}
ELEMENTS = {element["id"]: element for element in (API, DB, LINK, STICKY)}


def actor(name: str, mode: str = "interview") -> A.Actor:
    return A.Actor(participant=PIDS[name], role=ROLE_OF[name], mode=mode)


def parse(raw: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return A.parse_op(raw, f"ops[{index}]")


def refusal(call: Any, *args: Any) -> SyncError:
    with pytest.raises(SyncError) as caught:
        call(*args)
    return caught.value


class Board:
    """The annotation state of one board, advanced by the pure rules, with the stored log beside it."""

    def __init__(self, mode: str = "interview", elements: dict[str, Any] | None = None) -> None:
        self.mode = mode
        self.elements = dict(ELEMENTS if elements is None else elements)
        self.threads: dict[str, A.Annotation] = {}
        self.log: list[dict[str, Any]] = []
        self.seq = 0  # the public head
        self.private_seq = 0

    def do(self, who: str, *raw_ops: dict[str, Any]) -> A.Applied:
        parsed = [(i, parse(op, i)) for i, op in enumerate(raw_ops)]
        ids = A.referenced_ids(op for _, op in parsed)
        known = {i: copy.deepcopy(self.threads[i]) for i in ids if i in self.threads}
        private = any(A.is_private(i) for i in ids)
        applied = A.apply_ops(known, actor(who, self.mode), parsed, self.elements.get, self.seq + (not private))
        if applied.private:
            self.private_seq += 1
        else:
            self.seq += 1
        self.log.append({"participant": PIDS[who], "ops": applied.ops})
        for annotation_id in applied.deleted:
            del self.threads[annotation_id]
        self.threads.update(copy.deepcopy(applied.changed))
        return applied

    def refuse(self, who: str, *raw_ops: dict[str, Any]) -> SyncError:
        before = copy.deepcopy(self.threads)
        error = refusal(self.do, who, *raw_ops)
        assert self.threads == before, "a refused batch changed the state"
        return error


# Shapes and limits, one op on its own.


def test_annotate_is_normalised_to_nfc_and_keeps_only_what_the_client_may_say():
    op = parse(annotate("a-1", "api", text="Cafe\u0301 down?"))
    assert op == {
        "op": "annotate",
        "annotation": {
            "id": "a-1",
            "layer": "challenges",
            "target": "api",
            "kind": "failure_mode",
            "text": "Café down?",
        },
    }


def test_a_board_level_annotation_has_no_target():
    with_null = parse(annotate("a-1", None))
    without = parse({"op": "annotate", "annotation": {"id": "a-1", "layer": "notes", "kind": "comment", "text": "x"}})
    assert with_null["annotation"]["target"] is None
    assert without["annotation"]["target"] is None


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("a" * 4000, "a" * 4000),
        ("e\u0301" * 4000, "é" * 4000),  # 8,000 code points sent, 4,000 after NFC: the limit is after NFC
        ("x", "x"),
    ],
)
def test_text_up_to_4000_characters_after_nfc_is_accepted(text, stored):
    assert parse(annotate("a-1", text=text))["annotation"]["text"] == stored
    assert parse(reply("a-1", "r-1", text=text))["reply"]["text"] == stored
    assert parse(edit_text("a-1", text))["text"] == stored


BAD_TEXTS = [
    pytest.param("a" * 4001, id="4001 chars"),
    pytest.param("e\u0301" * 4000 + "a", id="4001 after NFC"),
    pytest.param("", id="empty"),
    pytest.param(" \n\t ", id="blank"),
    pytest.param("before\x00after", id="NUL"),
    pytest.param("admin\u202eevil", id="bidi override"),
    pytest.param("x\u2066y\u2069", id="bidi isolate"),
    pytest.param("half \ud800 a pair", id="unpaired surrogate"),
    pytest.param(42, id="not text"),
    pytest.param(None, id="null"),
]


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(
    ("build", "path"),
    [
        (
            lambda text: {"op": "annotate", "annotation": {**annotate("a-1")["annotation"], "text": text}},
            "annotation.text",
        ),
        (lambda text: {**reply("a-1", "r-1"), "reply": {"id": "r-1", "text": text}}, "reply.text"),
        (lambda text: {**edit_text("a-1", "x"), "text": text}, "text"),
        (lambda text: {**edit_text("a-1", "x", reply_id="r-1"), "text": text}, "text"),
    ],
    ids=["annotate", "reply", "edit_text", "edit_text of a reply"],
)
def test_bad_text_is_a_validation_error_at_its_field(build, path, text):
    error = refusal(parse, build(text), 3)
    assert (error.code, error.path) == ("validation_error", f"ops[3].{path}")
    assert error.message


# What the server stamps, a client may not send: it would forge a prompt, a snapshot, an author or a status.
STAMPED_ANNOTATION_KEYS = ["prompted", "snapshot", "raised_seq", "author", "status", "answered_seq", "replies"]


@pytest.mark.parametrize("key", [*STAMPED_ANNOTATION_KEYS, "created_at", "updated_at", "color"])
def test_annotate_refuses_server_stamped_and_unknown_keys(key):
    raw = annotate("a-1")
    raw["annotation"][key] = None if key == "snapshot" else True
    error = refusal(parse, raw)
    assert (error.code, error.path) == ("validation_error", f"ops[0].annotation.{key}")


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({**annotate("a-1"), "author": "someone"}, "ops[0].author"),
        ({**reply("a-1", "r-1"), "status": "answered"}, "ops[0].status"),
        ({**reply("a-1", "r-1"), "reply": {"id": "r-1", "text": "x", "seq": 3}}, "ops[0].reply.seq"),
        ({**reply("a-1", "r-1"), "reply": {"id": "r-1", "text": "x", "author": "me"}}, "ops[0].reply.author"),
        ({**set_status("a-1", "resolved"), "by": "me"}, "ops[0].by"),
        ({**edit_text("a-1", "x"), "edited_at": "now"}, "ops[0].edited_at"),
        ({**delete_annotation("a-1"), "cascade": True}, "ops[0].cascade"),
    ],
)
def test_other_ops_refuse_unknown_and_server_stamped_keys(raw, path):
    error = refusal(parse, raw)
    assert (error.code, error.path) == ("validation_error", path)


@pytest.mark.parametrize(
    ("raw", "code", "path"),
    [
        ({"op": "annotate"}, "validation_error", "ops[0].annotation"),
        ({"op": "annotate", "annotation": "a-1"}, "bad_request", "ops[0].annotation"),
        (
            {"op": "annotate", "annotation": {"layer": "notes", "kind": "comment", "text": "x"}},
            "validation_error",
            "ops[0].annotation.id",
        ),
        (
            {"op": "annotate", "annotation": {"id": "a-1", "kind": "comment", "text": "x"}},
            "validation_error",
            "ops[0].annotation.layer",
        ),
        (
            {"op": "annotate", "annotation": {"id": "a-1", "layer": "notes", "text": "x"}},
            "validation_error",
            "ops[0].annotation.kind",
        ),
        (
            {"op": "annotate", "annotation": {"id": "a-1", "layer": "notes", "kind": "comment"}},
            "validation_error",
            "ops[0].annotation.text",
        ),
        (annotate("a-1", layer="secret"), "validation_error", "ops[0].annotation.layer"),
        (annotate("a-1", kind="nitpick"), "validation_error", "ops[0].annotation.kind"),
        (annotate("a-1", kind=True), "validation_error", "ops[0].annotation.kind"),
        (annotate("a 1"), "validation_error", "ops[0].annotation.id"),
        (annotate("a" * 65), "validation_error", "ops[0].annotation.id"),
        (annotate("a-1", ""), "validation_error", "ops[0].annotation.target"),
        (annotate("a-1", 7), "validation_error", "ops[0].annotation.target"),
        ({"op": "reply", "annotation": "a-1"}, "validation_error", "ops[0].reply"),
        ({"op": "reply", "reply": {"id": "r-1", "text": "x"}}, "validation_error", "ops[0].annotation"),
        ({"op": "reply", "annotation": "a-1", "reply": {"text": "x"}}, "validation_error", "ops[0].reply.id"),
        ({"op": "reply", "annotation": "a-1", "reply": {"id": "r-1"}}, "validation_error", "ops[0].reply.text"),
        ({"op": "reply", "annotation": "a-1", "reply": ["r-1", "x"]}, "bad_request", "ops[0].reply"),
        (reply("a-1", "r/1"), "validation_error", "ops[0].reply.id"),
        (set_status("a-1", "open"), "validation_error", "ops[0].status"),
        (set_status("a-1", "answered"), "validation_error", "ops[0].status"),
        (set_status("a-1", "closed"), "validation_error", "ops[0].status"),
        ({"op": "set_status", "annotation": "a-1"}, "validation_error", "ops[0].status"),
        ({"op": "edit_text", "annotation": "a-1"}, "validation_error", "ops[0].text"),
        ({**edit_text("a-1", "x"), "reply": None}, "validation_error", "ops[0].reply"),
        ({"op": "delete_annotation"}, "validation_error", "ops[0].annotation"),
        ({"op": "delete_annotation", "annotation": ["a-1"]}, "validation_error", "ops[0].annotation"),
    ],
)
def test_malformed_ops_are_refused_with_a_code_and_path(raw, code, path):
    error = refusal(parse, raw)
    assert (error.code, error.path) == (code, path)


@pytest.mark.parametrize(
    ("annotation_id", "layer"), [("a-1", "private"), ("note", "private"), ("p-1", "challenges"), ("p-1", "notes")]
)
def test_the_p_prefix_marks_the_private_layer_and_only_it(annotation_id, layer):
    error = refusal(parse, annotate(annotation_id, layer=layer))
    assert (error.code, error.path) == ("validation_error", "ops[0].annotation.id")


@pytest.mark.parametrize(
    ("annotation_id", "layer"),
    [("p-1", "private"), ("a-1", "challenges"), ("n-1", "notes"), ("P-1", "notes"), ("xp-1", "notes")],
)
def test_ids_that_follow_the_prefix_rule_parse(annotation_id, layer):
    assert parse(annotate(annotation_id, layer=layer))["annotation"]["layer"] == layer


def test_referenced_ids_name_every_thread_a_batch_touches():
    ops = [
        parse(op, i)
        for i, op in enumerate(
            [annotate("a-1"), reply("a-2", "r"), set_status("p-3", "resolved"), delete_annotation("a-1")]
        )
    ]
    assert A.referenced_ids(ops) == {"a-1", "a-2", "p-3"}


# Against the board: what each op does and who may do it.


def test_annotate_stamps_author_prompt_snapshot_and_raised_seq():
    board = Board()
    board.seq = 11
    applied = board.do(
        "interviewer", annotate("a-1", "api"), annotate("a-2", "api-db", layer="challenges", kind="trade_off")
    )
    assert applied.ops[0] == {
        "op": "annotate",
        "annotation": {
            "id": "a-1",
            "layer": "challenges",
            "target": "api",
            "kind": "failure_mode",
            "text": "What happens when api goes down?",
            "prompted": True,
            "snapshot": {
                "kind": "component",
                "type": "service",
                "label": "API",
                "tech": "",
                "replicas": 1,
                "notes": "",
            },
            "raised_seq": 12,
        },
    }
    assert applied.ops[1]["annotation"]["snapshot"] == {
        "kind": "arrow",
        "source": "api",
        "target": "db",
        "label": "",
        "style": "sync",
    }
    thread = board.threads["a-1"]
    assert (thread["author"], thread["status"], thread["answered_seq"], thread["replies"]) == (
        PIDS["interviewer"],
        "open",
        None,
        [],
    )
    assert not applied.private


@pytest.mark.parametrize(
    ("who", "layer", "prompted"),
    [("interviewer", "challenges", True), ("candidate", "notes", False), ("owner", "private", False)],
)
def test_only_a_challenge_is_prompted_and_a_board_level_one_has_no_snapshot(who, layer, prompted):
    board = Board()
    annotation_id = "p-1" if layer == "private" else "a-1"
    applied = board.do(who, annotate(annotation_id, None, layer=layer, kind="comment"))
    stored = applied.ops[0]["annotation"]
    assert (stored["prompted"], stored["snapshot"], stored["target"]) == (prompted, None, None)
    assert applied.private == (layer == "private")


WRITERS = {
    "challenges": {"owner", "interviewer", "reviewer"},
    "notes": {"owner", "candidate"},
    "private": {"owner", "interviewer"},
}


@pytest.mark.parametrize("mode", ["interview", "review"])
@pytest.mark.parametrize("layer", list(WRITERS))
@pytest.mark.parametrize("who", ["owner", "interviewer", "candidate", "reviewer", "observer"])
def test_who_may_write_in_each_layer(who, layer, mode):
    board = Board(mode)
    op = annotate("p-1" if layer == "private" else "a-1", layer=layer)
    if who in WRITERS[layer]:
        assert board.do(who, op).changed
    else:
        error = board.refuse(who, op)
        assert error.code == "forbidden"


def test_targets_must_be_existing_components_or_arrows():
    board = Board()
    missing = board.refuse("interviewer", annotate("a-1", "nowhere"))
    note = board.refuse("interviewer", annotate("a-1", "sticky"))
    assert (missing.code, missing.path) == ("unknown_ref", "ops[0].annotation.target")
    assert (note.code, note.path) == ("validation_error", "ops[0].annotation.target")


def test_a_forbidden_layer_names_the_layer_field():
    error = Board().refuse("candidate", annotate("a-1", layer="challenges"))
    assert (error.code, error.path) == ("forbidden", "ops[0].annotation.layer")


def test_an_annotation_id_in_use_is_a_duplicate_in_the_batch_and_across_batches():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    again = board.refuse("reviewer", annotate("a-1"))
    twice = board.refuse("reviewer", annotate("a-2"), annotate("a-2"))
    assert (again.code, again.path) == ("duplicate_id", "ops[0].annotation.id")
    assert (twice.code, twice.path) == ("duplicate_id", "ops[1].annotation.id")


def test_a_deleted_id_may_be_used_again_even_in_the_same_batch():
    board = Board()
    board.do("interviewer", annotate("a-1"), reply("a-1", "r-1"))
    board.do("interviewer", delete_annotation("a-1"), annotate("a-1", text="Second try"))
    assert board.threads["a-1"]["text"] == "Second try"
    assert board.threads["a-1"]["replies"] == []


def test_ops_see_the_ones_before_them_in_the_batch():
    board = Board()
    applied = board.do(
        "interviewer", annotate("a-1"), reply("a-1", "r-1"), edit_text("a-1", "Sharper?"), set_status("a-1", "resolved")
    )
    assert board.threads["a-1"]["status"] == "resolved" and board.threads["a-1"]["text"] == "Sharper?"
    assert [op["op"] for op in applied.ops] == ["annotate", "reply", "edit_text", "set_status"]
    gone = board.refuse("interviewer", delete_annotation("a-1"), reply("a-1", "r-2"))
    assert (gone.code, gone.path) == ("unknown_ref", "ops[1].annotation")


def test_unknown_annotations_and_replies_are_unknown_refs():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    for op, path in [
        (reply("ghost", "r-1"), "ops[0].annotation"),
        (set_status("ghost", "resolved"), "ops[0].annotation"),
        (edit_text("ghost", "x"), "ops[0].annotation"),
        (delete_annotation("ghost"), "ops[0].annotation"),
        (edit_text("a-1", "x", reply_id="ghost"), "ops[0].reply"),
    ]:
        error = board.refuse("interviewer", op)
        assert (error.code, error.path) == ("unknown_ref", path), op


def test_a_reply_id_is_unique_within_its_thread_only():
    board = Board()
    board.do("interviewer", annotate("a-1"), annotate("a-2"))
    board.do("candidate", reply("a-1", "r-1"), reply("a-2", "r-1"))
    error = board.refuse("reviewer", reply("a-1", "r-1"))
    assert (error.code, error.path) == ("duplicate_id", "ops[0].reply.id")


def test_a_reply_is_stored_with_its_seq_and_the_status_it_leaves():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    applied = board.do("candidate", reply("a-1", "r-1", text="It retries."))
    assert applied.ops == [
        {
            "op": "reply",
            "annotation": "a-1",
            "reply": {"id": "r-1", "text": "It retries.", "seq": 2},
            "status": "answered",
        }
    ]
    assert board.threads["a-1"]["replies"] == [
        {"id": "r-1", "text": "It retries.", "author": PIDS["candidate"], "seq": 2}
    ]
    assert board.threads["a-1"]["answered_seq"] == 2


@pytest.mark.parametrize(
    ("mode", "layer", "author", "replier", "answered"),
    [
        ("interview", "challenges", "interviewer", "candidate", True),
        ("interview", "challenges", "interviewer", "owner", False),
        ("interview", "challenges", "interviewer", "interviewer", False),
        ("interview", "challenges", "reviewer", "reviewer", False),
        ("interview", "notes", "candidate", "candidate", False),
        ("interview", "notes", "owner", "candidate", False),
        ("interview", "private", "interviewer", "owner", False),
        ("review", "challenges", "reviewer", "owner", True),
        ("review", "challenges", "reviewer", "candidate", False),
        ("review", "challenges", "reviewer", "colleague", False),
        ("review", "challenges", "owner", "owner", True),
        ("review", "notes", "owner", "owner", False),
    ],
)
def test_only_the_challenged_side_answers_and_only_a_challenge(mode, layer, author, replier, answered):
    board = Board(mode)
    annotation_id = "p-1" if layer == "private" else "a-1"
    board.do(author, annotate(annotation_id, layer=layer))
    board.do(replier, reply(annotation_id, "r-1"))
    thread = board.threads[annotation_id]
    assert (thread["status"], thread["answered_seq"]) == (("answered", 2) if answered else ("open", None))


def test_a_second_answer_keeps_the_first_answered_seq_and_a_resolved_challenge_stays_resolved():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    board.do("candidate", reply("a-1", "r-1"))
    board.do("candidate", reply("a-1", "r-2"))
    assert (board.threads["a-1"]["status"], board.threads["a-1"]["answered_seq"]) == ("answered", 2)
    board.do("interviewer", set_status("a-1", "resolved"))
    applied = board.do("candidate", reply("a-1", "r-3"))
    assert applied.ops[0]["status"] == "resolved"
    assert (board.threads["a-1"]["status"], board.threads["a-1"]["answered_seq"]) == ("resolved", 2)


def test_reopened_then_answered_again_moves_answered_seq():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    board.do("candidate", reply("a-1", "r-1"))
    board.do("interviewer", set_status("a-1", "resolved"))
    board.do("interviewer", set_status("a-1", "reopened"))
    assert board.threads["a-1"]["status"] == "reopened"
    board.do("candidate", reply("a-1", "r-2"))
    assert (board.threads["a-1"]["status"], board.threads["a-1"]["answered_seq"]) == ("answered", 5)


@pytest.mark.parametrize(
    ("path", "then", "ok"),
    [
        ([], "resolved", True),  # open -> resolved
        ([], "reopened", False),  # open is not resolved
        (["answer"], "resolved", True),
        (["answer"], "reopened", False),
        (["resolved"], "resolved", False),
        (["resolved"], "reopened", True),
        (["resolved", "reopened"], "resolved", True),
        (["resolved", "reopened"], "reopened", False),
    ],
)
def test_status_transitions(path, then, ok):
    board = Board()
    board.do("interviewer", annotate("a-1"))
    for step in path:
        board.do(
            *(("candidate", reply("a-1", "r-1")) if step == "answer" else ("interviewer", set_status("a-1", step)))
        )
    if ok:
        board.do("interviewer", set_status("a-1", then))
        assert board.threads["a-1"]["status"] == then
    else:
        error = board.refuse("interviewer", set_status("a-1", then))
        assert (error.code, error.path) == ("validation_error", "ops[0].status")


@pytest.mark.parametrize(
    ("who", "own", "allowed"),
    [
        ("owner", False, True),
        ("interviewer", False, True),
        ("reviewer", True, True),
        ("reviewer", False, False),
        ("candidate", True, False),  # the candidate's own note: still not theirs to resolve
        ("candidate", False, False),
        ("observer", False, False),
    ],
)
def test_who_may_resolve_and_reopen(who, own, allowed):
    board = Board()
    author = who if own else "colleague"
    board.do(author, annotate("a-1", layer="notes" if author == "candidate" else "challenges"))
    if allowed:
        board.do(who, set_status("a-1", "resolved"))
        board.do(who, set_status("a-1", "reopened"))
        assert board.threads["a-1"]["status"] == "reopened"
    else:
        assert board.refuse(who, set_status("a-1", "resolved")).code == "forbidden"


@pytest.mark.parametrize("who", ["owner", "interviewer", "candidate", "reviewer"])
def test_text_is_edited_by_its_author_only_even_by_the_owner(who):
    board = Board()
    layer = "notes" if who == "candidate" else "challenges"
    board.do(who, annotate("a-mine", layer=layer), reply("a-mine", "r-mine"))
    board.do("colleague", annotate("a-theirs"), reply("a-mine", "r-theirs"))
    board.do(who, edit_text("a-mine", "Edited"), edit_text("a-mine", "Edited reply", reply_id="r-mine"))
    thread = board.threads["a-mine"]
    assert thread["text"] == "Edited"
    assert thread["replies"][0] == {
        "id": "r-mine",
        "text": "Edited reply",
        "author": PIDS[who],
        "seq": 1,
        "edited": True,
    }
    for op in (edit_text("a-theirs", "Mine now"), edit_text("a-mine", "Mine now", reply_id="r-theirs")):
        assert board.refuse(who, op).code == "forbidden"


@pytest.mark.parametrize(
    ("who", "own", "allowed"),
    [
        ("owner", False, True),
        ("interviewer", False, True),
        ("candidate", True, True),
        ("candidate", False, False),
        ("reviewer", True, True),
        ("reviewer", False, False),
        ("observer", False, False),
    ],
)
def test_who_may_delete(who, own, allowed):
    board = Board()
    author = who if own else "colleague"
    board.do(author, annotate("a-1", layer="notes" if author == "candidate" else "challenges"), reply("a-1", "r-1"))
    if allowed:
        applied = board.do(who, delete_annotation("a-1"))
        assert applied.deleted == {"a-1"} and "a-1" not in board.threads
    else:
        assert board.refuse(who, delete_annotation("a-1")).code == "forbidden"


def test_observers_cannot_reply():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    assert board.refuse("observer", reply("a-1", "r-1")).code == "forbidden"


# Privacy: to those who cannot read it, the private layer does not exist.

PRIVATE_PROBES = [
    reply("p-hint", "r-9"),
    set_status("p-hint", "resolved"),
    edit_text("p-hint", "guess"),
    edit_text("p-hint", "guess", reply_id="r-1"),
    delete_annotation("p-hint"),
]


@pytest.mark.parametrize("who", ["candidate", "reviewer", "colleague", "observer"])
@pytest.mark.parametrize("probe", PRIVATE_PROBES, ids=lambda op: op["op"] + ("+reply" if "reply" in op else ""))
def test_a_private_id_is_unknown_to_outsiders_exactly_like_a_missing_one(who, probe):
    absent = Board()
    present = Board()
    present.do("interviewer", annotate("p-hint", layer="private", text="Push on the queue"), reply("p-hint", "r-1"))
    missing, hidden = absent.refuse(who, probe), present.refuse(who, probe)
    assert (hidden.code, hidden.message, hidden.path) == (missing.code, missing.message, missing.path)
    assert (hidden.code, hidden.path) == ("unknown_ref", "ops[0].annotation")


@pytest.mark.parametrize("who", ["candidate", "reviewer"])
def test_creating_a_private_id_is_forbidden_whether_or_not_it_exists(who):
    absent, present = Board(), Board()
    present.do("interviewer", annotate("p-hint", layer="private"))
    missing, hidden = (board.refuse(who, annotate("p-hint", layer="private")) for board in (absent, present))
    assert hidden.code == "forbidden"
    assert (hidden.code, hidden.message, hidden.path) == (missing.code, missing.message, missing.path)


def test_the_interviewers_moderate_each_others_private_notes():
    board = Board()
    board.do("interviewer", annotate("p-1", layer="private"))
    board.do("owner", reply("p-1", "r-1"), set_status("p-1", "resolved"))
    assert board.threads["p-1"]["status"] == "resolved"
    assert board.refuse("owner", edit_text("p-1", "not mine")).code == "forbidden"
    board.do("owner", delete_annotation("p-1"))
    assert board.threads == {}


@pytest.mark.parametrize(
    "ops",
    [
        [annotate("p-1", layer="private"), annotate("a-1")],
        [annotate("a-1"), annotate("p-1", layer="private")],
        [annotate("p-1", layer="private"), annotate("n-1", layer="notes")],
    ],
)
def test_private_and_public_annotations_never_share_a_batch(ops):
    board = Board()
    error = board.refuse("owner", *ops)
    assert (error.code, error.path) == ("validation_error", "ops")


def test_a_private_op_on_an_existing_thread_cannot_ride_with_a_public_one():
    board = Board()
    board.do("interviewer", annotate("p-1", layer="private"))
    board.do("interviewer", annotate("a-1"))
    error = board.refuse("interviewer", reply("a-1", "r-1"), set_status("p-1", "resolved"))
    assert (error.code, error.path) == ("validation_error", "ops")


def test_a_private_batch_is_made_against_the_public_head():
    board = Board()
    board.seq = 9
    applied = board.do("interviewer", annotate("p-1", layer="private"), reply("p-1", "r-1"))
    assert applied.private
    assert applied.ops[0]["annotation"]["raised_seq"] == 9
    assert applied.ops[1]["reply"]["seq"] == 9


# Derived state: orphaned and outdated.


def _raised_on(element: dict[str, Any]) -> A.Annotation:
    board = Board(elements={element["id"]: element})
    board.do("interviewer", annotate("a-1", element["id"]))
    return board.threads["a-1"]


@pytest.mark.parametrize(
    ("change", "outdated"),
    [
        ({"x": 500, "y": -20}, False),
        ({"w": 300, "h": 10}, False),
        ({"label": "Gateway"}, True),
        ({"type": "worker"}, True),
        ({"tech": "Go"}, True),
        ({"replicas": 3}, True),
        ({"notes": "stateless"}, True),
        ({"label": "API"}, False),  # set to what it was: same meaning
    ],
)
def test_a_component_is_outdated_by_a_change_of_meaning_not_of_place(change, outdated):
    thread = _raised_on(API)
    assert A.outdated(thread, {**API, **change}) is outdated
    assert A.orphaned(thread, {**API, **change}) is False


@pytest.mark.parametrize(
    ("change", "outdated"),
    [({"label": "reads"}, True), ({"style": "async"}, True), ({"source": "cache"}, True), ({"target": "api2"}, True)],
)
def test_an_arrow_is_outdated_by_new_ends_label_or_style(change, outdated):
    thread = _raised_on(LINK)
    assert A.outdated(thread, {**LINK, **change}) is outdated


def test_deleting_the_target_orphans_and_re_adding_it_recovers():
    thread = _raised_on(API)
    assert (A.orphaned(thread, None), A.outdated(thread, None)) == (True, False)
    assert (A.orphaned(thread, dict(API)), A.outdated(thread, dict(API))) == (False, False)
    relabelled = {**API, "label": "Edge"}
    assert (A.orphaned(thread, relabelled), A.outdated(thread, relabelled)) == (False, True)


def test_a_target_id_taken_over_by_a_sticky_note_orphans_the_thread():
    thread = _raised_on(API)
    note = {**STICKY, "id": "api"}
    assert (A.orphaned(thread, note), A.outdated(thread, note)) == (True, False)


def test_a_board_level_annotation_is_never_orphaned_or_outdated():
    board = Board()
    board.do("interviewer", annotate("a-1", None))
    thread = board.threads["a-1"]
    assert not A.orphaned(thread, None) and not A.outdated(thread, None)


def test_an_orphaned_annotation_still_takes_ops():
    board = Board()
    board.do("interviewer", annotate("a-1", "api"))
    del board.elements["api"]
    board.do("candidate", reply("a-1", "r-1"))
    board.do("interviewer", set_status("a-1", "resolved"))
    assert board.threads["a-1"]["status"] == "resolved"
    assert board.refuse("interviewer", annotate("a-2", "api")).code == "unknown_ref"


def test_snapshot_of_each_kind():
    assert A.snapshot(None) is None
    assert A.snapshot(API) == {
        "kind": "component",
        "type": "service",
        "label": "API",
        "tech": "",
        "replicas": 1,
        "notes": "",
    }
    assert A.snapshot(LINK) == {"kind": "arrow", "source": "api", "target": "db", "label": "", "style": "sync"}


# Replay: folding the stored log gives exactly the state the rules produced.


def test_fold_of_a_scripted_session_equals_apply():
    board = Board()
    board.do("interviewer", annotate("a-1"), annotate("a-2", "api-db", kind="trade_off"))
    board.do("candidate", annotate("n-1", None, layer="notes", kind="scaling", text="Shard by user id"))
    board.do("interviewer", annotate("p-1", layer="private", text="Weak on back-pressure"))
    board.do("candidate", reply("a-1", "r-1"), edit_text("a-1", "Retries with jitter.", reply_id="r-1"))
    board.do("owner", reply("p-1", "r-1"), set_status("p-1", "resolved"))
    board.do("interviewer", set_status("a-1", "resolved"), edit_text("a-2", "Sync or async here?"))
    board.do("interviewer", set_status("a-1", "reopened"))
    board.do("candidate", reply("a-1", "r-2"))
    board.do("reviewer", annotate("a-3", "db", kind="security"), delete_annotation("a-3"))
    board.do("candidate", delete_annotation("n-1"))
    board.do("interviewer", delete_annotation("a-2"), annotate("a-2", "db", text="Reborn"))
    assert A.fold(copy.deepcopy(board.log)) == board.threads
    assert board.threads["a-1"]["answered_seq"] == 6


def test_fold_skips_canvas_ops_and_continues_from_a_given_state():
    board = Board()
    board.do("interviewer", annotate("a-1"))
    start = A.fold(copy.deepcopy(board.log))
    board.do("candidate", reply("a-1", "r-1"))
    canvas = {"participant": PIDS["owner"], "ops": [{"op": "add", "element": dict(API)}, {"op": "delete", "id": "api"}]}
    assert A.fold([canvas, copy.deepcopy(board.log[-1])], start) == board.threads


ANNOTATION_IDS = ("a-0", "a-1", "p-0", "p-1")
REPLY_IDS = ("r-0", "r-1")
texts = st.sampled_from(["Why?", "Because.", "Cafe\u0301", "x" * 10, "   ", "ok\x00"])


@st.composite
def raw_ops(draw: st.DrawFn) -> dict[str, Any]:
    annotation_id = draw(st.sampled_from(ANNOTATION_IDS))
    name = draw(st.sampled_from(sorted(A.NAMES)))
    if name == "annotate":
        layer = draw(st.sampled_from(A.LAYERS))
        target = draw(st.sampled_from(["api", "api-db", "sticky", "gone", None]))
        return annotate(annotation_id, target, layer=layer, kind=draw(st.sampled_from(A.KINDS)), text=draw(texts))
    if name == "reply":
        return reply(annotation_id, draw(st.sampled_from(REPLY_IDS)), text=draw(texts))
    if name == "set_status":
        return set_status(annotation_id, draw(st.sampled_from(["resolved", "reopened"])))
    if name == "edit_text":
        return edit_text(annotation_id, draw(texts), reply_id=draw(st.none() | st.sampled_from(REPLY_IDS)))
    return delete_annotation(annotation_id)


@settings(max_examples=300, deadline=None)
@given(
    mode=st.sampled_from(["interview", "review"]),
    steps=st.lists(st.tuples(st.sampled_from(sorted(PIDS)), st.lists(raw_ops(), min_size=1, max_size=3)), max_size=25),
)
def test_fold_of_the_accepted_batches_equals_the_state_the_rules_built(mode, steps):
    board = Board(mode)
    for who, ops in steps:
        before = copy.deepcopy(board.threads)
        shadow = None
        if ROLE_OF[who] not in A.PRIVATE_READERS:
            # An outsider's batch must be decided the same with the private threads gone: no oracle.
            shadow = Board(mode)
            shadow.seq = board.seq
            shadow.threads = {k: v for k, v in copy.deepcopy(before).items() if not A.is_private(k)}
        try:
            applied = board.do(who, *ops)
        except SyncError as error:
            assert board.threads == before
            assert error.code in {"validation_error", "unknown_ref", "forbidden", "duplicate_id", "bad_request"}
            if shadow is not None:
                other = refusal(shadow.do, who, *ops)
                assert (other.code, other.message, other.path) == (error.code, error.message, error.path)
        else:
            if shadow is not None:
                assert not applied.private
                assert shadow.do(who, *ops).ops == applied.ops
        for thread in board.threads.values():
            assert thread["status"] in A.STATUSES
            if thread["status"] == "open":
                assert thread["answered_seq"] is None
            if thread["status"] == "answered":
                assert thread["answered_seq"] is not None
            assert unicodedata.is_normalized("NFC", thread["text"])
        assert A.fold(copy.deepcopy(board.log)) == board.threads
