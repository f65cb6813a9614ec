"""The diagram as SVG: inline in the interview report and the design document, and the SVG export. Pure.

Drawn on the server so the report needs no JavaScript and can be archived or
printed as is. Every piece of user text goes through XML escaping and lands
only in text nodes; the document has no scripts, event attributes, links or
foreign objects, so a hostile label stays a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reviews.formats.frames import frames_of
from reviews.formats.routing import Rect, Routed, label_size, path_of, points_attr, route_board

Element = Mapping[str, Any]

PAD = 40
FONT = "font-family:system-ui,-apple-system,Segoe UI,sans-serif"
NOTE_CHARS = 32
NOTE_LINES = 6
# XML 1.0 allows no other control characters, and U+FFFE/U+FFFF are not characters at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """Text that XML can hold: characters it forbids become U+FFFD (the board allows them, XML does not)."""
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [xml_safe(v) for v in value]
    return value


def _text(x: float, y: float, value: str, *, size: int = 13, weight: str = "normal", anchor: str = "middle") -> str:
    style = f"{FONT};font-size:{size}px;font-weight:{weight}"
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" style="{style}">{escape(xml_safe(value))}</text>'


def _arrow(arrow: Element, routed: Routed) -> str:
    """The arrow along the canvas's route (`reviews.formats.routing`), its corners in data-points."""
    dash = ' stroke-dasharray="6 4"' if arrow.get("style") == "async" else ""
    return (
        f'<path d="{path_of(routed.points)}" fill="none" stroke="#475569" stroke-width="1.5" '
        f'marker-end="url(#head)"{dash} data-arrow={quoteattr(str(routed.id))} '
        f'data-points="{points_attr(routed.points)}"/>'
    )


def _fit(text: str, width: float, size: int, *, lines: int = 1, bold: bool = False) -> list[str]:
    """`text` broken at spaces into at most `lines` lines of `width` px, the last ellipsized if cut.

    No font metrics on the server: a character is taken as wide as a wide sans-serif one (0.62 em,
    0.66 bold), so a label never runs past its box, as on the canvas, which clamps and ellipsizes.
    """
    per_line = max(1, int(width / (size * (0.66 if bold else 0.62))))
    words, line = text.split(), ""
    out: list[str] = []
    for i, word in enumerate(words):
        if len(out) == lines - 1:
            line = " ".join([line, *words[i:]]).strip()
            break
        if line and len(line) + 1 + len(word) > per_line:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    out = [s if len(s) <= per_line else s[: per_line - 1].rstrip() + "\u2026" for s in out]
    return out[:lines]


def _title(value: str) -> str:
    """The whole text, for hovering, when a shape shows it cut."""
    return f"<title>{escape(xml_safe(value))}</title>"


def _arrow_label(arrow: Element, routed: Routed) -> str:
    label = arrow.get("label") or ""
    if not label or routed.label is None:
        return ""
    x, y = routed.label
    width, height = label_size(label)
    shown = _fit(label, width - 14, 11)[0]
    return (
        f"<g data-shape={quoteattr(str(arrow['id']))}>"
        f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'rx="{height / 2:.1f}" fill="#ffffff" stroke="#cbd5e1"/>'
        + _text(x, y + 4, shown, size=11)
        + (_title(label) if shown != label else "")
        + "</g>"
    )


def routes(elements: Iterable[Element]) -> list[tuple[Element, Routed]]:
    """Every arrow with its route and label spot, as the canvas draws them."""
    elements = list(elements)
    boxes = {e["id"]: Rect.of(e) for e in elements if e["kind"] in ("component", "note")}
    arrows = [e for e in elements if e["kind"] == "arrow"]
    by_id = {a["id"]: a for a in arrows}
    return [(by_id[r.id], r) for r in route_board(boxes, arrows)]


