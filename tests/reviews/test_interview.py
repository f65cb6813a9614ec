"""The pure interview session rules (`reviews.interview`): shapes and limits, the transition table,
phases, the clock, the requirements ledger by role, and replay.

No database and no socket, and no wall clock: every batch carries an explicit
`at`, as the server hands the rules the batch's own timestamp. The socket
tests (`test_consumer_interview.py`) only need to show the decision reaches
the wire and the rows.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import interview
from tests.reviews.interview_ops import (
    answer_requirement,
    end,
    link_requirement,
    pause,
    phase,
    requirement,
    resume,
    start,
)
from whiteboard.errors import SyncError

PIDS = {
    "owner": "00000000-0000-0000-0000-00000000000a",
    "interviewer": "00000000-0000-0000-0000-00000000000b",
    "candidate": "00000000-0000-0000-0000-00000000000c",
    "reviewer": "00000000-0000-0000-0000-00000000000d",
    "observer": "00000000-0000-0000-0000-00000000000e",
    "candidate2": "00000000-0000-0000-0000-00000000000f",  # a second candidate, for "someone else's entry"
}
ROLE_OF = {name: ("candidate" if name == "candidate2" else name) for name in PIDS}
ROLES = ("owner", "interviewer", "candidate", "reviewer", "observer")
API = {"id": "api", "kind": "component", "type": "service", "label": "API", "x": 0, "y": 0, "w": 160, "h": 72}
DB = {**API, "id": "db", "type": "database", "label": "DB"}
LINK = {"id": "api-db", "kind": "arrow", "source": "api", "target": "db", "label": "", "style": "sync"}
ELEMENTS = {element["id"]: element for element in (API, DB, LINK)}

T0 = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)


def t(minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def actor(who: str, mode: str = "interview") -> interview.Actor:
    return interview.Actor(participant=PIDS[who], role=ROLE_OF[who], mode=mode)


def parse(raw: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return interview.parse_op(raw, f"ops[{index}]")


def refusal(call: Any, *args: Any, **kwargs: Any) -> SyncError:
    with pytest.raises(SyncError) as caught:
        call(*args, **kwargs)
    return caught.value


def parse_refusal(raw: dict[str, Any]) -> tuple[str, str | None]:
    error = refusal(parse, raw)
    assert error.message
    return str(error.code), error.path


class Board:
    """One board's session and ledger advanced by the pure rules, with the stored log beside it."""

    def __init__(self, mode: str = "interview", elements: dict[str, Any] | None = None) -> None:
        self.mode = mode
        self.elements = dict(ELEMENTS if elements is None else elements)
        self.session = interview.Session()
        self.entries: dict[str, interview.Entry] = {}
        self.log: list[dict[str, Any]] = []
        self.seq = 0  # the public head; canvas batches would share it

    def do(self, who: str, *raw_ops: dict[str, Any], at: datetime) -> interview.Applied:
        parsed = [(i, parse(op, i)) for i, op in enumerate(raw_ops)]
        # The real entries, not a copy: a refused batch must leave what it was given untouched.
        applied = interview.apply_ops(
            self.session, self.entries, actor(who, self.mode), parsed, self.elements.get, at=at, seq=self.seq + 1
        )
        self.seq += 1
        self.session = applied.session
        self.entries.update(copy.deepcopy(applied.changed))
        self.log.append({"seq": self.seq, "participant": PIDS[who], "ops": copy.deepcopy(applied.ops), "at": at})
        return applied

    def refuse(self, who: str, *raw_ops: dict[str, Any], at: datetime) -> SyncError:
        before = (self.session, copy.deepcopy(self.entries), self.seq, len(self.log))
        error = refusal(self.do, who, *raw_ops, at=at)
        assert (self.session, self.entries, self.seq, len(self.log)) == before, "a refused batch changed the state"
        return error


def board_in(status: str, who: str = "interviewer") -> Board:
    """A board whose session has reached `status` by the rules themselves, one batch a minute from T0."""
    board = Board()
    path = {"idle": [], "running": [start()], "paused": [start(), pause()], "ended": [start(), end()]}[status]
    for minute, op in enumerate(path):
        board.do(who, op, at=t(minute))
    assert board.session.status == status
    return board


