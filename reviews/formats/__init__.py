"""Every file format a board goes out as or comes in from, by name: the one place to add one.

A format is one module in this package, pure (plain data in, text or bytes
out; no Django, no I/O), with either or both of:

- `export(data) -> str | bytes`: `data` is what `reviews.export_queries.export_for`
  gathered for one reader (`board`, `elements`, `annotations`, `requirements`,
  `participants`, `exported_at`, `reviews`), so the private layer is in it only
  for those who may read it;
- `load(content, **options) -> Imported`: `content` is the file (text, or for
  JSON sent inline its decoded value); the result holds the elements, or the
  problems (`{"message", "line"?, "path"?, "id"?}`) that refuse the whole file.
  A file that cannot be read at all may instead raise `ImportInvalid` (a
  `SyncError` with a `reason`). `options` are the ones the format lists
  (`Format.options`, e.g. draw.io's `page`).

Adding a format is that module plus one line in `FORMATS`; the REST export
and import views (`reviews.api.exports`) dispatch by name and list what is here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reviews.formats import board_json, design, drawio, excalidraw, mermaid, png, svg
from reviews.formats.imported import Imported, Problem
from reviews.formats.interop import ImportInvalid

Exporter = Callable[[Mapping[str, Any]], str | bytes]
Importer = Callable[..., Imported]
__all__ = [
    "EXPORTS",
    "FORMATS",
    "IMPORTS",
    "Exporter",
    "Format",
    "ImportInvalid",
    "Imported",
    "Importer",
    "Problem",
]


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str  # of the downloaded file, without the dot
    summary: str  # for the API docs
    export: Exporter | None = None
    load: Importer | None = None
    sandboxed: bool = False  # a browser could render it: served under a sandboxing Content-Security-Policy
    options: tuple[str, ...] = ()  # keyword arguments `load` takes besides the content


FORMATS: dict[str, Format] = {
    "json": Format("application/json", "json", "the BothSides board file", board_json.export, board_json.load),
    "markdown": Format("text/markdown; charset=utf-8", "md", "the design document", design.export_markdown),
    "html": Format("text/html; charset=utf-8", "html", "the printable design document", design.export_html, None, True),
    "mermaid": Format("text/plain; charset=utf-8", "mmd", "a Mermaid flowchart", mermaid.export, mermaid.load),
    "svg": Format("image/svg+xml", "svg", "the diagram as SVG", svg.export, None, True),
    "png": Format("image/png", "png", "the diagram as PNG", png.export),
    "excalidraw": Format("application/json", "excalidraw", "an Excalidraw scene", excalidraw.export, excalidraw.load),
    "drawio": Format(
        "application/xml", "drawio", "a draw.io (diagrams.net) file", drawio.export, drawio.load, True, ("page",)
    ),  # sandboxed: a browser renders XML, and XHTML inside it
}
EXPORTS = tuple(name for name, form in FORMATS.items() if form.export is not None)
IMPORTS = tuple(name for name, form in FORMATS.items() if form.load is not None)
