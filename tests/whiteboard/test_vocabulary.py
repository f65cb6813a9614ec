"""The vocabulary is the one copy: what still names its words elsewhere must agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviews import models as review_models
from whiteboard import models, protocol, vocabulary
from whiteboard.errors import RETRYABLE, ErrorCode
from whiteboard.vocabulary_docs import BLOCKS, DOCUMENT, block_names, refresh

ROOT = Path(__file__).resolve().parents[2]


def test_the_protocol_document_tables_are_rendered_from_the_vocabulary():
    document = DOCUMENT.read_text(encoding="utf-8")
    assert block_names(document) == set(BLOCKS)
    assert document == refresh(document), "run: python -m whiteboard.vocabulary_docs"


def test_every_capability_a_rule_names_is_in_the_table():
    for role, capabilities in vocabulary.ROLE_CAPABILITIES.items():
        assert capabilities <= set(vocabulary.CAPABILITIES), role
    assert set(vocabulary.LAYER_CAPABILITIES.values()) <= set(vocabulary.CAPABILITIES)
    with pytest.raises(KeyError):
        vocabulary.holders("fly")


def test_modes_name_known_roles_and_fields_known_limits():
    for rules in vocabulary.MODES.values():
        assert {*rules.invitable, rules.challenged} <= set(vocabulary.ROLES)
    for fields in vocabulary.ELEMENT_FIELDS.values():
        for spec in fields.values():
            assert spec.limit is None or spec.limit in vocabulary.LIMITS
            assert spec.required + spec.optional + (spec.default is not None) == 1
    assert set(vocabulary.LAYER_STREAMS.values()) <= set(vocabulary.STREAMS)


def test_error_codes_are_the_vocabulary_s():
    assert [code.value for code in ErrorCode] == list(vocabulary.ERRORS)
    assert {code.value for code in RETRYABLE} == {c for c, info in vocabulary.ERRORS.items() if info.retryable}


@pytest.mark.parametrize(
    ("choices", "values"),
    [
        (models.Mode, list(vocabulary.MODES)),
        (models.Role, list(vocabulary.ROLES)),
        (models.Stream, list(vocabulary.STREAMS)),
        (review_models.Layer, list(vocabulary.LAYERS)),
        (review_models.Kind, list(vocabulary.ANNOTATION_KINDS)),
        (review_models.Status, list(vocabulary.ANNOTATION_STATUSES)),
        (review_models.Phase, list(vocabulary.PHASES)),
        (review_models.InterviewSession.Status, list(vocabulary.SESSION_STATUSES)),
        (review_models.LedgerEntry.Kind, list(vocabulary.LEDGER_KINDS)),
        (review_models.Scorecard.Hire, list(vocabulary.HIRE)),
        (review_models.Review.Verdict, list(vocabulary.VERDICTS)),
    ],
)
def test_model_choices_are_the_vocabulary_s(choices, values):
    # The models keep explicit TextChoices (migrations and type checkers read them); they must not drift.
    assert choices.values == values


def test_annotation_kind_labels_are_the_vocabulary_s():
    assert dict(review_models.Kind.choices) == dict(vocabulary.ANNOTATION_KIND_LABELS)


def test_the_server_closes_only_with_codes_the_vocabulary_names():
    codes = {close.code for close in vocabulary.CLOSE_CODES.values()}
    used = set()
    for path in (ROOT / "whiteboard").rglob("*.py"):
        used |= {int(code) for code in re.findall(r"code=(\d{4})\b", path.read_text(encoding="utf-8"))}
    assert used and used <= codes


def test_daphne_flags_come_from_the_vocabulary_everywhere():
    assert vocabulary.daphne_flags() == protocol.DAPHNE_LIMITS
    assert "whiteboard.vocabulary daphne-flags" in (ROOT / "Makefile").read_text(encoding="utf-8")
    flags = dict(zip(vocabulary.daphne_flags()[::2], vocabulary.daphne_flags()[1::2], strict=True))
    for path in [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        for flag, value in re.findall(r"(--websocket-max-(?:frame|message)-size) (\d+)", path.read_text("utf-8")):
            assert flags[flag] == value, path.name