# Shapes and limits, one op on its own.


def test_ops_are_normalised_and_keep_only_what_the_client_may_say():
    assert parse(start()) == {"op": "session", "action": "start"}
    assert parse(start(30)) == {"op": "session", "action": "start", "minutes": 30}
    assert parse(end()) == {"op": "session", "action": "end"}
    assert parse(phase("deep_dive")) == {"op": "phase", "phase": "deep_dive"}
    assert parse(requirement("q1", "Cafe\u0301 traffic?")) == {
        "op": "requirement",
        "entry": {"id": "q1", "kind": "question", "text": "Café traffic?", "links": []},
    }
    assert parse(requirement("c1", kind="constraint", links=["api", "db"]))["entry"]["links"] == ["api", "db"]
    assert parse(answer_requirement("q1", "Ten million.")) == {
        "op": "answer_requirement",
        "entry": "q1",
        "text": "Ten million.",
    }
    assert parse(link_requirement("q1", [])) == {"op": "link_requirement", "entry": "q1", "links": []}


@pytest.mark.parametrize("minutes", [1, 2, 45, 479, 480])
def test_minutes_from_1_to_480_are_accepted_on_start(minutes):
    assert parse(start(minutes))["minutes"] == minutes


@pytest.mark.parametrize(
    "minutes",
    [
        pytest.param(0, id="0"),
        pytest.param(-1, id="negative"),
        pytest.param(481, id="481"),
        pytest.param(10**9, id="huge"),
        pytest.param(45.0, id="float 45.0"),
        pytest.param(45.5, id="fraction"),
        pytest.param("45", id="text"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(None, id="null"),
        pytest.param([45], id="list"),
    ],
)
def test_minutes_outside_1_to_480_or_not_a_whole_number_are_refused(minutes):
    raw = {"op": "session", "action": "start", "minutes": minutes}
    assert parse_refusal(raw) == ("validation_error", "ops[0].minutes")


@pytest.mark.parametrize("action", ["pause", "resume", "end"])
def test_minutes_are_only_set_on_start(action):
    assert parse_refusal({"op": "session", "action": action, "minutes": 30}) == ("validation_error", "ops[0].minutes")


@pytest.mark.parametrize("action", ["Start", "stop", "restart", "", " start", None, 1, True, ["start"], {"a": 1}])
def test_an_unknown_action_is_refused(action):
    assert parse_refusal({"op": "session", "action": action}) == ("validation_error", "ops[0].action")


@pytest.mark.parametrize("value", ["lunch", "Requirements", "", None, 0, True, ["high_level"]])
def test_an_unknown_phase_is_refused(value):
    assert parse_refusal({"op": "phase", "phase": value}) == ("validation_error", "ops[0].phase")


@pytest.mark.parametrize("name", interview.PHASES)
def test_every_documented_phase_is_accepted(name):
    assert parse(phase(name))["phase"] == name
    assert interview.PHASES == ("requirements", "high_level", "deep_dive", "wrap_up")


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"op": "session"}, "ops[0].action"),
        ({"op": "phase"}, "ops[0].phase"),
        ({"op": "requirement"}, "ops[0].entry"),
        ({"op": "requirement", "entry": {"kind": "question", "text": "?"}}, "ops[0].entry.id"),
        ({"op": "requirement", "entry": {"id": "q1", "text": "?"}}, "ops[0].entry.kind"),
        ({"op": "requirement", "entry": {"id": "q1", "kind": "question"}}, "ops[0].entry.text"),
        ({"op": "answer_requirement", "text": "x"}, "ops[0].entry"),
        ({"op": "answer_requirement", "entry": "q1"}, "ops[0].text"),
        ({"op": "link_requirement", "links": []}, "ops[0].entry"),
        ({"op": "link_requirement", "entry": "q1"}, "ops[0].links"),
    ],
)
def test_a_missing_property_is_refused_at_its_path(raw, path):
    assert parse_refusal(raw) == ("validation_error", path)


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({**start(), "at": "2026-01-01T00:00:00Z"}, "ops[0].at"),
        ({**start(), "elapsed": 0}, "ops[0].elapsed"),
        ({**pause(), "status": "paused"}, "ops[0].status"),
        ({**resume(), "running_since": None}, "ops[0].running_since"),
        ({**phase("high_level"), "seq": 3}, "ops[0].seq"),
        ({**requirement("q1"), "author": PIDS["owner"]}, "ops[0].author"),
        (
            {"op": "requirement", "entry": {**requirement("q1")["entry"], "author": PIDS["owner"]}},
            "ops[0].entry.author",
        ),
        ({"op": "requirement", "entry": {**requirement("q1")["entry"], "answer": None}}, "ops[0].entry.answer"),
        ({"op": "requirement", "entry": {**requirement("q1")["entry"], "seq": 1}}, "ops[0].entry.seq"),
        ({**answer_requirement("q1"), "seq": 1}, "ops[0].seq"),
        ({**answer_requirement("q1"), "author": PIDS["owner"]}, "ops[0].author"),
        ({**link_requirement("q1", []), "kind": "question"}, "ops[0].kind"),
    ],
)
def test_unknown_keys_are_refused_so_nobody_can_forge_what_the_server_stamps(raw, path):
    assert parse_refusal(raw) == ("validation_error", path)


