"""Excalidraw scenes and libraries in and out of a board. Pure: text in, elements out, and back.

Import (`load`): a `.excalidraw` scene (`{"type": "excalidraw",
"version": 2, "elements": [...]}`) or a `.excalidrawlib` library (version 1:
`"library": [[element, ...], ...]`; version 2: `"libraryItems": [{"elements":
[...]}, ...]`, items set side by side). Rectangles, ellipses and diamonds
are components, labelled by their bound text (the text's `containerId`, or
the shape's `boundElements`) or, failing that, by the free text drawn inside
them; the type is inferred (`inference`). Arrows and lines bound at both
ends (`startBinding` / `endBinding`) to components are arrows, labelled by
their bound text, `async` when dashed or dotted; an arrow bound at one end,
or none, is reported. Frames are frames; free text is
a note; freedraw, images and embeds are reported; deleted elements are
skipped.

Export (`export`): a scene Excalidraw opens as is: each component
a rectangle (an ellipse for clients, a diamond for load balancers) with its
type as the first line of its bound text (`[database]`), each arrow bound at
both ends with the shapes listing it in `boundElements`, each note a free
text. `customData.bothsides` keeps type, tech, replicas and notes, so a
round trip gives back the same graph.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from reviews.formats.frames import parents
from reviews.formats.interop import (
    MAX_RAW_ELEMENTS,
    Builder,
    Imported,
    ImportInvalid,
    board_parts,
    brief,
    check_size,
    number,
    too_large,
)

SHAPES = ("rectangle", "ellipse", "diamond")
LINES = ("arrow", "line")
FRAMES = ("frame", "magicframe")
NOT_IMPORTED = {
    "freedraw": "a freehand drawing",
    "image": "an image",
    "embeddable": "an embedded web page",
    "iframe": "an embedded web page",
}
LIBRARY_GAP = 80
MAX_CONTAINMENT_CHECKS = 2_000_000  # free texts x unlabelled shapes: about a second
LIBRARY_COLUMNS = 6
FONT_SIZE = 16
SOURCE = "https://github.com/bothsides"


# --------------------------------------------------------------------------- reading


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def load_json(content: str | bytes) -> Any:
    """Strict JSON: no NaN or Infinity, no key twice; nesting too deep is refused, not crashed on."""
    check_size(content)
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid("malformed_json", "The file is not UTF-8 text.") from None
    content = content.removeprefix("\ufeff")
    try:
        return json.loads(
            content,
            parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)),
            object_pairs_hook=_reject_duplicates,
        )
    except RecursionError:
        raise ImportInvalid("too_deep", "The file nests too deeply to be a drawing.") from None
    except ValueError:
        raise ImportInvalid("malformed_json", "The file is not valid JSON.") from None


def load(content: Any) -> Imported:
    """A board's elements from an `.excalidraw` scene or an `.excalidrawlib` library.

    `content` is the file's text (or bytes), or its JSON already decoded (an API client sending an object).
    """
    document = load_json(content if isinstance(content, str | bytes) else json.dumps(content, allow_nan=False))
    if not isinstance(document, dict):
        raise ImportInvalid("not_excalidraw", "This is not an Excalidraw file (expected a JSON object).")
    kind, version = document.get("type"), document.get("version")
    builder = Builder()
    if kind == "excalidraw/clipboard" and isinstance(document.get("elements"), list):  # what Excalidraw copies
        document = {**document, "type": "excalidraw", "version": 2}
        kind, version = "excalidraw", 2
    if kind == "excalidraw":
        if version not in (1, 2):
            raise ImportInvalid("unsupported_version", f"Excalidraw scene version {version!r} is not supported (2 is).")
        elements = document.get("elements")
        if not isinstance(elements, list):
            raise ImportInvalid("not_excalidraw", "The scene has no list of elements.")
        _check_count(len(elements))
        _scene(builder, elements)
    elif kind == "excalidrawlib":
        items = _library_items(document, version)
        _check_count(sum(len(item) for item in items))
        _library(builder, items)
    else:
        raise ImportInvalid("not_excalidraw", "This is not an Excalidraw scene or library.")
    return builder.finish()


def _check_count(count: int) -> None:
    if count > MAX_RAW_ELEMENTS:
        raise too_large("too_many_elements", f"The file has {count:,} elements; at most {MAX_RAW_ELEMENTS:,} are read.")


def _library_items(document: Mapping[str, Any], version: Any) -> list[list[Any]]:
    if version == 1:
        raw = document.get("library")
        items = raw if isinstance(raw, list) else None
    elif version == 2:
        raw = document.get("libraryItems")
        items = [i.get("elements") if isinstance(i, dict) else None for i in raw] if isinstance(raw, list) else None
    else:
        raise ImportInvalid("unsupported_version", f"Excalidraw library version {version!r} is not supported.")
    if items is None or not all(isinstance(item, list) for item in items):
        raise ImportInvalid("not_excalidraw", "The library's items are not lists of elements.")
    return items


def _box(raw: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    x, y = number(raw.get("x")), number(raw.get("y"))
    if x is None or y is None:
        return None
    w, h = number(raw.get("width")) or 0, number(raw.get("height")) or 0
    # Excalidraw keeps a shape dragged up or left with a negative size; the box is the same.
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return float(x) if isinstance(x, float) else x, y, w, h


def _library(builder: Builder, items: Sequence[list[Any]]) -> None:
    """Each item laid out in a grid, so items drawn at the same place do not overlap."""
    cursor_x = cursor_y = row_height = 0.0
    for n, item in enumerate(items):
        boxes = [b for e in item if isinstance(e, dict) and not e.get("isDeleted") and (b := _box(e))]
        left = min((b[0] for b in boxes), default=0)
        top = min((b[1] for b in boxes), default=0)
        width = max((b[0] + b[2] for b in boxes), default=0) - left
        height = max((b[1] + b[3] for b in boxes), default=0) - top
        if n and n % LIBRARY_COLUMNS == 0:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height + LIBRARY_GAP, 0.0
        _scene(builder, item, dx=cursor_x - left, dy=cursor_y - top)
        cursor_x += width + LIBRARY_GAP
        row_height = max(row_height, height)


def _text_of(raw: Mapping[str, Any]) -> str:
    # `text` is wrapped to the container's width; `originalText` is what was typed.
    for key in ("originalText", "text"):
        value = raw.get(key)
        if isinstance(value, str):
            return value
    return ""


def _bothsides(raw: Mapping[str, Any]) -> dict[str, Any]:
    custom = raw.get("customData")
    mark = custom.get("bothsides") if isinstance(custom, dict) else None
    return mark if isinstance(mark, dict) else {}


def _inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[0] + inner[2] <= outer[0] + outer[2]
        and inner[1] + inner[3] <= outer[1] + outer[3]
    )


def _scene(builder: Builder, raw_elements: Sequence[Any], dx: float = 0, dy: float = 0) -> None:
    live: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(raw_elements):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("type"), str):
            builder.report(f"not imported: element #{i} has no id or type")
            continue
        if raw.get("isDeleted") is True:
            continue
        if raw["id"] in by_id:
            builder.report(f"not imported: a second element with id {raw['id']!r}", raw["id"])
            continue
        by_id[raw["id"]] = raw
        live.append(raw)

    # Bound text: the text names its container, or the container lists the text.
    labels: dict[str, dict[str, Any]] = {}
    for raw in live:
        if raw["type"] == "text" and isinstance(raw.get("containerId"), str) and raw["containerId"] in by_id:
            labels.setdefault(raw["containerId"], raw)
    for raw in live:
        for bound in raw.get("boundElements") or []:
            if isinstance(bound, dict) and bound.get("type") == "text":
                text = by_id.get(bound.get("id"))  # type: ignore[arg-type]
                if text is not None and text["type"] == "text" and text.get("containerId") in (None, raw["id"]):
                    labels.setdefault(raw["id"], text)
    used_texts = {text["id"] for text in labels.values()}

    # Free text drawn inside an unlabelled shape is its label (older scenes had no bound text).
    inside = _contained_texts(builder, live, labels, used_texts)

    def moved(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return box[0] + dx, box[1] + dy, box[2], box[3]

    ids: dict[str, str] = {}  # file id -> element id, for components only
    for raw in live:
        kind, source_id = raw["type"], raw["id"]
        box = _box(raw)
        placed = kind in SHAPES or kind in FRAMES or (kind == "text" and source_id not in used_texts)
        if placed and box is None:
            builder.report(f"not imported: {kind} {source_id} has no position", source_id)
            continue
        if kind in SHAPES:
            assert box is not None  # placed, so checked above
            if source_id in labels:
                label = _text_of(labels[source_id])
            else:
                texts = sorted(inside.get(source_id, []), key=lambda t: (_box(t)[1], _box(t)[0]))  # type: ignore[index]
                label = "\n".join(_text_of(t) for t in texts)
            ids[source_id] = builder.typed_component(
                source_id,
                label=label,
                box=moved(box),
                shape=kind,
                explicit=_bothsides(raw),
            )
        elif kind == "text":
            if source_id in used_texts:
                continue
            note_text = _text_of(raw)
            if note_text.strip() and box is not None:  # placed, so box is not None
                builder.note(source_id, note_text, moved(box))
        elif kind in LINES or kind in FRAMES:
            continue
        elif kind in NOT_IMPORTED:
            builder.report(f"not imported: {kind} {source_id} ({NOT_IMPORTED[kind]} has no board element)", source_id)
        else:
            builder.report(f"not imported: {kind} {source_id} (an unknown kind of element)", source_id)

    for raw in live:
        if raw["type"] in LINES:
            _arrow(builder, raw, ids, by_id, labels)

    for raw in live:
        if raw["type"] in FRAMES and (box := _box(raw)) is not None:
            name = raw.get("name") if isinstance(raw.get("name"), str) else ""
            builder.frame(raw["id"], name, moved(box))


def _contained_texts(
    builder: Builder, live: Sequence[dict[str, Any]], labels: Mapping[str, Any], used_texts: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """Unbound texts lying wholly inside an unlabelled shape, by the smallest such shape."""
    shapes = [(r["id"], b) for r in live if r["type"] in SHAPES and r["id"] not in labels and (b := _box(r))]
    texts = [
        (r, b)
        for r in live
        if r["type"] == "text" and r["id"] not in used_texts and _text_of(r).strip() and (b := _box(r))
    ]
    if len(shapes) * len(texts) > MAX_CONTAINMENT_CHECKS:
        builder.report("free texts were not matched to the shapes around them (too many to compare); they are notes")
        return {}
    inside: dict[str, list[dict[str, Any]]] = {}
    for raw, box in texts:
        holders = [(b[2] * b[3], shape_id) for shape_id, b in shapes if _inside(box, b)]
        if holders:
            inside.setdefault(min(holders)[1], []).append(raw)
            used_texts.add(raw["id"])
    return inside


def _end(binding: Any) -> str | None:
    element_id = binding.get("elementId") if isinstance(binding, dict) else None
    return element_id if isinstance(element_id, str) else None


def _arrow(
    builder: Builder,
    raw: Mapping[str, Any],
    ids: Mapping[str, str],
    by_id: Mapping[str, Mapping[str, Any]],
    labels: Mapping[str, Mapping[str, Any]],
) -> None:
    kind, source_id = raw["type"], raw["id"]
    start, end = _end(raw.get("startBinding")), _end(raw.get("endBinding"))
    label = _text_of(labels[source_id]) if source_id in labels else ""
    said = f" labelled {brief(label)}" if label else ""
    if start is None or end is None:
        ends = "one end" if (start is None) != (end is None) else "neither end"
        builder.report(f"not imported: {kind} {source_id}{said} is bound at {ends}; only connections are", source_id)
        return
    for end_id in (start, end):
        if end_id not in ids:
            what = by_id[end_id]["type"] if end_id in by_id else "missing element"
            builder.report(
                f"not imported: {kind} {source_id}{said} is bound to {what} {end_id}, not to a component", source_id
            )
            return
    if raw.get("endArrowhead") is None and raw.get("startArrowhead") is not None:
        start, end = end, start  # the head is at the start: it points the other way
    style = "async" if raw.get("strokeStyle") in ("dashed", "dotted") else "sync"
    builder.arrow(source_id, ids[start], ids[end], label, style)


# --------------------------------------------------------------------------- writing

SHAPE_OF = {"client": "ellipse", "load_balancer": "diamond"}
COLOURS = {
    "client": "#ffec99",
    "service": "#a5d8ff",
    "database": "#b2f2bb",
    "cache": "#ffc9c9",
    "queue": "#d0bfff",
    "load_balancer": "#99e9f2",
    "cdn": "#eebefa",
    "storage": "#ffd8a8",
    "search": "#fcc2d7",
    "worker": "#c0eb75",
    "external": "#e9ecef",
    "monitoring": "#fff3bf",
}


def _seed(text: str) -> int:
    return zlib.crc32(text.encode()) % 2_000_000_000 + 1


def _base(element_id: str, kind: str, x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {
        "id": element_id,
        "type": kind,
        "x": x,
        "y": y,
        "width": w,
        "height": h,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "roundness": None,
        "seed": _seed(element_id),
        "version": 1,
        "versionNonce": _seed(element_id + ":nonce"),
        "isDeleted": False,
        "boundElements": [],
        "updated": 1,
        "link": None,
        "locked": False,
    }


def _text(element_id: str, text: str, container: str | None, box: tuple[float, float, float, float]) -> dict[str, Any]:
    lines = text.split("\n")
    width = max((len(line) for line in lines), default=0) * FONT_SIZE * 0.6
    height = len(lines) * FONT_SIZE * 1.25
    x, y, w, h = box
    if container is not None:  # centred in its container, as Excalidraw places bound text
        x, y = x + max(w - width, 0) / 2, y + max(h - height, 0) / 2
    element = _base(element_id, "text", x, y, max(width, 1), max(height, 1))
    element.update(
        {
            "text": text,
            "originalText": text,
            "fontSize": FONT_SIZE,
            "fontFamily": 1,
            "textAlign": "center" if container else "left",
            "verticalAlign": "middle" if container else "top",
            "containerId": container,
            "lineHeight": 1.25,
            "autoResize": True,
        }
    )
    return element


def _centre(element: Mapping[str, Any]) -> tuple[float, float]:
    return element["x"] + element["w"] / 2, element["y"] + element["h"] / 2


def _rim(element: Mapping[str, Any], towards: tuple[float, float], gap: float = 8) -> tuple[float, float]:
    """Where the line from the element's centre towards a point leaves its box, plus the binding gap."""
    cx, cy = _centre(element)
    dx, dy = towards[0] - cx, towards[1] - cy
    length = (dx * dx + dy * dy) ** 0.5
    if length == 0:
        return cx, cy
    limits = [abs(element["w"] / 2 / dx) if dx else float("inf"), abs(element["h"] / 2 / dy) if dy else float("inf")]
    t = min(min(limits) + gap / length, 1.0)
    return cx + dx * t, cy + dy * t


