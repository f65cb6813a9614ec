"""What the diagram importers share: the builder of an `Imported`, and the one error they raise. Pure.

Every diagram importer (`excalidraw.load`, `drawio.load`) is a function
`text or bytes -> Imported` (`reviews.formats.imported`, the one result type
of every format). Its `elements` are ready to be sent as `add` ops
(`whiteboard.ops.parse_ops` accepts each, and `apply_ops` accepts them all in
order: frames first, arrows last); its `report` is everything left out, cut
or guessed, each `{"id"?: the file's element id, "line": None, "message"}`
like the Mermaid import's. Containers (Excalidraw frames, draw.io containers
and swimlanes) are `frame` elements, and each box lying in one (Excalidraw's
`frameId`, a draw.io child, both drawn inside it) stores it as its `frame`.

A file that cannot be read at all (malformed, hostile, too large) raises
`ImportInvalid`, a `SyncError`, and nothing is imported: a drawing is either
read (with a report) or refused, so these importers leave `problems` empty.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from reviews.formats import frames, inference
from reviews.formats.imported import Element, Imported, Problem
from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError

MAX_INPUT = 20_000_000  # characters (or bytes) of a file, before anything is parsed
MAX_RAW_ELEMENTS = ops.MAX_ELEMENTS * 4  # shapes, texts and lines in the file, before they become elements
MAX_HUGE_TEXT = 100_000  # one text longer than this is not a diagram label but an attack

_BIDI = ops._BIDI_CONTROLS


class ImportInvalid(SyncError):
    """The file cannot be imported at all; `reason` says why in one word, `message` in one sentence.

    `code` is `validation_error` (or `too_large` for size limits), as for every
    other refused import, so the API answers 400 (413 for size) as it does
    for a broken BothSides or Mermaid file; `as_dict` also has `problems`,
    the shape of `ImportRejected`, so the dialog shows it the same way.
    """

    def __init__(self, reason: str, message: str, *, code: ErrorCode = ErrorCode.VALIDATION_ERROR) -> None:
        super().__init__(code, message, "content")
        self.reason = reason

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "reason": self.reason,
            "problems": [{"code": str(self.code), "path": "content", "line": None, "message": self.message}],
        }


def too_large(reason: str, message: str) -> ImportInvalid:
    return ImportInvalid(reason, message, code=ErrorCode.TOO_LARGE)


def check_size(content: str | bytes) -> None:
    if len(content) > MAX_INPUT:
        raise too_large("file_too_large", f"The file is larger than {MAX_INPUT:,} characters.")


def board_parts(board: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(title, elements) of what `reviews.export_queries.export_for` gathers (or a plain `{title, elements}`)."""
    inner: Mapping[str, Any] = board["board"] if isinstance(board.get("board"), dict) else board
    return str(inner.get("title") or ""), [dict(e) for e in board.get("elements", [])]