@pytest.mark.parametrize("kind", interview.ENTRY_KINDS)
def test_every_entry_kind_is_accepted(kind):
    assert parse(requirement("e1", kind=kind))["entry"]["kind"] == kind
    assert interview.ENTRY_KINDS == (
        "question",
        "assumption",
        "constraint",
        "decision",
        "outcome",
        "hindsight",
        "unknown",
    )


@pytest.mark.parametrize("kind", ["requirement", "Question", "", None, True, 1])
def test_an_unknown_entry_kind_is_refused(kind):
    assert parse_refusal(requirement("e1", kind=kind)) == ("validation_error", "ops[0].entry.kind")


@pytest.mark.parametrize("entry_id", ["", "a b", "x" * 65, "q/1", 7, None, True])
def test_a_bad_entry_id_is_refused(entry_id):
    assert parse_refusal(requirement(entry_id)) == ("validation_error", "ops[0].entry.id")
    assert parse_refusal(answer_requirement(entry_id)) == ("validation_error", "ops[0].entry")
    assert parse_refusal(link_requirement(entry_id, [])) == ("validation_error", "ops[0].entry")


def test_an_entry_that_is_not_an_object_is_a_bad_request():
    assert parse_refusal({"op": "requirement", "entry": ["q1"]}) == ("bad_request", "ops[0].entry")
    # An answer names its entry by id: an entry object there is refused too.
    assert parse_refusal({"op": "answer_requirement", "entry": {"id": "q1"}, "text": "x"})[1] == "ops[0].entry"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("a" * 4000, "a" * 4000),
        ("e\u0301" * 4000, "é" * 4000),  # 8,000 code points sent, 4,000 after NFC: the limit is after NFC
        ("x", "x"),
        ("  padded  ", "  padded  "),
    ],
)
def test_text_up_to_4000_characters_after_nfc_is_accepted(text, stored):
    assert parse(requirement("q1", text))["entry"]["text"] == stored
    assert parse(answer_requirement("q1", text))["text"] == stored


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a" * 4001, id="4001 chars"),
        pytest.param("e\u0301" * 4000 + "a", id="4001 after NFC"),
        pytest.param("", id="empty"),
        pytest.param(" \n\t ", id="blank"),
        pytest.param("before\x00after", id="NUL"),
        pytest.param("admin\u202eevil", id="bidi override"),
        pytest.param("half \ud800 a pair", id="unpaired surrogate"),
        pytest.param(42, id="not text"),
        pytest.param(True, id="boolean"),
        pytest.param(None, id="null"),
    ],
)
def test_bad_text_is_refused(text):
    assert parse_refusal(requirement("q1", text)) == ("validation_error", "ops[0].entry.text")
    assert parse_refusal(answer_requirement("q1", text)) == ("validation_error", "ops[0].text")


TWENTY = [f"e{i}" for i in range(20)]


@pytest.mark.parametrize("links", [[], ["api"], TWENTY])
def test_up_to_20_distinct_links_are_accepted(links):
    assert parse(requirement("q1", links=links))["entry"]["links"] == links
    assert parse(link_requirement("q1", links))["links"] == links


