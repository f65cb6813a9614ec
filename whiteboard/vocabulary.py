"""The protocol's vocabulary, loaded once from `vocabulary.json`. Pure.

Python and the browser must agree on every name and limit on the wire
(component types, element fields, layers, roles and what each may do, error
and close codes, the protocol version). They used to be written twice and
drifted; now `vocabulary.json` is the one copy: this module reads it, and
`frontend/scripts/vocabulary.mjs` turns it into TypeScript at build time.
Add a component type there, as one line, and both sides know it.

Everything here is plain data (tuples, frozensets, mappings); the rules that
use it live in `whiteboard.ops`, `whiteboard.roles` and the `reviews` rules.
`python -m whiteboard.vocabulary daphne-flags` (or `uvicorn-flags`) prints the
server flags that bound message sizes, so the Makefile does not repeat the numbers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

FieldType = Literal[
    "component_type",
    "arrow_style",
    "arrow_side",
    "credit",
    "frame_ref",
    "group_id",
    "familiarity",
    "boolean",
    "timeout",
    "retries",
    "id",
    "number",
    "size",
    "replicas",
    "text",
]


@dataclass(frozen=True)
class Field:
    """One property of an element kind: its type, and either required or its default."""

    type: FieldType
    required: bool = False
    default: object = None
    limit: str | None = None  # a key of LIMITS, for text
    # No default: absent until someone sets it (a component's `credit`; an arrow's sides, where
    # absent is "the side facing the other end"; a box's `group`, where absent is "in none"; a box's
    # `frame`, absent or "" outside every frame).
    optional: bool = False
    # The component types it means something on (a queue's `dead_letter`, a data store's
    # `backup`); empty for every type. `whiteboard.ops` refuses it set to true on any other type.
    types: tuple[str, ...] = ()


def _field(spec: dict[str, Any]) -> Field:
    return Field(**{**spec, "types": tuple(spec.get("types", ()))})


@dataclass(frozen=True)
class ErrorInfo:
    retryable: bool
    meaning: str


@dataclass(frozen=True)
class CloseCode:
    code: int
    meaning: str
    reaction: str


@dataclass(frozen=True)
class ModeRules:
    invitable: tuple[str, ...]
    challenged: str  # whose design is challenged: their first reply answers a challenge
    author: str  # the role of the person who creates the board
    session: bool = False  # whether the board has an interview clock and phases
    # What the author may do beyond their role (a practising candidate invites observers, deletes the board).
    author_capabilities: frozenset[str] = frozenset()
    server_roles: tuple[str, ...] = ()  # participants the server plays, added when the board is made (the coach)


def _load() -> dict[str, Any]:
    with (Path(__file__).parent / "vocabulary.json").open(encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
    return data


_DATA = _load()

PROTOCOL: int = _DATA["protocol"]
LIMITS: Mapping[str, int] = MappingProxyType(dict(_DATA["limits"]))

ELEMENT_FIELDS: Mapping[str, Mapping[str, Field]] = MappingProxyType(
    {
        kind: MappingProxyType({name: _field(spec) for name, spec in fields.items()})
        for kind, fields in _DATA["element_kinds"].items()
    }
)
KINDS: tuple[str, ...] = tuple(ELEMENT_FIELDS)
# Per type: label, colour, icon, key and hint, as the palette shows them.
COMPONENT_INFO: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {name: MappingProxyType(dict(info)) for name, info in _DATA["component_types"].items()}
)
COMPONENT_TYPES: tuple[str, ...] = tuple(COMPONENT_INFO)
ARROW_STYLES: tuple[str, ...] = tuple(_DATA["arrow_styles"])
ARROW_SIDES: tuple[str, ...] = tuple(_DATA["arrow_sides"])
STREAMS: tuple[str, ...] = tuple(_DATA["streams"])
# Who built a component (a walkthrough's `credit`): label, mark and meaning; "" clears it.
CREDIT_INFO: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {name: MappingProxyType(dict(info)) for name, info in _DATA["credits"].items()}
)
CREDITS: tuple[str, ...] = tuple(CREDIT_INFO)
# How well the candidate knows a component's technology (their own mark): label, mark and meaning; "" clears it.
FAMILIARITY_INFO: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {name: MappingProxyType(dict(info)) for name, info in _DATA["familiarity"].items()}
)
FAMILIARITIES: tuple[str, ...] = tuple(FAMILIARITY_INFO)
# The component types that store data (those a `backup` means something on).
DATA_STORES: tuple[str, ...] = ELEMENT_FIELDS["component"]["backup"].types

_ANNOTATIONS = _DATA["annotations"]
LAYERS: tuple[str, ...] = tuple(_ANNOTATIONS["layers"])
LAYER_CAPABILITIES: Mapping[str, str] = MappingProxyType(
    {layer: info["writers"] for layer, info in _ANNOTATIONS["layers"].items()}
)
LAYER_STREAMS: Mapping[str, str] = MappingProxyType(
    {layer: info["stream"] for layer, info in _ANNOTATIONS["layers"].items()}
)
LAYER_MEANINGS: Mapping[str, str] = MappingProxyType(
    {layer: info["meaning"] for layer, info in _ANNOTATIONS["layers"].items()}
)
ANNOTATION_KINDS: tuple[str, ...] = tuple(_ANNOTATIONS["kinds"])
ANNOTATION_KIND_LABELS: Mapping[str, str] = MappingProxyType(dict(_ANNOTATIONS["kinds"]))
ANNOTATION_STATUSES: tuple[str, ...] = tuple(_ANNOTATIONS["statuses"])
SETTABLE_STATUSES: tuple[str, ...] = tuple(_ANNOTATIONS["settable_statuses"])
PRIVATE_PREFIX: str = _ANNOTATIONS["private_prefix"]

_INTERVIEW = _DATA["interview"]
SESSION_STATUSES: tuple[str, ...] = tuple(_INTERVIEW["session_statuses"])
SESSION_ACTIONS: tuple[str, ...] = tuple(_INTERVIEW["session_actions"])
PHASES: tuple[str, ...] = tuple(_INTERVIEW["phases"])
LEDGER_KINDS: tuple[str, ...] = tuple(_INTERVIEW["requirement_kinds"])  # the kinds of a ledger entry

QUESTION_TYPES: Mapping[str, str] = MappingProxyType(dict(_DATA["questions"]["types"]))
# A fact sheet's topics and how they read; the words questions about each use are `reviews.questions`'.
QUESTION_TOPICS: Mapping[str, str] = MappingProxyType(dict(_DATA["questions"]["topics"]))
# Per question type, the challenge shortcuts that replace the kind defaults ({target} is the element).
SHORTCUTS: Mapping[str, tuple[Mapping[str, str], ...]] = MappingProxyType(
    {kind: tuple(MappingProxyType(dict(s)) for s in items) for kind, items in _DATA["questions"]["shortcuts"].items()}
)

_INCIDENT = _DATA["incident"]
FAULT_KINDS: tuple[str, ...] = tuple(_INCIDENT["fault_kinds"])
INCIDENT_SIGNALS: tuple[str, ...] = tuple(_INCIDENT["signals"])
INCIDENT_ACTIONS: tuple[str, ...] = tuple(_INCIDENT["actions"])
INCIDENT_STATUSES: tuple[str, ...] = tuple(_INCIDENT["statuses"])
INCIDENT_FAULT_KINDS: Mapping[str, str] = MappingProxyType(dict(_INCIDENT["fault_kinds"]))
INCIDENT_SIGNAL_MEANINGS: Mapping[str, str] = MappingProxyType(dict(_INCIDENT["signals"]))
INCIDENT_ACTION_LABELS: Mapping[str, str] = MappingProxyType(dict(_INCIDENT["actions"]))

VERDICTS: tuple[str, ...] = tuple(_DATA["reviews"]["verdicts"])
REVIEW_STATES: tuple[str, ...] = tuple(_DATA["reviews"]["review_states"])
DIMENSIONS: tuple[str, ...] = tuple(_DATA["scorecards"]["dimensions"])
HIRE: tuple[str, ...] = tuple(_DATA["scorecards"]["hire"])

CAPABILITIES: Mapping[str, str] = MappingProxyType(dict(_DATA["capabilities"]))
ROLES: tuple[str, ...] = tuple(_DATA["roles"])
ROLE_CAPABILITIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {role: frozenset(capabilities) for role, capabilities in _DATA["roles"].items()}
)
MODES: Mapping[str, ModeRules] = MappingProxyType(
    {
        mode: ModeRules(
            invitable=tuple(rules["invitable"]),
            challenged=rules["challenged"],
            author=rules["author"],
            session=rules.get("session", False),
            author_capabilities=frozenset(rules.get("author_capabilities", ())),
            server_roles=tuple(rules.get("server_roles", ())),
        )
        for mode, rules in _DATA["modes"].items()
    }
)
SESSION_MODES: frozenset[str] = frozenset(mode for mode, rules in MODES.items() if rules.session)

_PRACTICE = _DATA["practice"]
# The essay's advice to candidates, as the practice feedback's checklist: id -> the line as it reads.
CHECKLIST: Mapping[str, str] = MappingProxyType(dict(_PRACTICE["checklist"]))
CHECKLIST_VERDICTS: tuple[str, ...] = tuple(_PRACTICE["verdicts"])
NOTICE_KINDS: tuple[str, ...] = tuple(_PRACTICE["notice_kinds"])

ERRORS: Mapping[str, ErrorInfo] = MappingProxyType({code: ErrorInfo(**info) for code, info in _DATA["errors"].items()})
CLOSE_CODES: Mapping[str, CloseCode] = MappingProxyType(
    {name: CloseCode(**info) for name, info in _DATA["close_codes"].items()}
)


def holders(capability: str) -> frozenset[str]:
    """The roles that have a capability; a name not in the table is a bug, not an empty set."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return frozenset(role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities)


