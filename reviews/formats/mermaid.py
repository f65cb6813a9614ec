"""Mermaid flowcharts in and out of a board's canvas. Pure: text in, elements out, and back.

It knows only the canvas (components and arrows, `whiteboard.ops`); the
formats registry (`reviews.formats`) serves it as `export` and `load`.

Export (`to_mermaid`): `flowchart LR`, one node per component whose shape says
its type (`SHAPES`), one edge per arrow (`-->` sync, `-.->` async), one
`subgraph` per frame around the components inside it. Every label
is quoted and escaped (`escape_label`), so no text typed on a board can end
the string and add Mermaid of its own (a `click` with a `javascript:` URL,
a `%%{init}%%` directive, HTML).

Import (`parse` then `to_elements`): `flowchart`/`graph` with a direction, node
ids, the classic shapes (`SHAPE_TYPES`) and `@{ shape: … }`, labels quoted or
bare, edges `-->`, `---`, `-.->`, `==>` (any length) with `|label|` or
`-- label -->`, chains, `&`, `subgraph … end` (flattened; titles go into the
components' notes), `%%` comments. Styling and interaction (`classDef`,
`class`, `style`, `linkStyle`, `click`, …) are left out and reported as
"not imported: …"; anything not understood is a problem with its line
number, and a chart with problems imports nothing.
"""

from __future__ import annotations

import functools
import html.entities
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviews.formats import frames
from reviews.formats.imported import Imported
from whiteboard import ops
from whiteboard.errors import SyncError

Element = dict[str, Any]
MAX_SOURCE = 500_000  # characters
Report = dict[str, Any]  # {"line": int | None, "message": str}

DIRECTIONS = {"LR": "LR", "RL": "RL", "TB": "TB", "TD": "TB", "BT": "BT", ">": "LR", "<": "RL", "^": "BT", "v": "TB"}

# Export: one shape per component type, all distinct, so a type survives the round trip.
SHAPES: dict[str, tuple[str, str]] = {
    "service": ("[", "]"),  # rectangle
    "database": ("[(", ")]"),  # cylinder
    "queue": ("[/", "/]"),  # parallelogram
    "client": ("([", "])"),  # stadium
    "worker": ("[[", "]]"),  # subroutine
    "cdn": ("((", "))"),  # circle
    "load_balancer": ("{", "}"),  # rhombus
    "cache": ("{{", "}}"),  # hexagon
    "search": (">", "]"),  # asymmetric flag
    "storage": ("[/", "\\]"),  # trapezoid
    "external": ("[\\", "/]"),  # inverted trapezoid
    "monitoring": ("(((", ")))"),  # double circle
}

# Import: Mermaid's shape names (as its parser calls them) to component types.
# The shapes export never writes (round, ellipse, the other parallelogram)
# take the nearest type; a bare id is a service.
SHAPE_TYPES = {
    "square": "service",
    "round": "service",
    "ellipse": "service",
    "cylinder": "database",
    "lean_right": "queue",
    "lean_left": "queue",
    "stadium": "client",
    "subroutine": "worker",
    "circle": "cdn",
    "doublecircle": "monitoring",
    "diamond": "load_balancer",
    "hexagon": "cache",
    "odd": "search",
    "trapezoid": "storage",
    "inv_trapezoid": "external",
}

# `@{ shape: … }` (Mermaid 11) names, to the classic shape they draw.
NEW_SHAPES = {
    "rect": "square",
    "proc": "square",
    "process": "square",
    "rectangle": "square",
    "rounded": "round",
    "event": "round",
    "stadium": "stadium",
    "pill": "stadium",
    "terminal": "stadium",
    "subproc": "subroutine",
    "subprocess": "subroutine",
    "subroutine": "subroutine",
    "fr-rect": "subroutine",
    "framed-rectangle": "subroutine",
    "cyl": "cylinder",
    "cylinder": "cylinder",
    "database": "cylinder",
    "db": "cylinder",
    "das": "cylinder",
    "h-cyl": "cylinder",
    "lin-cyl": "cylinder",
    "circle": "circle",
    "circ": "circle",
    "dbl-circ": "doublecircle",
    "double-circle": "doublecircle",
    "diam": "diamond",
    "diamond": "diamond",
    "decision": "diamond",
    "question": "diamond",
    "hex": "hexagon",
    "hexagon": "hexagon",
    "prepare": "hexagon",
    "lean-r": "lean_right",
    "lean-right": "lean_right",
    "in-out": "lean_right",
    "lean-l": "lean_left",
    "lean-left": "lean_left",
    "out-in": "lean_left",
    "trap-b": "trapezoid",
    "trapezoid-bottom": "trapezoid",
    "priority": "trapezoid",
    "trap-t": "inv_trapezoid",
    "trapezoid-top": "inv_trapezoid",
    "manual": "inv_trapezoid",
    "odd": "odd",
}

# `:::name` or `class A name`: a type hint when the class names a type.
CLASS_TYPES = {
    **{name: name for name in ops.COMPONENT_TYPES},
    "db": "database",
    "lb": "load_balancer",
    "loadbalancer": "load_balancer",
    "mq": "queue",
    "svc": "service",
    "ext": "external",
    "blob": "storage",
    "bucket": "storage",
}