@pytest.mark.parametrize(
    ("links", "where"),
    [
        pytest.param([*TWENTY, "e20"], "", id="21 links"),
        pytest.param(["api", "db", "api"], "", id="a repeated id"),
        pytest.param([*TWENTY[:19], "e0"], "", id="20 links, 19 distinct"),
        pytest.param("api", "", id="a string"),
        pytest.param(None, "", id="null"),
        pytest.param({"api": True}, "", id="an object"),
        pytest.param(True, "", id="a boolean"),
        pytest.param(["api", "not an id"], "[1]", id="an invalid id"),
        pytest.param(["api", True], "[1]", id="a boolean id"),
        pytest.param([7], "[0]", id="a number id"),
    ],
)
def test_links_that_are_not_at_most_20_distinct_valid_ids_are_refused(links, where):
    entry = {"id": "q1", "kind": "question", "text": "?", "links": links}  # `links: null` is sent, not omitted
    assert parse_refusal({"op": "requirement", "entry": entry}) == ("validation_error", f"ops[0].entry.links{where}")
    assert parse_refusal(link_requirement("q1", links)) == ("validation_error", f"ops[0].links{where}")


def test_the_path_names_the_op_s_index_in_the_batch():
    error = refusal(interview.parse_op, {"op": "session", "action": "nap"}, "ops[7]")
    assert error.path == "ops[7].action"


# The transition table (docs/protocol.md), every status against every action.

TABLE = {
    ("idle", "start"): "running",
    ("running", "pause"): "paused",
    ("running", "end"): "ended",
    ("paused", "resume"): "running",
    ("paused", "end"): "ended",
    ("ended", "resume"): "running",
}
STATUSES = ("idle", "running", "paused", "ended")


