"""Excalidraw import (`reviews.formats.excalidraw`): every construct of a scene and a library, on hand-made files."""

from __future__ import annotations

import json

import pytest

from reviews.formats import excalidraw

from .fixtures import (
    assert_ready,
    by_label,
    edges,
    messages,
    scene,
    x_arrow,
    x_element,
    x_labelled,
    x_shape,
    x_text,
)


def load(*elements, **extra):
    imported = excalidraw.load(scene(*elements, **extra))
    assert_ready(imported)
    return imported


def test_a_small_architecture():
    arrow = x_arrow("a1", "api", "db", boundElements=[{"id": "a1-text", "type": "text"}])
    imported = load(
        x_labelled("web", "Browser", 0, 0, kind="ellipse"),
        x_labelled("api", "Order service", 300, 0),
        x_labelled("db", "Postgres", 600, 0, kind="diamond"),
        x_arrow("a0", "web", "api"),
        arrow,
        x_text("a1-text", "reads", 450, 10, container="a1"),
    )
    shapes = by_label(imported)
    assert {k: (v["type"], v["tech"], v["x"], v["y"], v["w"], v["h"]) for k, v in shapes.items()} == {
        "Browser": ("client", "", 0, 0, 160, 80),
        "Order service": ("service", "", 300, 0, 160, 80),
        "Postgres": ("database", "PostgreSQL", 600, 0, 160, 80),
    }
    assert shapes["Order service"]["id"] == "api"  # ids are kept when the board accepts them
    assert edges(imported) == [("Browser", "Order service", "", "sync"), ("Order service", "Postgres", "reads", "sync")]
    assert imported.report == []
    assert "frame" not in [e["kind"] for e in imported.elements]


def test_text_bound_only_from_the_container_side_and_original_text_win():
    shape = x_shape("s", boundElements=[{"id": "t", "type": "text"}])
    text = x_text("t", "Redis cache", container=None, wrapped="Redis\ncache")  # `text` is wrapped; the original is not
    imported = load(shape, text)
    assert [(e["label"], e["type"], e["tech"]) for e in imported.elements] == [("Redis cache", "cache", "Redis")]


def test_free_text_inside_an_unlabelled_shape_is_its_label():
    imported = load(
        x_shape("box", 0, 0, width=300, height=200),
        x_text("t2", "cluster", 20, 100, width=60),
        x_text("t1", "Kafka", 20, 20, width=60),
        x_text("far", "a note", 1000, 1000),
    )
    assert by_label(imported)["Kafka\ncluster"]["type"] == "queue"
    assert [e["text"] for e in imported.elements if e["kind"] == "note"] == ["a note"]


def test_free_text_is_a_note_with_its_box():
    imported = load(x_text("t", "Remember:\nidempotent writes", 40, 50, width=220, height=50))
    assert imported.elements == [
        {"id": "t", "kind": "note", "text": "Remember:\nidempotent writes", "x": 40, "y": 50, "w": 220, "h": 50}
    ]


def test_dashed_and_dotted_arrows_are_async_and_lines_count():
    imported = load(
        x_labelled("a", "API", 0, 0),
        x_labelled("q", "Kafka", 300, 0),
        x_labelled("w", "Worker", 600, 0),
        x_arrow("e1", "a", "q", strokeStyle="dashed"),
        x_arrow("e2", "q", "w", kind="line", strokeStyle="dotted"),
        x_arrow("e3", "a", "w", kind="line"),
    )
    assert edges(imported) == [
        ("API", "Kafka", "", "async"),
        ("Kafka", "Worker", "", "async"),
        ("API", "Worker", "", "sync"),
    ]


def test_an_arrow_whose_head_is_at_its_start_points_the_other_way():
    arrow = x_arrow("e", "a", "b", startArrowhead="arrow", endArrowhead=None)
    imported = load(x_labelled("a", "API", 0, 0), x_labelled("b", "Worker", 300, 0), arrow)
    assert edges(imported) == [("Worker", "API", "", "sync")]