STYLE_KEYWORDS = ("classDef", "style", "linkStyle", "click", "call", "href", "accTitle", "accDescr")
# Mermaid's lexer matches these at the start of a word, so no exported id may begin with one.
_RESERVED_PREFIXES = (
    "style",
    "default",
    "linkStyle",
    "interpolate",
    "classDef",
    "class",
    "href",
    "click",
    "call",
    "flowchart",
    "graph",
    "subgraph",
    "direction",
    "accTitle",
    "accDescr",
    "_self",
    "_blank",
    "_parent",
    "_top",
)

NODE_W, NODE_H = 160, 72
GAP_ALONG, GAP_ACROSS = 120, 48  # between layers (room for edge labels), within a layer
GRID_COLUMNS = 6  # nodes without edges are set out in rows of this many
WRAP_LAYERS, GAP_BANDS = 50, 120  # a flow longer than this many layers wraps into bands this far apart


# --------------------------------------------------------------------------- labels


_ESCAPED = frozenset('"#%&<>`|[]{}()')
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITY = re.compile(r"#(\w+);")


def escape_label(text: str) -> str:
    """A label as the inside of a Mermaid `"…"` string that reads back as exactly `text`.

    `"` is `#quot;`, a line break `<br>`, and `#`, `%`, `&`, `<`, `>`, backtick,
    `|`, brackets, control characters and whitespace at either end are
    `#<code>;` entities: the string cannot end early, start a Markdown
    string, a comment, a directive or HTML. An empty label is one space.
    """
    if not text:
        return " "
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("<br>")
        elif ch == '"':
            out.append("#quot;")
        elif (
            ch in _ESCAPED or unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ((i == 0 or i == last) and ch.isspace())
        ):
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.isdigit():
        code = int(name)
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
        return match.group(0)
    return html.entities.html5.get(f"{name};", match.group(0))


def unescape_label(raw: str, *, quoted: bool) -> str:
    """Mermaid label text as plain text: `<br>` is a line break, `#quot;`/`#35;` entities decoded.

    Unquoted text is trimmed; quoted text is kept as written, except that
    only whitespace means no label.
    """
    if not raw.strip():
        return ""
    text = raw if quoted else raw.strip()
    return _ENTITY.sub(_entity, _BR.sub("\n", text))


# --------------------------------------------------------------------------- export