@pytest.mark.parametrize("action", interview.ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_the_transition_table(status, action):
    board = board_in(status)
    op = {"op": "session", "action": action}
    if (status, action) in TABLE:
        board.do("interviewer", op, at=t(10))
        assert board.session.status == TABLE[(status, action)]
    else:
        # A valid op before it: the refusal names the action's own index, and takes the whole batch down.
        error = board.refuse("interviewer", requirement("q1"), op, at=t(10))
        assert (error.code, error.path) == ("validation_error", "ops[1].action")
        assert status in error.message and action in error.message


def test_the_table_has_six_moves_and_the_module_agrees_with_the_docs():
    assert dict(interview.TRANSITIONS) == TABLE
    assert interview.ACTIONS == ("start", "pause", "resume", "end")


def test_start_opens_the_requirements_phase_and_takes_its_length():
    board = Board()
    board.do("owner", start(90), at=t(0))
    session = board.session
    assert (session.status, session.minutes, session.phase) == ("running", 90, "requirements")
    assert session.phases == ({"phase": "requirements", "at": t(0), "seq": 1},)
    assert (session.started_at, session.ended_at, session.running_since, session.elapsed) == (t(0), None, t(0), 0.0)


def test_the_length_defaults_to_45_minutes():
    board = Board()
    board.do("interviewer", start(), at=t(0))
    assert board.session.minutes == interview.DEFAULT_MINUTES == 45
    assert (
        interview.Session().minutes == 45 and interview.Session().status == "idle" and interview.Session().phase is None
    )


def test_a_started_session_cannot_start_again_even_after_ending():
    board = board_in("ended")
    error = board.refuse("interviewer", start(30), at=t(5))
    assert (error.code, error.path) == ("validation_error", "ops[0].action")


# Phases.


def test_a_phase_change_needs_a_started_session():
    board = Board()
    error = board.refuse("interviewer", phase("high_level"), at=t(0))
    assert (error.code, error.path) == ("validation_error", "ops[0].phase")


def test_a_phase_change_must_go_somewhere_else():
    board = board_in("running")
    error = board.refuse("interviewer", phase("requirements"), at=t(3))
    assert (error.code, error.path) == ("validation_error", "ops[0].phase")
    board.do("interviewer", phase("deep_dive"), at=t(4))
    error = board.refuse("owner", phase("deep_dive"), at=t(5))
    assert (error.code, error.path) == ("validation_error", "ops[0].phase")


def test_every_phase_change_is_logged_with_its_time_and_seq_in_any_order():
    board = Board()
    board.do("interviewer", start(), at=t(0))  # seq 1
    board.do("interviewer", phase("high_level"), at=t(8, 30))  # seq 2
    board.do("candidate", requirement("q1"), at=t(9))  # seq 3: not a phase change
    board.do("interviewer", pause(), at=t(10))  # seq 4
    board.do("owner", phase("deep_dive"), at=t(12))  # seq 5: while paused
    board.do("interviewer", resume(), at=t(13))  # seq 6
    board.do("interviewer", phase("requirements"), at=t(20))  # seq 7: back again
    board.do("interviewer", phase("wrap_up"), at=t(40))  # seq 8
    assert board.session.phase == "wrap_up"
    assert list(board.session.phases) == [
        {"phase": "requirements", "at": t(0), "seq": 1},
        {"phase": "high_level", "at": t(8, 30), "seq": 2},
        {"phase": "deep_dive", "at": t(12), "seq": 5},
        {"phase": "requirements", "at": t(20), "seq": 7},
        {"phase": "wrap_up", "at": t(40), "seq": 8},
    ]


def test_start_and_a_phase_change_in_one_batch_share_its_time_and_seq():
    board = Board()
    board.seq = 6
    board.do("interviewer", start(), phase("high_level"), at=t(1))
    assert list(board.session.phases) == [
        {"phase": "requirements", "at": t(1), "seq": 7},
        {"phase": "high_level", "at": t(1), "seq": 7},
    ]


def test_a_batch_is_all_or_nothing():
    board = Board()
    # The start is fine on its own; the phase after it is not, so neither happens.
    error = board.refuse("interviewer", start(30), phase("requirements"), at=t(0))
    assert (error.code, error.path) == ("validation_error", "ops[1].phase")
    assert board.session == interview.Session()
    error = board.refuse("interviewer", start(), requirement("q1"), answer_requirement("q2"), at=t(0))
    assert (error.code, error.path) == ("unknown_ref", "ops[2].entry")
    assert board.entries == {}


# The clock: explicit times, pauses do not count.


def test_the_clock_counts_running_time_only():
    board = Board()
    board.do("interviewer", start(30), at=t(0))
    session = board.session
    assert session.used(t(0)) == 0
    assert session.used(t(5)) == 300
    assert session.used(t(5, 0.25)) == 300.25

    board.do("interviewer", pause(), at=t(10))
    session = board.session
    assert (session.elapsed, session.running_since) == (600, None)
    assert session.used(t(10)) == session.used(t(24)) == 600  # a pause does not count

    board.do("interviewer", resume(), at=t(25))
    session = board.session
    assert (session.elapsed, session.running_since) == (600, t(25))
    assert session.used(t(30)) == 900

    board.do("interviewer", end(), at=t(40))
    session = board.session
    assert (session.status, session.elapsed, session.running_since, session.ended_at) == ("ended", 1500, None, t(40))
    assert session.used(t(40)) == session.used(t(400)) == 1500


def test_resume_after_end_reopens_and_keeps_counting_from_the_banked_time():
    board = board_in("ended")  # started at t(0), ended at t(1)
    assert board.session.used(t(59)) == 60
    board.do("owner", resume(), at=t(60))
    session = board.session
    assert (session.status, session.ended_at, session.running_since, session.elapsed) == ("running", None, t(60), 60)
    assert session.used(t(61)) == 120
    # Reopening is not restarting: the start, the length and the phase log stay.
    assert (session.started_at, session.minutes, session.phase) == (t(0), 45, "requirements")
    assert len(session.phases) == 1
    board.do("interviewer", end(), at=t(70))
    assert (board.session.elapsed, board.session.ended_at) == (60 + 600, t(70))


def test_ending_a_paused_session_does_not_count_the_pause():
    board = Board()
    board.do("interviewer", start(), at=t(0))
    board.do("interviewer", pause(), at=t(3))
    board.do("interviewer", end(), at=t(50))
    assert (board.session.elapsed, board.session.ended_at) == (180, t(50))
    board.do("interviewer", resume(), at=t(60))
    board.do("interviewer", pause(), at=t(61))
    assert board.session.elapsed == 240


def test_the_clock_never_counts_backwards_before_the_last_resume():
    board = Board()
    board.do("interviewer", start(), at=t(0))
    board.do("interviewer", pause(), at=t(10))
    board.do("interviewer", resume(), at=t(20))
    # A reader whose `now` is slightly behind the batch's `at` sees the banked time, never less.
    assert board.session.used(t(19, 59)) == 600


# The requirements ledger: who may write what.


def with_question(author: str = "candidate") -> Board:
    board = board_in("running")
    board.do(author, requirement("q1", "How many users?", links=["api"]), at=t(2))
    return board


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    "op",
    [start(), pause(), resume(), end(), phase("high_level")],
    ids=["start", "pause", "resume", "end", "phase"],
)
def test_only_the_owner_and_interviewers_keep_the_clock_and_the_phases(who, op):
    # The session is in a state where the op is allowed, so only the role can refuse it.
    status = {"start": "idle", "resume": "paused"}.get(op.get("action"), "running")
    board = board_in(status)
    if who in ("owner", "interviewer"):
        board.do(who, op, at=t(5))
    else:
        error = board.refuse(who, op, at=t(5))
        assert (error.code, error.path) == ("forbidden", "ops[0]")


