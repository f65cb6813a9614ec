"""The frame drill (reviews/drill.py): a frame fails every component whose `frame` names it, at once."""

from __future__ import annotations

from typing import Any

from reviews import drill


def component(element_id: str, kind: str, frame: str | None = None, replicas: int = 1) -> dict[str, Any]:
    box = {"id": element_id, "kind": "component", "type": kind, "label": element_id.capitalize(), "x": 0, "y": 0}
    return {
        **box,
        "w": 160,
        "h": 72,
        "tech": "",
        "replicas": replicas,
        "notes": "",
        **({"frame": frame} if frame else {}),
    }


def arrow(spec: str) -> dict[str, Any]:
    style = "async" if "~" in spec else "sync"
    source, target = spec.split("~" if style == "async" else ">")
    return {
        "id": f"{source}-{target}",
        "kind": "arrow",
        "source": source,
        "target": target,
        "label": "x",
        "style": style,
    }


def frame(frame_id: str, label: str) -> dict[str, Any]:
    return {"id": frame_id, "kind": "frame", "label": label, "x": 0, "y": 0, "w": 480, "h": 320}


def fail(elements: list[dict[str, Any]], element_id: str) -> dict[str, Any]:
    return drill.analyse(elements, fail=element_id)["drill"]


def region_board() -> list[dict[str, Any]]:
    """A client outside; an API, a search index and a database in us-east-1; a reporting service outside."""
    return [
        frame("east", "us-east-1"),
        component("web", "client"),
        component("api", "service", "east"),
        component("search", "search", "east"),
        component("db", "database", "east"),
        component("report", "service"),
        component("mail", "worker"),
        *map(arrow, ["web>api", "web>report", "api>search", "api>db", "report>db", "report~mail"]),
    ]


def test_a_frame_fails_the_three_components_in_it_and_its_blast_radius_is_the_union():
    elements = region_board()
    result = fail(elements, "east")
    assert result["failed"] == "east"
    assert result["failed_components"] == ["api", "db", "search"]
    members = result["failed_components"]
    alone = [fail(elements, m) for m in members]
    radius = {m for r in alone for m in [r["failed"], *r["lost"]]}
    assert set(result["lost"]) == radius - set(members) == {"web", "report"}
    assert set(result["degraded"]) == {d for r in alone for d in r["degraded"]} - radius
    assert set(result["entry_points_cut"]) == {e for r in alone for e in r["entry_points_cut"]}
    assert result["summary"].startswith("If us-east-1 goes down, taking Api, Db and Search with it, ")
    assert "mail" not in result["lost"]


def test_only_the_stored_frame_counts_not_where_a_box_happens_to_lie():
    elements = region_board()  # every box sits at 0,0 inside the frame's rectangle; "web" names no frame
    assert "web" not in fail(elements, "east")["failed_components"]


def test_a_region_holding_both_backends_takes_down_the_balancer_that_survives_each_alone():
    elements = [
        frame("east", "us-east-1"),
        component("web", "client"),
        component("lb", "load_balancer"),
        component("a1", "service", "east"),
        component("a2", "service", "east"),
        component("db", "database"),
        *map(arrow, ["web>lb", "lb>a1", "lb>a2", "a1>db", "a2>db"]),
    ]
    assert fail(elements, "a1")["lost"] == [] and fail(elements, "a2")["lost"] == []
    result = fail(elements, "east")
    assert set(result["lost"]) == {"lb", "web"}
    assert result["single_point_of_failure"] is True


def test_replicas_inside_a_failing_region_do_not_help():
    elements = [
        frame("east", "us-east-1"),
        component("web", "client"),
        component("api", "service", "east", replicas=3),
        component("db", "database"),
        *map(arrow, ["web>api", "api>db"]),
    ]
    assert fail(elements, "api")["single_point_of_failure"] is False
    region = fail(elements, "east")
    assert region["single_point_of_failure"] is True
    assert "no replica inside it helps: us-east-1 is a single point of failure" in region["summary"]


def test_an_empty_frame_fails_nothing_and_says_so():
    elements = [*region_board(), frame("west", "")]
    result = fail(elements, "west")
    assert (result["failed"], result["failed_components"], result["lost"], result["degraded"]) == ("west", [], [], [])
    assert result["entry_points_cut"] == [] and result["single_point_of_failure"] is False
    assert result["summary"] == "west holds no component, so nothing goes down with it: drop components into it first."


def test_a_component_drill_names_the_component_as_its_only_failed_component():
    result = fail(region_board(), "db")
    assert (result["failed"], result["failed_components"]) == ("db", ["db"])


def test_an_entry_point_inside_the_region_is_not_reported_cut_off():
    elements = [
        frame("east", "us-east-1"),
        component("web", "client", "east"),
        component("app", "client"),
        component("api", "service", "east"),
        component("db", "database"),
        *map(arrow, ["web>api", "app>api", "api>db"]),
    ]
    assert fail(elements, "east")["entry_points_cut"] == ["app"]