def node_ids(elements: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each component's Mermaid node id: its own id where Mermaid reads it back unchanged.

    `-` becomes `_`, an id starting with a word Mermaid's lexer would take as a
    keyword gets `n_` in front, and clashes get `_2`, `_3`…; all stay valid
    board ids, so an import gives the same ids back.
    """
    components = [e["id"] for e in elements if e["kind"] == "component"]
    taken: set[str] = set()
    tried: dict[str, int] = {}  # the last suffix tried per base: clashes cost O(1) each, not O(clashes)
    out: dict[str, str] = {}
    for element_id in components:
        base = element_id.replace("-", "_")
        if base == "end" or base.startswith(_RESERVED_PREFIXES):
            base = f"n_{base}"
        candidate, n = base[:64], tried.get(base, 1)
        while candidate in taken:
            n += 1
            suffix = f"_{n}"
            candidate = base[: 64 - len(suffix)] + suffix
        tried[base] = n
        taken.add(candidate)
        out[element_id] = candidate
    return out


# Fields a flowchart has no syntax for: (kind, field, what the comment calls them). Counted, never named.
UNEXPRESSED = (
    ("arrow", "timeout_ms", "timeouts"),
    ("arrow", "retries", "retries"),
    ("arrow", "idempotent", "idempotence marks"),
    ("component", "dead_letter", "dead letters"),
    ("component", "backup", "backups"),
    ("component", "familiarity", "familiarity marks"),
)


def left_out(elements: Iterable[Mapping[str, Any]], decisions: int = 0) -> str | None:
    """One `%%` comment saying what the board holds that Mermaid cannot express, or None.

    Only counts: a comment is the one place a typed text could not be escaped."""
    elements = list(elements)
    parts = [f"{decisions} decision record{'s' * (decisions != 1)}"] if decisions else []
    for kind, name, words in UNEXPRESSED:
        count = sum(1 for e in elements if e["kind"] == kind and e.get(name) not in (None, "", False, 0))
        if count:
            parts.append(f"{count} {words}")
    return f"    %% not in Mermaid: {', '.join(parts)}" if parts else None


def to_mermaid(elements: Iterable[Mapping[str, Any]], *, direction: str = "LR", decisions: int = 0) -> str:
    """The board's components and arrows as a Mermaid flowchart (sticky notes are left out).

    A frame is a `subgraph` of the components that lie in it (`reviews.formats.frames`), nested as the
    frames are; a frame holding no component is left out, with a comment saying so. Arrow labels are
    kept; what a flowchart cannot say (decisions, timeouts, retries, dead letters, backups,
    familiarity) is left out and counted in a comment (`left_out`).
    """
    elements = list(elements)
    ids = node_ids(elements)
    lines = [f"flowchart {direction}"]
    notes = sum(1 for e in elements if e["kind"] == "note")
    if notes:
        lines.append(f"    %% {notes} sticky note{'s' * (notes != 1)} not exported")
    unexpressed = left_out(elements, decisions)
    if unexpressed:
        lines.append(unexpressed)
    parent_of = frames.parents(elements)
    children: dict[str | None, list[Mapping[str, Any]]] = {}
    for element in [*frames.frames_of(elements), *(e for e in elements if e["kind"] == "component")]:
        children.setdefault(parent_of.get(element["id"]), []).append(element)
    holds = _holding(children)
    taken = set(ids.values())
    skipped = [f for f in frames.frames_of(elements) if not holds[f["id"]]]
    if skipped:  # counted, not named: a comment is the one place a label could not be escaped
        count = len(skipped)
        lines.append(f"    %% {count} frame{'s' * (count != 1)} holding no component not exported")

    def write(parent: str | None, depth: int) -> None:
        pad = "    " * depth
        for element in children.get(parent, []):
            if element["kind"] == "component":
                start, end = SHAPES.get(element.get("type", "service"), SHAPES["service"])
                lines.append(f'{pad}{ids[element["id"]]}{start}"{escape_label(element.get("label") or "")}"{end}')
            elif holds[element["id"]]:
                sub_id, n = f"frame_{element['id'].replace('-', '_')}"[:64], 1
                while sub_id in taken:
                    n += 1
                    sub_id = f"frame_{n}"
                taken.add(sub_id)
                lines.append(f'{pad}subgraph {sub_id}["{escape_label(element.get("label") or "Frame")}"]')
                write(element["id"], depth + 1)
                lines.append(f"{pad}end")

    write(None, 1)
    for element in elements:
        if element["kind"] != "arrow" or element["source"] not in ids or element["target"] not in ids:
            continue
        link = "-.->" if element.get("style") == "async" else "-->"
        label = element.get("label") or ""
        text = f'|"{escape_label(label)}"|' if label else ""
        lines.append(f"    {ids[element['source']]} {link}{text} {ids[element['target']]}")
    return "\n".join(lines) + "\n"


def _holding(children: Mapping[str | None, list[Mapping[str, Any]]]) -> dict[str, bool]:
    """For each frame, whether a component lies in it, directly or in a frame inside it."""
    out: dict[str, bool] = {}

    def visit(frame_id: str) -> bool:
        if frame_id not in out:
            out[frame_id] = False  # frames nest strictly, but never loop on bad data
            inner = children.get(frame_id, [])
            out[frame_id] = any(e["kind"] == "component" or visit(e["id"]) for e in inner)
        return out[frame_id]

    for members in list(children.values()):
        for element in members:
            if element["kind"] == "frame":
                visit(element["id"])
    return out


def export(data: Mapping[str, Any]) -> str:
    """The Mermaid export of what `reviews.export_queries.export_for` gathered.

    A flowchart has no way to say "first this box, then that one, and here is why": flows are
    left out, with a comment saying how many, as for sticky notes."""
    chart = to_mermaid(data["elements"], decisions=len(data.get("decisions", [])))
    count = len(data.get("flows") or [])
    if not count:
        return chart
    header, _, rest = chart.partition("\n")
    return f"{header}\n    %% {count} flow{'s' * (count != 1)} not exported (Mermaid cannot express them)\n{rest}"


def load(content: Any) -> Imported:
    """The canvas a flowchart draws; every line not understood is a problem, and a chart with any imports nothing."""
    if not isinstance(content, str):
        return Imported(problems=[{"path": "content", "message": "A Mermaid flowchart is sent as text."}])
    if len(content) > MAX_SOURCE:
        return Imported(
            problems=[{"path": "content", "message": f"A flowchart is limited to {MAX_SOURCE:,} characters."}]
        )
    chart = parse(content)
    elements = to_elements(chart) if not chart.problems else []
    if chart.problems:
        return Imported(problems=chart.problems)
    return Imported(elements=elements, report=chart.skipped, title=chart.title or "Imported flowchart")


# --------------------------------------------------------------------------- parse


@dataclass
class Node:
    id: str
    label: str
    shape: str | None  # None: only referenced by its id
    line: int
    groups: tuple[str, ...] = ()  # titles of the subgraphs it first appeared in, outermost first
    hint: str | None = None  # a type from a class name


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    style: str  # sync | async
    line: int


@dataclass
class Flowchart:
    direction: str = "TB"
    title: str | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    skipped: list[Report] = field(default_factory=list)  # understood, left out: "not imported: …"
    problems: list[Report] = field(default_factory=list)  # not understood: the import is refused

    def skip(self, line: int | None, message: str) -> None:
        self.skipped.append({"line": line, "message": message})

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append({"line": line, "message": message})


class _Broken(Exception):
    pass


UNCLOSED = "\x00unclosed"  # stands for a statement whose quote never closes


def _statements(text: str) -> Iterator[tuple[int, str]]:
    """Split the source into statements with their line numbers.

    A statement ends at a newline or a `;` outside quotes, brackets and
    `|…|`; `%%` outside quotes starts a comment to the end of the line. A
    quoted string may span lines, as in Mermaid; one that never closes is
    yielded as `UNCLOSED` and reading goes on with the next line.
    """
    line, start_line = 1, 1
    last_quote = text.rfind('"')  # a quote opened before this closes; one opened at it or after never does
    buf: list[str] = []
    quote = False  # inside a quoted string (one that closes)
    depth = 0
    pipe = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            buf.append(ch)
            if ch == '"':
                quote = False
            elif ch == "\n":
                line += 1
            i += 1
            continue
        if ch == "%" and text.startswith("%%", i) and not text.startswith("%%{", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\n" or (ch == ";" and depth == 0 and not pipe):
            statement = "".join(buf).strip()
            if statement:
                yield start_line, statement
            buf, depth, pipe = [], 0, False
            if ch == "\n":
                line += 1
            start_line = line
            i += 1
            continue
        if not buf and ch.isspace():
            i += 1
            continue
        if not buf:
            start_line = line
        if ch == '"' and i >= last_quote:
            # Never closed: skip to the next line now rather than read to the end of the text
            # for every such quote (quadratic in the number of lines).
            yield start_line, UNCLOSED
            after = text.find("\n", i)
            i, line = (n if after < 0 else after + 1), line + 1
            buf, depth, pipe = [], 0, False
            start_line = line
            continue
        if ch == '"':
            quote = True  # it closes: the branch above reads up to the closing quote
        elif ch in "[({":
            depth += 1
        elif ch in "])}":
            depth = max(0, depth - 1)
        elif ch == "|":
            pipe = not pipe
        buf.append(ch)
        i += 1
    statement = "".join(buf).strip()
    if statement:
        yield start_line, statement


_HEADER = re.compile(r"(flowchart-elk|flowchart|graph)(?:\s+(\S+))?\s*\Z")
_ID = re.compile(r"(?:[\w.!$?'*+\\/`]|-(?![-.>=])|=(?!=))+")
_CLASS_NAME = re.compile(r":::([\w-]+)")
_LINKS = [
    # (regex for a complete link, kind)
    (re.compile(r"(<)?(-{2,})([->ox])"), "normal"),
    (re.compile(r"(<)?(={2,})([=>ox])"), "thick"),
    (re.compile(r"(<)?(-?\.+-)([>ox])?"), "dotted"),
    (re.compile(r"(~{3,})"), "invisible"),
]
_LINK_STARTS = [
    (re.compile(r"(<)?--(?![->])"), re.compile(r"-{2,}([->ox])"), "normal"),
    (re.compile(r"(<)?==(?![=>])"), re.compile(r"={2,}([=>ox])"), "thick"),
    (re.compile(r"(<)?-\.(?![->.])"), re.compile(r"\.+-([>ox])?"), "dotted"),
]
_OPENERS: list[tuple[str, dict[str, str]]] = [
    ("(((", {")))": "doublecircle"}),
    ("((", {"))": "circle"}),
    ("([", {"])": "stadium"}),
    ("(-", {"-)": "ellipse"}),
    ("(", {")": "round"}),
    ("[[", {"]]": "subroutine"}),
    ("[(", {")]": "cylinder"}),
    ("[/", {"/]": "lean_right", "\\]": "trapezoid"}),
    ("[\\", {"\\]": "lean_left", "/]": "inv_trapezoid"}),
    ("[", {"]": "square"}),
    ("{{", {"}}": "hexagon"}),
    ("{", {"}": "diamond"}),
    (">", {"]": "odd"}),
]


def _snippet(text: str, pos: int) -> str:
    rest = text[pos : pos + 41]
    return rest if len(rest) <= 40 else f"{rest[:40]}…"


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


@functools.cache
def _closer_pattern(closers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(closer) for closer in sorted(closers, key=len, reverse=True)))


def _read_text(text: str, pos: int, closers: Mapping[str, str]) -> tuple[str, str, int]:
    """Label text after an opening bracket: (label, what the closer says, position after it)."""
    at = _skip_ws(text, pos)
    if text.startswith('"', at):
        markdown = text.startswith('"`', at)
        end = text.find('`"', at + 2) if markdown else text.find('"', at + 1)
        if end < 0:
            raise _Broken("a quoted label is never closed")
        raw = text[at + 2 : end] if markdown else text[at + 1 : end]
        after = _skip_ws(text, end + (2 if markdown else 1))
        for closer, meaning in closers.items():
            if text.startswith(closer, after):
                return unescape_label(raw, quoted=True), meaning, after + len(closer)
        expected = " or ".join(f"'{c}'" for c in closers)
        raise _Broken(f"expected {expected} after the quoted label, found {_snippet(text, after)!r}")
    # One search for the nearest closer: a `find` per closer scanned to the end of the statement
    # for a closer that never comes, once per node (quadratic on `a & a[/x/] & …`).
    found = _closer_pattern(tuple(closers)).search(text, pos)
    if found is None:
        expected = " or ".join(f"'{c}'" for c in closers)
        raise _Broken(f"the label is never closed with {expected}")
    index, closer = found.start(), found.group(0)
    raw = text[pos:index]
    if '"' in raw:
        raise _Broken(f"a label mixes quoted and bare text: {raw!r}")
    return unescape_label(raw, quoted=False), closers[closer], index + len(closer)


def _shape_data(text: str, pos: int, chart: Flowchart, line: int, node_id: str) -> tuple[str | None, str | None, int]:
    """`@{ shape: cyl, label: "DB" }`: (shape, label, position after the `}`)."""
    end, quote = pos, False
    while end < len(text) and (quote or text[end] != "}"):
        quote = quote != (text[end] == '"')
        end += 1
    if end >= len(text):
        raise _Broken("'@{' is never closed with '}'")
    shape = label = None
    for part in re.findall(r'(?:[^,"]|"[^"]*")+', text[pos:end]):
        key, sep, value = part.partition(":")
        key, value = key.strip(), value.strip()
        if not sep:
            raise _Broken(f"expected 'key: value' in '@{{…}}', found {part.strip()!r}")
        quoted = len(value) >= 2 and value[0] == value[-1] == '"'
        value = value[1:-1] if quoted else value
        if key == "shape":
            shape = NEW_SHAPES.get(value)
            if shape is None:
                chart.skip(line, f"not imported: shape '{value}' of {node_id} (drawn as a service)")
                shape = "square"
        elif key == "label":
            label = unescape_label(value, quoted=quoted)
        else:
            chart.skip(line, f"not imported: '{key}' of {node_id}")
    return shape, label, end + 1


class _Statement:
    """One vertex statement: nodes, chains of links, `&` groups."""

    def __init__(self, chart: Flowchart, text: str, line: int, groups: tuple[str, ...]) -> None:
        self.chart, self.text, self.line, self.groups = chart, text, line, groups
        self.created: list[str] = []  # nodes this statement defined first

    def node(self, pos: int) -> tuple[str, int]:
        pos = _skip_ws(self.text, pos)
        match = _ID.match(self.text, pos)
        if not match:
            raise _Broken(f"expected a node id, found {_snippet(self.text, pos)!r}")
        node_id, pos = match.group(0), match.end()
        if self.text.startswith("@", pos) and not self.text.startswith("@{", pos):
            raise _Broken(f"edge ids such as '{node_id}@-->' are not supported")
        shape = label = None
        for opener, closers in _OPENERS:
            if self.text.startswith(opener, pos):
                label, shape, pos = _read_text(self.text, pos + len(opener), closers)
                break
        if shape is None and self.text.startswith("@{", pos):
            shape, label, pos = _shape_data(self.text, pos + 2, self.chart, self.line, node_id)
        hint = None
        match = _CLASS_NAME.match(self.text, pos)
        if match:
            hint, pos = match.group(1), match.end()
        self._define(node_id, shape, label, hint)
        return node_id, pos

    def _define(self, node_id: str, shape: str | None, label: str | None, hint: str | None) -> None:
        nodes = self.chart.nodes
        node = nodes.get(node_id)
        if node is None:
            node = nodes[node_id] = Node(id=node_id, label=node_id, shape=None, line=self.line, groups=self.groups)
            self.created.append(node_id)
        if shape is not None:
            node.shape = shape
            node.label = node_id if label is None else label
        elif label is not None:
            node.label = label
        if hint is not None:
            _hint(self.chart, node, hint, self.line)

    def group(self, pos: int) -> tuple[list[str], int]:
        ids = []
        node_id, pos = self.node(pos)
        ids.append(node_id)
        while True:
            after = _skip_ws(self.text, pos)
            if not self.text.startswith("&", after):
                return ids, pos
            node_id, pos = self.node(after + 1)
            ids.append(node_id)

    def link(self, pos: int) -> tuple[dict[str, Any], int]:
        pos = _skip_ws(self.text, pos)
        for pattern, kind in _LINKS:
            match = pattern.match(self.text, pos)
            if not match:
                continue
            link = _link_meaning(kind, match)
            pos = _skip_ws(self.text, match.end())
            if self.text.startswith("|", pos):
                pipe = self._pipe_end(pos + 1)
                raw = self.text[pos + 1 : pipe]
                quoted = raw.strip().startswith('"') and raw.strip().endswith('"') and len(raw.strip()) >= 2
                link["label"] = unescape_label(raw.strip()[1:-1] if quoted else raw, quoted=quoted)
                pos = pipe + 1
            return link, pos
        for start, finish, kind in _LINK_STARTS:
            match = start.match(self.text, pos)
            if not match:
                continue
            rest = match.end()
            at = _skip_ws(self.text, rest)
            if self.text.startswith('"', at):
                close = self.text.find('"', at + 1)
                if close < 0:
                    raise _Broken("a quoted edge label is never closed")
                raw, quoted, after = self.text[at + 1 : close], True, _skip_ws(self.text, close + 1)
                end = finish.match(self.text, after)
            else:
                end = finish.search(self.text, rest)
                raw, quoted = (self.text[rest : end.start()], False) if end else ("", False)
            if not end:
                raise _Broken(f"an edge label is never closed: {_snippet(self.text, pos)!r}")
            link = _link_meaning(kind, match, end)
            link["label"] = unescape_label(raw, quoted=quoted)
            return link, end.end()
        raise _Broken(f"expected a link such as '-->', found {_snippet(self.text, pos)!r}")

    def _pipe_end(self, pos: int) -> int:
        at = _skip_ws(self.text, pos)
        if self.text.startswith('"', at):
            close = self.text.find('"', at + 1)
            if close >= 0:
                end = self.text.find("|", close + 1)
                if end >= 0:
                    return end
        end = self.text.find("|", pos)
        if end < 0:
            raise _Broken("an edge label '|…' is never closed with '|'")
        return end

    def parse(self) -> None:
        sources, pos = self.group(0)
        while True:
            pos = _skip_ws(self.text, pos)
            if pos >= len(self.text):
                return
            link, pos = self.link(pos)
            targets, pos = self.group(pos)
            if len(self.chart.edges) + len(sources) * len(targets) > ops.MAX_ELEMENTS:
                raise _Broken(f"it links more pairs of nodes than a board holds elements ({ops.MAX_ELEMENTS})")
            for source in sources:
                for target in targets:
                    _connect(self.chart, source, target, link, self.line)
            sources = targets


def _link_meaning(kind: str, start: re.Match[str], end: re.Match[str] | None = None) -> dict[str, Any]:
    if kind == "invisible":
        return {"kind": kind, "label": "", "both": False, "head": ""}
    both = bool(start.group(1))
    head = (end.group(1) if end is not None else start.group(3)) or ""
    return {"kind": kind, "label": "", "both": both, "head": head}


def _connect(chart: Flowchart, source: str, target: str, link: Mapping[str, Any], line: int) -> None:
    if link["kind"] == "invisible":
        chart.skip(line, f"not imported: invisible link {source} ~~~ {target}")
        return
    if source == target:
        chart.skip(line, f"not imported: the link from {source} to itself (an arrow joins two components)")
        return
    if link["both"]:
        chart.skip(line, f"imported as one arrow, {source} to {target}: the arrowhead at {source}")
    if link["head"] in ("x", "o"):
        chart.skip(line, f"not imported: the '{link['head']}' end of the link {source} to {target}")
    style = "async" if link["kind"] == "dotted" else "sync"
    chart.edges.append(Edge(source=source, target=target, label=link["label"], style=style, line=line))


def _hint(chart: Flowchart, node: Node, name: str, line: int) -> None:
    kind = CLASS_TYPES.get(name.lower().replace("-", "_"))
    if kind is None:
        chart.skip(line, f"not imported: class '{name}' of {node.id} (styling)")
    else:
        node.hint = kind


def _subgraph_title(rest: str) -> tuple[str, str]:
    """`id[title]`, `id["title"]`, `"title"`, `title words`, or nothing: (id, title)."""
    rest = rest.strip()
    match = re.match(r"([^\s\[\"]+)\s*\[(.*)\]\Z", rest, re.DOTALL)
    if match:
        raw = match.group(2).strip()
        quoted = len(raw) >= 2 and raw[0] == raw[-1] == '"'
        return match.group(1), unescape_label(raw[1:-1] if quoted else raw, quoted=quoted)
    if len(rest) >= 2 and rest[0] == rest[-1] == '"':
        title = unescape_label(rest[1:-1], quoted=True)
        return title, title
    return rest, unescape_label(rest, quoted=False)


def _front_matter(text: str, chart: Flowchart) -> str:
    """Strip a leading `---` YAML block; its `title` becomes the board title."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return text
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == "---":
            for number in range(first + 1, end):
                key, _, value = lines[number].partition(":")
                if not lines[number].strip() or lines[number].startswith((" ", "\t")):
                    continue
                if key.strip() == "title" and value.strip():
                    chart.title = value.strip().strip("\"'")
                else:
                    chart.skip(number + 1, f"not imported: front matter '{key.strip()}'")
            # Blank lines in its place, so line numbers still match the source.
            return "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    chart.problem(first + 1, "the front matter opened with '---' is never closed")
    return ""


def parse(text: str) -> Flowchart:
    """Read a Mermaid flowchart; what was left out is in `skipped`, what was not understood in `problems`."""
    chart = Flowchart()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _front_matter(text, chart)
    if chart.problems:
        return chart
    statements = list(_statements(text))
    header_seen = False
    stack: list[tuple[str, str, int, set[str]]] = []  # (id, title, line, nodes first seen inside)
    subgraph_ids: dict[str, int] = {}
    in_description = False
    for line, statement in statements:
        if statement == UNCLOSED:
            chart.problem(line, "a quoted string opened on this line is never closed")
            continue
        if in_description:
            in_description = "}" not in statement
            continue
        if statement.startswith("%%{"):
            chart.skip(line, "not imported: a %%{…}%% directive (configuration)")
            continue
        if not header_seen:
            match = _HEADER.match(statement)
            if not match:
                word = statement.split()[0]
                if word in ("flowchart", "graph", "flowchart-elk"):
                    message = f"could not understand {_snippet(statement, 0)!r}: start statements on the next line"
                else:
                    message = f"not a Mermaid flowchart: expected 'flowchart' or 'graph', found {word!r}"
                chart.problem(line, message)
                return chart
            direction = match.group(2)
            if direction is not None and direction not in DIRECTIONS:
                chart.problem(line, f"unknown direction {direction!r}: expected LR, RL, TB, TD or BT")
            chart.direction = DIRECTIONS.get(direction or "TB", "TB")
            header_seen = True
            continue
        word = statement.split(None, 1)[0]
        rest = statement[len(word) :]
        if word == "end" and not rest.strip():
            if not stack:
                chart.problem(line, "'end' without a 'subgraph' to close")
            else:
                _close_subgraph(chart, *stack.pop())
            continue
        if word == "subgraph":
            sub_id, title = _subgraph_title(rest)
            subgraph_ids.setdefault(sub_id, line)
            stack.append((sub_id, title, line, set()))
            continue
        if word == "direction":
            where = "a subgraph's" if stack else "a second"
            chart.skip(line, f"not imported: {where} direction (the board is laid out in one direction)")
            continue
        if word == "class":
            _class_statement(chart, rest, line)
            continue
        if word in STYLE_KEYWORDS or word.startswith(("accTitle", "accDescr")):
            if word.startswith("accDescr") and "{" in statement and "}" not in statement:
                in_description = True
            chart.skip(line, _not_imported(word, rest))
            continue
        titles = tuple(title for _, title, _, _ in stack)
        parsed = _Statement(chart, statement, line, titles)
        try:
            parsed.parse()
        except _Broken as error:
            chart.problem(line, f"could not understand {_snippet(statement, 0)!r}: {error}")
            continue
        for _, _, _, members in stack:
            members.update(parsed.created)
    for sub_id, title, line, members in reversed(stack):
        chart.problem(line, f"subgraph {title or sub_id!r} is never closed with 'end'")
        _close_subgraph(chart, sub_id, title, line, members)
    if not header_seen and not chart.problems:
        chart.problem(None, "the text is empty: expected a Mermaid flowchart ('flowchart LR' …)")
    _drop_subgraph_endpoints(chart, subgraph_ids)
    chart.skipped.sort(key=lambda report: report["line"] or 0)
    chart.problems.sort(key=lambda report: report["line"] or 0)
    return chart


def _not_imported(word: str, rest: str) -> str:
    target = rest.split()[0] if rest.split() else ""
    if word == "classDef":
        return f"not imported: classDef {target} (styling)".replace("  ", " ")
    if word in ("style", "linkStyle"):
        return f"not imported: {word} {target} (styling)".replace("  ", " ")
    if word in ("click", "call", "href"):
        return f"not imported: {word} {target} (links and callbacks are never imported)".replace("  ", " ")
    return f"not imported: {word.rstrip(':')} (accessibility text)"


def _close_subgraph(chart: Flowchart, sub_id: str, title: str, line: int, members: set[str]) -> None:
    name = title or sub_id
    count = len(members)
    if name:
        where = f"its title is in the notes of its {count} node{'s' * (count != 1)}" if count else "it had no nodes"
        chart.skip(line, f"subgraph {name!r} flattened: {where}")
    else:
        chart.skip(line, "untitled subgraph flattened")


def _class_statement(chart: Flowchart, rest: str, line: int) -> None:
    parts = rest.split()
    if len(parts) != 2:
        chart.problem(line, "expected 'class <ids> <className>'")
        return
    ids, name = [i.strip() for i in parts[0].split(",") if i.strip()], parts[1]
    kind = CLASS_TYPES.get(name.lower().replace("-", "_"))
    if kind is None:
        chart.skip(line, f"not imported: class '{name}' of {', '.join(ids)} (styling)")
        return
    for node_id in ids:
        node = chart.nodes.get(node_id)
        if node is None:
            chart.skip(line, f"not imported: class '{name}' of {node_id}, which is not a node")
        else:
            node.hint = kind


def _drop_subgraph_endpoints(chart: Flowchart, subgraph_ids: Mapping[str, int]) -> None:
    """A link to a subgraph joins the group, not a component: left out, since groups are flattened."""
    clusters = {sub_id for sub_id in subgraph_ids if sub_id in chart.nodes and chart.nodes[sub_id].shape is None}
    if not clusters:
        return
    kept = []
    for edge in chart.edges:
        if edge.source in clusters or edge.target in clusters:
            chart.skip(edge.line, f"not imported: the link {edge.source} to {edge.target} joins a subgraph")
        else:
            kept.append(edge)
    chart.edges = kept
    for sub_id in clusters:
        del chart.nodes[sub_id]


# --------------------------------------------------------------------------- elements and layout


def _element_id(node_id: str, taken: set[str], tried: dict[str, int]) -> str:
    """A valid board id for `node_id`; `tried` keeps the last suffix per base, so clashes cost O(1) each."""
    base = node_id if ops.ID_PATTERN.match(node_id) else re.sub(r"[^A-Za-z0-9_-]", "_", node_id)[:64] or "node"
    candidate, n = base, tried.get(base, 1)
    while candidate in taken:
        n += 1
        suffix = f"_{n}"
        candidate = base[: 64 - len(suffix)] + suffix
    tried[base] = n
    taken.add(candidate)
    return candidate


def _component_type(node: Node) -> str:
    if node.hint is not None:
        return node.hint
    return SHAPE_TYPES.get(node.shape or "square", "service")


def _clip(chart: Flowchart, text: str, line: int, what: str) -> str:
    if len(text) <= ops.MAX_LABEL:
        return text
    chart.skip(line, f"the label of {what} was cut to {ops.MAX_LABEL} characters")
    return text[: ops.MAX_LABEL - 1] + "…"


def to_elements(chart: Flowchart) -> list[Element]:
    """Components and arrows for the parsed chart, laid out in layers; problems go to `chart.problems`."""
    count = len(chart.nodes) + len(chart.edges)
    if count > ops.MAX_ELEMENTS:  # refused whatever else: neither laid out nor checked one by one
        chart.problem(None, f"the chart has {count} nodes and links; a board holds at most {ops.MAX_ELEMENTS}")
        return []
    taken: set[str] = set()
    tried: dict[str, int] = {}
    ids = {node_id: _element_id(node_id, taken, tried) for node_id in chart.nodes}
    positions = layout(list(chart.nodes), [(e.source, e.target) for e in chart.edges], chart.direction)
    elements: list[Element] = []
    for node_id, node in chart.nodes.items():
        x, y = positions[node_id]
        raw = {
            "id": ids[node_id],
            "kind": "component",
            "type": _component_type(node),
            "label": _clip(chart, node.label, node.line, node_id),
            "x": x,
            "y": y,
            "w": NODE_W,
            "h": NODE_H,
        }
        if node.groups:
            raw["notes"] = f"Subgraph: {' / '.join(t for t in node.groups if t) or '(untitled)'}"
        elements.append(_checked(chart, raw, node.line))
    for n, edge in enumerate(chart.edges, start=1):
        arrow_id = _element_id(f"e{n}", taken, tried)
        raw = {
            "id": arrow_id,
            "kind": "arrow",
            "source": ids[edge.source],
            "target": ids[edge.target],
            "label": _clip(chart, edge.label, edge.line, f"the link {edge.source} to {edge.target}"),
            "style": edge.style,
        }
        elements.append(_checked(chart, raw, edge.line))
    return elements


def _checked(chart: Flowchart, raw: Element, line: int) -> Element:
    try:
        return ops.parse_element(raw, raw["id"])
    except SyncError as error:
        field_name = (error.path or "").rsplit(".", 1)[-1]
        chart.problem(line, f"{raw['id']}: {field_name}: {error.message}" if field_name else error.message)
        return raw


def _layers(ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layers: each node one past its furthest predecessor; cycles are cut at back edges."""
    out: dict[str, dict[str, None]] = {node: {} for node in ids}  # ordered, and O(1) to skip a repeat
    for source, target in edges:
        out[source][target] = None
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    order: list[str] = []
    forward: dict[str, list[str]] = {node: [] for node in ids}
    for root in ids:
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child) == 1:
                continue  # a back edge: ignored, which breaks the cycle
            else:
                forward[node].append(child)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(out[child])))
    layer = dict.fromkeys(ids, 0)
    for node in reversed(order):  # a topological order of the forward edges
        for child in forward[node]:
            layer[child] = max(layer[child], layer[node] + 1)
    return layer


def layout(ids: Sequence[str], edges: Sequence[tuple[str, str]], direction: str) -> dict[str, tuple[int, int]]:
    """Top-left corners: layers along the flow, ordered across it by their neighbours; lone nodes in a grid."""
    linked = {node for edge in edges for node in edge}
    connected = [node for node in ids if node in linked]
    alone = [node for node in ids if node not in linked]
    layer = _layers(connected, edges)
    layers: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for node in connected:
        layers[layer[node]].append(node)
    # One sweep of the barycentre heuristic: order each layer by where its predecessors sit.
    preds: dict[str, list[str]] = {node: [] for node in connected}
    for source, target in edges:
        preds[target].append(source)
    index: dict[str, float] = {}
    for nodes in layers:
        keyed = []
        for i, node in enumerate(nodes):
            placed = [index[p] for p in preds[node] if p in index]
            keyed.append((sum(placed) / len(placed) if placed else float(i), i, node))
        nodes[:] = [node for _, _, node in sorted(keyed)]
        index.update({node: float(i) for i, node in enumerate(nodes)})
    along, across = (
        (NODE_W + GAP_ALONG, NODE_H + GAP_ACROSS)
        if direction in ("LR", "RL")
        else (
            NODE_H + GAP_ALONG,
            NODE_W + GAP_ACROSS,
        )
    )
    # A long flow wraps: every WRAP_LAYERS layers start a new band beside the last, as wide as its
    # own widest layer, so anything the element cap allows stays within the coordinate limits.
    span = min(len(layers), WRAP_LAYERS)
    cells: dict[str, tuple[float, float]] = {}  # (position along the flow, across it), in pixels
    band_start = 0.0
    for first in range(0, len(layers), WRAP_LAYERS):
        band = layers[first : first + WRAP_LAYERS]
        widest = max(len(nodes) for nodes in band)
        for k, nodes in enumerate(band):
            offset = band_start + (widest - len(nodes)) * across / 2
            step = span - 1 - k if direction in ("RL", "BT") else k
            for i, node in enumerate(nodes):
                cells[node] = (step * along, offset + i * across)
        band_start += widest * across + GAP_BANDS
    start = span * along
    for i, node in enumerate(alone):
        cells[node] = (start + (i // GRID_COLUMNS) * along, (i % GRID_COLUMNS) * across)
    if direction in ("LR", "RL"):
        return {node: (round(a), round(c)) for node, (a, c) in cells.items()}
    return {node: (round(c), round(a)) for node, (a, c) in cells.items()}