@pytest.mark.parametrize("who", ROLES)
def test_the_candidate_owner_and_interviewers_write_entries(who):
    board = board_in("running")
    op = requirement("a1", "Reads outnumber writes 100:1.", kind="assumption", links=["api", "db"])
    if who in ("owner", "interviewer", "candidate"):
        board.do(who, op, at=t(2, 30))
        assert board.entries["a1"] == {
            "id": "a1",
            "kind": "assumption",
            "text": "Reads outnumber writes 100:1.",
            "links": ["api", "db"],
            "author": PIDS[who],
            "seq": 2,
            "answer": None,
        }
    else:
        error = board.refuse(who, op, at=t(2, 30))
        assert (error.code, error.path) == ("forbidden", "ops[0]")


@pytest.mark.parametrize("who", ROLES)
def test_only_the_owner_and_interviewers_answer(who):
    board = with_question()
    if who in ("owner", "interviewer"):
        board.do(who, answer_requirement("q1", "10M a day."), at=t(3))
        assert board.entries["q1"]["answer"] == {"text": "10M a day.", "author": PIDS[who], "seq": 3}
        assert board.entries["q1"]["author"] == PIDS["candidate"]  # the question is still the candidate's
    else:
        error = board.refuse(who, answer_requirement("q1", "I'll assume 10M."), at=t(3))
        assert (error.code, error.path) == ("forbidden", "ops[0]")


def test_an_answer_can_be_replaced():
    board = with_question()
    board.do("interviewer", answer_requirement("q1", "10M a day."), at=t(3))
    board.do("owner", answer_requirement("q1", "Make that 50M."), at=t(4))
    assert board.entries["q1"]["answer"] == {"text": "Make that 50M.", "author": PIDS["owner"], "seq": 4}


@pytest.mark.parametrize(
    ("author", "who", "allowed"),
    [
        ("candidate", "candidate", True),  # their own entry
        ("candidate", "owner", True),
        ("candidate", "interviewer", True),
        ("interviewer", "owner", True),
        ("owner", "interviewer", True),
        ("interviewer", "candidate", False),  # someone else's
        ("candidate2", "candidate", False),  # another candidate's
        ("candidate", "reviewer", False),
        ("candidate", "observer", False),
    ],
)
def test_links_are_changed_by_the_entry_s_author_the_owner_or_an_interviewer(author, who, allowed):
    board = with_question(author)
    board.do("interviewer", answer_requirement("q1", "Lots."), at=t(3))
    if allowed:
        board.do(who, link_requirement("q1", ["db", "api-db"]), at=t(4))
        entry = board.entries["q1"]
        assert entry["links"] == ["db", "api-db"]
        assert (entry["author"], entry["seq"], entry["answer"]["text"]) == (PIDS[author], 2, "Lots.")
    else:
        error = board.refuse(who, link_requirement("q1", ["db"]), at=t(4))
        assert (error.code, error.path) == ("forbidden", "ops[0]")


