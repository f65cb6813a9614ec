"""Hand-made Excalidraw and draw.io files for the import tests.

Written for this project from the formats' published structure (Excalidraw's
element schema: `containerId`, `boundElements`, `startBinding`/`endBinding`,
`frameId`, `isDeleted`, scene `type`/`version`, library versions 1 and 2;
draw.io's `mxfile` > `diagram` > `mxGraphModel` > `root` > `mxCell` with
`mxGeometry`, and a compressed page as base64 of raw deflate of the
URL-encoded XML). Factories, not files, so each test shows what it feeds in.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import zlib
from typing import Any
from xml.sax.saxutils import quoteattr

from reviews.formats import Imported
from whiteboard import ops

# --------------------------------------------------------------------------- checks


def assert_ready(imported: Imported) -> list[dict[str, Any]]:
    """The elements are valid `add` ops, in batches the socket takes, and apply to an empty board."""
    raw = [{"op": "add", "element": element} for element in imported.elements]
    parsed = []
    for start in range(0, len(raw), ops.MAX_OPS_PER_BATCH):
        parsed += ops.parse_ops(raw[start : start + ops.MAX_OPS_PER_BATCH])
    applied = ops.apply_ops({}, 0, parsed)
    assert applied.count == len(imported.elements)
    assert [op["element"] for op in parsed] == imported.elements  # already normalised
    return imported.elements


def by_label(imported: Imported) -> dict[str, dict[str, Any]]:
    return {e["label"]: e for e in imported.elements if e["kind"] == "component"}


def edges(imported: Imported) -> list[tuple[str, str, str, str]]:
    names = {e["id"]: e["label"] for e in imported.elements if e["kind"] == "component"}
    return [
        (names[e["source"]], names[e["target"]], e["label"], e["style"])
        for e in imported.elements
        if e["kind"] == "arrow"
    ]


def messages(imported: Imported) -> list[str]:
    return [p["message"] for p in imported.report]


# --------------------------------------------------------------------------- Excalidraw


def x_element(kind: str, element_id: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": element_id,
        "type": kind,
        "x": 0,
        "y": 0,
        "width": 100,
        "height": 60,
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
        "seed": 1,
        "version": 1,
        "versionNonce": 1,
        "isDeleted": False,
        "boundElements": None,
        "updated": 1,
        "link": None,
        "locked": False,
    }
    base.update(fields)
    return base


def x_shape(element_id: str, x: float = 0, y: float = 0, kind: str = "rectangle", **fields: Any) -> dict[str, Any]:
    return x_element(
        kind, element_id, x=x, y=y, width=fields.pop("width", 160), height=fields.pop("height", 80), **fields
    )


def x_text(element_id: str, text: str, x: float = 0, y: float = 0, container: str | None = None, **fields: Any):
    return x_element(
        "text",
        element_id,
        x=x,
        y=y,
        width=fields.pop("width", 10 * max(len(text), 1)),
        height=fields.pop("height", 25),
        text=fields.pop("wrapped", text),  # Excalidraw's `text` is wrapped to the container
        originalText=text,
        fontSize=20,
        fontFamily=1,
        textAlign="center",
        verticalAlign="middle",
        containerId=container,
        **fields,
    )


def x_labelled(element_id: str, label: str, x: float = 0, y: float = 0, kind: str = "rectangle", **fields: Any):
    """A shape with bound text, linked both ways as Excalidraw writes it."""
    text_id = f"{element_id}-text"
    shape = x_shape(element_id, x, y, kind, boundElements=[{"id": text_id, "type": "text"}], **fields)
    return [shape, x_text(text_id, label, x + 10, y + 20, container=element_id)]


def x_arrow(element_id: str, start: str | None, end: str | None, kind: str = "arrow", **fields: Any):
    def binding(target):
        return {"elementId": target, "focus": 0, "gap": 5} if target else None

    heads = {"startArrowhead": None, "endArrowhead": "arrow" if kind == "arrow" else None}
    return x_element(
        kind,
        element_id,
        points=[[0, 0], [100, 0]],
        startBinding=binding(start),
        endBinding=binding(end),
        **{**heads, **fields},
    )


def scene(*elements: Any, **extra: Any) -> str:
    flat: list[Any] = []
    for element in elements:
        flat += element if isinstance(element, list) else [element]
    return json.dumps(
        {
            "type": "excalidraw",
            "version": 2,
            "source": "https://excalidraw.com",
            "elements": flat,
            "appState": {"viewBackgroundColor": "#ffffff"},
            "files": {},
            **extra,
        }
    )


# --------------------------------------------------------------------------- draw.io


def d_vertex(
    cell_id: str,
    value: str,
    x: float = 0,
    y: float = 0,
    style: str = "rounded=0;whiteSpace=wrap;html=1;",
    parent: str = "1",
    w: float = 120,
    h: float = 60,
) -> str:
    return (
        f'<mxCell id={quoteattr(cell_id)} value={quoteattr(value)} style={quoteattr(style)} vertex="1" '
        f'parent={quoteattr(parent)}><mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/>'
        "</mxCell>"
    )


def d_edge(
    cell_id: str,
    source: str | None,
    target: str | None,
    value: str = "",
    style: str = "edgeStyle=orthogonalEdgeStyle;html=1;",
    parent: str = "1",
) -> str:
    ends = (f" source={quoteattr(source)}" if source else "") + (f" target={quoteattr(target)}" if target else "")
    return (
        f'<mxCell id={quoteattr(cell_id)} value={quoteattr(value)} style={quoteattr(style)} edge="1" '
        f'parent={quoteattr(parent)}{ends}><mxGeometry relative="1" as="geometry">'
        '<mxPoint x="0" y="0" as="sourcePoint"/></mxGeometry></mxCell>'
    )


def d_model(*cells: str) -> str:
    return (
        '<mxGraphModel dx="1000" dy="600" grid="1" gridSize="10"><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        + "".join(cells)
        + "</root></mxGraphModel>"
    )


def compress(xml: str) -> str:
    """A page as draw.io compresses it: URL-encode, raw deflate, base64."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    quoted = urllib.parse.quote(xml, safe="~()*!.'").encode()
    return base64.b64encode(deflater.compress(quoted) + deflater.flush()).decode()


def mxfile(*pages: tuple[str, str], compressed: bool = False) -> str:
    """An mxfile of (name, mxGraphModel XML) pages."""
    body = "".join(
        f'<diagram id="p{n}" name={quoteattr(name)}>{compress(model) if compressed else model}</diagram>'
        for n, (name, model) in enumerate(pages)
    )
    return f'<mxfile host="app.diagrams.net" agent="test" version="24.0.0">{body}</mxfile>'
