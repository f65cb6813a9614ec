"""Types, not shapes (`reviews.formats.inference`): every rule in inference_rules.json, one by one, and the order."""

from __future__ import annotations

import json

import pytest

from reviews.formats import inference
from whiteboard import ops

DATA = json.loads(inference.RULES_PATH.read_text(encoding="utf-8"))


def cases(group: str, key: str) -> list:
    return [pytest.param(rule, value, id=f"{rule['id']}:{value}") for rule in DATA[group] for value in rule[key]]


def test_the_rules_are_well_formed():
    ids = [rule["id"] for group in ("icons", "technologies", "nouns", "shapes") for rule in DATA[group]]
    assert len(ids) == len(set(ids))
    for group in ("icons", "technologies", "nouns", "shapes"):
        for rule in DATA[group]:
            assert rule["type"] in ops.COMPONENT_TYPES, rule["id"]
            assert len(rule.get("tech", "")) <= ops.MAX_TECH
    # every type can be reached from a label alone
    assert {rule["type"] for rule in DATA["nouns"]} == set(ops.COMPONENT_TYPES)


def test_a_rule_naming_an_unknown_type_is_refused():
    broken = {**DATA, "shapes": [{"id": "x", "match": ["blob"], "type": "spaceship"}]}
    with pytest.raises(ValueError, match="spaceship"):
        inference.load_rules(broken)


@pytest.mark.parametrize(("rule", "pattern"), cases("icons", "match"))
def test_icon_rule(rule, pattern):
    for style in ({"shape": pattern}, {"shape": "mxgraph.aws4.resourceIcon", "resicon": pattern}, {"image": pattern}):
        got = inference.infer(label="", style=style)
        assert (got.type, got.tech, got.rule) == (rule["type"], rule["tech"], rule["id"])


@pytest.mark.parametrize(("rule", "word"), cases("technologies", "words"))
def test_technology_rule(rule, word):
    got = inference.infer(label=f"Orders {word}".upper() if len(word) < 4 else f"{word.title()}")
    assert (got.type, got.tech) == (rule["type"], rule["tech"])
    # "Cosmos DB" also holds a type noun, which decides (and agrees); otherwise the technology decides
    assert got.rule == rule["id"] or got.rule.startswith("noun-")


@pytest.mark.parametrize(("rule", "word"), cases("nouns", "words"))
def test_noun_rule(rule, word):
    got = inference.infer(label=f"Orders {word}")
    assert (got.type, got.tech, got.rule) == (rule["type"], "", rule["id"])


@pytest.mark.parametrize(("rule", "shape"), cases("shapes", "match"))
def test_shape_rule(rule, shape):
    got = inference.infer(label="Orders", shape=shape)
    assert (got.type, got.rule) == (rule["type"], rule["id"])


@pytest.mark.parametrize(
    ("label", "kind", "tech"),
    [
        ("Redis cache", "cache", "Redis"),
        ("Kafka", "queue", "Kafka"),
        ("Postgres", "database", "PostgreSQL"),
        ("LB", "load_balancer", ""),
        ("CDN", "cdn", ""),
        ("S3", "storage", "Amazon S3"),
        ("User service", "service", ""),  # the last type noun is the head: a service for users
        ("Users DB", "database", ""),
        ("Search service", "service", ""),
        ("Kafka consumer", "worker", ""),  # a worker; Kafka is not its technology
        ("Orders DB (Postgres)", "database", "PostgreSQL"),
        ("Mobile app", "client", ""),  # the longer phrase wins at the same place
        ("Web app", "service", ""),
        ("Load Balancer", "load_balancer", ""),
        ("Redis", "cache", "Redis"),
        ("Elasticsearch cluster", "search", "Elasticsearch"),
    ],
)
def test_label_words(label, kind, tech):
    got = inference.infer(label=label)
    assert (got.type, got.tech) == (kind, tech)


def test_unrecognised_is_a_service_with_no_rule():
    assert inference.infer(label="Thingamajig", shape="rectangle") == inference.Inferred("service", "", None)
    assert inference.infer() == inference.Inferred("service", "", None)


def test_precedence_explicit_then_icon_then_label_then_shape():
    rds = {"shape": "mxgraph.aws4.resourceIcon", "resicon": "mxgraph.aws4.rds"}
    assert inference.infer(label="Redis", style=rds, shape="cylinder3", explicit="queue").type == "queue"
    assert inference.infer(label="Redis", style=rds, shape="cylinder3").type == "database"
    assert inference.infer(label="Redis", shape="cylinder3").type == "cache"
    assert inference.infer(label="Orders", shape="cylinder3").type == "database"
    # an icon keeps the label's technology when it agrees with the icon's type
    assert inference.infer(label="Postgres", style=rds).tech == "PostgreSQL"
    assert inference.infer(label="Orders", style=rds).tech == "Amazon RDS"


def test_an_unknown_explicit_type_is_ignored():
    assert inference.infer(label="Kafka", explicit="spaceship").type == "queue"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("[database]\nOrders", ("database", "Orders")),
        ("[Load balancer]\nEdge", ("load_balancer", "Edge")),
        ("[load-balancer]", ("load_balancer", "")),
        ("[service]\n\nleading blank line kept", ("service", "\nleading blank line kept")),
        ("[service]\n  indented", ("service", "  indented")),
        ("[spaceship]\nOrders", (None, "[spaceship]\nOrders")),
        ("Orders [database]", (None, "Orders [database]")),
        ("[database] Orders", (None, "[database] Orders")),
    ],
)
def test_type_prefix(label, expected):
    assert inference.split_type_prefix(label) == expected


def test_words_are_case_and_punctuation_blind():
    assert inference.words("Orders-DB (Postgres_14)") == ["orders", "db", "postgres", "14"]