def test_ledger_ops_may_name_each_other_within_one_batch():
    board = board_in("running")
    board.do(
        "interviewer",
        requirement("c1", "p99 under 200ms", kind="constraint"),
        answer_requirement("c1", "Yes."),
        link_requirement("c1", ["api"]),
        at=t(2),
    )
    assert board.entries["c1"]["answer"] == {"text": "Yes.", "author": PIDS["interviewer"], "seq": 2}
    assert board.entries["c1"]["links"] == ["api"]


@pytest.mark.parametrize(
    ("ops", "path"),
    [
        ([answer_requirement("q9")], "ops[0].entry"),
        ([link_requirement("q9", ["api"])], "ops[0].entry"),
        ([answer_requirement("q2"), requirement("q2")], "ops[0].entry"),  # named before it exists
        ([requirement("q2", links=["api", "ghost"])], "ops[0].entry.links[1]"),
        ([link_requirement("q1", ["db", "api", "ghost"])], "ops[0].links[2]"),
        ([requirement("q2"), link_requirement("q2", ["ghost"])], "ops[1].links[0]"),
    ],
)
def test_missing_entries_and_missing_elements_are_unknown_refs(ops, path):
    board = with_question()
    error = board.refuse("interviewer", *ops, at=t(3))
    assert (error.code, error.path) == ("unknown_ref", path)


def test_a_link_to_an_element_that_was_deleted_is_an_unknown_ref():
    board = with_question()
    board.elements.pop("db")
    error = board.refuse("candidate", link_requirement("q1", ["db"]), at=t(3))
    assert (error.code, error.path) == ("unknown_ref", "ops[0].links[0]")


@pytest.mark.parametrize(
    ("who", "ops", "path"),
    [
        ("candidate", [requirement("q1", "Again?")], "ops[0].entry.id"),  # their own
        ("interviewer", [requirement("q1", "Mine now", kind="constraint")], "ops[0].entry.id"),  # someone else's
        ("owner", [requirement("q2"), requirement("q2", "twice")], "ops[1].entry.id"),  # in one batch
    ],
)
def test_an_entry_id_is_used_once(who, ops, path):
    board = with_question()
    error = board.refuse(who, *ops, at=t(3))
    assert (error.code, error.path) == ("duplicate_id", path)
    assert board.entries["q1"]["text"] == "How many users?"


@pytest.mark.parametrize("op", [start(), phase("high_level")], ids=["session", "phase"])
def test_review_boards_have_no_session(op):
    board = Board("review")
    error = board.refuse("owner", op, at=t(0))
    assert (error.code, error.path) == ("validation_error", "ops[0].op")


# Replay: folding the stored log gives exactly the state the rules produced.


def test_fold_of_a_scripted_interview_equals_apply():
    board = Board()
    board.do("candidate", requirement("q0", "Before we start: mobile too?"), at=t(-1))
    board.do("interviewer", start(40), at=t(0))
    board.do(
        "candidate", requirement("q1", links=["api"]), requirement("a1", "Reads dominate", kind="assumption"), at=t(2)
    )
    board.do("interviewer", answer_requirement("q1", "10M."), phase("high_level"), at=t(6))
    board.do("interviewer", pause(), at=t(10))
    board.do("candidate", link_requirement("a1", ["db", "api-db"]), at=t(11))
    board.do("owner", resume(), phase("deep_dive"), at=t(15))
    board.do("owner", answer_requirement("q1", "Make it 20M."), at=t(20))
    board.do("interviewer", end(), at=t(44))
    board.do("interviewer", resume(), phase("wrap_up"), at=t(50))
    board.do("interviewer", end(), at=t(52))
    session, entries = interview.fold(copy.deepcopy(board.log))
    assert (session, entries) == (board.session, board.entries)
    assert session.used(t(99)) == (10 + 29 + 2) * 60


