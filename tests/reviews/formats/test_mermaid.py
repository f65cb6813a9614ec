"""Mermaid flowcharts in and out (`reviews.formats.mermaid`): real charts, hostile labels, and the round trip."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.formats import mermaid
from whiteboard import ops


def graph(source: str) -> tuple[dict, list, list, list]:
    """(components by id: (type, label, notes)), edges, skipped, problems) after a full import."""
    chart = mermaid.parse(source)
    elements = mermaid.to_elements(chart) if not chart.problems else []
    elements = [] if chart.problems else elements
    nodes = {e["id"]: (e["type"], e["label"], e["notes"]) for e in elements if e["kind"] == "component"}
    edges = [(e["source"], e["target"], e["label"], e["style"]) for e in elements if e["kind"] == "arrow"]
    return nodes, edges, chart.skipped, chart.problems


def at(line: int, message: str) -> dict:
    return {"line": line, "message": message}


# --------------------------------------------------------------------------- real-world charts


def test_a_chart_with_subgraphs_is_flattened_and_says_so():
    nodes, edges, skipped, problems = graph(
        """flowchart TB
    %% Online shop, from the README
    subgraph edge [Edge]
        cdn((CDN)) --> lb{Load balancer}
    end
    subgraph services [Services]
        direction LR
        api[API] --> orders[[Order worker]]
        subgraph inner["Inner #quot;core#quot;"]
            pay[Payments]
        end
    end
    lb --> api
    orders --> db[(Orders DB)]
    api --> edge
"""
    )
    assert problems == []
    assert nodes == {
        "cdn": ("cdn", "CDN", "Subgraph: Edge"),
        "lb": ("load_balancer", "Load balancer", "Subgraph: Edge"),
        "api": ("service", "API", "Subgraph: Services"),
        "orders": ("worker", "Order worker", "Subgraph: Services"),
        "pay": ("service", "Payments", 'Subgraph: Services / Inner "core"'),
        "db": ("database", "Orders DB", ""),
    }
    assert edges == [
        ("cdn", "lb", "", "sync"),
        ("api", "orders", "", "sync"),
        ("lb", "api", "", "sync"),
        ("orders", "db", "", "sync"),
    ]
    assert skipped == [
        at(3, "subgraph 'Edge' flattened: its title is in the notes of its 2 nodes"),
        at(6, "subgraph 'Services' flattened: its title is in the notes of its 3 nodes"),
        at(7, "not imported: a subgraph's direction (the board is laid out in one direction)"),
        at(9, "subgraph 'Inner \"core\"' flattened: its title is in the notes of its 1 node"),
        at(15, "not imported: the link api to edge joins a subgraph"),
    ]


def test_edge_labels_in_every_form_and_every_link_style():
    nodes, edges, skipped, problems = graph(
        """graph LR
    A[Browser] -->|GET /feed| B(API gateway)
    B -- "auth check" --> C[Auth service]
    B == cache miss ==> D{{Redis}}
    B -. publish .-> E[/Events/]
    E -.->|"fan-out #quot;all#quot;"| F[[Notifier]]
    F --- G[Mailer]
    F ---->|slow path| G
    F -.- H[Audit log]
"""
    )
    assert (problems, skipped) == ([], [])
    assert nodes == {
        "A": ("service", "Browser", ""),
        "B": ("service", "API gateway", ""),
        "C": ("service", "Auth service", ""),
        "D": ("cache", "Redis", ""),
        "E": ("queue", "Events", ""),
        "F": ("worker", "Notifier", ""),
        "G": ("service", "Mailer", ""),
        "H": ("service", "Audit log", ""),
    }
    assert edges == [
        ("A", "B", "GET /feed", "sync"),
        ("B", "C", "auth check", "sync"),
        ("B", "D", "cache miss", "sync"),
        ("B", "E", "publish", "async"),
        ("E", "F", 'fan-out "all"', "async"),
        ("F", "G", "", "sync"),
        ("F", "G", "slow path", "sync"),
        ("F", "H", "", "async"),
    ]


def test_chains_and_ampersands_fan_out_and_in():
    nodes, edges, skipped, problems = graph(
        """flowchart TD
    client([Mobile app]) --> gw[Gateway] --> svc[Feed service] --> cache{{Feed cache}}
    svc --> db1[(Posts)] & db2[(Follows)]
    w1[[Fan-out worker]] & w2[[Ranker]] --> cache & db1
