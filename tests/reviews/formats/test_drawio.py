"""draw.io import (`reviews.formats.drawio`): pages, compression, cells, HTML values, nesting, icons, the report."""

from __future__ import annotations

import base64
import zlib

import pytest

from reviews.formats import drawio
from reviews.formats.interop import ImportInvalid

from .fixtures import assert_ready, by_label, d_edge, d_model, d_vertex, edges, messages, mxfile

SHOP = d_model(
    d_vertex("web", "Users", 0, 0, style="shape=umlActor;verticalLabelPosition=bottom;html=1;"),
    d_vertex("lb", "LB", 200, 0),
    d_vertex("api", "Order service", 400, 0),
    d_vertex("db", "Orders", 600, 0, style="shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;size=15;"),
    d_edge("e1", "web", "lb"),
    d_edge("e2", "lb", "api", value="HTTPS"),
    d_edge("e3", "api", "db", value="writes", style="endArrow=classic;html=1;dashed=1;"),
)


def load(content, **kwargs):
    imported = drawio.load(content, **kwargs)
    assert_ready(imported)
    return imported


@pytest.mark.parametrize("compressed", [False, True])
def test_a_small_architecture_plain_and_compressed(compressed):
    imported = load(mxfile(("Shop", SHOP), compressed=compressed))
    shapes = by_label(imported)
    assert {k: (v["id"], v["type"], v["x"], v["y"], v["w"], v["h"]) for k, v in shapes.items()} == {
        "Users": ("web", "client", 0, 0, 120, 60),
        "LB": ("lb", "load_balancer", 200, 0, 120, 60),
        "Order service": ("api", "service", 400, 0, 120, 60),
        "Orders": ("db", "database", 600, 0, 120, 60),
    }
    assert edges(imported) == [
        ("Users", "LB", "", "sync"),
        ("LB", "Order service", "HTTPS", "sync"),
        ("Order service", "Orders", "writes", "async"),
    ]
    assert imported.report == []
    assert imported.title == "Shop"


def test_a_bare_mxgraphmodel_is_one_page():
    imported = load(SHOP)
    assert len(by_label(imported)) == 4 and imported.title == "Imported board"  # the file names nothing


def test_several_pages_one_board_each_or_the_chosen_one():
    other = d_model(d_vertex("k", "Kafka", 0, 0))
    content = mxfile(("Shop", SHOP), ("Events", other), compressed=True)
    assert drawio.page_names(content) == ["Shop", "Events"]
    pages = drawio.load_pages(content)
    assert [p.title for p in pages] == ["Shop", "Events"]
    assert [len(p.elements) for p in pages] == [7, 1]
    assert load(content).title == "Shop"  # the first by default
    assert by_label(load(content, page=1))["Kafka"]["type"] == "queue"
    assert by_label(load(content, page="Events"))["Kafka"]["tech"] == "Kafka"
    for page in (2, -1, "Nope"):
        with pytest.raises(ImportInvalid) as caught:
            drawio.load(content, page=page)
        assert caught.value.reason == "no_such_page"


def test_an_unnamed_page_gets_a_name_and_an_empty_page_is_empty():
    content = '<mxfile><diagram id="a"></diagram><diagram id="b" name="B">' + SHOP + "</diagram></mxfile>"
    assert drawio.page_names(content) == ["Page-1", "B"]
    assert load(content).elements == []


def test_html_values_are_reduced_to_their_text():
    value = (
        '<div style="color: red"><b>Order</b>&nbsp;service</div><div><br></div><div>v2 &amp; up</div>'
        "<script>alert(1)</script><span>  spaced   out </span>"
    )
    imported = load(d_model(d_vertex("a", value, style="rounded=1;html=1;"), d_vertex("b", "<b>raw</b>", style="")))
    assert [e["label"] for e in imported.elements] == ["Order service\n\nv2 & up\nspaced out", "<b>raw</b>"]


def test_edge_labels_that_are_child_cells_join_the_edge_label():
    label = (
        '<mxCell id="l1" value="async" style="edgeLabel;html=1;" vertex="1" connectable="0" parent="e1">'
        '<mxGeometry x="-0.2" relative="1" as="geometry"><mxPoint as="offset"/></mxGeometry></mxCell>'
    )
    imported = load(d_model(d_vertex("a", "API"), d_vertex("b", "Worker", 300), d_edge("e1", "a", "b", "jobs"), label))
    assert edges(imported) == [("API", "Worker", "jobs\nasync", "sync")]


