"""Interview questions: their shape, who sees which part, fact suggestion and the reference comparison. Pure.

A question has a public part everyone on the board may read (`id`, `version`,
`title`, `question_type`, `prompt`: an open prompt, without the numbers the
candidate should ask for) and a private part for the interviewing side only
(`PRIVATE`: the fact sheet, the reference design and what it shows, follow-ups
by phase, scenario cards and a rubric note). `public` is the one function that
turns a question into what a candidate may see; everything that leaves the
server for someone without `read_question` goes through it.

Facts are matched to a candidate's clarifying question by words: each fact
has a topic (`TOPICS`, whose words it inherits) and its own words; `suggest`
stems both sides and scores the words and phrases they share. The reference
comparison aligns the candidate's components with the reference's (same type,
shared label words) and then runs the review mode's semantic diff
(`reviews.diff`) over the aligned ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from reviews import diff
from reviews.fields import body, choice, fail, required
from whiteboard import vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys, parse_element, text_field

Question = dict[str, Any]
Element = dict[str, Any]

TYPES = tuple(vocabulary.QUESTION_TYPES)
PHASES = vocabulary.PHASES
PUBLIC = ("id", "version", "title", "question_type", "prompt")
PRIVATE = ("facts", "reference", "follow_ups", "cards", "rubric", "incident")
MAX_FACTS = 60
MAX_WORDS = 40
MAX_CARDS = 20
MAX_FOLLOW_UPS = 20
MAX_REFERENCE_ELEMENTS = 200

_title = text_field(vocabulary.LIMITS["label"])
_text = text_field(vocabulary.LIMITS["text"])

# What a question about each topic tends to say; the topics and their names are the vocabulary's.
# A fact inherits its topic's words.
TOPICS: Mapping[str, tuple[str, ...]] = {
    "scale": (
        "user",
        "how many",
        "dau",
        "mau",
        "daily active",
        "monthly active",
        "scale",
        "traffic",
        "volume",
        "load",
        "qps",
        "rps",
        "per second",
        "throughput",
        "peak",
        "growth",
        "grow",
        "requests per",
        "concurrent",
    ),
    "read_write": ("read", "write", "ratio", "mix", "read heavy", "write heavy", "read to write"),
    "latency": (
        "latency",
        "fast",
        "slow",
        "p99",
        "p95",
        "p50",
        "millisecond",
        "ms",
        "response time",
        "real time",
        "realtime",
        "delay",
        "quick",
        "quickly",
        "how long does",
    ),
    "availability": (
        "availability",
        "available",
        "uptime",
        "downtime",
        "nine",
        "outage",
        "fail",
        "failure",
        "down",
        "redundancy",
        "sla",
        "slo",
        "fault",
    ),
    "consistency": (
        "consistency",
        "consistent",
        "stale",
        "eventual",
        "eventually",
        "strong",
        "strongly",
        "ordering",
        "order",
        "duplicate",
        "exactly once",
        "at least once",
        "lost",
        "lose",
        "guarantee",
    ),
    "budget": ("budget", "cost", "money", "expensive", "cheap", "spend", "price", "dollar", "afford"),
    "geography": (
        "region",
        "global",
        "globally",
        "country",
        "where",
        "geography",
        "geographic",
        "international",
        "world",
        "europe",
        "eu",
        "continent",
        "location",
    ),
    "retention": (
        "retention",
        "retain",
        "keep",
        "store",
        "history",
        "how long",
        "archive",
        "expire",
        "expiry",
        "ttl",
        "old",
        "forever",
    ),
    "compliance": (
        "compliance",
        "gdpr",
        "pci",
        "hipaa",
        "regulation",
        "regulatory",
        "legal",
        "audit",
        "privacy",
        "law",
        "residency",
        "soc",
    ),
    "team": (
        "team",
        "engineer",
        "people",
        "staff",
        "who",
        "operate",
        "on call",
        "oncall",
        "headcount",
        "skill",
        "experience",
        "own",
    ),
    "features": ("feature", "scope", "mvp", "out of scope", "functionality", "use case"),
    "clients": (
        "client",
        "mobile",
        "web",
        "app",
        "browser",
        "device",
        "platform",
        "ios",
        "android",
        "caller",
        "desktop",
    ),
    "data": ("size", "large", "big", "how big", "byte", "kb", "mb", "gb", "tb", "payload", "storage", "object"),
    "security": (
        "security",
        "secure",
        "auth",
        "authentication",
        "authorization",
        "abuse",
        "spam",
        "fraud",
        "attack",
        "encrypt",
        "encryption",
        "permission",
    ),
}
assert set(TOPICS) == set(vocabulary.QUESTION_TOPICS), "every topic of the vocabulary has its words here"
TOPIC_NAMES = tuple(vocabulary.QUESTION_TOPICS)


# --- shape ---------------------------------------------------------------------------------------


def _list(value: Any, limit: int, path: str) -> list[Any]:
    if not isinstance(value, list) or len(value) > limit:
        raise fail(path, f"Expected a list of at most {limit} items.")
    return value


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise SyncError(ErrorCode.DUPLICATE_ID, f"The id '{item}' is used twice.", f"{path}[{i}].id")
        seen.add(item)


def _fact(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    only_keys(raw, ["id", "topic", "answer", "words"], path)
    required(raw, ["id", "topic", "answer"], path)
    words = _list(raw.get("words", []), MAX_WORDS, f"{path}.words")
    return {
        "id": check_id(raw["id"], f"{path}.id"),
        "topic": choice(raw["topic"], TOPIC_NAMES, f"{path}.topic"),
        "answer": body(raw["answer"], f"{path}.answer"),
        "words": [body(_title(w, f"{path}.words[{i}]"), f"{path}.words[{i}]") for i, w in enumerate(words)],
    }


def _card(raw: Any, path: str) -> dict[str, Any]:
    raw = expect_object(raw, path)
    only_keys(raw, ["id", "title", "text"], path)
    required(raw, ["id", "title", "text"], path)
    return {
        "id": check_id(raw["id"], f"{path}.id"),
        "title": body(_title(raw["title"], f"{path}.title"), f"{path}.title"),
        "text": body(raw["text"], f"{path}.text"),
    }


def _reference(raw: Any, path: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    raw = expect_object(raw, path)
    only_keys(raw, ["elements", "shows"], path)
    elements = [
        parse_element(e, f"{path}.elements[{i}]")
        for i, e in enumerate(_list(raw.get("elements", []), MAX_REFERENCE_ELEMENTS, f"{path}.elements"))
    ]
    _unique([e["id"] for e in elements], f"{path}.elements")
    components = {e["id"] for e in elements if e["kind"] == "component"}
    for i, element in enumerate(elements):
        if element["kind"] == "arrow":
            for end in ("source", "target"):
                if element[end] not in components:
                    message = f"No component with id '{element[end]}' in the reference."
                    raise SyncError(ErrorCode.UNKNOWN_REF, message, f"{path}.elements[{i}].{end}")
    return {"elements": elements, "shows": _text(raw.get("shows", ""), f"{path}.shows")}


def _follow_ups(raw: Any, path: str) -> dict[str, list[str]]:
    raw = expect_object(raw, path)
    only_keys(raw, PHASES, path)
    return {
        phase: [
            body(t, f"{path}.{phase}[{i}]") for i, t in enumerate(_list(raw[phase], MAX_FOLLOW_UPS, f"{path}.{phase}"))
        ]
        for phase in PHASES
        if phase in raw
    }


def parse_question(raw: Any, path: str = "question") -> Question:
    """Check a question (built in, or a team's) and return it normalised, without `version`."""
    raw = expect_object(raw, path)
    only_keys(raw, ["id", "title", "question_type", "prompt", *PRIVATE], path)
    required(raw, ["id", "title", "question_type", "prompt"], path)
    facts = [
        _fact(f, f"{path}.facts[{i}]") for i, f in enumerate(_list(raw.get("facts", []), MAX_FACTS, f"{path}.facts"))
    ]
    _unique([f["id"] for f in facts], f"{path}.facts")
    cards = [
        _card(c, f"{path}.cards[{i}]") for i, c in enumerate(_list(raw.get("cards", []), MAX_CARDS, f"{path}.cards"))
    ]
    _unique([c["id"] for c in cards], f"{path}.cards")
    return {
        "id": check_id(raw["id"], f"{path}.id"),
        "title": body(_title(raw["title"], f"{path}.title"), f"{path}.title"),
        "question_type": choice(raw["question_type"], TYPES, f"{path}.question_type"),
        "prompt": body(raw["prompt"], f"{path}.prompt"),
        "facts": facts,
        "reference": _reference(raw.get("reference"), f"{path}.reference"),
        "follow_ups": _follow_ups(raw.get("follow_ups", {}), f"{path}.follow_ups"),
        "cards": cards,
        "rubric": _text(raw.get("rubric", ""), f"{path}.rubric"),
        "incident": _incident(raw.get("incident"), raw["question_type"], f"{path}.incident"),
    }


def _incident(raw: Any, question_type: Any, path: str) -> dict[str, Any] | None:
    """An incident question's default fault and the symptom users see (private: the fault is the answer)."""
    if raw is None:
        return None
    if question_type != "incident":
        raise fail(path, "Only an incident question has an incident.")
    raw = expect_object(raw, path)
    only_keys(raw, ["fault", "symptom", "entry"], path)
    required(raw, ["fault", "symptom"], path)
    fault = expect_object(raw["fault"], f"{path}.fault")
    only_keys(fault, ["target", "kind"], f"{path}.fault")
    required(fault, ["target", "kind"], f"{path}.fault")
    spec: dict[str, Any] = {
        "fault": {
            "target": check_id(fault["target"], f"{path}.fault.target"),
            "kind": choice(fault["kind"], vocabulary.FAULT_KINDS, f"{path}.fault.kind"),
        },
        "symptom": body(raw["symptom"], f"{path}.symptom"),
    }
    if "entry" in raw:
        spec["entry"] = check_id(raw["entry"], f"{path}.entry")
    return spec


def public(question: Question) -> dict[str, Any]:
    """What anyone signed in, and everyone on a board made from it, may read."""
    return {name: question.get(name) for name in PUBLIC}


def full(question: Question) -> dict[str, Any]:
    """Public and private parts: for those with `read_question` (or the bank's interviewers) only."""
    return {**public(question), **{name: question.get(name) for name in PRIVATE}}


# --- fact suggestion -----------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def _stem(word: str) -> str:
    """A crude English stem, enough to make 'users', 'user's' and 'user' one word."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", "")):
        if len(word) > 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def words(text: str) -> tuple[str, ...]:
    """Lower-case stemmed words ('How many DAUs?' -> ('how', 'many', 'dau'))."""
    text = unicodedata.normalize("NFKD", text).lower().replace("'s ", " ").replace("\u2019s ", " ")
    return tuple(_stem(w) for w in _WORD.findall(text))


def _phrases(fact: Mapping[str, Any]) -> set[tuple[str, ...]]:
    topic_words = TOPICS.get(fact.get("topic", ""), ())
    return {p for p in (words(w) for w in (*topic_words, *fact.get("words", ()))) if p}


def _occurs(phrase: tuple[str, ...], text: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(text[i : i + n] == phrase for i in range(len(text) - n + 1))


def suggest(text: str, facts: Iterable[Mapping[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """The facts a clarifying question seems to ask about, best first: `{"fact", "score", "matched"}`.

    A phrase weighs 1 + half a point per extra word, times 2 when it is the topic's or the fact's own, 3 when both
    (the topic names what is asked, "expensive"; own words often name the subject, "SMS").
    Facts that share no word are left out; ties keep the sheet's order.
    """
    asked = words(text)
    found = []
    for order, fact in enumerate(facts):
        own = {p for p in (words(w) for w in fact.get("words", ())) if p}
        topic = {p for p in (words(w) for w in TOPICS.get(fact.get("topic", ""), ())) if p}
        matched = sorted(p for p in _phrases(fact) if _occurs(p, asked))
        # A phrase inside a longer matched phrase counts once ("how many" and "many").
        matched = [p for p in matched if not any(q != p and len(q) > len(p) and _occurs(p, q) for q in matched)]
        score = sum((1 + (p in own) + (p in topic)) * (1 + (len(p) - 1) / 2) for p in matched)
        if score:
            item = {"fact": fact["id"], "score": round(score, 2), "matched": [" ".join(p) for p in matched]}
            found.append((-score, order, item))
    return [item for _, _, item in sorted(found, key=lambda t: (t[0], t[1]))][:limit]


# --- comparison with the reference ---------------------------------------------------------------


def _label_words(element: Mapping[str, Any]) -> set[str]:
    return set(words(f"{element.get('label', '')} {element.get('tech', '')}"))


def align(candidate: Iterable[Element], reference: Iterable[Element]) -> dict[str, str]:
    """Reference component id -> the candidate component taken to play its part.

    Pairs are taken best first: same type and shared label or tech words, then same type
    alone, then shared words across types when half the words agree.
    """
    mine = [e for e in candidate if e["kind"] == "component"]
    theirs = [e for e in reference if e["kind"] == "component"]
    scored = []
    for r in theirs:
        rw = _label_words(r)
        for c in mine:
            cw = _label_words(c)
            overlap = len(rw & cw) / len(rw | cw) if rw | cw else 0.0
            same = r["type"] == c["type"]
            if same or overlap >= 0.5:
                scored.append((-(overlap + (1.0 if same else 0.0)), r["id"], c["id"]))
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    for _, r_id, c_id in sorted(scored):
        if r_id not in pairs and c_id not in taken:
            pairs[r_id] = c_id
            taken.add(c_id)
    return pairs


def _name(element: Mapping[str, Any], by_id: Mapping[str, Element]) -> str:
    if element["kind"] == "arrow":
        ends = [by_id.get(element[end], {}).get("label") or element[end] for end in ("source", "target")]
        return f"{ends[0]} → {ends[1]}"
    return str(element.get("label") or element.get("type") or element["id"])


COMPARED = ("type", "connections")
COMPARED_KINDS = ("component", "arrow")


def _components_first(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item["kind"] != "component")


def compare(candidate: Iterable[Element], reference: Mapping[str, Any]) -> dict[str, Any]:
    """What the candidate has that the reference lacks (`extra`), the reverse (`missing`), the
    components that correspond (`matched`), and how matched ones differ (`changed`, from `reviews.diff`)."""
    # Sticky notes and frames annotate or group a design; the comparison is about its parts and wiring.
    mine = [e for e in candidate if e["kind"] in COMPARED_KINDS]
    theirs = [e for e in reference.get("elements", []) if e["kind"] in COMPARED_KINDS]
    pairs = align(mine, theirs)
    mine_by_id = {e["id"]: e for e in mine}
    theirs_by_id = {e["id"]: e for e in theirs}
    # Arrows correspond when they join corresponding components, either way round.
    my_arrows = {frozenset((e["source"], e["target"])): e["id"] for e in mine if e["kind"] == "arrow"}
    renamed: list[Element] = []
    reference_of: dict[str, str] = {}
    for element in theirs:
        if element["kind"] == "component":
            new_id = pairs.get(element["id"], f"reference:{element['id']}")
            renamed.append({**element, "id": new_id})
        else:
            ends = (
                pairs.get(element["source"], f"reference:{element['source']}"),
                pairs.get(element["target"], f"reference:{element['target']}"),
            )
            new_id = my_arrows.get(frozenset(ends), f"reference:{element['id']}")
            renamed.append({**element, "id": new_id, "source": ends[0], "target": ends[1]})
        reference_of[new_id] = element["id"]
    delta = diff.diff(renamed, mine)

    def described(element: Element, by_id: Mapping[str, Element]) -> dict[str, Any]:
        return {
            "id": element["id"],
            "kind": element["kind"],
            "type": element.get("type"),
            "name": _name(element, by_id),
        }

    return {
        "shows": reference.get("shows", ""),
        "matched": [
            {
                "reference": r_id,
                "reference_name": _name(theirs_by_id[r_id], theirs_by_id),
                "candidate": c_id,
                "candidate_name": _name(mine_by_id[c_id], mine_by_id),
            }
            for r_id, c_id in sorted(pairs.items())
        ],
        "missing": _components_first(
            described(theirs_by_id[reference_of[e["id"]]], theirs_by_id) for e in delta["removed"]
        ),
        "extra": _components_first(described(e, mine_by_id) for e in delta["added"]),
        # Labels and tech differ between any two drawings; what matters is the part's type and its wiring.
        "changed": [
            {"candidate": c["id"], "reference": reference_of.get(c["id"]), "kind": c["kind"], "fields": fields}
            for c in delta["changed"]
            if (fields := [f for f in c["fields"] if f in COMPARED])
        ],
    }
