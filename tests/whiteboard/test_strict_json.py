"""The one strict JSON decoder (`whiteboard.strict_json`): what it refuses, and why each refusal has a reason."""

from __future__ import annotations

import json

import pytest

from whiteboard import strict_json
from whiteboard.strict_json import MAX_DEPTH, StrictJSONError


def reason(text: str, **kwargs) -> str:
    with pytest.raises(StrictJSONError) as caught:
        strict_json.loads(text, **kwargs)
    return caught.value.reason


def test_plain_json_decodes_as_the_standard_library_does():
    text = '{"a": [1, 2.5, "x", true, null, {"b": -3e2}], "c": "[not nesting {"}'
    assert strict_json.loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ["{", "hello", "{'a':1}", "", '{"x": NaN}', '{"x": -Infinity}', '{"x": 1e999}'])
def test_what_is_not_strict_json_is_not_json(text):
    assert reason(text) == "not_json"


def test_a_key_given_twice_is_refused_at_any_depth():
    assert reason('{"a": 1, "a": 2}') == "not_json"
    assert reason('{"a": [{"b": 1, "b": 1}]}') == "not_json"


def test_the_size_cap_counts_utf8_bytes():
    text = json.dumps("é" * 60, ensure_ascii=False)
    assert strict_json.loads(text, max_bytes=200) == "é" * 60
    assert reason(text, max_bytes=100) == "too_large"


def test_nesting_is_bounded_before_parsing_so_no_depth_is_a_recursion_error():
    assert strict_json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert reason("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == "too_deep"
    for depth in (10_000, 50_000, 500_000):
        assert reason('{"a":' * depth + "1" + "}" * depth) == "too_deep"
        assert reason("[" * depth) == "not_json"  # never closed: not JSON, however deep


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({"label": "[" * 1000 + '\\"{' * 1000})
    assert strict_json.loads(text) == json.loads(text)


def test_a_lone_surrogate_decodes_and_counts_without_failing_so_the_field_checks_can_name_it():
    assert strict_json.loads('"a\\ud800b"', max_bytes=100) == "a\ud800b"
    assert reason('"\ud800' + "x" * 100 + '"', max_bytes=50) == "too_large"


@pytest.mark.parametrize(
    ("text", "depth"),
    [("{}", 1), ('{"a":[1,{"b":[]}]}', 4), ('{"a":"[[[[{{{{"}', 1), ('["]", [[]]]', 3)],
)
def test_nesting_is_measured_on_brackets_outside_strings(text, depth):
    assert strict_json.nests_deeper_than(text, depth - 1) is True
    assert strict_json.nests_deeper_than(text, depth) is False