def _component(box: Element, open_challenges: int) -> str:
    """A box with its label on up to two lines and its subtitle on one, both kept inside it."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    label = box.get("label") or "(unlabelled)"
    subtitle = _subtitle(box)
    lines = _fit(label, w - 14, 13, lines=2 if h >= 56 else 1, bold=True)
    sub = _fit(subtitle, w - 14, 11)[0]
    top = y + h / 2 - 2 - 8 * (len(lines) - 1)
    parts = [
        f"<g data-shape={quoteattr(str(box['id']))}>",
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="8" fill="#ffffff" stroke="#334155"/>',
        *(_text(x + w / 2, top + i * 15, line, weight="600") for i, line in enumerate(lines)),
        _text(x + w / 2, top + 15 * (len(lines) - 1) + 16, sub, size=11),
    ]
    # Whatever is cut or wrapped is kept whole for hovering (and for anything reading the text).
    if lines != [label]:
        parts.append(_title(label))
    elif sub != subtitle:
        parts.append(_title(subtitle))
    if open_challenges:
        parts.append(f'<g><circle cx="{x + w:.1f}" cy="{y:.1f}" r="10" fill="#d97706"/>')
        parts.append(_text(x + w, y + 4, str(open_challenges), size=11, weight="700") + "</g>")
    parts.append("</g>")
    return "".join(parts)


def _subtitle(box: Element) -> str:
    kind = str(box.get("type", "")).replace("_", " ")
    tech = box.get("tech") or ""
    replicas = box.get("replicas", 1)
    return " · ".join(part for part in (kind, tech, f"x{replicas}" if replicas and replicas > 1 else "") if part)


def _wrap(text: str) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > NOTE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:NOTE_LINES]


def _note(note: Element) -> str:
    x, y, w, h = note["x"], note["y"], note["w"], note["h"]
    parts = [f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#fef9c3" stroke="#ca8a04"/>']
    for i, line in enumerate(_wrap(note.get("text") or "")):
        parts.append(_text(x + 8, y + 20 + i * 16, line, size=12, anchor="start"))
    return "".join(parts)


def _frame(frame: Element) -> str:
    """A frame: a dashed region behind everything, its label at its top left."""
    x, y, w, h = frame["x"], frame["y"], frame["w"], frame["h"]
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="10" fill="#f1f5f9" '
        f'fill-opacity="0.6" stroke="#64748b" stroke-dasharray="8 5"/>'
    ) + _text(x + 12, y + 20, frame.get("label") or "", size=12, weight="600", anchor="start")


def bounds(boxes: Iterable[Element]) -> tuple[float, float, float, float]:
    """The drawing area around the boxes and notes: left, top, width, height."""
    boxes = list(boxes)
    if not boxes:
        return 0, 0, 200, 100
    left = min(b["x"] for b in boxes)
    top = min(b["y"] for b in boxes)
    right = max(b["x"] + b["w"] for b in boxes)
    bottom = max(b["y"] + b["h"] for b in boxes)
    return left - PAD, top - PAD, right - left + 2 * PAD, bottom - top + 2 * PAD


def diagram_svg(elements: Iterable[Element], open_challenges: Mapping[str, int] | None = None) -> str:
    """The board as an SVG document; `open_challenges` puts a count badge on components."""
    elements = list(elements)
    counts = open_challenges or {}
    boxes = {e["id"]: e for e in elements if e["kind"] == "component"}
    notes = [e for e in elements if e["kind"] == "note"]
    regions = frames_of(elements)  # largest first: an inner frame is drawn over the one around it
    left, top, width, height = bounds([*boxes.values(), *notes, *regions])
    routed = routes(elements)  # frames are not obstacles: arrows may cross them
    body = [_frame(frame) for frame in regions]
    body += [_note(note) for note in notes]
    body += [_arrow(arrow, r) for arrow, r in routed]
    body += [_component(box, counts.get(box_id, 0)) for box_id, box in boxes.items()]
    body += [_arrow_label(arrow, r) for arrow, r in routed]
    head = (
        '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="Final diagram">'
        f"{head}{''.join(body)}</svg>"
    )


def open_challenges(annotations: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Open challenges per element, for the badges on the diagram."""
    counts: dict[str, int] = {}
    for annotation in annotations:
        if (
            annotation["layer"] == "challenges"
            and annotation["status"] in ("open", "reopened")
            and annotation["target"]
        ):
            counts[annotation["target"]] = counts.get(annotation["target"], 0) + 1
    return counts


def diagram(data: Mapping[str, Any]) -> str:
    """The diagram as an SVG element (for inlining), badges counting open challenges."""
    return diagram_svg(data["elements"], open_challenges(data["annotations"]))


def export(data: Mapping[str, Any]) -> str:
    """The SVG export: the diagram as a standalone file."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{diagram(data)}\n'
