"""Practice boards on a server: made by anyone signed in, coached into the same log, private to their author."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from reviews import coach, interview_signals, thinking_signals
from reviews.coach_services import board_question, coach_step, practice_log, rules_of
from reviews.practice_queries import feedback_of
from tests.factories import Member, UserFactory, add, arrow, member
from tests.reviews.questions_cast import rest
from tests.reviews.sockets import seed
from tests.reviews.test_coach import contains
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Board, Participant

pytestmark = pytest.mark.django_db(transaction=True)


def practising(question: str = "url_shortener") -> tuple[Board, Member]:
    """A signed-in user (no interviewer permission) who starts a practice board over REST."""
    user = UserFactory()
    token = Token.objects.create(user=user).key
    response = rest(Member(None, user, token)).post(  # type: ignore[arg-type]
        "/api/boards/", {"title": "Practice", "mode": "practice", "question": question}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "candidate"
    board = Board.objects.get(pk=response.json()["id"])
    return board, Member(Participant.objects.get(board=board, user=user), user, token)


def ops_of(board: Board) -> list[dict[str, Any]]:
    return [op for batch, _ in [practice_log(board.id)] for b in batch for op in b["ops"]]


def test_the_author_practises_alone_with_the_coach() -> None:
    board, me = practising()
    assert sorted(Participant.objects.filter(board=board).values_list("role", flat=True)) == ["candidate", "coach"]
    api = rest(me)
    assert api.post(f"/api/boards/{board.id}/practice/tick/").status_code == 200
    names = [op["op"] for op in ops_of(board)]
    assert names[:2] == ["session", "notice"]
    seed(board, me, {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}})
    api.post(f"/api/boards/{board.id}/practice/tick/")
    answered = [op for op in ops_of(board) if op["op"] == "answer_requirement"]
    facts = {fact["answer"] for fact in board_question(board.id)["facts"]}  # type: ignore[index]
    assert len(answered) == 1 and answered[0]["text"] in facts
    # The candidate may not keep the clock or write notices: the coach does.
    notice = {"op": "notice", "notice": {"id": "n", "kind": "end", "text": "x"}}
    for op in ({"op": "phase", "phase": "deep_dive"}, notice):
        with pytest.raises(SyncError) as refused:
            seed(board, me, op)
        assert refused.value.code == ErrorCode.FORBIDDEN


def test_ticks_on_a_driven_clock_are_replayed_to_the_same_ops() -> None:
    board, me = practising()
    start = timezone.now()
    coach_step(board.id, now=start)
    seed(board, me, add("web", type="client"), add("api", label="API"), add("db", type="database"))
    seed(board, me, arrow("a1", "web", "api"), arrow("a2", "api", "db"))
    for minute in range(1, 40, 2):
        coach_step(board.id, now=start + timedelta(minutes=minute, seconds=3))
    batches, roles = practice_log(board.id)
    question = board_question(board.id)
    rules = rules_of(question)
    replayed = 0
    for i, batch in enumerate(batches):
        if roles[batch["participant"]] != "coach":
            continue
        again = coach.decide(batches[:i], roles, question, rules, batch["at"], finish=batch["id"].startswith("finish"))
        known = [op for op in again if op["op"] != "scenario" or any(o["op"] == "scenario" for o in batch["ops"])]
        assert sorted(op["op"] for op in known) == sorted(op["op"] for op in batch["ops"])
        assert all(any(contains(stored, sent) for stored in batch["ops"]) for sent in known)
        replayed += 1
    assert replayed >= 5
    assert any(op["op"] == "annotate" for b in batches for op in b["ops"])  # the coach challenged
    assert batches[-1]["ops"][0] == {"op": "session", "action": "end"}


def test_feedback_counts_equal_the_signals() -> None:
    board, me = practising()
    start = timezone.now()
    coach_step(board.id, now=start)
    seed(board, me, {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}})
    seed(board, me, add("api", label="API"), add("db", type="database"), arrow("x", "api", "db"))
    # Issue 15's real ops and fields: a decision, a queue with a dead letter, a timed call, a premature cache.
    seed(
        board,
        me,
        add("q", type="queue", label="Clicks", tech="SQS", dead_letter=True),
        add("pay", type="external", label="Payments"),
        add("hot", type="cache", label="Hot links", tech="Redis"),
        arrow("y", "api", "pay", timeout_ms=2000),
        arrow("z", "api", "q", style="async"),
        {"op": "decide", "decision": {"id": "d1", "target": "q", "choice": "SQS", "alternatives": ["Kafka"]}},
    )
    seed(
        board, me, {"op": "requirement", "entry": {"id": "a1", "kind": "assumption", "text": "One region."}}
    )  # after the cache: it was premature
    seed(
        board,
        me,
        {
            "op": "annotate",
            "annotation": {
                "id": "n1",
                "layer": "notes",
                "target": "db",
                "kind": "failure_mode",
                "text": "Replica and failover.",
            },
        },
    )
    coach_step(board.id, now=start + timedelta(minutes=3))
    coach_step(board.id, now=start + timedelta(minutes=4), finish=True)
    response = rest(me).get(f"/api/boards/{board.id}/practice/feedback/")
    assert response.status_code == 200
    result = response.json()
    batches, roles = practice_log(board.id)
    signals = interview_signals.compute(batches, roles, now=batches[-1]["at"])
    thinking = thinking_signals.compute(batches, roles)
    lines = {line["id"]: line for line in result["checklist"]}
    assert lines["ask_first"]["count"] == signals["questions_before_first_component"] == 1
    assert lines["ask_first"]["verdict"] == "partly"
    assert lines["failure_modes"]["count"] == signals["failure_modes"]["unprompted"] == 1
    # The checklist lines issue 15's signals judge: each measure is the signal's own value.
    merged = {**signals, **thinking}
    for line in lines.values():
        for name, value in line["measures"].items():
            group, _, key = name.partition(".")
            assert value == (merged[group][key] if key else merged[group]), name
    assert lines["start_simple"]["count"] == thinking["complexity"]["premature"] == 2  # queue and cache, before asking
    assert lines["start_simple"]["verdict"] == "partly"
    premature = {link["seq"] for link in thinking["evidence"]["complexity.premature"]}
    assert set(lines["start_simple"]["moments"]) == premature
    explained = thinking["decisions"]["explained"]
    assert explained == 1 and thinking["decisions"]["unexplained"] == 1  # SQS decided, Redis not
    assert lines["trade_offs"]["count"] == explained + signals["trade_offs"]["unprompted"]
    assert lines["trade_offs"]["verdict"] == "partly"  # Redis is a choice nobody explained
    assert lines["failure_modes"]["measures"]["beyond_happy_path.external_calls_with_timeout"] == 1
    assert lines["failure_modes"]["measures"]["beyond_happy_path.queues_with_dead_letter"] == 1
    assert "1 of 1 external call with a timeout" in lines["failure_modes"]["text"]
    assert lines["honest"]["count"] == 1 and lines["honest"]["verdict"] == "met"
    assert result["ended"] is True
    assert result["missing"], "the reference's parts the board lacks"
    assert result["next"]["id"] in lines
    evidence = signals["evidence"]["questions_before_first_component"]
    assert set(lines["ask_first"]["moments"]) == {link["seq"] for link in evidence}
    assert feedback_of(board.id)["checklist"] == result["checklist"]


def test_practice_boards_and_feedback_are_invisible_to_everyone_else() -> None:
    board, me = practising()
    coach_step(board.id)
    stranger = Member(None, UserFactory(), None)  # type: ignore[arg-type]
    stranger.token = Token.objects.create(user=stranger.user).key
    base = f"/api/boards/{board.id}"
    for path in (f"{base}/", f"{base}/ops/", f"{base}/practice/feedback/"):
        assert rest(stranger).get(path).status_code == 404, path
    assert rest(stranger).post(f"{base}/practice/tick/").status_code == 404
    assert rest(stranger).get("/api/practice/").json() == []
    assert [a["id"] for a in rest(me).get("/api/practice/").json()] == [str(board.id)]
    # The author may invite an observer (a friend), and only an observer.
    created = rest(me).post(f"{base}/invites/", {"role": "observer"}, format="json")
    assert created.status_code == 201
    assert rest(me).post(f"{base}/invites/", {"role": "candidate"}, format="json").status_code == 400
    friend = member(board, "observer")
    assert rest(friend).get(f"{base}/").status_code == 200
    assert rest(friend).get(f"{base}/practice/feedback/").status_code == 403
    assert rest(friend).post(f"{base}/practice/tick/").status_code == 403
    assert rest(friend).post(f"{base}/practice/finish/").status_code == 403
    assert rest(friend).get(f"{base}/question/").json().get("facts") is None
    assert rest(friend).delete(f"{base}/").status_code == 403
    # What the candidate reads of the question is its public part: the facts come one answer at a time.
    assert rest(me).get(f"{base}/question/").json().get("facts") is None
    assert rest(me).get(f"{base}/signals/").status_code == 403


async def test_the_socket_refuses_strangers_and_shows_notices_to_the_observer(connect: Any) -> None:
    from channels.db import database_sync_to_async

    board, _me = await database_sync_to_async(practising)()
    await database_sync_to_async(coach_step)(board.id)
    friend = await database_sync_to_async(member)(board, "observer")
    client = await connect(board.id, friend)
    welcome = await client.recv_type("welcome")
    assert [n["kind"] for n in welcome["notices"]] == ["start"]
    outsider_user = await database_sync_to_async(UserFactory)()
    token = await database_sync_to_async(lambda: Token.objects.create(user=outsider_user).key)()
    await connect(board.id, Member(None, outsider_user, token), expect=False)  # type: ignore[arg-type]


async def test_the_socket_refuses_notices_from_the_candidate_and_malformed_ones(connect: Any) -> None:
    from channels.db import database_sync_to_async

    board, me = await database_sync_to_async(practising)()
    client = await connect(board.id, me)
    await client.recv_type("welcome")
    notice = {"id": "n1", "kind": "phase", "text": "I move myself on."}
    await client.send({"type": "batch", "id": "b1", "ops": [{"op": "notice", "notice": notice}]})
    refused = await client.recv_type("rejected")
    assert (refused["id"], refused["code"]) == ("b1", "forbidden")
    await client.send({"type": "batch", "id": "b2", "ops": [{"op": "notice", "notice": {**notice, "kind": "shout"}}]})
    refused = await client.recv_type("rejected")
    assert (refused["code"], refused["path"]) == ("validation_error", "ops[0].notice.kind")
    await client.send({"type": "batch", "id": "b3", "ops": [{"op": "notice", "notice": {**notice, "extra": 1}}]})
    assert (await client.recv_type("rejected"))["code"] == "validation_error"


def test_only_a_practice_board_has_a_coach() -> None:
    from tests.factories import board_with_owner

    board, owner = board_with_owner()
    response = rest(owner).post(f"/api/boards/{board.id}/practice/tick/")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert rest(owner).get(f"/api/boards/{board.id}/practice/feedback/").status_code == 400


def test_the_feedback_page_and_the_attempts_page_are_the_authors() -> None:
    from django.test import Client as PageClient

    board, me = practising()
    coach_step(board.id)
    seed(board, me, {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}})
    coach_step(board.id, finish=True)
    browser = PageClient()
    browser.force_login(me.user)
    page = browser.get(f"/boards/{board.id}/feedback/").content.decode()
    assert "Ask 3-5 clarifying questions before designing" in page and 'data-verdict="partly"' in page
    assert f"/boards/{board.id}/?seq=" in page  # the moments link to the replay
    # The share link once, inside the page (not in the <title>, the <head> or before the header).
    assert page.count('data-testid="practice-share"') == 1
    assert page.index("<h1>Feedback from the coach</h1>") < page.index('data-testid="practice-share"')
    assert "<section" not in page[: page.index("</head>")]
    listing = browser.get("/practice/").content.decode()
    assert listing.count('data-testid="attempt"') == 1 and f"/boards/{board.id}/feedback/" in listing
    friend = member(board, "observer")
    other = PageClient()
    other.force_login(friend.user)
    assert other.get(f"/boards/{board.id}/feedback/").status_code == 403
    assert 'data-testid="attempt"' not in other.get("/practice/").content.decode()
    stranger = PageClient()
    stranger.force_login(UserFactory())
    assert stranger.get(f"/boards/{board.id}/feedback/").status_code == 404


REFERENCE_ONLY = ("ID ranges", "Click aggregator", "Link store", "id generator that does not need a global lock")
UNASKED = ("Spammers and phishers", "Short codes of 7 characters", "Custom aliases for paid customers")


async def test_until_the_end_no_frame_or_response_holds_the_reference_or_an_unasked_fact(connect: Any) -> None:
    """The question's answer (its reference design) and the facts nobody asked for stay on the server,
    for the person practising and their observer alike, until the session ends; then the author sees
    what the reference has that the board lacks."""
    from channels.db import database_sync_to_async

    from tests.reviews.privacy import pages, record, rest_paths
    from tests.reviews.sockets import raw

    board, me = await database_sync_to_async(practising)()
    friend = await database_sync_to_async(member)(board, "observer")
    clients = {"author": await raw(connect, board.id, me), "observer": await raw(connect, board.id, friend)}
    for client in clients.values():
        await client.recv_type("welcome")
    await database_sync_to_async(coach_step)(board.id)
    ask = {"op": "requirement", "entry": {"id": "q1", "kind": "question", "text": "How many users?"}}
    assert (await clients["author"].submit({"type": "batch", "id": "b1", "ops": [ask]}))["type"] == "batch"
    draw = [add("api", label="Shortener API"), add("db", type="database", label="Links")]
    assert (await clients["author"].submit({"type": "batch", "id": "b2", "ops": draw}))["type"] == "batch"
    await database_sync_to_async(coach_step)(board.id)
    for client in clients.values():
        await client.drain()

    def assert_clean(text: str, where: str) -> None:
        for secret in (*REFERENCE_ONLY, *UNASKED):
            assert secret not in text, f"{where} holds {secret!r}"

    seq = await database_sync_to_async(lambda: Board.objects.get(pk=board.id).seq)()
    paths = [*rest_paths(board.id, seq), f"/api/boards/{board.id}/practice/feedback/", "/api/practice/"]
    page_paths = [*pages(board.id), f"/boards/{board.id}/feedback/", "/practice/"]
    for role, who in (("author", me), ("observer", friend)):
        for text in clients[role].texts:
            assert_clean(text, f"a frame to the {role}")
        seen = await database_sync_to_async(record)(who, paths, page_paths)
        for path, (status, body) in seen.items():
            assert status < 500, (role, path, status)
            assert_clean(body, f"{role} GET {path} ({status})")
    await database_sync_to_async(coach_step)(board.id, finish=True)
    after = await database_sync_to_async(feedback_of)(board.id)
    assert "ID ranges" in after["missing"]


def test_on_an_incident_question_the_coach_plays_the_incident() -> None:
    from reviews.incident_models import IncidentState

    board, me = practising("errors_after_release")
    state = IncidentState.objects.get(board=board)
    assert state.fault_target == "inventory"  # hidden when the board was made, by the coach
    public = practice_log(board.id)[0]
    assert [b["id"] for b in public] == ["start-0"]  # the question's diagram; the fault is on the private stream
    assert not any(op["op"] == "fault" for b in public for op in b["ops"])
    coach_step(board.id)
    opened = [op for op in ops_of(board) if op["op"] == "incident"]
    assert opened and opened[0]["action"] == "open" and opened[0]["entry"] == "web"
    # The candidate's inspection is answered by the simulator.
    seed(board, me, {"op": "inspect", "target": "inventory", "signal": "deploys"})
    inspected = [op for op in ops_of(board) if op["op"] == "inspect"]
    assert inspected[0]["result"]
    coach_step(board.id, finish=True)
    closed = [op for op in ops_of(board) if op["op"] == "incident" and op["action"] == "close"]
    assert closed[0]["root_cause"] == {"target": "inventory", "kind": "bad_deploy"}


def test_feedback_shared_by_link_is_readable_by_whoever_holds_the_link_and_nobody_else() -> None:
    import re

    from django.test import Client as PageClient

    board, me = practising()
    coach_step(board.id)
    coach_step(board.id, finish=True)
    author = PageClient()
    author.force_login(me.user)
    link = re.search(
        r'value="(http[^"]+/practice/shared/[^"]+/)"', author.get(f"/boards/{board.id}/feedback/").content.decode()
    )
    assert link is not None
    path = link.group(1).split("testserver", 1)[1]
    anyone = PageClient()
    shared = anyone.get(path)
    assert shared.status_code == 200 and "Ask 3-5 clarifying questions" in shared.content.decode()
    assert f"/boards/{board.id}/" not in shared.content.decode()  # the feedback, not the board
    assert anyone.get(path[:-3] + "xx/").status_code == 404  # a link with a forged signature
    from django.core import signing

    other, _ = practising()
    forged = signing.dumps(str(other.id), salt="not the share salt")  # a link to another board, not made by the server
    assert anyone.get(f"/practice/shared/{forged}/").status_code == 404


def test_two_ticks_on_the_same_log_store_one_coach_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pages tick at once: both read the same log; the second finds the coach already spoke."""
    import reviews.coach_services as services

    board, _me = practising()
    before = practice_log(board.id)
    assert coach_step(board.id, now=timezone.now())
    monkeypatch.setattr(services, "practice_log", lambda board_id: before)  # the second tick read the log too early
    assert coach_step(board.id, now=timezone.now() + timedelta(seconds=1)) == []
    # Even when the late tick decided otherwise (another moment, other words), the first one stands.
    other = [{"op": "notice", "notice": {"id": "coach-0-0", "kind": "start", "text": "Something else."}}]
    monkeypatch.setattr(services.coach, "decide", lambda *args, **kwargs: other)
    assert coach_step(board.id, now=timezone.now() + timedelta(seconds=2)) == []
    starts = [op for op in ops_of(board) if op["op"] == "session"]
    assert len(starts) == 1 and not any(op.get("notice", {}).get("text") == "Something else." for op in ops_of(board))