def test_arrows_not_bound_at_both_ends_are_reported_not_guessed():
    label = x_text("e1-text", "maybe", container="e1")
    imported = load(
        x_labelled("a", "API", 0, 0),
        x_labelled("b", "DB", 300, 0),
        x_arrow("e1", "a", None),
        label,
        x_arrow("e2", None, None),
        x_arrow("e3", "a", "gone"),
        x_arrow("e4", "a", "a"),
    )
    assert edges(imported) == []
    problems = {p["id"]: p["message"] for p in imported.report}
    assert problems == {
        "e1": "not imported: arrow e1 labelled 'maybe' is bound at one end; only connections are",
        "e2": "not imported: arrow e2 is bound at neither end; only connections are",
        "e3": "not imported: arrow e3 is bound to missing element gone, not to a component",
        "e4": "not imported: arrow e4 starts and ends on the same shape",
    }
    assert "maybe" not in [e.get("text") for e in imported.elements]  # the label went with its arrow


def test_an_arrow_bound_to_a_text_or_frame_is_reported():
    imported = load(
        x_labelled("a", "API", 0, 0),
        x_text("t", "a free text", 400, 0),
        x_element("frame", "f", x=0, y=300, width=500, height=300, name="VPC"),
        x_arrow("e1", "a", "t"),
        x_arrow("e2", "a", "f"),
    )
    by_id = {p.get("id"): p["message"] for p in imported.report}
    assert by_id["e1"] == "not imported: arrow e1 is bound to text t, not to a component"
    assert by_id["e2"] == "not imported: arrow e2 is bound to frame f, not to a component"


def test_frames_are_frames_behind_the_shapes_they_hold():
    imported = load(
        x_element("frame", "f1", x=-20, y=-20, width=800, height=300, name="Backend"),
        x_labelled("a", "API", 0, 0, frameId="f1"),
        x_labelled("b", "DB", 300, 0, frameId="f1"),
        x_labelled("c", "CDN", 0, 600),
        x_element("frame", "f2", x=0, y=900, width=100, height=100, name=None),
    )
    assert_ready(imported)
    assert [e for e in imported.elements if e["kind"] == "frame"] == [
        {"id": "f1", "kind": "frame", "label": "Backend", "x": -20, "y": -20, "w": 800, "h": 300},
        {"id": "f2", "kind": "frame", "label": "", "x": 0, "y": 900, "w": 100, "h": 100},
    ]
    assert [e["kind"] for e in imported.elements][:2] == ["frame", "frame"]  # drawn first, so behind
    assert messages(imported) == []
    assert len(by_label(imported)) == 3


def test_freedraw_images_and_unknown_kinds_are_reported_and_deleted_elements_skipped():
    imported = load(
        x_labelled("a", "API", 0, 0),
        x_element("freedraw", "scribble", points=[[0, 0], [5, 5]]),
        x_element("image", "logo", fileId="abc", status="saved"),
        x_element("embeddable", "yt"),
        x_element("hologram", "h"),
        x_shape("ghost", isDeleted=True),
        x_text("ghost-text", "deleted words", isDeleted=True),
    )
    assert len(imported.elements) == 1
    assert messages(imported) == [
        "not imported: freedraw scribble (a freehand drawing has no board element)",
        "not imported: image logo (an image has no board element)",
        "not imported: embeddable yt (an embedded web page has no board element)",
        "not imported: hologram h (an unknown kind of element)",
    ]
    assert {p["id"] for p in imported.report} == {"scribble", "logo", "yt", "h"}


def test_unrecognised_shapes_are_services_and_listed():
    imported = load(x_labelled("a", "Thingamajig", 0, 0), x_shape("b", 300, 0))
    assert [e["type"] for e in imported.elements] == ["service", "service"]
    assert messages(imported) == ["typed as service: Thingamajig (a)", "typed as service: (no label) (b)"]


def test_long_labels_are_cut_with_the_whole_text_in_the_notes():
    long = "Order service " * 20
    imported = load(x_labelled("a", long, 0, 0))
    (component,) = imported.elements
    assert len(component["label"]) == 200 and component["label"].endswith("…")
    assert component["notes"] == long
    assert messages(imported) == ["shape a: label cut to 200 characters; the whole text is in its notes"]