def test_groups_are_flattened_and_children_get_absolute_coordinates():
    imported = load(
        d_model(
            d_vertex("g", "", 100, 100, style="group", w=400, h=200),
            d_vertex("inner", "Inner group", 50, 50, style="group", parent="g", w=200, h=100),
            d_vertex("a", "API", 10, 20, parent="g"),
            d_vertex("b", "Redis", 5, 5, parent="inner"),
            d_edge("e", "a", "b", parent="g"),
        )
    )
    shapes = by_label(imported)
    assert (shapes["API"]["x"], shapes["API"]["y"]) == (110, 120)
    assert (shapes["Redis"]["x"], shapes["Redis"]["y"]) == (155, 155)
    assert edges(imported) == [("API", "Redis", "", "sync")]
    assert messages(imported) == ["group inner: label 'Inner group' not imported (groups are flattened)"]


def test_containers_and_swimlanes_are_frames():
    imported = load(
        d_model(
            d_vertex(
                "vpc",
                "VPC",
                100,
                100,
                w=600,
                h=400,
                style="shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;container=1;html=1;",
            ),
            d_vertex("lane", "<b>Payments</b>", 40, 40, style="swimlane;html=1;", parent="vpc", w=300, h=200),
            d_vertex("pay", "Payment service", 10, 30, parent="lane"),
            d_vertex("cdn", "CDN", 0, 0),
            d_edge("e1", "cdn", "vpc"),
        )
    )
    shapes = by_label(imported)
    assert (shapes["Payment service"]["x"], shapes["Payment service"]["y"]) == (150, 170)
    frames = [e for e in imported.elements if e["kind"] == "frame"]
    assert frames == [
        {"id": "vpc", "kind": "frame", "label": "VPC", "x": 100, "y": 100, "w": 600, "h": 400},
        {"id": "lane", "kind": "frame", "label": "Payments", "x": 140, "y": 140, "w": 300, "h": 200},
    ]
    assert [e["kind"] for e in imported.elements] == ["frame", "frame", "component", "component"]  # frames first
    assert messages(imported) == ["not imported: edge e1 connects to a container (vpc)"]


def test_vendor_icons_give_types_and_technologies():
    aws = "sketch=0;outlineConnect=0;html=1;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{};"
    imported = load(
        d_model(
            d_vertex("rds", "Orders", style=aws.format("rds")),
            d_vertex("sqs", "Jobs", style=aws.format("sqs")),
            d_vertex("s3", "Uploads", style="shape=mxgraph.aws4.s3;html=1;"),
            d_vertex("ec", "Sessions", style=aws.format("elasticache")),
            d_vertex("cf", "Edge", style=aws.format("cloudfront")),
            d_vertex("alb", "Ingress", style="shape=mxgraph.aws4.application_load_balancer;html=1;"),
            d_vertex("fn", "Thumbnails", style=aws.format("lambda")),
            d_vertex("az", "Cart", style="image;html=1;image=img/lib/azure2/databases/Azure_Cosmos_DB.svg;"),
            d_vertex("bus", "Events", style="image;html=1;image=img/lib/azure2/integration/Service_Bus.svg;"),
            d_vertex("gcp", "Profiles", style="shape=mxgraph.gcp2.hexIcon;prIcon=cloud_sql;html=1;"),
        )
    )
    assert [(e["label"], e["type"], e["tech"]) for e in imported.elements] == [
        ("Orders", "database", "Amazon RDS"),
        ("Jobs", "queue", "Amazon SQS"),
        ("Uploads", "storage", "Amazon S3"),
        ("Sessions", "cache", "Amazon ElastiCache"),
        ("Edge", "cdn", "Amazon CloudFront"),
        ("Ingress", "load_balancer", "Elastic Load Balancing"),
        ("Thumbnails", "worker", "AWS Lambda"),
        ("Cart", "database", "Azure Cosmos DB"),
        ("Events", "queue", "Azure Service Bus"),
        ("Profiles", "database", "Google Cloud SQL"),
    ]
    assert imported.report == []


