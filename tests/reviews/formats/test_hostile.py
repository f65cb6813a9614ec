"""Hostile and broken files: one clear `ImportInvalid` (a `SyncError`), and nothing imported."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from reviews.formats import drawio, excalidraw
from reviews.formats.interop import MAX_HUGE_TEXT, MAX_INPUT, MAX_RAW_ELEMENTS, ImportInvalid
from whiteboard import ops
from whiteboard.errors import ErrorCode, SyncError

from .fixtures import compress, d_model, d_vertex, mxfile, scene, x_labelled, x_shape


def refused(importer, content, reason: str, code: ErrorCode = ErrorCode.VALIDATION_ERROR) -> ImportInvalid:
    with pytest.raises(ImportInvalid) as caught:
        importer(content)
    error = caught.value
    assert isinstance(error, SyncError)
    assert (error.reason, error.code) == (reason, code)
    body = error.as_dict()
    assert body["reason"] == reason and body["path"] == "content" and body["message"].endswith(".")
    assert body["problems"] == [{"code": str(code), "path": "content", "line": None, "message": error.message}]
    return error


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        '{"type": "excalidraw", "version": 2, "elements": [}',
        '{"type": "excalidraw", "version": 2, "elements": [], "x": NaN}',
        '{"type": "excalidraw", "type": "excalidraw", "version": 2, "elements": []}',
        b"\xff\xfe{}",
    ],
)
def test_malformed_json(content):
    refused(excalidraw.load, content, "malformed_json")


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_json_nested_too_deep(content):
    refused(excalidraw.load, content, "too_deep")


def test_too_many_elements_in_the_file_is_refused_before_reading_them():
    elements = [{"id": f"t{i}", "type": "freedraw"} for i in range(MAX_RAW_ELEMENTS + 1)]
    refused(excalidraw.load, scene(elements), "too_many_elements", ErrorCode.TOO_LARGE)
    library = {"type": "excalidrawlib", "version": 1, "library": [elements]}
    refused(excalidraw.load, json.dumps(library), "too_many_elements", ErrorCode.TOO_LARGE)


def test_more_elements_than_a_board_holds():
    shapes = [x_shape(f"s{i}", i * 10, 0) for i in range(ops.MAX_ELEMENTS + 1)]
    error = refused(excalidraw.load, scene(shapes), "too_many_elements", ErrorCode.TOO_LARGE)
    assert "at most 5,000" in error.message


def test_a_huge_label_is_refused():
    refused(
        excalidraw.load,
        scene(x_labelled("a", "x" * (MAX_HUGE_TEXT + 1))),
        "text_too_large",
        ErrorCode.TOO_LARGE,
    )


def test_a_file_too_large_is_refused_unread():
    refused(excalidraw.load, " " * (MAX_INPUT + 1), "file_too_large", ErrorCode.TOO_LARGE)
    refused(drawio.load, b" " * (MAX_INPUT + 1), "file_too_large", ErrorCode.TOO_LARGE)


# --------------------------------------------------------------------------- XML

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
    '<mxCell id="2" value="&lol3;" vertex="1" parent="1"><mxGeometry as="geometry"/></mxCell>'
    "</root></mxGraphModel></diagram></mxfile>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<mxfile><diagram name="p">&secret;</diagram></mxfile>'
)
EXTERNAL_DTD = '<?xml version="1.0"?><!DOCTYPE mxfile SYSTEM "http://example.com/evil.dtd"><mxfile/>'
PARAMETER = '<!DOCTYPE m [<!ENTITY % p SYSTEM "http://example.com/p.dtd"> %p;]><mxfile/>'


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL, EXTERNAL_DTD, PARAMETER, "<!DOCTYPE mxfile><mxfile/>"])
def test_dtds_entities_and_external_references_are_never_read(content):
    refused(drawio.load, content, "xml_forbidden")
    refused(drawio.load, content.encode(), "xml_forbidden")


def test_entities_hidden_inside_a_compressed_page_are_refused_too():
    inner = '<!DOCTYPE m [<!ENTITY x "y">]><mxGraphModel><root><mxCell id="0"/></root></mxGraphModel>'
    refused(drawio.load, f'<mxfile><diagram name="p">{compress(inner)}</diagram></mxfile>', "xml_forbidden")


@pytest.mark.parametrize("content", ["", "<mxfile>", "<mxfile><diagram></mxfile>", "<a/>junk", "not xml"])
def test_malformed_xml(content):
    refused(drawio.load, content, "malformed_xml")


def test_xml_nested_too_deep_stops_at_once():
    refused(drawio.load, "<mxfile>" + "<a>" * 1_000_000 + "</a>" * 1_000_000 + "</mxfile>", "too_deep")


def test_too_many_xml_elements():
    refused(drawio.load, "<mxfile>" + "<a/>" * 200_000 + "</mxfile>", "too_many_elements", ErrorCode.TOO_LARGE)


def test_more_cells_than_a_board_holds():
    cells = [d_vertex(f"v{i}", "API", i, 0) for i in range(ops.MAX_ELEMENTS + 1)]
    refused(drawio.load, mxfile(("p", d_model(*cells))), "too_many_elements", ErrorCode.TOO_LARGE)


def test_a_huge_label_in_a_drawio_file_is_refused():
    content = mxfile(("p", d_model(d_vertex("a", "x" * (MAX_HUGE_TEXT + 1)))))
    refused(drawio.load, content, "text_too_large", ErrorCode.TOO_LARGE)


@pytest.mark.parametrize("content", ["<svg/>", "<mxGraphModelX/>", "<mxfile/>"])
def test_not_a_drawio_file(content):
    refused(drawio.load, content, "not_drawio")


# --------------------------------------------------------------------------- compression


def raw_deflate(data: bytes) -> str:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return base64.b64encode(deflater.compress(data) + deflater.flush()).decode()


def page(text: str) -> str:
    return f'<mxfile><diagram name="p">{text}</diagram></mxfile>'


def test_a_deflate_bomb_is_stopped_at_the_cap():
    bomb = raw_deflate(b"A" * (MAX_INPUT + 10))
    assert len(bomb) < 100_000  # small on the wire
    refused(drawio.load, page(bomb), "deflate_bomb", ErrorCode.TOO_LARGE)


def test_pages_share_one_inflation_budget():
    half = raw_deflate(b"<mxGraphModel/>" + b" " * (MAX_INPUT // 2 + 10))
    assert len(drawio.load(page(half)).elements) == 0  # one is fine
    content = f'<mxfile><diagram name="a">{half}</diagram><diagram name="b">{half}</diagram></mxfile>'
    refused(drawio.load_pages, content, "deflate_bomb", ErrorCode.TOO_LARGE)


@pytest.mark.parametrize(
    "text",
    [
        "this is not base64!",
        base64.b64encode(b"not deflate data at all").decode(),
        raw_deflate(b"<mxGraphModel><root></root></mxGraphModel>")[:-8],  # cut short
        raw_deflate(b"\xff\xfe\xfd"),  # inflates, but not to UTF-8
        raw_deflate(b"%C3%28"),  # URL-encodes bytes that are not UTF-8
    ],
)
def test_broken_compressed_pages(text):
    refused(drawio.load, page(text), "bad_compression")


def test_a_compressed_page_that_is_not_a_diagram():
    refused(drawio.load, page(compress("<svg/>")), "not_drawio")


def test_too_many_pages():
    content = "<mxfile>" + '<diagram name="p"/>' * (drawio.MAX_PAGES + 1) + "</mxfile>"
    refused(drawio.load_pages, content, "too_many_pages", ErrorCode.TOO_LARGE)
