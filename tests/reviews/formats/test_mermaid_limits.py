"""Issue 19, defects 7 and 2 (the parser): any chart the element cap allows is laid out within the
coordinate limits, and reading a flowchart takes time linear in its size.

The linearity checks compare CPU time (not wall-clock) of an input and one four
times its size, best of three: linear work grows about 4x, the quadratic
scans these inputs used to trigger grow about 16x. The bound (8x, plus a
little slack for tiny timings) leaves room for noise.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from reviews.formats import mermaid
from whiteboard import ops

LIMIT = 490_000  # characters, just under the import's 500,000


def cpu(source: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        chart = mermaid.parse(source)
        if not chart.problems:
            mermaid.to_elements(chart)
        best = min(best, time.process_time() - start)
    return best


def repeat(head: str, unit: str, size: int, tail: str = "") -> str:
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


HOSTILE: dict[str, Callable[[int], str]] = {
    # A text search per node that scanned to the end of the line for a closer that never comes.
    "ampersand groups of lean shapes": lambda size: repeat("flowchart LR\na", " & a[/x/]", size),
    "quoted labels on one line": lambda size: repeat("flowchart LR\na", ' & a["x"]', size),
    "a quote never closed, on every line": lambda size: repeat("flowchart LR\n", 'a["x\n', size),
    "one new node a statement inside a subgraph": lambda size: (
        "flowchart LR\nsubgraph S\n" + "\n".join(f"n{i}" for i in range(size // 8))
    ),
    "a fan-out far past the element cap": lambda size: repeat("flowchart LR\na --> b0", " & b", size),
    "a chain far past the element cap": lambda size: (
        "flowchart LR\n" + " --> ".join(f"n{i}" for i in range(size // 10))
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_parsing_grows_linearly_with_the_input(name):
    make = HOSTILE[name]
    small, large = cpu(make(LIMIT // 4)), cpu(make(LIMIT))
    assert large < 8 * small + 0.1, f"{name}: {small:.3f}s for {LIMIT // 4:,} characters, {large:.3f}s for {LIMIT:,}"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_chart_at_the_size_limit_is_read_quickly(name):
    assert cpu(HOSTILE[name](LIMIT)) < 5, name


def test_a_fan_out_past_the_cap_is_one_problem_not_millions_of_links():
    chart = mermaid.parse(
        "flowchart LR\n" + " & ".join(f"a{i}" for i in range(100)) + " --> " + " & ".join(f"b{i}" for i in range(100))
    )
    assert len(chart.edges) <= ops.MAX_ELEMENTS
    assert any(str(ops.MAX_ELEMENTS) in p["message"] for p in chart.problems)


def chain(n: int, direction: str = "LR") -> mermaid.Flowchart:
    return mermaid.parse(f"flowchart {direction}\n" + "\n".join(f"n{i} --> n{i + 1}" for i in range(n - 1)))


def test_a_chain_of_4999_nodes_is_refused_for_the_cap_only_not_for_coordinates():
    chart = chain(4999)
    mermaid.to_elements(chart)
    assert [p["message"] for p in chart.problems] == [
        f"the chart has {4999 + 4998} nodes and links; a board holds at most {ops.MAX_ELEMENTS}"
    ]


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_the_longest_chain_the_cap_allows_is_imported_within_the_limits(direction):
    chart = chain(2500, direction)
    elements = mermaid.to_elements(chart)
    assert chart.problems == [] and len(elements) == 4999
    boxes = [(e["x"], e["y"]) for e in elements if e["kind"] == "component"]
    assert len(set(boxes)) == 2500


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
@pytest.mark.parametrize(
    "edges",
    [
        [(f"n{i}", f"n{i + 1}") for i in range(20_000)],  # a chain far past the cap
        [("hub", f"leaf{i}") for i in range(2_499)],  # the widest layer the cap allows
        [(f"n{i}", f"n{i + 1}") for i in range(1_500)] + [("n0", f"w{i}") for i in range(1_500)],
        [(f"c{i}", f"c{i + 1}") for i in range(1_200)] + [(f"c{i}", f"d{i}") for i in range(1_200)],
    ],
    ids=["long chain", "wide star", "chain and star", "comb"],
)
def test_any_layout_stays_within_the_coordinate_limits(direction, edges):
    ids = list(dict.fromkeys(node for edge in edges for node in edge)) + [f"alone{i}" for i in range(300)]
    where = mermaid.layout(ids, edges, direction)
    assert len(set(where.values())) == len(ids)
    for x, y in where.values():
        assert 0 <= x <= ops.COORD_LIMIT - mermaid.NODE_W and 0 <= y <= ops.COORD_LIMIT - mermaid.NODE_H


def test_a_short_chart_is_laid_out_as_before_in_one_band():
    where = mermaid.layout(["a", "b", "c"], [("a", "b"), ("b", "c")], "LR")
    step = mermaid.NODE_W + mermaid.GAP_ALONG
    assert where == {"a": (0, 0), "b": (step, 0), "c": (2 * step, 0)}
