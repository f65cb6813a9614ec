"""A question as the questions page edits it: plain-text fields, one fact, card or follow-up a line. Pure.

The page needs no JavaScript, so the lists are textareas: `topic | answer | word, word`
for facts, `phase | question` for follow-ups, `title | text` for cards. `from_form`
builds the question `reviews.questions.parse_question` checks (which still has the last
word on every field), `to_form` the other way round. A line that cannot be read is a
`validation_error` naming its field and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from reviews.fields import fail
from reviews.questions import Question

FIELDS = ("title", "question_type", "prompt", "facts", "follow_ups", "cards", "rubric", "shows")


def _lines(text: str) -> list[tuple[int, list[str]]]:
    return [
        (n, [part.strip() for part in line.split("|")])
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def from_form(form: Mapping[str, str], previous: Question | None = None) -> dict[str, Any]:
    """The question the form describes; the reference's elements are kept from `previous`."""
    facts: list[dict[str, Any]] = []
    taken: set[str] = set()
    for n, parts in _lines(form.get("facts", "")):
        if len(parts) < 2:
            raise fail(f"facts line {n}", "Write a fact as: topic | answer | words, comma separated.")
        words = [w.strip() for w in parts[2].split(",") if w.strip()] if len(parts) > 2 else []
        facts.append({"id": _slug(parts[0], taken), "topic": parts[0], "answer": parts[1], "words": words})
    follow_ups: dict[str, list[str]] = {}
    for n, parts in _lines(form.get("follow_ups", "")):
        if len(parts) < 2:
            raise fail(f"follow_ups line {n}", "Write a follow-up as: phase | question.")
        follow_ups.setdefault(parts[0], []).append(" | ".join(parts[1:]))
    cards: list[dict[str, Any]] = []
    card_ids: set[str] = set()
    for n, parts in _lines(form.get("cards", "")):
        if len(parts) < 2:
            raise fail(f"cards line {n}", "Write a card as: title | what happens.")
        cards.append({"id": _slug(parts[0], card_ids), "title": parts[0], "text": " | ".join(parts[1:])})
    elements = ((previous or {}).get("reference") or {}).get("elements", [])
    shows = form.get("shows", "").strip()
    return {
        "title": form.get("title", "").strip(),
        "question_type": form.get("question_type", "design"),
        "prompt": form.get("prompt", "").strip(),
        "facts": facts,
        "follow_ups": follow_ups,
        "cards": cards,
        "rubric": form.get("rubric", "").strip(),
        "reference": {"elements": elements, "shows": shows} if elements or shows else None,
    }


def to_form(question: Question) -> dict[str, str]:
    reference = question.get("reference") or {}
    return {
        "title": question["title"],
        "question_type": question["question_type"],
        "prompt": question["prompt"],
        "facts": "\n".join(
            f"{f['topic']} | {f['answer']}" + (f" | {', '.join(f['words'])}" if f["words"] else "")
            for f in question.get("facts", [])
        ),
        "follow_ups": "\n".join(
            f"{phase} | {text}" for phase, items in question.get("follow_ups", {}).items() for text in items
        ),
        "cards": "\n".join(f"{c['title']} | {c['text']}" for c in question.get("cards", [])),
        "rubric": question.get("rubric", ""),
        "shows": reference.get("shows", ""),
    }