def daphne_flags() -> tuple[str, ...]:
    """Daphne's size flags. Its max message size also caps what the server sends (a welcome for
    a big board is larger than any client message may be), so incoming *frames* are capped at
    the client's limit (browsers send one frame per message) and whole messages at the server's."""
    return (
        *("--websocket-max-frame-size", str(LIMITS["message_bytes"])),
        *("--websocket-max-message-size", str(LIMITS["server_message_bytes"])),
    )


def uvicorn_flags() -> tuple[str, ...]:
    """uvicorn's equivalent of `daphne_flags`. `--ws-max-size` caps each incoming message (the
    websockets implementation, named so the choice does not depend on what is installed) at the
    client's limit; like Daphne, it leaves what the server sends (a big welcome) uncapped.
    Django's ASGI application has no lifespan protocol, hence `--lifespan off`."""
    return (
        *("--ws", "websockets"),
        *("--ws-max-size", str(LIMITS["message_bytes"])),
        *("--lifespan", "off"),
    )


FLAGS = {"daphne-flags": daphne_flags, "uvicorn-flags": uvicorn_flags}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in FLAGS:
        sys.exit("usage: python -m whiteboard.vocabulary daphne-flags|uvicorn-flags")
    print(" ".join(FLAGS[sys.argv[1]]()))