def export(board: Mapping[str, Any]) -> str:
    """An `.excalidraw` scene of the board: components, notes, frames, and arrows bound to their components.

    Excalidraw frames do not nest: a box in frames inside frames names the innermost (`frameId`), and a
    frame inside another is written as a frame of its own. Frames come after their members, as Excalidraw
    orders them.
    """
    _, elements = board_parts(board)
    scene: list[dict[str, Any]] = []
    shapes: dict[str, dict[str, Any]] = {}
    components = {e["id"]: e for e in elements if e["kind"] == "component"}
    frame_of = parents(elements)
    for e in elements:
        if e["kind"] == "component":
            shape = _base(e["id"], SHAPE_OF.get(e["type"], "rectangle"), e["x"], e["y"], e["w"], e["h"])
            shape["backgroundColor"] = COLOURS.get(e["type"], "transparent")
            shape["roundness"] = {"type": 3} if shape["type"] == "rectangle" else {"type": 2}
            shape["customData"] = {
                "bothsides": {
                    "type": e["type"],
                    "tech": e.get("tech", ""),
                    "replicas": e.get("replicas", 1),
                    "notes": e.get("notes", ""),
                }
            }
            text_id = f"{e['id']}:label"
            shape["boundElements"].append({"id": text_id, "type": "text"})
            scene.append(shape)
            box = (e["x"], e["y"], e["w"], e["h"])
            label = _text(text_id, f"[{e['type']}]\n{e.get('label', '')}", e["id"], box)
            shape["frameId"] = label["frameId"] = frame_of.get(e["id"])
            scene.append(label)
            shapes[e["id"]] = shape
        elif e["kind"] == "note":
            note = _text(e["id"], e.get("text", ""), None, (e["x"], e["y"], e["w"], e["h"]))
            note["width"], note["height"] = e["w"], e["h"]
            note["frameId"] = frame_of.get(e["id"])
            scene.append(note)
    for e in elements:
        if e["kind"] == "frame":
            frame = _base(e["id"], "frame", e["x"], e["y"], e["w"], e["h"])
            frame["name"] = e.get("label") or None  # Excalidraw shows "Frame" for a frame with no name
            frame["strokeWidth"] = 1
            frame["roughness"] = 0
            scene.append(frame)
    for e in elements:
        if e["kind"] != "arrow" or e["source"] not in components or e["target"] not in components:
            continue
        source, target = components[e["source"]], components[e["target"]]
        x1, y1 = _rim(source, _centre(target))
        x2, y2 = _rim(target, _centre(source))
        arrow = _base(e["id"], "arrow", x1, y1, abs(x2 - x1), abs(y2 - y1))
        arrow.update(
            {
                "strokeStyle": "dashed" if e.get("style") == "async" else "solid",
                "roundness": {"type": 2},
                "points": [[0, 0], [x2 - x1, y2 - y1]],
                "lastCommittedPoint": None,
                "startBinding": {"elementId": e["source"], "focus": 0, "gap": 8},
                "endBinding": {"elementId": e["target"], "focus": 0, "gap": 8},
                "startArrowhead": None,
                "endArrowhead": "arrow",
                "elbowed": False,
            }
        )
        shapes[e["source"]]["boundElements"].append({"id": e["id"], "type": "arrow"})
        shapes[e["target"]]["boundElements"].append({"id": e["id"], "type": "arrow"})
        scene.append(arrow)
        if e.get("label"):
            text_id = f"{e['id']}:label"
            arrow["boundElements"].append({"id": text_id, "type": "text"})
            middle = ((x1 + x2) / 2, (y1 + y2) / 2, 0, 0)
            scene.append(_text(text_id, e["label"], e["id"], middle))
    document = {
        "type": "excalidraw",
        "version": 2,
        "source": SOURCE,
        "elements": scene,
        "appState": {"viewBackgroundColor": "#ffffff", "gridSize": 20},
        "files": {},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
