"""The op-kind seam: what `register` refuses, and what `batch_submit` hands an op kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from tests.factories import add, board_with_owner
from whiteboard import extensions
from whiteboard.models import Batch, Board, Participant


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test registers into a copy, so the real kinds (registered by `ReviewsConfig.ready`) stay as they were."""
    monkeypatch.setattr(extensions, "_kinds", dict(extensions._kinds))
    monkeypatch.setattr(extensions, "_registered", list(extensions._registered))


@dataclass
class Probe:
    """An op kind that records what it was handed: `{"op": "probe", "private": bool}`."""

    names: frozenset[str] = frozenset({"probe"})
    welcome_keys: frozenset[str] = frozenset({"probe"})
    contexts: list[extensions.Context] = field(default_factory=list)
    committed: list[Batch] = field(default_factory=list)

    def parse(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        return {"op": "probe", "private": bool(raw.get("private"))}

    def is_private(self, op: dict[str, Any]) -> bool:
        return op["private"]

    def plan(self, context: extensions.Context, ops: list[tuple[int, dict[str, Any]]]) -> extensions.Planned:
        self.contexts.append(context)
        return extensions.Planned(ops=[op for _, op in ops], commit=self.committed.append)

    def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
        return {"probe": True}


def test_register_refuses_a_canvas_op_name():
    with pytest.raises(ValueError, match="Op name already taken: add"):
        extensions.register(Probe(names=frozenset({"probe", "add"})))


def test_register_refuses_a_name_another_kind_took():
    extensions.register(Probe())
    with pytest.raises(ValueError, match="Op name already taken: probe"):
        extensions.register(Probe(welcome_keys=frozenset({"other"})))
    with pytest.raises(ValueError, match="Op name already taken: annotate"):  # the reviews app's
        extensions.register(Probe(names=frozenset({"annotate"}), welcome_keys=frozenset()))


def test_register_refuses_a_welcome_key_of_the_core_or_of_another_kind():
    with pytest.raises(ValueError, match="Welcome key already taken: elements"):
        extensions.register(Probe(welcome_keys=frozenset({"elements"})))
    with pytest.raises(ValueError, match="Welcome key already taken: annotations"):  # the reviews app's
        extensions.register(Probe(welcome_keys=frozenset({"annotations"})))
    extensions.register(Probe())
    with pytest.raises(ValueError, match="Welcome key already taken: probe"):
        extensions.register(Probe(names=frozenset({"probe2"})))


def test_a_refused_kind_leaves_the_registry_as_it_was():
    before = (dict(extensions._kinds), list(extensions._registered))
    with pytest.raises(ValueError):
        extensions.register(Probe(welcome_keys=frozenset({"seq"})))
    assert (extensions._kinds, extensions._registered) == before


def test_a_welcome_key_a_kind_did_not_declare_is_refused():
    class Sloppy(Probe):
        def state(self, board_id: UUID, participant: Participant) -> dict[str, Any]:
            return {"probe": True, "elements": []}

    extensions._kinds.clear()  # only this kind, so no database is read
    extensions._registered.clear()
    extensions.register(Sloppy())
    with pytest.raises(ValueError, match="undeclared welcome keys: elements"):
        extensions.state(UUID(int=0), Participant())


@pytest.mark.django_db(transaction=True)
def test_an_op_kind_is_handed_the_stream_and_seq_the_batch_is_stored_with():
    from whiteboard.services.batches import batch_submit

    probe = Probe()
    extensions.register(probe)
    board, owner = board_with_owner()

    def submit(batch_id: str, *raw_ops: dict[str, Any]) -> Batch:
        committed = batch_submit(
            board_id=board.id, participant_id=owner.participant.id, batch_id=batch_id, raw_ops=list(raw_ops)
        )
        return Batch.objects.get(board=board, stream=committed.stream, seq=committed.seq)

    public = submit("b1", add("api"), {"op": "probe"})
    private = submit("b2", {"op": "probe", "private": True})
    again = submit("b3", {"op": "probe", "private": True})
    heads = Board.objects.values_list("seq", "private_seq").get(pk=board.id)

    seen = [(c.stream, c.seq, c.canvas_seq) for c in probe.contexts]
    stored = [(b.stream, b.seq) for b in (public, private, again)]
    assert seen == [("public", 1, 1), ("private", 1, 1), ("private", 2, 1)]
    assert [(stream, seq) for stream, seq, _ in seen] == stored
    assert heads == (1, 2)
    assert [b.pk for b in probe.committed] == [public.pk, private.pk, again.pk]