def test_characters_a_board_refuses_are_removed_and_said():
    imported = load(x_labelled("a", "API\u202e\x00 gateway", 0, 0))
    assert by_label(imported)["API gateway"]
    assert "removed characters" in messages(imported)[0]


def test_ids_the_board_refuses_are_replaced_and_duplicates_renamed():
    imported = load(
        x_labelled("an id with spaces", "API", 0, 0),
        x_labelled("x" * 80, "DB", 300, 0),
        x_arrow("e/1", "an id with spaces", "x" * 80),
    )
    assert [e["id"] for e in imported.elements] == ["an_id_with_spaces", "x" * 64, "e_1"]


def test_a_scene_far_out_is_moved_into_the_board():
    imported = load(x_labelled("a", "API", 5e6, 5e6), x_labelled("b", "DB", 5e6 + 300, 5e6))
    assert [(e["x"], e["y"]) for e in imported.elements] == [(0, 0), (300, 0)]
    assert messages(imported) == ["the drawing was moved to fit the board (coordinates within ±1e+06)"]


def test_a_scene_too_wide_is_moved_and_scaled():
    imported = load(x_labelled("a", "API", -3e6, 0), x_labelled("b", "DB", 3e6, 0))
    xs = [e["x"] for e in imported.elements]
    assert xs[0] == 0 and 0 < xs[1] <= 1e6
    assert "scaled" in messages(imported)[0]


def test_negative_sizes_are_the_same_box():
    imported = load(x_shape("a", 100, 100, width=-50, height=-40))
    assert [(e["x"], e["y"], e["w"], e["h"]) for e in imported.elements] == [(50, 60, 50, 40)]


def test_a_customdata_type_from_our_export_wins():
    shape = x_shape("a", customData={"bothsides": {"type": "worker", "tech": "Go", "replicas": 3, "notes": "n"}})
    imported = load(shape)
    (component,) = imported.elements
    assert (component["type"], component["tech"], component["replicas"], component["notes"]) == ("worker", "Go", 3, "n")
    assert imported.report == []


def test_a_type_prefix_line_is_read_and_removed():
    imported = load(x_labelled("a", "[queue]\nOrders", 0, 0))
    assert [(e["type"], e["label"]) for e in imported.elements] == [("queue", "Orders")]


def library_v1():
    return {
        "type": "excalidrawlib",
        "version": 1,
        "source": "https://excalidraw.com",
        "library": [x_labelled("a", "Redis", 500, 500), [x_shape("b", 500, 500, kind="ellipse")]],
    }


def test_a_version_1_library_sets_its_items_side_by_side():
    imported = excalidraw.load(json.dumps(library_v1()))
    assert_ready(imported)
    assert [(e["type"], e["x"], e["y"]) for e in imported.elements] == [("cache", 0, 0), ("service", 240, 0)]


def test_a_version_2_library_and_repeated_ids_across_items():
    item = {"status": "published", "id": "i1", "created": 1, "elements": x_labelled("a", "Kafka", 10, 10)}
    document = {"type": "excalidrawlib", "version": 2, "source": "x", "libraryItems": [item, {**item, "id": "i2"}]}
    imported = excalidraw.load(json.dumps(document).encode())
    assert_ready(imported)
    assert [(e["id"], e["type"], e["x"]) for e in imported.elements] == [("a", "queue", 0), ("a_2", "queue", 240)]


def test_a_library_item_keeps_its_own_arrows():
    elements = [*x_labelled("a", "API", 0, 0), *x_labelled("b", "DB", 300, 0), x_arrow("e", "a", "b")]
    document = {"type": "excalidrawlib", "version": 2, "libraryItems": [{"elements": elements}, {"elements": elements}]}
    imported = excalidraw.load(json.dumps(document))
    assert_ready(imported)
    assert edges(imported) == [("API", "DB", "", "sync"), ("API", "DB", "", "sync")]
    arrows = [e for e in imported.elements if e["kind"] == "arrow"]
    assert (arrows[1]["source"], arrows[1]["target"]) == ("a_2", "b_2")