def test_text_cells_and_note_shapes_are_notes():
    imported = load(
        d_model(
            d_vertex("t", "Remember: idempotent writes", 10, 20, style="text;html=1;align=center;", w=200, h=30),
            d_vertex("n", "Sticky", 10, 100, style="shape=note;whiteSpace=wrap;", w=100, h=80),
            d_vertex("empty", "", 10, 200, style="text;html=1;"),
        )
    )
    assert imported.elements == [
        {"id": "t", "kind": "note", "text": "Remember: idempotent writes", "x": 10, "y": 20, "w": 200, "h": 30},
        {"id": "n", "kind": "note", "text": "Sticky", "x": 10, "y": 100, "w": 100, "h": 80},
    ]


def test_edges_not_connected_at_both_ends_are_reported():
    imported = load(
        d_model(
            d_vertex("a", "API"),
            d_vertex("t", "a note", style="text;"),
            d_edge("e1", "a", None, value="dangling"),
            d_edge("e2", None, None),
            d_edge("e3", "a", "t"),
            d_edge("e4", "a", "nowhere"),
            d_edge("e5", "a", "a"),
        )
    )
    assert {p["id"]: p["message"] for p in imported.report} == {
        "e1": "not imported: edge e1 labelled 'dangling' is connected at one end; only connections are",
        "e2": "not imported: edge e2 is connected at neither end; only connections are",
        "e3": "not imported: edge e3 connects to no component (t)",
        "e4": "not imported: edge e4 connects to no component (nowhere)",
        "e5": "not imported: arrow e5 starts and ends on the same shape",
    }


def test_user_objects_carry_the_label_and_properties():
    cell = (
        '<UserObject label="Checkout" tech="Go" link="https://example.com" id="u1">'
        '<mxCell style="rounded=1;" vertex="1" parent="1">'
        '<mxGeometry x="5" y="6" width="70" height="40" as="geometry"/>'
        "</mxCell></UserObject>"
        '<object label="Jobs" bothsides_type="worker" replicas="3" id="o1">'
        '<mxCell style="shape=cylinder3;" vertex="1" parent="1"><mxGeometry width="70" height="40" as="geometry"/>'
        "</mxCell></object>"
    )
    imported = load(d_model(cell))
    assert [(e["id"], e["label"], e["type"], e["tech"], e["replicas"]) for e in imported.elements] == [
        ("u1", "Checkout", "service", "Go", 1),
        ("o1", "Jobs", "worker", "", 3),
    ]
    assert messages(imported) == ["typed as service: Checkout (u1)"]


def test_cells_whose_parents_loop_are_reported_not_followed_forever():
    imported = load(
        d_model(
            d_vertex("a", "API", parent="b"),
            d_vertex("b", "DB", parent="a"),
            d_vertex("c", "Cache"),
        )
    )
    assert [e["label"] for e in imported.elements] == ["Cache"]
    assert messages(imported)[:2] == [
        "not imported: cell a: its groups nest in a loop or too deeply",
        "not imported: cell b: its groups nest in a loop or too deeply",
    ]


def test_odd_cells_and_duplicates_are_reported():
    imported = load(
        d_model(
            d_vertex("a", "API"),
            d_vertex("a", "API again"),
            '<mxCell value="no id" vertex="1" parent="1"/>',
            "<Array/>",
            '<mxCell id="odd" parent="1"/>',
        )
    )
    assert messages(imported) == [
        "not imported: a second cell with id 'a'",
        "not imported: cell #4 has no id",
        "not imported: <Array> #5 (not a draw.io cell)",
        "not imported: cell odd is neither a shape nor a connector",
    ]


def test_unparseable_geometry_is_zero_and_missing_sizes_get_defaults():
    cell = '<mxCell id="a" value="API" vertex="1" parent="1"><mxGeometry x="nan" y="abc" as="geometry"/></mxCell>'
    (component,) = load(d_model(cell)).elements
    assert (component["x"], component["y"], component["w"], component["h"]) == (0, 0, 160, 72)


def test_compressed_pages_written_without_url_encoding_are_read_too():
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = base64.b64encode(deflater.compress(SHOP.encode()) + deflater.flush()).decode()
    content = f'<mxfile><diagram name="old">{packed}</diagram></mxfile>'
    assert len(load(content).elements) == 7


@pytest.mark.parametrize("prefix", ["\ufeff", "\n  ", "\ufeff\n"])
def test_a_byte_order_mark_or_blank_lines_before_the_declaration_are_fine(prefix):
    content = prefix + '<?xml version="1.0" encoding="UTF-8"?>\n' + mxfile(("Shop", SHOP))
    assert len(load(content).elements) == 7
    assert len(load(content.encode("utf-8")).elements) == 7