"""
    )
    assert (problems, skipped) == ([], [])
    assert {node_id: kind for node_id, (kind, _, _) in nodes.items()} == {
        "client": "client",
        "gw": "service",
        "svc": "service",
        "cache": "cache",
        "db1": "database",
        "db2": "database",
        "w1": "worker",
        "w2": "worker",
    }
    assert [(s, t) for s, t, _, _ in edges] == [
        ("client", "gw"),
        ("gw", "svc"),
        ("svc", "cache"),
        ("svc", "db1"),
        ("svc", "db2"),
        ("w1", "cache"),
        ("w1", "db1"),
        ("w2", "cache"),
        ("w2", "db1"),
    ]


def test_every_shape_gives_a_type_and_class_names_can_say_it_better():
    nodes, edges, skipped, problems = graph(
        """flowchart LR
    u([User]) --> cdn((CDN)) --> lb{LB}
    lb --> s1[Search API]:::search --> idx>Index]
    lb --> store[/Uploads\\]
    lb --> pay[\\Payments/]
    lb --> q[\\Jobs\\] & q2[/Mail queue/] & dc(((Metrics)))
    lb --> misc(Anything)
    lb --> bare
    lb --> hot[Hot path]:::hot
    lb --> n1@{ shape: cyl, label: "Sessions" }
    class misc db
    classDef search fill:#eef
    style bare stroke-dasharray: 5 5
"""
    )
    assert problems == []
    assert {node_id: node[:2] for node_id, node in nodes.items()} == {
        "u": ("client", "User"),
        "cdn": ("cdn", "CDN"),
        "lb": ("load_balancer", "LB"),
        "s1": ("search", "Search API"),
        "idx": ("search", "Index"),
        "store": ("storage", "Uploads"),
        "pay": ("external", "Payments"),
        "q": ("queue", "Jobs"),
        "q2": ("queue", "Mail queue"),
        "dc": ("monitoring", "Metrics"),
        "misc": ("database", "Anything"),
        "bare": ("service", "bare"),
        "hot": ("service", "Hot path"),
        "n1": ("database", "Sessions"),
    }
    assert len(edges) == 13
    assert skipped == [
        at(9, "not imported: class 'hot' of hot (styling)"),
        at(12, "not imported: classDef search (styling)"),
        at(13, "not imported: style bare (styling)"),
    ]


def test_comments_directives_front_matter_and_semicolons():
    chart = mermaid.parse(
        """---
title: Payments flow
config:
  theme: forest
---
%%{init: {"flowchart": {"curve": "basis"}}}%%
graph RL;
    %% every request is signed; this line is a comment
    A["Checkout (web)"] --> B["Payments API"]; B --> C[(Ledger)] %% trailing note
    click B "https://example.com/docs" "Docs"
    linkStyle 0 stroke:#f00
    accTitle: Payments
"""
    )
    assert (chart.title, chart.direction, chart.problems) == ("Payments flow", "RL", [])
    assert {n.id: (n.label, n.shape) for n in chart.nodes.values()} == {
        "A": ("Checkout (web)", "square"),
        "B": ("Payments API", "square"),
        "C": ("Ledger", "cylinder"),
    }
    assert [(e.source, e.target, e.line) for e in chart.edges] == [("A", "B", 9), ("B", "C", 9)]
    assert chart.skipped == [
        at(3, "not imported: front matter 'config'"),
        at(6, "not imported: a %%{…}%% directive (configuration)"),
        at(10, "not imported: click B (links and callbacks are never imported)"),
        at(11, "not imported: linkStyle 0 (styling)"),
        at(12, "not imported: accTitle (accessibility text)"),
    ]


def test_links_that_only_partly_fit_a_board_are_reported():
    nodes, edges, skipped, problems = graph(
        """flowchart LR
    A <--> B
    B --x C
    C --o A
    A --> A
    A ~~~ D
