"""Decoding frames strictly: one bad frame must never poison a board for others."""

from __future__ import annotations

import json

import pytest

from whiteboard import protocol
from whiteboard.errors import ErrorCode, SyncError


def decode_error(text: str) -> SyncError:
    with pytest.raises(SyncError) as caught:
        protocol.decode(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "hello",
        "{'a':1}",
        "",
        " " * 1000,
        '{"x": NaN}',
        '{"x": Infinity}',
        '{"x": -Infinity}',
        '{"x": 1e999}',
        '{"x": ' + "9" * 5000 + "}",
    ],
)
def test_invalid_json_is_bad_json(text):
    assert decode_error(text).code == ErrorCode.BAD_JSON


def test_deep_nesting_that_breaks_the_parser_is_bad_json_not_a_crash():
    assert decode_error("[" * 100000).code == ErrorCode.BAD_JSON


def test_nesting_beyond_the_protocol_limit_is_bad_request():
    assert decode_error('{"a":' * 20 + "1" + "}" * 20).code == ErrorCode.BAD_REQUEST


@pytest.mark.parametrize("text", ["[]", '"x"', "1", "null", "true"])
def test_a_frame_must_be_an_object(text):
    assert decode_error(text).code == ErrorCode.BAD_REQUEST


def test_duplicate_keys_are_refused_because_parsers_disagree_on_which_wins():
    assert decode_error('{"type":"batch","type":"presence"}').code == ErrorCode.BAD_JSON


def test_a_frame_over_256_kib_is_too_large():
    text = json.dumps({"type": "batch", "pad": "x" * protocol.MAX_MESSAGE_BYTES})
    assert decode_error(text).code == ErrorCode.TOO_LARGE


def test_the_size_limit_counts_bytes_not_characters():
    text = json.dumps({"type": "presence", "pad": "é" * (protocol.MAX_MESSAGE_BYTES // 2)}, ensure_ascii=False)
    assert len(text) < protocol.MAX_MESSAGE_BYTES
    assert decode_error(text).code == ErrorCode.TOO_LARGE


@pytest.mark.parametrize("kind", ["board.batch", "websocket.close", "drop", None, "x" * 10000])
def test_unknown_message_types_are_unknown_op(kind):
    with pytest.raises(SyncError) as caught:
        protocol.parse_client_message({"type": kind})
    assert caught.value.code == ErrorCode.UNKNOWN_OP


def test_a_batch_needs_a_well_formed_client_id():
    for bad in [None, 5, "", "has space", "x" * 65]:
        with pytest.raises(SyncError) as caught:
            protocol.parse_client_message({"type": "batch", "id": bad, "ops": []})
        assert caught.value.code == ErrorCode.VALIDATION_ERROR


def test_server_owned_fields_are_refused_on_a_batch():
    with pytest.raises(SyncError) as caught:
        protocol.parse_client_message({"type": "batch", "id": "b1", "ops": [], "seq": 4})
    assert caught.value.path == "seq"


def test_presence_and_preview_are_checked_like_ops():
    message = protocol.parse_client_message({"type": "presence", "cursor": {"x": 1, "y": 2.5}, "selection": ["a"]})
    assert message == protocol.PresenceMessage(cursor={"x": 1, "y": 2.5}, selection=["a"])
    for bad in [
        {"type": "presence", "cursor": {"x": "1", "y": 2}},
        {"type": "presence", "cursor": {"x": 1}},
        {"type": "presence", "selection": ["ok", "not ok"]},
        {"type": "preview", "id": "a", "props": {"label": "x"}},
        {"type": "preview", "id": "a", "props": {}},
        {"type": "preview", "id": "a", "props": {"x": 1e7}},
    ]:
        with pytest.raises(SyncError):
            protocol.parse_client_message(bad)


def test_encoding_refuses_nan_rather_than_sending_a_frame_browsers_cannot_parse():
    with pytest.raises(ValueError):
        protocol.encode({"x": float("nan")})


def test_a_closed_frame_too_deep_to_parse_is_bad_request_like_any_frame_over_the_limit():
    assert decode_error("[" * 100000 + "]" * 100000).code == ErrorCode.BAD_REQUEST


@pytest.mark.parametrize("brackets", [protocol.MAX_DEPTH - 1, protocol.MAX_DEPTH])
def test_a_frame_may_nest_values_exactly_max_depth_levels_and_no_more(brackets):
    """The walk over every value is skipped for frames whose brackets cannot nest too deep; the
    limit stays where it was: a value inside MAX_DEPTH - 1 brackets is allowed, one more is not."""
    nested = "1"
    for _ in range(brackets - 1):
        nested = f'{{"a":{nested}}}'
    text = f'{{"type":"presence","x":{nested}}}'
    if brackets < protocol.MAX_DEPTH:
        assert protocol.decode(text)["type"] == "presence"
    else:
        assert decode_error(text).code == ErrorCode.BAD_REQUEST
    empty = "{}"
    for _ in range(protocol.MAX_DEPTH - 1):
        empty = f'{{"a":{empty}}}'
    assert protocol.decode(empty)  # an empty object at the deepest level holds no value deeper
