"""draw.io (diagrams.net) files in and out of a board. Pure: text in, elements out, and back.

Import (`load` for one page, `load_pages` for all): an
`mxfile` with one `<diagram>` per page, each holding an `mxGraphModel`
either as XML or compressed (the diagram's text is base64 of raw deflate of
the URL-encoded XML, as draw.io writes it), or a bare `mxGraphModel`. The
XML is read with defusedxml and no DTD is accepted (so no entities and no
external references); the inflated size is capped. Vertices are components
(type from `inference`: the style's vendor icon, the label's words, the
shape), text and note shapes are notes, edges with a source and a target
component are arrows (value as label; `dashed=1` is `async`); containers
and swimlanes (`container=1`, `swimlane`) are frames; groups are flattened.
Values with `html=1` are reduced to their text with an HTML parser.
Children of groups and containers get absolute coordinates.

Export (`export`): an uncompressed `mxfile` with one page: each
component an `<object>` (its label, `bothsides_type`, `tech`, `replicas`,
`notes`) around a vertex whose shape and colour show its type, each arrow an
edge with `source` and `target` (`dashed=1` when async), each note a note
shape, each frame a swimlane container holding (as draw.io's children, with
coordinates relative to it) the boxes that lie in it. Values are plain text
(`html=0`). Characters XML cannot hold (control characters other than tab
and newlines) are written as U+FFFD.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import math
import re
import urllib.parse
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError, TreeBuilder
from xml.sax.saxutils import quoteattr

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from reviews.formats.frames import frames_of, parents
from reviews.formats.interop import (
    MAX_INPUT,
    MAX_RAW_ELEMENTS,
    Builder,
    Imported,
    ImportInvalid,
    board_parts,
    brief,
    check_size,
    too_large,
)

MAX_INFLATED = MAX_INPUT  # bytes all compressed pages may inflate to, together
MAX_XML_DEPTH = 32  # mxfile/diagram/mxGraphModel/root/object/mxCell/mxGeometry/Array/mxPoint is 9
MAX_XML_NODES = MAX_RAW_ELEMENTS * 8
MAX_NESTING = 64  # groups and containers inside each other
MAX_PAGES = 100
OBJECT_TAGS = ("object", "UserObject")


# --------------------------------------------------------------------------- XML, pages, compression


class _Limited(TreeBuilder):
    """Builds the tree but stops at once when it nests too deep or grows too large, not after."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.count = 0

    def start(self, tag: Any, attrs: Any) -> XmlElement:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_XML_DEPTH:
            raise ImportInvalid("too_deep", f"The file nests more than {MAX_XML_DEPTH} levels deep.")
        if self.count > MAX_XML_NODES:
            raise too_large("too_many_elements", f"The file has more than {MAX_XML_NODES:,} XML elements.")
        return super().start(tag, attrs)

    def end(self, tag: Any) -> XmlElement:
        self.depth -= 1
        return super().end(tag)