def brief(text: str, limit: int = 60) -> str:
    """A text quoted for a report line, shortened when long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value


class Builder:
    """Collects elements and the report, and checks the result against the board's rules."""

    def __init__(self) -> None:
        self.elements: list[Element] = []
        self.reported: list[Problem] = []
        self._taken: set[str] = set()

    # ---------------------------------------------------------------- report

    def report(self, message: str, source_id: Any = None) -> None:
        """Something left out, cut or guessed: the file is still imported, and the author is told."""
        entry: Problem = {"line": None, "message": message}
        if source_id is not None:
            entry = {"id": str(source_id)[:200], **entry}
        self.reported.append(entry)

    def new_id(self, source_id: Any) -> str:
        raw = str(source_id) if source_id is not None else ""
        base = raw if ops.ID_PATTERN.match(raw) else (re.sub(r"[^A-Za-z0-9_-]", "_", raw)[:64] or "el")
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            suffix = f"_{n}"
            candidate = base[: 64 - len(suffix)] + suffix
        self._taken.add(candidate)
        return candidate

    # ---------------------------------------------------------------- text

    def text(self, value: Any, limit: int, what: str, source_id: Any) -> tuple[str, str | None]:
        """(text fit for the board, the whole text when it had to be cut); unusable characters are removed."""
        if not isinstance(value, str):
            return "", None
        if len(value) > MAX_HUGE_TEXT:
            raise too_large("text_too_large", f"A text in the file is longer than {MAX_HUGE_TEXT:,} characters.")
        cleaned = "".join(ch for ch in value if ch != "\x00" and ch not in _BIDI and not "\ud800" <= ch <= "\udfff")
        if cleaned != value:
            self.report(f"{what}: removed characters (NUL, bidi controls, lone surrogates)", source_id)
        cleaned = unicodedata.normalize("NFC", cleaned)
        if len(cleaned) <= limit:
            return cleaned, None
        return cleaned[: limit - 1] + "…", cleaned

    def label(self, value: Any, what: str, source_id: Any) -> tuple[str, str]:
        """(label, notes): a label over the limit is cut, and the whole text goes to the notes."""
        label, whole = self.text(value, ops.MAX_LABEL, what, source_id)
        if whole is None:
            return label, ""
        if len(whole) <= ops.MAX_TEXT:
            self.report(f"{what}: label cut to {ops.MAX_LABEL} characters; the whole text is in its notes", source_id)
            return label, whole
        self.report(f"{what}: label cut to {ops.MAX_LABEL} characters (it had {len(whole):,})", source_id)
        return label, ""

    # ---------------------------------------------------------------- elements

    def component(self, source_id: Any, **fields: Any) -> str:
        element_id = self.new_id(source_id)
        self.elements.append({"id": element_id, "kind": "component", **fields})
        return element_id

    def typed_component(
        self,
        source_id: Any,
        *,
        label: Any,
        box: tuple[float, float, float, float],
        shape: str = "",
        style: dict[str, str] | None = None,
        explicit: dict[str, Any] | None = None,
    ) -> str:
        """A component whose type comes from `inference`; 'typed as service' is reported when nothing matched.

        `explicit` is what a BothSides export wrote down (type, tech, replicas, notes): it wins.
        """
        explicit = explicit or {}
        prefix_type, label = inference.split_type_prefix(label) if isinstance(label, str) else (None, "")
        text, notes = self.label(label, f"shape {source_id}", source_id)
        guess = inference.infer(label=text, shape=shape, style=style, explicit=explicit.get("type") or prefix_type)
        if guess.rule is None:
            self.report(f"typed as service: {text or '(no label)'} ({source_id})", source_id)
        tech, whole_tech = self.text(explicit.get("tech", guess.tech), ops.MAX_TECH, f"shape {source_id}", source_id)
        if whole_tech is not None:
            self.report(f"shape {source_id}: technology cut to {ops.MAX_TECH} characters", source_id)
        x, y, w, h = box
        fields: dict[str, Any] = {"type": guess.type, "label": text, "x": x, "y": y, "w": w, "h": h, "tech": tech}
        extra_notes, whole_notes = self.text(explicit.get("notes", ""), ops.MAX_TEXT, f"shape {source_id}", source_id)
        if whole_notes is not None:
            self.report(f"shape {source_id}: notes cut to {ops.MAX_TEXT} characters", source_id)
        fields["notes"] = notes or extra_notes
        replicas = explicit.get("replicas")
        if isinstance(replicas, int) and not isinstance(replicas, bool) and 1 <= replicas <= ops.MAX_REPLICAS:
            fields["replicas"] = replicas
        return self.component(source_id, **fields)

    def note(self, source_id: Any, text: Any, box: tuple[float, float, float, float]) -> str:
        body, whole = self.text(text, ops.MAX_TEXT, f"text {source_id}", source_id)
        if whole is not None:
            self.report(f"text {source_id}: cut to {ops.MAX_TEXT} characters (it had {len(whole):,})", source_id)
        element_id = self.new_id(source_id)
        x, y, w, h = box
        self.elements.append({"id": element_id, "kind": "note", "text": body, "x": x, "y": y, "w": w, "h": h})
        return element_id

    def arrow(self, source_id: Any, source: str, target: str, label: Any, style: str) -> str | None:
        if source == target:
            self.report(f"not imported: arrow {source_id} starts and ends on the same shape", source_id)
            return None
        text, whole = self.text(label, ops.MAX_LABEL, f"arrow {source_id}", source_id)
        if whole is not None:
            self.report(f"arrow {source_id}: label cut to {ops.MAX_LABEL} characters", source_id)
        element_id = self.new_id(source_id)
        self.elements.append(
            {"id": element_id, "kind": "arrow", "source": source, "target": target, "label": text, "style": style}
        )
        return element_id

    def frame(self, source_id: Any, label: Any, box: tuple[float, float, float, float]) -> str:
        text, whole = self.text(label, ops.MAX_LABEL, f"frame {source_id}", source_id)
        if whole is not None:
            self.report(f"frame {source_id}: label cut to {ops.MAX_LABEL} characters", source_id)
        element_id = self.new_id(source_id)
        x, y, w, h = box
        self.elements.append({"id": element_id, "kind": "frame", "label": text, "x": x, "y": y, "w": w, "h": h})
        return element_id

    # ---------------------------------------------------------------- the end

    def finish(self, title: str | None = None) -> Imported:
        if len(self.elements) > ops.MAX_ELEMENTS:
            raise too_large(
                "too_many_elements",
                f"The diagram has {len(self.elements):,} elements; a board holds at most {ops.MAX_ELEMENTS:,}.",
            )
        self._fit()
        # The file's nesting (children drawn inside their container) stored as each box's frame.
        by_id = {e["id"]: e for e in self.elements}
        for element_id, frame in frames.parents(self.elements).items():
            if by_id[element_id]["kind"] != "frame":
                by_id[element_id]["frame"] = frame
        # Frames first (behind, in the board's order too), arrows last (after their ends).
        rank = {"frame": 0, "arrow": 2}
        ordered = sorted(self.elements, key=lambda e: rank.get(e["kind"], 1))
        try:
            parsed = [ops.parse_element(e, f"elements[{i}]") for i, e in enumerate(ordered)]
            ops.apply_ops({}, 0, [{"op": "add", "element": e} for e in parsed])
        except SyncError as error:  # a bug here, never the file's fault; refuse rather than half-import
            raise ImportInvalid("unreadable", f"The diagram could not be converted: {error.message}") from error
        return Imported(elements=parsed, report=self.reported, title=title or "Imported board")

    def _fit(self) -> None:
        """Keep coordinates and sizes; move (and if need be shrink) the drawing only when the board would refuse it."""
        boxes = [e for e in self.elements if e["kind"] != "arrow"]
        for box in boxes:
            for size in ("w", "h"):
                if not (number(box.get(size)) or 0) > 0:
                    box[size] = 160 if size == "w" else 72
        if not boxes:
            return
        limit = ops.COORD_LIMIT
        if all(abs(b[key]) <= limit for b in boxes for key in ("x", "y", "w", "h")):
            return  # what the board accepts is kept exactly
        left = min(b["x"] for b in boxes)
        top = min(b["y"] for b in boxes)
        extent = max(
            max(b["x"] for b in boxes) - left,
            max(b["y"] for b in boxes) - top,
            max(b["w"] for b in boxes),
            max(b["h"] for b in boxes),
        )
        scale = min(1.0, (limit * 0.99) / extent) if extent > 0 else 1.0
        for b in boxes:
            b["x"] = (b["x"] - left) * scale
            b["y"] = (b["y"] - top) * scale
            b["w"] = max(b["w"] * scale, 1)
            b["h"] = max(b["h"] * scale, 1)
        how = f"moved and scaled by {scale:.3g}" if scale < 1 else "moved"
        self.report(f"the drawing was {how} to fit the board (coordinates within ±{limit:g})")
