"""Which frame an element lies in: the one rule every format uses to draw or write frames. Pure.

A box (component or note) names its frame in its stored `frame` field (`""`:
none), so exports nest what the drill fails and what moves with the frame on
the canvas. A box without the field (drawn before membership was stored)
belongs, as frames do to each other, to the smallest frame whose box holds its
whole box. Exports use this to nest (draw.io containers, Excalidraw `frameId`,
Mermaid subgraphs); importers use it to store the file's nesting as `frame`;
drawings put frames behind everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Element = Mapping[str, Any]
BOXED = ("component", "note", "frame")


def frames_of(elements: Iterable[Element]) -> list[Element]:
    """The frames, largest first (so an outer frame comes before the frames inside it)."""
    return sorted((e for e in elements if e.get("kind") == "frame"), key=lambda f: -(f["w"] * f["h"]))


def _holds(outer: Element, inner: Element) -> bool:
    left, top, right, bottom = _edges(outer)
    x0, y0, x1, y1 = _edges(inner)
    return left <= x0 and top <= y0 and x1 <= right and y1 <= bottom


def _edges(element: Element) -> tuple[float, float, float, float]:
    x, y = float(element["x"]), float(element["y"])
    return x, y, x + float(element["w"]), y + float(element["h"])


def parents(elements: Iterable[Element]) -> dict[str, str]:
    """Element id -> its frame's id: a box's stored `frame`, else the smallest frame wholly around it
    (a frame's parent is a strictly larger frame)."""
    elements = list(elements)
    frames = frames_of(elements)
    ids = {frame["id"] for frame in frames}
    out: dict[str, str] = {}
    for element in elements:
        if element.get("kind") not in BOXED:
            continue
        if "frame" in element:
            if element["frame"] in ids:
                out[element["id"]] = element["frame"]
            continue
        area = element["w"] * element["h"]
        best: Element | None = None
        for frame in frames:
            if frame["id"] == element["id"] or not _holds(frame, element):
                continue
            if element.get("kind") == "frame" and frame["w"] * frame["h"] <= area:
                continue  # two frames of one size hold each other; neither is the parent
            if best is None or frame["w"] * frame["h"] < best["w"] * best["h"]:
                best = frame
        if best is not None:
            out[element["id"]] = best["id"]
    return out
