"""The formats registry: every format is reachable by name, pure, and an export loads back where it can."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reviews.formats import EXPORTS, FORMATS, IMPORTS, Imported, board_json
from tests.reviews.formats.test_exports import hostile_data


def test_the_api_names_are_the_registered_ones():
    assert EXPORTS == ("json", "markdown", "html", "mermaid", "svg", "png", "excalidraw", "drawio")
    assert IMPORTS == ("json", "mermaid", "excalidraw", "drawio")
    assert FORMATS["drawio"].options == ("page",) and FORMATS["excalidraw"].options == ()


@pytest.mark.parametrize("name", EXPORTS)
def test_every_exporter_takes_the_gathered_data_and_gives_text_or_bytes(name):
    body = FORMATS[name].export(hostile_data(reviews=None))
    assert isinstance(body, bytes if name == "png" else str) and body


@pytest.mark.parametrize("name", ["json", "mermaid", "excalidraw", "drawio"])
def test_what_a_format_exports_it_loads_back_to_the_same_canvas_kinds(name):
    data = hostile_data()
    imported = FORMATS[name].load(FORMATS[name].export(data))
    assert isinstance(imported, Imported) and imported.problems == []
    # Mermaid has no sticky notes, and flattens the subgraphs frames are written as
    kinds = sorted(e["kind"] for e in data["elements"] if name != "mermaid" or e["kind"] in ("component", "arrow"))
    assert sorted(e["kind"] for e in imported.elements) == kinds


def test_there_is_one_imported_type():
    from reviews.formats import drawio, excalidraw, imported, interop

    assert interop.Imported is imported.Imported is Imported
    assert excalidraw.load('{"type": "excalidraw", "version": 2, "elements": []}').__class__ is Imported
    assert drawio.load("<mxGraphModel/>").__class__ is Imported


def test_a_file_given_a_key_twice_is_one_problem_and_no_elements():
    imported = board_json.load('{"format": "bothsides", "format": "bothsides", "version": 1, "elements": []}')
    assert imported.elements == [] and [p["path"] for p in imported.problems] == ["content"]


def test_the_formats_package_imports_no_django():
    code = (
        "import sys, reviews.formats, reviews.formats.report; "
        "sys.exit(any(m.split('.')[0] in {'django', 'rest_framework', 'channels'} for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