def _xml(content: str | bytes) -> XmlElement:
    parser = DefusedXMLParser(target=_Limited(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(content)
        root: XmlElement = parser.close()
        return root
    except defusedxml.DefusedXmlException:
        raise ImportInvalid(
            "xml_forbidden", "The file declares a DTD, entities or external references, which are never read."
        ) from None
    except ParseError as error:
        raise ImportInvalid("malformed_xml", f"The file is not well-formed XML ({error}).") from None


@dataclass
class _Budget:
    left: int = MAX_INFLATED


def _inflate(text: str, budget: _Budget) -> str:
    """A compressed page's XML: base64, then raw deflate (capped), then URL-decoding."""
    try:
        packed = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ImportInvalid("bad_compression", "A page is neither diagram XML nor valid base64.") from None
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        data = inflater.decompress(packed, budget.left + 1)
    except zlib.error:
        raise ImportInvalid("bad_compression", "A page's compressed diagram could not be inflated.") from None
    if len(data) > budget.left or inflater.unconsumed_tail:
        raise too_large("deflate_bomb", f"The compressed diagram inflates to more than {MAX_INFLATED:,} bytes.")
    if not inflater.eof:
        raise ImportInvalid("bad_compression", "A page's compressed diagram is cut short.")
    budget.left -= len(data)
    try:
        text = data.decode("utf-8")
        return urllib.parse.unquote(text, errors="strict") if not text.lstrip().startswith("<") else text
    except UnicodeDecodeError:
        raise ImportInvalid("bad_compression", "A page's compressed diagram is not UTF-8 text.") from None


@dataclass
class Page:
    name: str
    index: int
    diagram: XmlElement


def _pages(root: XmlElement) -> list[Page]:
    if root.tag == "mxGraphModel":
        return [Page("", 0, root)]
    if root.tag != "mxfile":
        raise ImportInvalid("not_drawio", f"This is not a draw.io file (it starts with <{root.tag}>, not <mxfile>).")
    diagrams = root.findall("diagram")
    if not diagrams:
        raise ImportInvalid("not_drawio", "The draw.io file has no page (<diagram>).")
    if len(diagrams) > MAX_PAGES:
        raise too_large("too_many_pages", f"The file has {len(diagrams):,} pages; at most {MAX_PAGES} are read.")
    return [Page(d.get("name") or f"Page-{n + 1}", n, d) for n, d in enumerate(diagrams)]


def _model(page: Page, budget: _Budget) -> XmlElement:
    if page.diagram.tag == "mxGraphModel":
        return page.diagram
    model = page.diagram.find("mxGraphModel")
    if model is not None:
        return model
    text = (page.diagram.text or "").strip()
    if not text:
        return XmlElement("mxGraphModel")
    model = _xml(_inflate(text, budget))
    if model.tag != "mxGraphModel":
        raise ImportInvalid("not_drawio", f"Page {page.name!r} does not hold a diagram (<mxGraphModel>).")
    return model


def _load(content: str | bytes) -> list[Page]:
    if not isinstance(content, str | bytes):  # an API client sent JSON that is not a string
        raise ImportInvalid("not_drawio", "A draw.io file is sent as its XML text.")
    check_size(content)
    # A byte-order mark or a blank line before `<?xml` is common in saved files, and harmless.
    content = content.lstrip("\ufeff \t\r\n") if isinstance(content, str) else content.lstrip(b" \t\r\n")
    if isinstance(content, bytes) and content.startswith(b"\xef\xbb\xbf"):
        content = content[3:].lstrip(b" \t\r\n")
    return _pages(_xml(content))


def page_names(content: str | bytes) -> list[str]:
    """The pages' names, in order, for a dialog that lets one be chosen."""
    return [page.name for page in _load(content)]


def load(content: str | bytes, *, page: int | str | None = None) -> Imported:
    """One page as a board: the one named or numbered (from 0) by `page`, or else the first.

    Without `page`, a file of several pages imports its first, and the report names the others
    (so the author can import them too, by name or number).
    """
    pages = _load(content)
    if page is None:
        chosen = pages[0]
        if len(pages) > 1:
            others = ", ".join(repr(p.name) for p in pages[1:])
            imported = _import_page(chosen, _Budget())
            note = {
                "line": None,
                "message": f"the file has {len(pages)} pages; imported the first, {chosen.name!r} "
                f"(import again with a page to get {others})",
            }
            return dataclasses.replace(imported, report=[note, *imported.report])
    elif isinstance(page, int) and not isinstance(page, bool):
        if not 0 <= page < len(pages):
            raise ImportInvalid("no_such_page", f"The file has {len(pages)} page(s); there is no page {page}.")
        chosen = pages[page]
    else:
        matches = [p for p in pages if p.name == page]
        if not matches:
            raise ImportInvalid("no_such_page", f"The file has no page named {page!r}.")
        chosen = matches[0]
    return _import_page(chosen, _Budget())


def load_pages(content: str | bytes) -> list[Imported]:
    """Every page, in order, each as its own board (its `title` is the page's name)."""
    budget = _Budget()
    return [_import_page(page, budget) for page in _load(content)]


# --------------------------------------------------------------------------- values and styles


class _HtmlText(HTMLParser):
    BLOCKS = frozenset(
        {
            *("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure"),
            *("footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"),
            *("pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
        }
    )
    BREAK = object()

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[Any] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append(self.BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append(self.BREAK)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))  # HTML's own line breaks are spaces

    def text(self) -> str:
        out = ""
        for part in self.parts:
            if part is self.BREAK:
                if out and not out.endswith("\n"):
                    out += "\n"
            else:
                out += part
        return "\n".join(" ".join(line.split()) for line in out.strip("\n").split("\n")).strip("\n")


def html_text(value: str) -> str:
    """The text a draw.io HTML label shows: tags dropped, entities decoded, lines from <br> and blocks."""
    parser = _HtmlText()
    parser.feed(value)
    parser.close()
    return parser.text()


def parse_style(style: str) -> tuple[str, dict[str, str]]:
    """'ellipse;shape=cylinder3;html=1' -> ('ellipse', {'shape': 'cylinder3', 'html': '1', 'ellipse': ''})."""
    name, pairs = "", dict[str, str]()
    for n, part in enumerate(p.strip() for p in style.split(";")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep:
            pairs.setdefault(key.casefold(), "")
            if n == 0:
                name = key
        else:
            pairs[key.strip().casefold()] = value.strip()
    return name, pairs


@dataclass
class _Cell:
    id: str
    value: str
    style_name: str
    style: dict[str, str]
    vertex: bool
    edge: bool
    parent: str | None
    source: str | None
    target: str | None
    geometry: tuple[float | int, float | int, float | int, float | int]
    relative: bool
    attrs: dict[str, str] = field(default_factory=dict)

    @cached_property
    def text(self) -> str:
        return html_text(self.value) if self.style.get("html") == "1" else self.value


def _float(value: str | None) -> float | int:
    try:
        number = float(value) if value is not None else 0.0
    except ValueError:
        return 0.0
    if not math.isfinite(number):
        return 0.0
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _cells(model: XmlElement, builder: Builder) -> Iterator[_Cell]:
    root = model.find("root")
    if root is None:
        return
    for n, node in enumerate(root):
        attrs: dict[str, str] = {}
        if node.tag in OBJECT_TAGS:
            attrs = dict(node.attrib)
            cell = node.find("mxCell")
            cell_id, value = node.get("id"), node.get("label", "")
            if cell is None:
                cell = XmlElement("mxCell")
        elif node.tag == "mxCell":
            cell, cell_id, value = node, node.get("id"), node.get("value", "")
        else:
            builder.report(f"not imported: <{node.tag}> #{n} (not a draw.io cell)")
            continue
        if not cell_id:
            builder.report(f"not imported: cell #{n} has no id")
            continue
        geometry = cell.find("mxGeometry")
        g = geometry.attrib if geometry is not None else {}
        name, style = parse_style(cell.get("style", ""))
        yield _Cell(
            id=cell_id,
            value=value,
            style_name=name,
            style=style,
            vertex=cell.get("vertex") == "1",
            edge=cell.get("edge") == "1",
            parent=cell.get("parent"),
            source=cell.get("source"),
            target=cell.get("target"),
            geometry=(_float(g.get("x")), _float(g.get("y")), _float(g.get("width")), _float(g.get("height"))),
            relative=g.get("relative") == "1",
            attrs=attrs,
        )


# --------------------------------------------------------------------------- one page


def _is_frame(cell: _Cell) -> bool:
    return (
        cell.style.get("container") == "1"
        or "swimlane" in (cell.style_name, cell.style.get("shape"))
        or ("swimlane" in cell.style)
    )


def _is_note(cell: _Cell) -> bool:
    return cell.style_name == "text" or cell.style.get("shape") == "note"


def _explicit(cell: _Cell) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cell.attrs.get("bothsides_type"):
        out["type"] = cell.attrs["bothsides_type"]
    if "tech" in cell.attrs:
        out["tech"] = cell.attrs["tech"]
    if cell.attrs.get("notes"):
        out["notes"] = cell.attrs["notes"]
    if cell.attrs.get("replicas", "").isdigit():
        out["replicas"] = int(cell.attrs["replicas"])
    return out


def _import_page(page: Page, budget: _Budget) -> Imported:
    builder = Builder()
    model = _model(page, budget)
    cells: dict[str, _Cell] = {}
    for cell in _cells(model, builder):
        if cell.id in cells:
            builder.report(f"not imported: a second cell with id {cell.id!r}", cell.id)
            continue
        cells[cell.id] = cell
        if len(cells) > MAX_RAW_ELEMENTS:
            raise too_large("too_many_elements", f"The page has more than {MAX_RAW_ELEMENTS:,} cells.")

    def chain(cell: _Cell) -> list[_Cell] | None:
        """The vertices above a cell, nearest first; None when the parents loop or nest too deep."""
        out: list[_Cell] = []
        seen = {cell.id}
        parent = cells.get(cell.parent or "")
        while parent is not None and parent.vertex:
            if parent.id in seen or len(out) >= MAX_NESTING:
                return None
            seen.add(parent.id)
            out.append(parent)
            parent = cells.get(parent.parent or "")
        return out

    def absolute(cell: _Cell, above: list[_Cell]) -> tuple[float, float, float, float]:
        x, y, w, h = cell.geometry
        for parent in above:
            x, y = x + parent.geometry[0], y + parent.geometry[1]
        return x, y, w, h

    ids: dict[str, str] = {}  # cell id -> component id
    edge_labels: dict[str, list[str]] = {}
    frames: list[tuple[_Cell, list[_Cell]]] = []
    for cell in cells.values():
        if not cell.vertex:
            continue
        parent = cells.get(cell.parent or "")
        if parent is not None and parent.edge:
            edge_labels.setdefault(parent.id, []).append(cell.text)
            continue
        above = chain(cell)
        if above is None:
            builder.report(f"not imported: cell {cell.id}: its groups nest in a loop or too deeply", cell.id)
            continue
        box = absolute(cell, above)
        if cell.style_name == "group":
            if cell.text.strip():
                builder.report(
                    f"group {cell.id}: label {brief(cell.text)} not imported (groups are flattened)", cell.id
                )
            continue
        if _is_frame(cell):
            frames.append((cell, above))
            continue
        if _is_note(cell):
            if cell.text.strip():
                builder.note(cell.id, cell.text, box)
            continue
        shape = cell.style.get("shape") or cell.style_name
        ids[cell.id] = builder.typed_component(
            cell.id, label=cell.text, box=box, shape=shape, style=cell.style, explicit=_explicit(cell)
        )

    for cell in cells.values():
        if cell.edge:
            _edge(builder, cell, cells, ids, edge_labels.get(cell.id, []))
        elif not cell.vertex and cell.parent in cells and cells[cell.parent].parent is not None:  # not a layer
            builder.report(f"not imported: cell {cell.id} is neither a shape nor a connector", cell.id)

    for cell, above in frames:
        builder.frame(cell.id, cell.text, absolute(cell, above))
    return builder.finish(title=page.name or None)


def _edge(builder: Builder, cell: _Cell, cells: Mapping[str, _Cell], ids: Mapping[str, str], extra: list[str]) -> None:
    label = "\n".join(text for text in [cell.text, *extra] if text)
    said = f" labelled {brief(label)}" if label else ""
    if not cell.source or not cell.target:
        ends = "one end" if bool(cell.source) != bool(cell.target) else "neither end"
        builder.report(f"not imported: edge {cell.id}{said} is connected at {ends}; only connections are", cell.id)
        return
    for end in (cell.source, cell.target):
        if end not in ids:
            what = "a container" if end in cells and _is_frame(cells[end]) else "no component"
            builder.report(f"not imported: edge {cell.id}{said} connects to {what} ({end})", cell.id)
            return
    style = "async" if cell.style.get("dashed") == "1" else "sync"
    builder.arrow(cell.id, ids[cell.source], ids[cell.target], label, style)


# --------------------------------------------------------------------------- writing

STYLES = {
    "service": "rounded=1;whiteSpace=wrap;fillColor=#dae8fc;strokeColor=#6c8ebf;",
    "database": "shape=cylinder3;whiteSpace=wrap;boundedLbl=1;backgroundOutline=1;size=15;fillColor=#d5e8d4;"
    "strokeColor=#82b366;",
    "cache": "shape=hexagon;perimeter=hexagonPerimeter2;whiteSpace=wrap;fixedSize=1;fillColor=#f8cecc;"
    "strokeColor=#b85450;",
    "queue": "shape=parallelogram;perimeter=parallelogramPerimeter;whiteSpace=wrap;fixedSize=1;fillColor=#e1d5e7;"
    "strokeColor=#9673a6;",
    "load_balancer": "rhombus;whiteSpace=wrap;fillColor=#b1ddf0;strokeColor=#10739e;",
    "cdn": "ellipse;shape=doubleEllipse;whiteSpace=wrap;fillColor=#fad7ac;strokeColor=#b46504;",
    "client": "ellipse;whiteSpace=wrap;fillColor=#fff2cc;strokeColor=#d6b656;",
    "storage": "shape=trapezoid;perimeter=trapezoidPerimeter;whiteSpace=wrap;fixedSize=1;flipV=1;fillColor=#ffe6cc;"
    "strokeColor=#d79b00;",
    "search": "shape=document;whiteSpace=wrap;boundedLbl=1;fillColor=#f5d0e0;strokeColor=#a50040;",
    "worker": "shape=process;whiteSpace=wrap;backgroundOutline=1;fillColor=#d0f0c0;strokeColor=#4d9900;",
    "external": "shape=cloud;whiteSpace=wrap;fillColor=#f5f5f5;strokeColor=#666666;",
    "monitoring": "rounded=1;arcSize=40;whiteSpace=wrap;fillColor=#fff2cc;strokeColor=#b8860b;",
}
FRAME_STYLE = (
    "swimlane;container=1;collapsible=0;startSize=26;rounded=1;arcSize=4;fillColor=none;swimlaneFillColor=none;"
    "strokeColor=#64748b;fontColor=#334155;fontStyle=1;align=left;spacingLeft=8;dashed=1;html=0;"
)
NOTE_STYLE = "shape=note;whiteSpace=wrap;align=left;verticalAlign=top;spacingLeft=4;fillColor=#fff2cc;html=0;"
EDGE_STYLE = "edgeStyle=orthogonalEdgeStyle;rounded=0;endArrow=classic;html=0;"
ROOT, LAYER = "root:0", "root:1"  # ':' is in no element id, so these never clash


def _xml_safe(text: Any) -> str:
    return "".join(
        ch
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000"
        else "\ufffd"
        for ch in str(text)
    )


def _attrs(**values: Any) -> str:
    return " ".join(f"{name}={quoteattr(_xml_safe(value))}" for name, value in values.items() if value is not None)


def _geometry(x: float, y: float, e: Mapping[str, Any]) -> str:
    return f'<mxGeometry {_attrs(x=x, y=y, width=e["w"], height=e["h"])} as="geometry"/>'


class _Nesting:
    """Where each box goes in draw.io's tree: inside the container of its frame, at coordinates relative to it.

    draw.io keeps a child's position relative to its container, and reading it back adds the containers'
    offsets one by one; a box whose position would not add back to exactly the same number (rare float
    coordinates) stays at the top level, at the same place on the page, rather than move by a rounding error.
    """

    def __init__(self, elements: list[dict[str, Any]]) -> None:
        self.frame_of = parents(elements)
        self.offsets: dict[str, list[tuple[float, float]]] = {}  # a written container -> its offsets, nearest first
        self.boxes = {e["id"]: e for e in elements}

    def place(self, e: Mapping[str, Any]) -> tuple[str, float, float]:
        """(parent cell, x, y) for a box, remembering a frame's offsets for the boxes inside it."""
        parent, x, y, chain = LAYER, e["x"], e["y"], []
        holder = self.frame_of.get(e["id"])
        if holder in self.offsets:
            frame = self.boxes[holder]
            rx, ry = e["x"] - frame["x"], e["y"] - frame["y"]
            chain = [(rx, ry), *self.offsets[holder]]
            back_x, back_y = rx, ry
            for ox, oy in self.offsets[holder]:
                back_x, back_y = back_x + ox, back_y + oy
            if (back_x, back_y) == (e["x"], e["y"]):
                parent, x, y = holder, rx, ry
            else:
                chain = []
        if e["kind"] == "frame":
            self.offsets[e["id"]] = chain or [(e["x"], e["y"])]
        return parent, x, y


def export(board: Mapping[str, Any]) -> str:
    """An uncompressed `.drawio` file of the board, one page named after it."""
    title, elements = board_parts(board)
    components = {e["id"] for e in elements if e["kind"] == "component"}
    nesting = _Nesting(elements)
    lines = [
        f"<mxfile {_attrs(host='BothSides', type='device', compressed='false')}>",
        f"  <diagram {_attrs(id='bothsides', name=title or 'Page-1')}>",
        '    <mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" '
        'page="0" pageScale="1" math="0" shadow="0">',
        "      <root>",
        f"        <mxCell {_attrs(id=ROOT)}/>",
        f"        <mxCell {_attrs(id=LAYER, parent=ROOT)}/>",
    ]
    for e in frames_of(elements):  # outer frames first: a container is written before what it holds
        parent, x, y = nesting.place(e)
        attrs = _attrs(id=e["id"], value=e.get("label", ""), style=FRAME_STYLE, vertex="1", parent=parent)
        lines.append(f"        <mxCell {attrs}>{_geometry(x, y, e)}</mxCell>")
    for e in elements:
        if e["kind"] == "component":
            parent, x, y = nesting.place(e)
            style = STYLES.get(e["type"], STYLES["service"]) + f"html=0;bothsides={e['type']};"
            attrs = _attrs(
                id=e["id"],
                label=e.get("label", ""),
                tooltip=e["type"].replace("_", " "),
                bothsides_type=e["type"],
                tech=e.get("tech", ""),
                replicas=e.get("replicas", 1),
                notes=e.get("notes", ""),
            )
            lines.append(f"        <object {attrs}>")
            cell = _attrs(style=style, vertex="1", parent=parent)
            lines.append(f"          <mxCell {cell}>{_geometry(x, y, e)}</mxCell>")
            lines.append("        </object>")
        elif e["kind"] == "note":
            parent, x, y = nesting.place(e)
            attrs = _attrs(id=e["id"], value=e.get("text", ""), style=NOTE_STYLE, vertex="1", parent=parent)
            lines.append(f"        <mxCell {attrs}>{_geometry(x, y, e)}</mxCell>")
    for e in elements:
        if e["kind"] == "arrow" and e["source"] in components and e["target"] in components:
            style = EDGE_STYLE + ("dashed=1;" if e.get("style") == "async" else "")
            ends = {"source": e["source"], "target": e["target"]}
            attrs = _attrs(id=e["id"], value=e.get("label", ""), style=style, edge="1", parent=LAYER, **ends)
            lines.append(f'        <mxCell {attrs}><mxGeometry relative="1" as="geometry"/></mxCell>')
    lines += ["      </root>", "    </mxGraphModel>", "  </diagram>", "</mxfile>", ""]
    return "\n".join(lines)