def test_an_empty_scene_is_an_empty_board():
    imported = load()
    assert (imported.elements, imported.report) == ([], [])


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"type": "excalidraw", "version": 3, "elements": []}, "unsupported_version"),
        ({"type": "excalidraw", "version": 2}, "not_excalidraw"),
        ({"type": "excalidraw", "version": 2, "elements": {}}, "not_excalidraw"),
        ({"type": "excalidrawlib", "version": 9, "library": []}, "unsupported_version"),
        ({"type": "excalidrawlib", "version": 2, "libraryItems": [{"elements": 3}]}, "not_excalidraw"),
        ({"type": "excalidrawlib", "version": 1, "library": [3]}, "not_excalidraw"),
        ({"type": "bothsides", "version": 1}, "not_excalidraw"),
        ([1, 2], "not_excalidraw"),
    ],
)
def test_files_that_are_not_excalidraw(document, reason):
    with pytest.raises(excalidraw.ImportInvalid) as caught:
        excalidraw.load(json.dumps(document))
    assert caught.value.reason == reason
    assert caught.value.as_dict()["code"] == "validation_error"


def test_elements_that_are_not_objects_are_reported():
    imported = load(x_labelled("a", "API", 0, 0), 7, {"id": "noType"}, x_shape("p", x="left"))
    assert messages(imported) == [
        "not imported: element #2 has no id or type",
        "not imported: element #3 has no id or type",
        "not imported: rectangle p has no position",
    ]


def test_what_excalidraw_puts_on_the_clipboard_imports_too():
    content = json.dumps({"type": "excalidraw/clipboard", "elements": x_labelled("a", "Kafka"), "files": {}})
    imported = excalidraw.load(content)
    assert [(e["type"], e["label"]) for e in imported.elements] == [("queue", "Kafka")]


def test_too_many_texts_and_shapes_to_compare_are_notes_and_said():
    shapes = [x_shape(f"s{i}", 0, 0, width=1000, height=1000) for i in range(1500)]
    texts = [x_text(f"t{i}", "hi", 10, 10) for i in range(1500)]
    imported = load(shapes, texts)
    assert sum(e["kind"] == "note" for e in imported.elements) == 1500
    assert "too many to compare" in messages(imported)[0]


def test_an_explicit_tech_or_notes_too_long_is_cut_and_said():
    mark = {"type": "service", "tech": "t" * 150, "notes": "n" * 5000}
    imported = load(x_shape("a", customData={"bothsides": mark}))
    (component,) = imported.elements
    assert (len(component["tech"]), len(component["notes"])) == (100, 4000)
    assert messages(imported) == ["shape a: technology cut to 100 characters", "shape a: notes cut to 4000 characters"]


def test_report_lines_quote_long_labels_briefly():
    imported = load(
        x_arrow("e", None, None, boundElements=[{"id": "t", "type": "text"}]), x_text("t", "w" * 500, container="e")
    )
    (message,) = messages(imported)
    assert len(message) < 150 and "…" in message


def test_a_byte_order_mark_is_fine():
    content = "\ufeff" + scene(x_labelled("a", "Kafka"))
    assert len(excalidraw.load(content).elements) == 1
    assert len(excalidraw.load(content.encode("utf-8")).elements) == 1


def test_a_frame_id_never_clashes_with_an_element_id():
    imported = load(
        x_labelled("same", "API", 0, 0, frameId="same"),
        x_element("frame", "same", x=-10, y=-10, width=400, height=300, name="Zone"),
    )
    assert [e["id"] for e in imported.elements] == ["same"]  # the component; the frame was the duplicate
    # the second "same" is a duplicate in the file, so it is reported, not a frame
    assert messages(imported)[0] == "not imported: a second element with id 'same'"
    imported = load(x_labelled("f 1", "API", 0, 0, frameId="f_1"), x_element("frame", "f_1", name="Zone"))
    assert [(e["kind"], e["id"]) for e in imported.elements] == [("frame", "f_1_2"), ("component", "f_1")]
