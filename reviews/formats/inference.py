"""Types, not shapes: which component type an imported box is. Pure; the rules are data.

`inference_rules.json` holds the rules; `infer` applies them in this order,
the first that speaks deciding:

1. an explicit type: a BothSides export's own marker (`explicit`), or a
   first label line naming a type in brackets (`[database]`), removed from
   the label (`split_type_prefix`);
2. a vendor icon in the style (`icons`: draw.io's AWS, Azure and GCP
   shapes and images), with its technology;
3. the label's words: the last type noun wins ("Redis cache" is a cache,
   "User service" a service, "Kafka consumer" a worker), else a technology
   ("Kafka", "Postgres"), whose name is kept in `tech` when its type is the
   one chosen;
4. the shape (`shapes`: cylinders are databases, …);
5. otherwise `service`, with `rule` None so the importer reports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from whiteboard import ops

RULES_PATH = Path(__file__).with_name("inference_rules.json")
ICON_KEYS = ("shape", "resicon", "pricon", "gricon", "image", "icon")
FALLBACK = "service"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PREFIX = re.compile(r"\A[ \t]*\[([A-Za-z _-]{3,20})\][ \t]*(?:\n|\Z)")


@dataclass(frozen=True)
class Inferred:
    type: str
    tech: str = ""
    rule: str | None = None  # the rule's id; None: nothing recognised, typed as service


@dataclass(frozen=True)
class _WordRule:
    id: str
    phrases: tuple[tuple[str, ...], ...]
    type: str
    tech: str


@dataclass(frozen=True)
class Rules:
    icons: tuple[tuple[str, tuple[str, ...], str, str], ...]
    technologies: tuple[_WordRule, ...]
    nouns: tuple[_WordRule, ...]
    shapes: dict[str, tuple[str, str]]  # shape name -> (rule id, type)

    @cached_property
    def tech_index(self) -> dict[str, list[tuple[tuple[str, ...], int, _WordRule]]]:
        return _index(self.technologies)

    @cached_property
    def noun_index(self) -> dict[str, list[tuple[tuple[str, ...], int, _WordRule]]]:
        return _index(self.nouns)


def _index(rule_set: tuple[_WordRule, ...]) -> dict[str, list[tuple[tuple[str, ...], int, _WordRule]]]:
    """First word -> (phrase, rule order, rule): a label is matched in one pass, whatever the number of rules."""
    index: dict[str, list[tuple[tuple[str, ...], int, _WordRule]]] = {}
    for order, rule in enumerate(rule_set):
        for phrase in rule.phrases:
            if phrase:
                index.setdefault(phrase[0], []).append((phrase, order, rule))
    return index


def words(text: str) -> list[str]:
    """Lowercase words; a camelCase or glued name also counts whole ('LoadBalancer' -> 'loadbalancer')."""
    return [w.casefold() for w in _WORD.findall(text)]


def _word_rules(raw: Iterable[Mapping[str, Any]]) -> tuple[_WordRule, ...]:
    out = []
    for rule in raw:
        if rule["type"] not in ops.COMPONENT_TYPES:
            raise ValueError(f"inference rule {rule['id']}: unknown type {rule['type']!r}")
        phrases = tuple(tuple(words(p)) for p in rule["words"])
        out.append(_WordRule(rule["id"], phrases, rule["type"], rule.get("tech", "")))
    return tuple(out)


def load_rules(data: Mapping[str, Any]) -> Rules:
    for group in ("icons", "shapes"):
        for rule in data[group]:
            if rule["type"] not in ops.COMPONENT_TYPES:
                raise ValueError(f"inference rule {rule['id']}: unknown type {rule['type']!r}")
    shapes: dict[str, tuple[str, str]] = {}
    for rule in data["shapes"]:
        for name in rule["match"]:
            shapes.setdefault(name.casefold(), (rule["id"], rule["type"]))
    return Rules(
        icons=tuple(
            (r["id"], tuple(m.casefold() for m in r["match"]), r["type"], r.get("tech", "")) for r in data["icons"]
        ),
        technologies=_word_rules(data["technologies"]),
        nouns=_word_rules(data["nouns"]),
        shapes=shapes,
    )


@cache
def rules() -> Rules:
    return load_rules(json.loads(RULES_PATH.read_text(encoding="utf-8")))


def type_name(text: str) -> str | None:
    """'database', 'Load balancer', 'load-balancer' -> the component type, or None."""
    name = re.sub(r"[\s-]+", "_", text.strip().casefold())
    return name if name in ops.COMPONENT_TYPES else None


def split_type_prefix(label: str) -> tuple[str | None, str]:
    """'[database]\\nOrders' -> ('database', 'Orders'); a label without a known prefix is returned whole."""
    match = _PREFIX.match(label)
    if match is None:
        return None, label
    kind = type_name(match.group(1))
    if kind is None:
        return None, label
    return kind, label[match.end() :]


def _find(
    tokens: list[str], index: Mapping[str, list[tuple[tuple[str, ...], int, _WordRule]]]
) -> list[tuple[int, int, int, _WordRule]]:
    """Every match as (end position, phrase length, rule order, rule)."""
    found = []
    for i, token in enumerate(tokens):
        for phrase, order, rule in index.get(token, ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                found.append((i + len(phrase), len(phrase), order, rule))
    return found


def from_label(label: str) -> tuple[str | None, str, str | None]:
    """(type or None, tech, rule id) from the label's words alone."""
    tokens = words(label)
    techs = _find(tokens, rules().tech_index)
    tech_rule = min(techs, key=lambda m: (-m[1], m[2]))[3] if techs else None  # longest, then first listed
    nouns = _find(tokens, rules().noun_index)
    if nouns:
        noun = max(nouns, key=lambda m: (m[0], m[1], -m[2]))[3]  # the last noun; the longest phrase there
        tech = tech_rule.tech if tech_rule is not None and tech_rule.type == noun.type else ""
        return noun.type, tech, noun.id
    if tech_rule is not None:
        return tech_rule.type, tech_rule.tech, tech_rule.id
    return None, "", None


def from_icon(style: Mapping[str, str]) -> tuple[str, str, str] | None:
    values = [str(style[key]).casefold() for key in ICON_KEYS if style.get(key)]
    if not values:
        return None
    for rule_id, patterns, kind, tech in rules().icons:
        if any(p in v for p in patterns for v in values):
            return kind, tech, rule_id
    return None


def from_shape(shape: str) -> tuple[str, str] | None:
    """(type, rule id) for a shape name ('cylinder3', 'mxgraph.flowchart.database', …)."""
    hit = rules().shapes.get(shape.casefold()) if shape else None
    return (hit[1], hit[0]) if hit else None


def infer(
    *, label: str = "", shape: str = "", style: Mapping[str, str] | None = None, explicit: str | None = None
) -> Inferred:
    """The component type for a box; `style` is a draw.io style as a dict with lowercase keys."""
    if explicit is not None and type_name(explicit):
        return Inferred(type_name(explicit) or FALLBACK, "", "explicit")
    icon = from_icon(style or {})
    if icon is not None:
        kind, tech, rule_id = icon
        label_kind, label_tech, _ = from_label(label)
        return Inferred(kind, label_tech if label_kind == kind and label_tech else tech, rule_id)
    label_kind, label_tech, label_rule = from_label(label)
    if label_kind is not None:
        return Inferred(label_kind, label_tech, label_rule)
    by_shape = from_shape(shape)
    if by_shape is not None:
        return Inferred(by_shape[0], "", by_shape[1])
    return Inferred(FALLBACK, "", None)