"""
    )
    assert problems == []
    assert set(nodes) == {"A", "B", "C", "D"}
    assert edges == [("A", "B", "", "sync"), ("B", "C", "", "sync"), ("C", "A", "", "sync")]
    assert skipped == [
        at(2, "imported as one arrow, A to B: the arrowhead at A"),
        at(3, "not imported: the 'x' end of the link B to C"),
        at(4, "not imported: the 'o' end of the link C to A"),
        at(5, "not imported: the link from A to itself (an arrow joins two components)"),
        at(6, "not imported: invisible link A ~~~ D"),
    ]


def test_a_broken_chart_lists_every_problem_with_its_line():
    _, _, _, problems = graph(
        """flowchart LR
    A[Web] --> B[API
    B -> C
    C --> D((DB)
    end
    E --> F["never closed]
    subgraph s
    G --> H
"""
    )
    assert problems == [
        at(2, "could not understand 'A[Web] --> B[API': the label is never closed with ']'"),
        at(3, "could not understand 'B -> C': expected a link such as '-->', found '-> C'"),
        at(4, "could not understand 'C --> D((DB)': the label is never closed with '))'"),
        at(5, "'end' without a 'subgraph' to close"),
        at(6, "a quoted string opened on this line is never closed"),
        at(7, "subgraph 's' is never closed with 'end'"),
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "sequenceDiagram\n  A->>B: hi\n",
            "not a Mermaid flowchart: expected 'flowchart' or 'graph', found 'sequenceDiagram'",
        ),
        ("flowchart sideways\n  A --> B\n", "unknown direction 'sideways': expected LR, RL, TB, TD or BT"),
        ("graph TD A --> B\n", "could not understand 'graph TD A --> B': start statements on the next line"),
        ("flowchart LR\nsubgraph one\n  A --> B\n", "subgraph 'one' is never closed with 'end'"),
        (
            "flowchart LR\n  A[ok] --> B\n  e1@--> C\n",
            "could not understand 'e1@--> C': edge ids such as 'e1@-->' are not supported",
        ),
        ("flowchart LR\n  A[\u202eevil] --> B\n", "A: label: Text may not contain bidirectional override characters."),
    ],
)
def test_what_is_not_a_flowchart_or_not_understood_is_a_problem(source, message):
    _, _, _, problems = graph(source)
    assert [p["message"] for p in problems] == [message]


def test_empty_text_is_a_problem():
    assert mermaid.parse("\n  %% only a comment\n").problems == [
        {"line": None, "message": "the text is empty: expected a Mermaid flowchart ('flowchart LR' …)"}
    ]


@pytest.mark.parametrize(
    ("header", "direction"),
    [
        ("graph TD", "TB"),
        ("graph TB", "TB"),
        ("flowchart", "TB"),
        ("graph BT", "BT"),
        ("flowchart LR", "LR"),
        ("graph RL", "RL"),
    ],
)
def test_every_direction_is_read(header, direction):
    chart = mermaid.parse(f"{header}\n  A --> B\n")
    assert (chart.direction, chart.problems) == (direction, [])


# --------------------------------------------------------------------------- layout


def positions(source: str) -> dict[str, tuple[int, int]]:
    chart = mermaid.parse(source)
    return {e["id"]: (e["x"], e["y"]) for e in mermaid.to_elements(chart) if e["kind"] == "component"}


@pytest.mark.parametrize(
    ("direction", "axis", "sign"), [("LR", 0, 1), ("RL", 0, -1), ("TB", 1, 1), ("TD", 1, 1), ("BT", 1, -1)]
)
def test_longest_path_layers_run_in_the_flowchart_direction(direction, axis, sign):
    where = positions(f"flowchart {direction}\n  A --> B --> C\n  A --> C\n  A --> D\n")
    # C is two steps from A (via B) even though A also links to it directly.
    steps = {node: where[node][axis] * sign for node in "ABCD"}
    assert steps["A"] < steps["B"] == steps["D"] < steps["C"]
    assert len(set(where.values())) == 4  # no two boxes on top of each other


def test_cycles_are_laid_out_and_lone_nodes_go_in_a_grid_beside():
    where = positions("flowchart LR\n  A --> B --> C --> A\n  X\n  Y\n  Z\n")
    assert where["A"][0] < where["B"][0] < where["C"][0]
    assert min(where[n][0] for n in "XYZ") > where["C"][0]
    assert len(set(where.values())) == 6


# --------------------------------------------------------------------------- export


def component(element_id: str, kind: str = "service", label: str = "", **extra) -> dict:
    raw = {"id": element_id, "kind": "component", "type": kind, "label": label, "x": 0, "y": 0, **extra}
    return ops.parse_element(raw, "e")


def arrow(element_id: str, source: str, target: str, label: str = "", style: str = "sync") -> dict:
    raw = {"id": element_id, "kind": "arrow", "source": source, "target": target, "label": label, "style": style}
    return ops.parse_element(raw, "e")


def test_the_export_maps_every_type_to_its_own_shape():
    elements = [component(f"c_{kind}", kind, kind.replace("_", " ").title()) for kind in ops.COMPONENT_TYPES]
    elements += [arrow("a1", "c_client", "c_service", "calls"), arrow("a2", "c_service", "c_queue", style="async")]
    text = mermaid.to_mermaid(elements)
    assert text == (
        "flowchart LR\n"
        '    c_client(["Client"])\n'
        '    c_service["Service"]\n'
        '    c_database[("Database")]\n'
        '    c_cache{{"Cache"}}\n'
        '    c_queue[/"Queue"/]\n'
        '    c_load_balancer{"Load Balancer"}\n'
        '    c_cdn(("Cdn"))\n'
        '    c_storage[/"Storage"\\]\n'
        '    c_search>"Search"]\n'
        '    c_worker[["Worker"]]\n'
        '    c_external[\\"External"/]\n'
        '    c_monitoring((("Monitoring")))\n'
        '    c_client -->|"calls"| c_service\n'
        "    c_service -.-> c_queue\n"
    )
    assert len({start + end for start, end in mermaid.SHAPES.values()}) == len(ops.COMPONENT_TYPES)
    nodes, _, _, _ = graph(text)
    assert {i: node[0] for i, node in nodes.items()} == {f"c_{kind}": kind for kind in ops.COMPONENT_TYPES}


def test_ids_mermaid_would_misread_are_renamed_but_stay_board_ids():
    elements = [component(i) for i in ("api-v2", "api_v2", "end", "classroom", "style", "x" * 64, "n_end")]
    ids = mermaid.node_ids(elements)
    assert ids == {
        "api-v2": "api_v2",
        "api_v2": "api_v2_2",
        "end": "n_end",
        "classroom": "n_classroom",
        "style": "n_style",
        "x" * 64: "x" * 64,
        "n_end": "n_end_2",
    }
    assert all(ops.ID_PATTERN.match(node_id) for node_id in ids.values())


HOSTILE = [
    '"]; click A "javascript:alert(1)"',
    'x"] --> B[pwned',
    "%%{init: {'securityLevel': 'loose'}}%%",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "line one\nline two\r\n  # heading | pipe ` tick",
    "#quot; #35; <br> literally",
    "  padded  ",
    "end",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_stay_inside_their_quotes_and_come_back_unchanged(label):
    elements = [component("A", label=label), component("B", "database"), arrow("e", "A", "B", label=label)]
    text = mermaid.to_mermaid(elements)
    lines = text.splitlines()
    assert len(lines) == 4  # header, two nodes, one edge: nothing broke out onto a line of its own
    for line in lines[1:]:
        inner = line.split('"')
        assert len(inner) == 3  # exactly one quoted string per line
        assert not any(ch in inner[1].replace("<br>", "") for ch in "\n\r`|[](){}<>%")
    assert "click" not in lines[1].split('"')[0] and "javascript" not in lines[1].split('"')[0]
    chart = mermaid.parse(text)
    assert (chart.problems, chart.skipped) == ([], [])
    assert chart.nodes["A"].label == label
    assert chart.edges[0].label == label


def test_labels_decode_mermaid_entities_and_line_breaks():
    assert mermaid.unescape_label("a#quot;b#35;c#amp;d<br/>e<BR>f#lt;br#gt;", quoted=True) == 'a"b#c&d\ne\nf<br>'
    assert mermaid.unescape_label("#99999999; #0; #nosuch;", quoted=True) == "#99999999; #0; #nosuch;"
    assert mermaid.escape_label("") == " " and mermaid.unescape_label(" ", quoted=True) == ""


# --------------------------------------------------------------------------- the round trip, for any board


def _valid(text: str) -> bool:
    try:
        ops.text_field(ops.MAX_LABEL)(text, "label")
    except Exception:
        return False
    return True


labels = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)).filter(_valid)
ids = st.from_regex(ops.ID_PATTERN, fullmatch=True)


@st.composite
def boards(draw: st.DrawFn) -> list[dict]:
    component_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    elements = [
        component(i, draw(st.sampled_from(ops.COMPONENT_TYPES)), draw(labels), x=n * 10)
        for n, i in enumerate(component_ids)
    ]
    if len(component_ids) > 1:
        for n in range(draw(st.integers(0, 10))):
            source, target = draw(st.lists(st.sampled_from(component_ids), min_size=2, max_size=2, unique=True))
            style = draw(st.sampled_from(ops.ARROW_STYLES))
            elements.append(arrow(f"arrow-{n}", source, target, draw(labels), style))
    if draw(st.booleans()):
        elements.append(ops.parse_element({"id": "sticky-note", "kind": "note", "x": 0, "y": 0, "text": "hi"}, "e"))
    return elements


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards())
def test_any_board_survives_export_and_import(elements):
    text = mermaid.to_mermaid(elements)
    chart = mermaid.parse(text)
    imported = mermaid.to_elements(chart)
    assert (chart.problems, chart.skipped) == ([], [])
    names = mermaid.node_ids(elements)
    want = {names[e["id"]]: (e["type"], e["label"]) for e in elements if e["kind"] == "component"}
    got = {e["id"]: (e["type"], e["label"]) for e in imported if e["kind"] == "component"}
    assert got == want
    arrows = Counter(
        (names[e["source"]], names[e["target"]], e["label"], e["style"]) for e in elements if e["kind"] == "arrow"
    )
    assert (
        Counter((e["source"], e["target"], e["label"], e["style"]) for e in imported if e["kind"] == "arrow") == arrows
    )
    # What came back is a board the server accepts as it is.
    ops.apply_ops({}, 0, [{"op": "add", "element": e} for e in imported])


def _box(element_id, kind, x, y, w, h, **extra):
    fields = {"component": {"type": "service", "label": element_id.upper()}, "frame": {"label": element_id}}[kind]
    return ops.parse_element({"id": element_id, "kind": kind, "x": x, "y": y, "w": w, "h": h, **fields, **extra}, "e")


def test_a_frame_is_a_subgraph_of_the_components_inside_it_nested_as_the_frames_are():
    elements = [
        _box("region", "frame", 0, 0, 1000, 400, label='us-east-1 "prod"'),
        _box("az-a", "frame", 10, 10, 400, 300),
        _box("empty", "frame", 2000, 0, 100, 100),
        _box("api", "component", 40, 60, 160, 72),
        _box("db", "component", 600, 60, 160, 72, type="database"),
        _box("cdn", "component", -400, 0, 160, 72, type="cdn"),
    ]
    text = mermaid.to_mermaid(elements)
    assert text.splitlines()[1:] == [
        "    %% 1 frame holding no component not exported",
        '    subgraph frame_region["us-east-1 #quot;prod#quot;"]',
        '        subgraph frame_az_a["az-a"]',
        '            api["API"]',
        "        end",
        '        db[("DB")]',
        "    end",
        '    cdn(("CDN"))',
    ]
    chart = mermaid.parse(text)  # reads back: the subgraphs are flattened into the components' notes
    assert chart.problems == [] and set(chart.nodes) == {"api", "db", "cdn"}
