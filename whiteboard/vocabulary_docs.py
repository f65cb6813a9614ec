"""docs/protocol.md's tables, rendered from the vocabulary so the document cannot drift.

Each table sits between `<!-- begin vocabulary:NAME -->` and
`<!-- end vocabulary:NAME -->`; `refresh` rewrites those blocks and leaves
the prose alone. tests/whiteboard/test_vocabulary.py fails while the document
differs from `refresh(document)`; `python -m whiteboard.vocabulary_docs`
rewrites docs/protocol.md in place.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from whiteboard import vocabulary as v

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
_BLOCK = re.compile(r"(<!-- begin vocabulary:(?P<name>[a-z-]+) -->\n)(.*?)(<!-- end vocabulary:(?P=name) -->)", re.S)


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code(values: Iterable[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _version() -> str:
    return f"The current protocol version is **{v.PROTOCOL}**.\n"


def _component_types() -> str:
    return _table(
        ["type", "label", "colour", "icon", "key"],
        (
            [f"`{name}`", info["label"], f"`{info['colour']}`", info["icon"], f"`{info['key']}`"]
            for name, info in v.COMPONENT_INFO.items()
        ),
    )


def _field(name: str, spec: v.Field) -> str:
    if spec.required:
        return f"**{name}**"
    if spec.optional:
        return f"`{name}` (optional)"
    default = f'"{spec.default}"' if isinstance(spec.default, str) else spec.default
    return f"`{name}`={default}"


def _elements() -> str:
    return _table(
        ["kind", "fields (required in **bold**)"],
        (
            [f"`{kind}`", ", ".join(["**id**", "**kind**", *(_field(n, s) for n, s in fields.items())])]
            for kind, fields in v.ELEMENT_FIELDS.items()
        ),
    )


def _enumerations() -> str:
    return _table(
        ["name", "values"],
        [
            ["arrow styles", _code(v.ARROW_STYLES)],
            ["arrow sides (`source_side`, `target_side`; absent: the side facing the other end)", _code(v.ARROW_SIDES)],
            ["streams", _code(v.STREAMS)],
            ["annotation kinds", _code(v.ANNOTATION_KINDS)],
            ["annotation statuses", _code(v.ANNOTATION_STATUSES)],
            ["statuses `set_status` may set", _code(v.SETTABLE_STATUSES)],
            ["session statuses", _code(v.SESSION_STATUSES)],
            ["session actions", _code(v.SESSION_ACTIONS)],
            ["phases", _code(v.PHASES)],
            ["ledger entry kinds", _code(v.LEDGER_KINDS)],
            ['component credits (`""` clears)', _code(v.CREDITS)],
            ["question types", _code(v.QUESTION_TYPES)],
            ["verdicts", _code(v.VERDICTS)],
            ["review states", _code(v.REVIEW_STATES)],
            ["scorecard dimensions", _code(v.DIMENSIONS)],
            ["hire recommendations", _code(v.HIRE)],
        ],
    )


def _limits() -> str:
    return _table(["limit", "value"], ([f"`{name}`", f"{value:,}"] for name, value in v.LIMITS.items()))


def _errors() -> str:
    return _table(
        ["code", "meaning", "retryable"],
        ([f"`{code}`", info.meaning, "yes" if info.retryable else "no"] for code, info in v.ERRORS.items()),
    )


def _close_codes() -> str:
    rows = [[str(close.code), close.meaning, close.reaction] for close in v.CLOSE_CODES.values()]
    rows.append(
        [
            "other (1006, 1011, 1012)",
            "network loss, server restart, or a server bug (1011)",
            "reconnect with backoff and `?since=`, resend unacknowledged batches",
        ]
    )
    return _table(["close code", "meaning", "client reaction"], rows)


def _roles() -> str:
    return _table(
        ["capability", "what", *v.ROLES],
        (
            [f"`{name}`", what, *("✓" if name in v.ROLE_CAPABILITIES[role] else "\u2013" for role in v.ROLES)]
            for name, what in v.CAPABILITIES.items()
        ),
    )


def _invitable() -> str:
    return _table(
        ["mode", "invitable roles", "challenged side", "author", "author also may", "session", "played by the server"],
        (
            [
                f"`{mode}`",
                _code(rules.invitable),
                f"`{rules.challenged}`",
                f"`{rules.author}`",
                _code(sorted(rules.author_capabilities)) or "-",
                "yes" if rules.session else "no",
                _code(rules.server_roles) or "-",
            ]
            for mode, rules in v.MODES.items()
        ),
    )


def _layers() -> str:
    def who(roles: Iterable[str]) -> str:
        return ", ".join(role for role in v.ROLES if role in set(roles))

    readers = {"public": "everyone", "private": f"{who(v.holders('read_private'))} only"}
    return _table(
        ["layer", "what", "who writes", "who receives"],
        (
            [f"`{layer}`", v.LAYER_MEANINGS[layer], who(v.holders(v.LAYER_CAPABILITIES[layer])), readers[stream]]
            for layer, stream in v.LAYER_STREAMS.items()
        ),
    )


def _question_types() -> str:
    def shortcuts(kind: str) -> str:
        return "; ".join(f'"{s["label"]}"' for s in v.SHORTCUTS.get(kind, ())) or "the kinds' own"

    return _table(
        ["question type", "meaning", "challenge shortcuts"],
        ([f"`{kind}`", meaning, shortcuts(kind)] for kind, meaning in v.QUESTION_TYPES.items()),
    )


def _incident() -> str:
    rows = [
        *([f"fault kind `{k}`", meaning] for k, meaning in v.INCIDENT_FAULT_KINDS.items()),
        *([f"signal `{k}`", meaning] for k, meaning in v.INCIDENT_SIGNAL_MEANINGS.items()),
        *([f"action `{k}`", meaning] for k, meaning in v.INCIDENT_ACTION_LABELS.items()),
    ]
    return _table(["name", "meaning"], rows)


BLOCKS: dict[str, Callable[[], str]] = {
    "version": _version,
    "component-types": _component_types,
    "elements": _elements,
    "enumerations": _enumerations,
    "limits": _limits,
    "errors": _errors,
    "close-codes": _close_codes,
    "roles": _roles,
    "modes": _invitable,
    "layers": _layers,
    "question-types": _question_types,
    "incident": _incident,
}


def refresh(document: str) -> str:
    """The document with every vocabulary block rendered afresh; an unknown block name is an error."""
    return _BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group("name")]() + m.group(4), document)


def block_names(document: str) -> set[str]:
    return {m.group("name") for m in _BLOCK.finditer(document)}


if __name__ == "__main__":
    if sys.argv[1:]:
        sys.exit("usage: python -m whiteboard.vocabulary_docs  (rewrites docs/protocol.md's vocabulary tables)")
    DOCUMENT.write_text(refresh(DOCUMENT.read_text(encoding="utf-8")), encoding="utf-8")