def test_fold_skips_canvas_ops_and_continues_from_a_given_state():
    board = Board()
    board.do("interviewer", start(), requirement("q1"), at=t(0))
    session, entries = interview.fold(copy.deepcopy(board.log))
    board.do("interviewer", pause(), answer_requirement("q1", "Yes."), at=t(5))
    canvas = {"seq": 99, "participant": PIDS["owner"], "at": t(6), "ops": [{"op": "add", "element": dict(API)}]}
    assert interview.fold([canvas, copy.deepcopy(board.log[-1])], session, entries) == (board.session, board.entries)


ENTRY_IDS = ("q0", "q1", "q2", "q3")
SENDERS = ("interviewer",) * 4 + ("owner",) * 2 + ("candidate",) * 3 + ("candidate2", "reviewer", "observer")
KEEPERS = ("interviewer",) * 4 + ("owner",) * 2 + ("candidate", "reviewer")
texts = st.sampled_from(["How many users?", "Cafe\u0301", "10M", "Yes.", "Shard by user", "   "])
links = st.sampled_from([[], ["api"], ["db", "api"], ["api-db"], ["api", "db", "api-db"], ["api", "ghost"]])
lengths = st.sampled_from([None, None, 1, 30, 480, 481])


def raw_ops(board: Board) -> st.SearchStrategy[dict[str, Any]]:
    """Ops biased towards what the board allows now, so most batches are accepted and the log grows;
    bad values, wrong senders and wrong moves stay in the mix."""
    moves = [action for (status, action) in TABLE if status == board.session.status]
    actions = st.sampled_from(moves) | st.sampled_from(interview.ACTIONS)
    sessions = st.builds(
        lambda action, length: {"op": "session", "action": action} | ({} if length is None else {"minutes": length}),
        actions,
        st.none() if board.session.status != "idle" else lengths,
    )
    kinds = st.sampled_from(interview.ENTRY_KINDS)
    options = [
        sessions,
        sessions,
        st.builds(
            lambda e, x, k, ls: requirement(e, x, kind=k, links=ls), st.sampled_from(ENTRY_IDS), texts, kinds, links
        ),
    ]
    if board.session.status != "idle":
        options.append(st.builds(phase, st.sampled_from(interview.PHASES)))
    if board.entries:
        options.append(st.builds(answer_requirement, st.sampled_from(sorted(board.entries)), texts))
        options.append(st.builds(link_requirement, st.sampled_from(sorted(board.entries)), links))
    return st.one_of(options)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), steps=st.integers(min_value=0, max_value=25))
def test_fold_of_the_accepted_batches_equals_the_state_the_rules_built(data, steps):
    board = Board()
    now = T0
    for _ in range(steps):
        ops = data.draw(st.lists(raw_ops(board), min_size=1, max_size=2), label="ops")
        keepers_only = any(op["op"] in ("session", "phase", "answer_requirement") for op in ops)
        who = data.draw(st.sampled_from(KEEPERS if keepers_only else SENDERS), label="who")
        now += timedelta(milliseconds=data.draw(st.integers(min_value=0, max_value=20 * 60 * 1000), label="gap"))
        used_before = board.session.used(now)
        try:
            board.do(who, *ops, at=now)
        except SyncError as error:
            assert error.code in {"validation_error", "unknown_ref", "forbidden", "duplicate_id"}
            continue
        session = board.session
        # Applying a batch never changes how much time has been used at that moment.
        assert session.used(now) == pytest.approx(used_before)
        assert (session.status == "running") == (session.running_since is not None)
        assert session.running_since is None or session.running_since <= now
        assert (session.status == "ended") == (session.ended_at is not None)
        assert (session.status == "idle") == (session.started_at is None) == (session.phase is None)
        if session.started_at is not None:
            assert session.used(now) <= (now - session.started_at).total_seconds() + 1e-6
            assert session.phase == session.phases[-1]["phase"]
    assert interview.fold(copy.deepcopy(board.log)) == (board.session, board.entries)
    # A replay may fold the log in chunks, carrying the state from one to the next.
    cut = data.draw(st.integers(min_value=0, max_value=len(board.log)), label="cut")
    session, entries = interview.fold(copy.deepcopy(board.log[:cut]))
    assert interview.fold(copy.deepcopy(board.log[cut:]), session, entries) == (board.session, board.entries)
