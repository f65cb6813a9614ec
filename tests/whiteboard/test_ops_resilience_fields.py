"""The fields that describe the unhappy path and the candidate's honesty (whiteboard/ops.py):
an arrow's `timeout_ms`, `retries` and `idempotent`; a queue's `dead_letter`, a data store's
`backup`, a component's `familiarity`; and the `monitoring` component type."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import add, arrow
from whiteboard import ops, vocabulary
from whiteboard.errors import SyncError

BOARD = {
    "api": {"id": "api", "kind": "component", "type": "service"},
    "db": {"id": "db", "kind": "component", "type": "database"},
    "q": {"id": "q", "kind": "component", "type": "queue", "dead_letter": True},
    "a1": {"id": "a1", "kind": "arrow", "source": "api", "target": "db"},
}


def apply(*raw: dict[str, Any]) -> ops.Applied:
    return ops.apply_ops(BOARD, len(BOARD), ops.parse_ops(list(raw)))


def refusal(*raw: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(SyncError) as caught:
        apply(*raw)
    return caught.value.code.value, caught.value.path


def update(element_id: str, **props: Any) -> dict[str, Any]:
    return {"op": "update", "id": element_id, "props": props}


def test_an_arrow_keeps_a_timeout_retries_and_idempotence():
    applied = apply(update("a1", timeout_ms=2000, retries=3, idempotent=True))
    assert {k: applied.changed["a1"][k] for k in ("timeout_ms", "retries", "idempotent")} == {
        "timeout_ms": 2000,
        "retries": 3,
        "idempotent": True,
    }


def test_null_clears_a_timeout():
    assert apply(update("a1", timeout_ms=None)).changed["a1"]["timeout_ms"] is None


def test_new_fields_are_absent_until_set():
    element = ops.parse_element({"id": "x", "kind": "arrow", "source": "api", "target": "db"}, "e")
    assert not {"timeout_ms", "retries", "idempotent"} & element.keys()


@pytest.mark.parametrize(
    ("props", "path"),
    [
        ({"timeout_ms": 0}, "ops[0].props.timeout_ms"),
        ({"timeout_ms": -5}, "ops[0].props.timeout_ms"),
        ({"timeout_ms": 1.5}, "ops[0].props.timeout_ms"),
        ({"timeout_ms": "100"}, "ops[0].props.timeout_ms"),
        ({"timeout_ms": True}, "ops[0].props.timeout_ms"),
        ({"timeout_ms": vocabulary.LIMITS["timeout_ms"] + 1}, "ops[0].props.timeout_ms"),
        ({"retries": -1}, "ops[0].props.retries"),
        ({"retries": 11}, "ops[0].props.retries"),
        ({"retries": 2.0}, "ops[0].props.retries"),
        ({"retries": None}, "ops[0].props.retries"),
        ({"retries": False}, "ops[0].props.retries"),
        ({"idempotent": 1}, "ops[0].props.idempotent"),
        ({"idempotent": "true"}, "ops[0].props.idempotent"),
        ({"idempotent": None}, "ops[0].props.idempotent"),
    ],
)
def test_bad_arrow_values_are_refused_at_their_path(props, path):
    assert refusal(update("a1", **props)) == ("validation_error", path)


@pytest.mark.parametrize(
    ("props", "path"),
    [
        ({"familiarity": "expert"}, "ops[0].props.familiarity"),
        ({"familiarity": 3}, "ops[0].props.familiarity"),
        ({"dead_letter": "yes"}, "ops[0].props.dead_letter"),
        ({"backup": 0}, "ops[0].props.backup"),
    ],
)
def test_bad_component_values_are_refused_at_their_path(props, path):
    assert refusal(update("api", **props)) == ("validation_error", path)


@pytest.mark.parametrize("value", ["production", "used", "read", "unknown", ""])
def test_familiarity_takes_the_vocabulary_or_empty_to_clear(value):
    assert apply(update("api", familiarity=value)).changed["api"]["familiarity"] == value


def test_a_component_has_no_timeout_and_an_arrow_no_familiarity():
    assert refusal(update("api", timeout_ms=100)) == ("validation_error", "ops[0].props.timeout_ms")
    assert refusal(update("a1", familiarity="used")) == ("validation_error", "ops[0].props.familiarity")


def test_only_a_queue_has_a_dead_letter():
    assert apply(update("q", dead_letter=False)).changed["q"]["dead_letter"] is False
    assert refusal(update("api", dead_letter=True)) == ("validation_error", "ops[0].props.dead_letter")
    code, path = refusal(add("svc", type="service", dead_letter=True))
    assert (code, path) == ("validation_error", "ops[0].element.dead_letter")


def test_refusal_names_the_types_allowed():
    with pytest.raises(SyncError) as caught:
        apply(update("api", backup=True))
    assert "database, storage, search" in caught.value.message


@pytest.mark.parametrize("store", vocabulary.DATA_STORES)
def test_data_stores_have_backups(store):
    assert apply(add("s", type=store, backup=True)).changed["s"]["backup"] is True


def test_cache_and_queue_are_not_data_stores_for_backups():
    assert refusal(add("c", type="cache", backup=True)) == ("validation_error", "ops[0].element.backup")
    assert refusal(add("c", type="queue", backup=True)) == ("validation_error", "ops[0].element.backup")


def test_false_is_allowed_anywhere_so_a_type_can_change_once_cleared():
    applied = apply(update("q", type="service", dead_letter=False))
    assert applied.changed["q"]["type"] == "service" and applied.changed["q"]["dead_letter"] is False


def test_changing_the_type_of_a_queue_with_a_dead_letter_is_refused_at_the_type():
    assert refusal(update("q", type="service")) == ("validation_error", "ops[0].props.type")


def test_monitoring_is_a_component_type_with_an_icon():
    assert "monitoring" in vocabulary.COMPONENT_TYPES
    assert vocabulary.COMPONENT_INFO["monitoring"]["icon"] == "activity"
    assert apply(add("mon", type="monitoring")).changed["mon"]["type"] == "monitoring"


def test_the_fold_keeps_every_new_field():
    log = [
        ops.parse_ops(
            [add("api"), add("q", type="queue", dead_letter=True, familiarity="read"), arrow("a", "api", "q")]
        ),
        ops.parse_ops([update("a", timeout_ms=500, retries=2, idempotent=False)]),
    ]
    state = ops.fold(log)
    assert (state["q"]["dead_letter"], state["q"]["familiarity"]) == (True, "read")
    assert (state["a"]["timeout_ms"], state["a"]["retries"], state["a"]["idempotent"]) == (500, 2, False)
