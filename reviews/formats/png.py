"""The diagram as a PNG, drawn on the server with Pillow. Pure and deterministic.

The same picture as `reviews.formats.svg` (boxes with label and type, sticky notes,
arrows with heads, dashed when async, labels on arrows, a badge counting
open challenges) rasterised without a browser. Text is drawn with the font
bundled in Pillow (`ImageFont.load_default`), never a system font, so the
same board gives the same bytes on every machine with the same Pillow;
characters that font lacks show as boxes. A PNG holds pixels only: nothing
typed on the board can become markup in it.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from reviews.formats.frames import frames_of
from reviews.formats.routing import Routed
from reviews.formats.svg import bounds, open_challenges, routes

Element = Mapping[str, Any]
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels

SCALE = 2  # pixels per canvas unit: crisp on high-density screens and in print
MAX_SIDE = 4000  # pixels; larger boards are drawn smaller
TEXT_FROM_SCALE = 0.35  # below this, text would be unreadable smudges and is left out

BACKGROUND = (248, 250, 252)
INK = (15, 23, 42)
MUTED = (100, 116, 139)
LINE = (71, 85, 105)
BOX = (255, 255, 255)
BORDER = (51, 65, 85)
NOTE = (254, 249, 195)
NOTE_BORDER = (202, 138, 4)
FRAME = (241, 245, 249)
FRAME_BORDER = (100, 116, 139)
BADGE = (217, 119, 6)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(1, size))


def _clean(text: Any) -> str:
    return " ".join(str(text).split())


def _fit(font: Any, text: str, width: float) -> str:
    """The text, cut with an ellipsis to `width` pixels."""
    if font.getlength(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid] + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def _wrap(font: Any, text: str, width: float, lines: int) -> list[str]:
    out, line = [], ""
    for word in str(text).split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            out.append(line)
            line = word
        else:
            line = candidate
    out.append(line)
    return [_fit(font, part, width) for part in out[:lines]]


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


class _Canvas:
    def __init__(self, left: float, top: float, width: float, height: float, scale: float) -> None:
        self.left, self.top, self.scale = left, top, scale
        size = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
        self.image = Image.new("RGB", size, BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.text_on = scale >= TEXT_FROM_SCALE

    def box(self, element: Element) -> Box:
        s = self.scale
        x, y = (element["x"] - self.left) * s, (element["y"] - self.top) * s
        return x, y, x + element["w"] * s, y + element["h"] * s

    def font(self, size: int) -> Any:
        return _font(round(size * self.scale))

    def text(self, xy: tuple[float, float], text: str, size: int, fill: tuple[int, int, int], anchor: str) -> None:
        if self.text_on and text:
            self.draw.text(xy, text, font=self.font(size), fill=fill, anchor=anchor)

    def frame(self, frame: Element) -> None:
        box, s = self.box(frame), self.scale
        self.draw.rounded_rectangle(box, radius=10 * s, fill=FRAME, outline=FRAME_BORDER, width=max(1, round(s)))
        label = _fit(self.font(12), _clean(frame.get("label") or ""), (box[2] - box[0]) - 24 * s)
        self.text((box[0] + 12 * s, box[1] + 8 * s), label, 12, MUTED, "la")

    def note(self, note: Element) -> None:
        box = self.box(note)
        self.draw.rectangle(box, fill=NOTE, outline=NOTE_BORDER, width=max(1, round(self.scale)))
        font, s = self.font(12), self.scale
        lines = _wrap(font, note.get("text") or "", (box[2] - box[0]) - 16 * s, 6)
        for i, line in enumerate(lines):
            self.text((box[0] + 8 * s, box[1] + (10 + i * 16) * s), line, 12, INK, "la")

    def component(self, component: Element, open_challenges: int) -> None:
        box, s = self.box(component), self.scale
        self.draw.rounded_rectangle(box, radius=8 * s, fill=BOX, outline=BORDER, width=max(1, round(s)))
        cx, cy = _centre(box)
        width = (box[2] - box[0]) - 12 * s
        label = _fit(self.font(13), _clean(component.get("label") or "(unlabelled)"), width)
        self.text((cx, cy - 2 * s), label, 13, INK, "ms")
        self.text((cx, cy + 15 * s), _fit(self.font(11), _subtitle(component), width), 11, MUTED, "ms")
        if open_challenges:
            r = 10 * s
            self.draw.ellipse((box[2] - r, box[1] - r, box[2] + r, box[1] + r), fill=BADGE)
            self.text((box[2], box[1]), str(open_challenges), 11, BOX, "mm")

    def point(self, p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] - self.left) * self.scale, (p[1] - self.top) * self.scale

    def arrow(self, arrow: Element, routed: Routed) -> tuple[float, float, str] | None:
        """The arrow along the canvas's route, dashed when async, its head on the last segment."""
        s = self.scale
        points = [self.point(p) for p in routed.points]
        if len(points) < 2 or math.dist(points[-2], points[-1]) < 1:
            return None
        end, before = points[-1], points[-2]
        length = math.dist(before, end)
        ux, uy = (end[0] - before[0]) / length, (end[1] - before[1]) / length
        head = min(10 * s, length)
        stem = (end[0] - ux * head, end[1] - uy * head)
        line = [*points[:-1], stem]
        width = max(1, round(1.5 * s))
        if arrow.get("style") == "async":
            dash, gap, at = 6 * s, 4 * s, 0.0
            for a, b in itertools.pairwise(line):
                seg = math.dist(a, b)
                if seg == 0:
                    continue
                dx, dy = (b[0] - a[0]) / seg, (b[1] - a[1]) / seg
                # `at` runs on along the whole line, so the dashes keep their rhythm round corners.
                pos = 0.0
                while pos < seg:
                    phase = at % (dash + gap)
                    step = min(seg - pos, (dash - phase) if phase < dash else (dash + gap - phase))
                    if phase < dash:
                        p = (a[0] + dx * pos, a[1] + dy * pos)
                        q = (a[0] + dx * (pos + step), a[1] + dy * (pos + step))
                        self.draw.line((p, q), fill=LINE, width=width)
                    pos += step
                    at += step
        else:
            self.draw.line(line, fill=LINE, width=width, joint="curve")
        wing = head * 0.45
        self.draw.polygon(
            [end, (stem[0] - uy * wing, stem[1] + ux * wing), (stem[0] + uy * wing, stem[1] - ux * wing)], fill=LINE
        )
        label = _clean(arrow.get("label") or "")
        if not label or routed.label is None:
            return None
        x, y = self.point(routed.label)
        return x, y, label

    def arrow_label(self, x: float, y: float, label: str) -> None:
        if not self.text_on:
            return
        font, s = self.font(11), self.scale
        text = _fit(font, label, 200 * s)
        width = font.getlength(text)
        self.draw.rounded_rectangle(
            (x - width / 2 - 5 * s, y - 9 * s, x + width / 2 + 5 * s, y + 9 * s), radius=9 * s, fill=BOX, outline=LINE
        )
        self.text((x, y), text, 11, INK, "mm")

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=False)
        return out.getvalue()


def _subtitle(component: Element) -> str:
    kind = str(component.get("type", "")).replace("_", " ")
    tech = _clean(component.get("tech") or "")
    replicas = component.get("replicas", 1)
    return " · ".join(part for part in (kind, tech, f"x{replicas}" if replicas and replicas > 1 else "") if part)


def diagram_png(
    elements: Iterable[Element], open_challenges: Mapping[str, int] | None = None, *, scale: float = SCALE
) -> bytes:
    """The board as PNG bytes, at most `MAX_SIDE` pixels a side."""
    elements = list(elements)
    counts = open_challenges or {}
    components = [e for e in elements if e["kind"] == "component"]
    notes = [e for e in elements if e["kind"] == "note"]
    regions = frames_of(elements)  # largest first: an inner frame is drawn over the one around it
    left, top, width, height = bounds([*components, *notes, *regions])
    scale = min(scale, MAX_SIDE / width, MAX_SIDE / height)
    canvas = _Canvas(left, top, width, height, scale)
    for frame in regions:
        canvas.frame(frame)
    for note in notes:
        canvas.note(note)
    labels = [canvas.arrow(arrow, routed) for arrow, routed in routes(elements)]
    for component in components:
        canvas.component(component, counts.get(component["id"], 0))
    for label in labels:
        if label is not None:
            canvas.arrow_label(*label)
    return canvas.png()


def export(data: Mapping[str, Any]) -> bytes:
    """The PNG export of what `reviews.export_queries.export_for` gathered, badges counting open challenges."""
    return diagram_png(data["elements"], open_challenges(data["annotations"]))
