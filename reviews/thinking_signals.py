"""Signals of how the candidate thought, not what they drew: decisions, the unhappy path, starting
simple, recovering, and explaining plainly. Pure.

A sibling of `reviews.interview_signals`, read the same way (its module
docstring defines **candidate**, **interviewing side**, **challenge**,
**start** and **seconds**; they mean the same here): `compute` takes the
public stream's stored batch messages in seq order (`at` an aware datetime)
and a map participant id -> role, and folds the log once. The private stream
is never an input. Every value comes with evidence in the scorecard's format
(`{"type": "element"|"annotation"|"requirement", "id", "seq"}` or
`{"type": "seq", "seq"}`), so the scorecard can cite it and the replay can
jump to it.

The `decide` and `flow` ops are replayed by their own topics' folds
(`reviews.decisions.fold`, `reviews.flows.fold`), so a decision or a flow
means the same here as on the board. The unhappy path's fields
(`timeout_ms`, `dead_letter`, `backup`; the `monitoring` type;
`vocabulary.DATA_STORES`) are optional: a missing field reads as absent,
and an op this module does not know is skipped. The canvas is folded
leniently (add, update, delete; stored ops were checked when accepted), so a
field added to the vocabulary later never stops a fold.

Signals (the result's keys, under `thinking`; evidence under the dotted names).

- `decisions` (the final canvas and the decisions as the log ends):
  `with_tech`: components whose `tech` is not blank. A decision *explains* a
  component when it targets it and its last write is at or after the seq
  that last set the component's `tech` (a decision about yesterday's choice
  does not explain today's). `explained`: components with tech explained by
  at least one decision; `with_alternative` / `with_cost`: explained
  components whose explaining decision names an alternative / a cost (not
  blank); `unexplained`: components with tech and no explaining decision;
  `stale`: those of them that do have an older decision (the tech changed
  since). `count`: all decisions. Decisions count whoever wrote them.
- `beyond_happy_path` (final canvas): `external_calls`: `sync` arrows into a
  component of type `external`; `external_calls_with_timeout`: those with a
  positive `timeout_ms`. `queues`, `queues_with_dead_letter` (type `queue`,
  `dead_letter` true). `data_stores` (types in `DATA_STORES`),
  `data_stores_protected` (`replicas` above 1 or `backup` true).
  `monitored`: whether a component of type `monitoring` exists (evidence:
  them). `error_handling`: the candidate's `failure_mode` notes (annotations
  in the `notes` layer) as the log ends.
- `complexity`: `curve`: the board's size (components, arrows) at the end of
  each minute from the start, `[{"minute", "components", "arrows"}]`, minute
  0 being the start; over `MAX_POINTS` minutes it takes every `step`th
  minute (`curve_step`). `cards`: the scenario cards played, `{"id", "title",
  "seq", "minute"}` (minute: seconds / 60, to 0.1), for plotting.
  `premature`: components the candidate made a scale-out part (type in
  `SCALE_TYPES`, or `replicas` raised above 1) before the **scale moment**:
  the first of an answer to a candidate's ledger question, an assumption
  entry by the candidate, or a scenario card. With no such moment, every one
  is premature. Each element counts once, at the seq it became one; deleted
  later, it still counts. `adaptation`: per card, the candidate's semantic
  changes (as `changed_after_feedback` defines them: adding, deleting, or
  changing the meaning of a component or an arrow; each op once) in batches
  after the card's and within `ADAPTATION_SECONDS` of it, `{"card", "seq",
  "changes"}`. `adapted`: cards followed by at least one change.
- `recovery`: one arc per challenge, in raising order: `{"challenge",
  "target", "raised_seq", "reply_seq", "change_seq", "resolved_seq",
  "seconds": {"to_reply", "to_change", "to_resolve"}, "diff"}`. `reply_seq`:
  the candidate's first reply; `change_seq`: the first candidate change of
  the target's meaning (as above, an arrow touching a component included) at
  or after the reply; `resolved_seq`: the first `resolved` status after the
  reply (or after raising, when no reply). Seconds run from the step before
  (raise -> reply -> change -> resolve; to_resolve from the change when
  there is one, else from the reply), null when a step is missing. `diff`:
  one line from `reviews.diff` of the target and the arrows touching it, just
  before the change's batch against just after it ("changed tech: Redis ->
  Memcached"). `recovered`: arcs with a change.
- `communication`: `texts`: what the candidate explained, `{"source":
  "flow"|"answer", "id", "seq", "text"}`: each step of the flows the
  candidate wrote last, as the log ends, whose every step names an element
  on the final canvas (a flow missing an element is ignored whole), and the
  candidate's replies to challenges. `readability`: `{"flesch_reading_ease",
  "grade"}` of those texts as one passage (textstat's Flesch reading ease
  and Flesch-Kincaid grade; each text a sentence), null with no text.
  `jargon_share`: the share of words (lowercase runs of letters, digits and
  `-`) that are in the glossary shipped in `glossary.txt`, null with no
  words; `jargon`: those glossary words, sorted. `labels_missing`:
  components and arrows of the final canvas with a blank label.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import textstat

from reviews import annotations, decisions, diff, flows, interview, scenario
from reviews.interview_signals import Change
from whiteboard import vocabulary

Batch = Mapping[str, Any]
Element = dict[str, Any]
Link = dict[str, Any]
Annotation = dict[str, Any]
Signals = dict[str, tuple[Any, list[Link]]]

CANDIDATE = vocabulary.MODES["interview"].challenged
INTERVIEWING = vocabulary.holders("keep_clock")
DATA_STORES = frozenset(vocabulary.DATA_STORES)  # the types that may be backed up
SCALE_TYPES = frozenset({"cache", "queue", "cdn", "load_balancer"})
ADAPTATION_SECONDS = 600
MAX_POINTS = 240
GLOSSARY = Path(__file__).with_name("glossary.txt")
WORD = re.compile(r"[a-z0-9][a-z0-9-]*")


@cache
def glossary() -> frozenset[str]:
    """The jargon list: one lowercase word a line, `#` starts a comment."""
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.split("#", 1)[0].strip().lower()))


@dataclass
class Fold:
    """Everything the signals read, gathered in one pass over the log."""

    elements: dict[str, Element] = field(default_factory=dict)
    annotations: dict[str, Annotation] = field(default_factory=dict)
    session: interview.Session = field(default_factory=interview.Session)
    entries: dict[str, interview.Entry] = field(default_factory=dict)
    cards: list[scenario.Card] = field(default_factory=list)
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    at: dict[int, datetime] = field(default_factory=dict)
    clock: dict[int, float] = field(default_factory=dict)
    last_seq: dict[str, int] = field(default_factory=dict)  # element -> seq that last added or updated it
    tech_seq: dict[str, int] = field(default_factory=dict)  # component -> seq that last set its tech
    changes: list[Change] = field(default_factory=list)
    scaled: dict[str, int] = field(default_factory=dict)  # element -> seq it became a scale-out part
    sizes: list[tuple[int, int, int]] = field(default_factory=list)  # (seq, components, arrows) after each batch
    counts: dict[str, int] = field(default_factory=lambda: {"component": 0, "arrow": 0})  # on the board now
    watched: set[str] = field(default_factory=set)  # targets of challenges raised so far
    resolved: dict[str, list[int]] = field(default_factory=dict)  # annotation -> seqs it was resolved at
    before_after: dict[int, dict[str, tuple[list[Element], list[Element]]]] = field(default_factory=dict)


def _ends(element: Element | None) -> set[str]:
    if element is None or element.get("kind") != "arrow":
        return set()
    return {element["source"], element["target"]}


def _touched(elements: Mapping[str, Element], op: Mapping[str, Any]) -> set[str]:
    """The elements whose meaning a stored canvas op changes, on the board just before it."""
    if op["op"] == "add":
        return {op["element"]["id"], *_ends(op["element"])}
    current = elements.get(op["id"])
    if current is None:
        return set()
    if op["op"] == "delete":
        return {op["id"], *_ends(current)}
    updated = {**current, **op.get("props", {})}
    if annotations.snapshot(current) == annotations.snapshot(updated):
        return set()
    return {op["id"], *(_ends(current) ^ _ends(updated))}


def _is_scaled(element: Element) -> bool:
    if element.get("kind") != "component":
        return False
    replicas = element.get("replicas", 1)
    return element.get("type") in SCALE_TYPES or (isinstance(replicas, int) and replicas > 1)


def _neighbourhood(elements: Mapping[str, Element], element_id: str) -> list[Element]:
    """An element and the arrows touching it: what one line of diff describes."""
    found = [dict(e) for e in elements.values() if e["id"] == element_id or element_id in _ends(e)]
    return sorted(found, key=lambda e: e["id"])


def _canvas(fold: Fold, op: Mapping[str, Any], seq: int, by_candidate: bool) -> None:
    """Fold one stored canvas op leniently, noting what the signals need from the board just before it."""
    elements = fold.elements
    named = op["element"]["id"] if op["op"] == "add" else op["id"]
    current = elements.get(named)
    kind = op["element"]["kind"] if op["op"] == "add" else (current or {}).get("kind")
    touched = _touched(elements, op) if kind in ("component", "arrow") else set()
    for element_id in touched & fold.watched:
        fold.before_after.setdefault(seq, {}).setdefault(element_id, (_neighbourhood(elements, element_id), []))
    if by_candidate:
        fold.changes.extend(Change(seq, element, named) for element in sorted(touched))
    if op["op"] == "delete":
        gone = elements.pop(named, None)
        if gone is not None and gone.get("kind") in fold.counts:
            fold.counts[gone["kind"]] -= 1
        return
    after = dict(op["element"]) if op["op"] == "add" else {**(current or {}), **op.get("props", {})}
    if current is None and op["op"] == "update":
        return  # an update of nothing: cannot be in a stored log
    if current is None and after.get("kind") in fold.counts:
        fold.counts[after["kind"]] += 1
    elements[named] = after
    fold.last_seq[named] = seq
    if after.get("kind") == "component" and (after.get("tech") or "") != ((current or {}).get("tech") or ""):
        fold.tech_seq[named] = seq
    if by_candidate and named not in fold.scaled and _is_scaled(after) and not (current and _is_scaled(current)):
        fold.scaled[named] = seq


def _extension(fold: Fold, op: Mapping[str, Any], seq: int, author: str) -> None:
    """The decide and flow ops, replayed by their own topics' folds so a decision or a flow means
    the same here as on the board; and the resolutions the recovery arcs end at."""
    name = op["op"]
    if name in decisions.NAMES:
        decisions.fold([{"seq": seq, "participant": author, "ops": [op]}], fold.decisions)
    elif name in flows.NAMES:
        flows.fold([{"seq": seq, "participant": author, "ops": [op]}], fold.flows)
    elif name == "set_status" and op.get("status") == "resolved":
        fold.resolved.setdefault(op["annotation"], []).append(seq)


def _fold(batches: Iterable[Batch], roles: Mapping[str, str]) -> Fold:
    fold = Fold()
    for batch in batches:
        seq, at, author = batch["seq"], batch["at"], batch["participant"]
        by_candidate = roles.get(author) == CANDIDATE
        for op in batch["ops"]:
            if op["op"] in ("add", "update", "delete"):
                _canvas(fold, op, seq, by_candidate)
            else:
                _extension(fold, op, seq, author)
        for element_id, (before, _after) in fold.before_after.get(seq, {}).items():
            fold.before_after[seq][element_id] = (before, _neighbourhood(fold.elements, element_id))
        annotations.fold([batch], fold.annotations)
        fold.watched.update(
            op["annotation"]["target"]
            for op in batch["ops"]
            if op["op"] == "annotate" and op["annotation"]["layer"] == "challenges" and op["annotation"].get("target")
        )
        fold.session, _ = interview.fold([batch], fold.session, fold.entries)
        scenario.fold([batch], fold.cards)
        fold.at[seq] = at
        fold.clock[seq] = fold.session.used(at)
        fold.sizes.append((seq, fold.counts["component"], fold.counts["arrow"]))
    return fold


class Clock:
    """Seconds since the start for any seq of the log (`reviews.interview_signals`' definition)."""

    def __init__(self, fold: Fold) -> None:
        self.session = fold.session.started_at is not None
        first = next(iter(fold.at.values()), None)
        self.by_seq = (
            fold.clock
            if self.session or first is None
            else {seq: (at - first).total_seconds() for seq, at in fold.at.items()}
        )

    def seconds(self, seq: int) -> float:
        return round(self.by_seq.get(seq, 0.0), 3)


def _link(kind: str, item_id: str, seq: int) -> Link:
    return {"type": kind, "id": item_id, "seq": seq}


def _elements(fold: Fold, items: Iterable[Element]) -> list[Link]:
    links = [_link("element", e["id"], fold.last_seq.get(e["id"], 0)) for e in items]
    return sorted(links, key=lambda link: (link["seq"], link["id"]))


def _components(fold: Fold) -> list[Element]:
    return [e for e in fold.elements.values() if e.get("kind") == "component"]


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def _decisions(fold: Fold) -> Signals:
    with_tech = [e for e in _components(fold) if not _blank(e.get("tech"))]
    by_target: dict[str, list[dict[str, Any]]] = {}
    for decision in fold.decisions.values():
        by_target.setdefault(decision.get("target", ""), []).append(decision)

    def explaining(component: Element) -> list[dict[str, Any]]:
        since = fold.tech_seq.get(component["id"], 0)
        return [d for d in by_target.get(component["id"], []) if d["seq"] >= since]

    explained = [e for e in with_tech if explaining(e)]
    unexplained = [e for e in with_tech if not explaining(e)]
    alternative = [e for e in explained if any(d.get("alternatives") for d in explaining(e))]
    cost = [e for e in explained if any(not _blank(d.get("cost")) for d in explaining(e))]
    stale = [e for e in unexplained if by_target.get(e["id"])]
    decision_links = sorted(
        (_link("element", d.get("target", ""), d["seq"]) for d in fold.decisions.values()),
        key=lambda link: (link["seq"], link["id"]),
    )
    return {
        "decisions.count": (len(fold.decisions), decision_links),
        "decisions.with_tech": (len(with_tech), _elements(fold, with_tech)),
        "decisions.explained": (len(explained), _elements(fold, explained)),
        "decisions.with_alternative": (len(alternative), _elements(fold, alternative)),
        "decisions.with_cost": (len(cost), _elements(fold, cost)),
        "decisions.unexplained": (len(unexplained), _elements(fold, unexplained)),
        "decisions.stale": (len(stale), _elements(fold, stale)),
    }


def _beyond_happy_path(fold: Fold, roles: Mapping[str, str]) -> Signals:
    elements = fold.elements
    components = _components(fold)
    calls = [
        e
        for e in elements.values()
        if e.get("kind") == "arrow"
        and e.get("style", "sync") == "sync"
        and elements.get(e["target"], {}).get("type") == "external"
    ]
    timed = [e for e in calls if isinstance(e.get("timeout_ms"), int) and e["timeout_ms"] > 0]
    queues = [e for e in components if e.get("type") == "queue"]
    dead_letter = [e for e in queues if e.get("dead_letter") is True]
    stores = [e for e in components if e.get("type") in DATA_STORES]
    protected = [
        e for e in stores if e.get("backup") is True or (isinstance(e.get("replicas"), int) and e["replicas"] > 1)
    ]
    monitors = [e for e in components if e.get("type") == "monitoring"]
    notes = sorted(
        (
            t
            for t in fold.annotations.values()
            if t["layer"] == "notes" and t["kind"] == "failure_mode" and roles.get(t["author"]) == CANDIDATE
        ),
        key=lambda t: (t["raised_seq"], t["id"]),
    )
    return {
        "beyond_happy_path.external_calls": (len(calls), _elements(fold, calls)),
        "beyond_happy_path.external_calls_with_timeout": (len(timed), _elements(fold, timed)),
        "beyond_happy_path.queues": (len(queues), _elements(fold, queues)),
        "beyond_happy_path.queues_with_dead_letter": (len(dead_letter), _elements(fold, dead_letter)),
        "beyond_happy_path.data_stores": (len(stores), _elements(fold, stores)),
        "beyond_happy_path.data_stores_protected": (len(protected), _elements(fold, protected)),
        "beyond_happy_path.monitored": (bool(monitors), _elements(fold, monitors)),
        "beyond_happy_path.error_handling": (
            len(notes),
            [_link("annotation", t["id"], t["raised_seq"]) for t in notes],
        ),
    }


def _curve(fold: Fold, clock: Clock) -> tuple[list[dict[str, int]], int]:
    if not fold.sizes:
        return [], 1
    last = math.ceil(max(clock.seconds(seq) for seq, _, _ in fold.sizes) / 60)
    step = max(1, math.ceil(last / MAX_POINTS))
    points, i, size = [], 0, (0, 0)
    for minute in range(0, last + step, step):
        while i < len(fold.sizes) and clock.seconds(fold.sizes[i][0]) <= minute * 60:
            size = fold.sizes[i][1:]
            i += 1
        points.append({"minute": minute, "components": size[0], "arrows": size[1]})
    return points, step


def _scale_moment(fold: Fold, roles: Mapping[str, str]) -> int | None:
    mine = [e for e in fold.entries.values() if roles.get(e["author"]) == CANDIDATE]
    moments = [e["answer"]["seq"] for e in mine if e["kind"] == "question" and e.get("answer")]
    moments += [e["seq"] for e in mine if e["kind"] == "assumption"]
    moments += [card["seq"] for card in fold.cards]
    return min(moments, default=None)


def _complexity(fold: Fold, roles: Mapping[str, str], clock: Clock) -> Signals:
    points, step = _curve(fold, clock)
    cards = [
        {"id": c["id"], "title": c.get("title", ""), "seq": c["seq"], "minute": round(clock.seconds(c["seq"]) / 60, 1)}
        for c in fold.cards
    ]
    card_links = [{"type": "seq", "seq": c["seq"]} for c in fold.cards]
    moment = _scale_moment(fold, roles)
    premature = sorted(
        ((seq, element) for element, seq in fold.scaled.items() if moment is None or seq < moment),
    )
    adaptation, links, adapted = [], [], 0
    for card in fold.cards:
        start = clock.seconds(card["seq"])
        seen: dict[tuple[int, str], None] = {}
        for change in fold.changes:
            if change.seq > card["seq"] and clock.seconds(change.seq) - start <= ADAPTATION_SECONDS:
                seen.setdefault((change.seq, change.by))
        adaptation.append({"card": card["id"], "seq": card["seq"], "changes": len(seen)})
        links.append({"type": "seq", "seq": card["seq"]})
        links.extend(_link("element", by, seq) for seq, by in seen)
        adapted += bool(seen)
    return {
        "complexity.curve": (points, []),
        "complexity.curve_step": (step, []),
        "complexity.cards": (cards, card_links),
        "complexity.premature": (len(premature), [_link("element", element, seq) for seq, element in premature]),
        "complexity.adaptation": (adaptation, links),
        "complexity.adapted": (adapted, card_links),
    }


def _one_line(before: list[Element], after: list[Element]) -> str:
    """`reviews.diff` of a neighbourhood, in one line: what was added, removed and changed."""
    found = diff.diff(before, after)
    parts = [f"added {e.get('label') or e['id']}" for e in found["added"]]
    parts += [f"removed {e.get('label') or e['id']}" for e in found["removed"]]
    for changed in found["changed"]:
        fields = [
            f"{name}: {changed['before'][name] or '-'} -> {changed['after'][name] or '-'}"
            for name in changed["fields"]
            if name != "connections"
        ]
        if "connections" in changed["fields"]:
            fields.append("connections")
        parts.append(f"changed {changed['id']} ({', '.join(fields)})")
    return "; ".join(parts)


def _recovery(fold: Fold, roles: Mapping[str, str], clock: Clock) -> Signals:
    challenges = sorted(
        (t for t in fold.annotations.values() if t["layer"] == "challenges" and roles.get(t["author"]) in INTERVIEWING),
        key=lambda t: (t["raised_seq"], t["id"]),
    )
    by_element: dict[str, list[Change]] = {}
    for made in fold.changes:
        by_element.setdefault(made.element, []).append(made)

    def gap(later: int | None, earlier: int | None) -> float | None:
        return None if later is None or earlier is None else round(clock.seconds(later) - clock.seconds(earlier), 3)

    arcs, links = [], []
    for challenge in challenges:
        raised = challenge["raised_seq"]
        reply = next((r["seq"] for r in challenge["replies"] if roles.get(r["author"]) == CANDIDATE), None)
        target = challenge["target"]
        change: Change | None = None
        if reply is not None and target:
            change = next((c for c in by_element.get(target, []) if c.seq >= reply), None)
        after = reply if reply is not None else raised
        resolved = next((seq for seq in fold.resolved.get(challenge["id"], []) if seq >= after), None)
        line = ""
        if change is not None:
            before_after = fold.before_after.get(change.seq, {}).get(target)
            line = _one_line(*before_after) if before_after else ""
        change_seq = change.seq if change else None
        arcs.append(
            {
                "challenge": challenge["id"],
                "target": target,
                "raised_seq": raised,
                "reply_seq": reply,
                "change_seq": change_seq,
                "resolved_seq": resolved,
                "seconds": {
                    "to_reply": gap(reply, raised),
                    "to_change": gap(change_seq, reply),
                    "to_resolve": gap(resolved, change_seq if change_seq is not None else reply),
                },
                "diff": line,
            }
        )
        links.append(_link("annotation", challenge["id"], raised))
        if change is not None:
            links.append(_link("element", change.by, change.seq))
    recovered = [arc for arc in arcs if arc["change_seq"] is not None]
    return {
        "recovery.arcs": (arcs, links),
        "recovery.recovered": (
            len(recovered),
            [_link("annotation", a["challenge"], a["change_seq"]) for a in recovered],
        ),
    }


def _texts(fold: Fold, roles: Mapping[str, str]) -> list[dict[str, Any]]:
    texts = []
    for flow in sorted(fold.flows.values(), key=lambda f: (f["seq"], f["id"])):
        steps = flow.get("steps") or []
        if roles.get(flow["author"]) != CANDIDATE or any(s.get("element") not in fold.elements for s in steps):
            continue
        texts += [
            {"source": "flow", "id": flow["id"], "seq": flow["seq"], "text": s["text"]}
            for s in steps
            if not _blank(s.get("text"))
        ]
    for challenge in sorted(fold.annotations.values(), key=lambda t: (t["raised_seq"], t["id"])):
        if challenge["layer"] != "challenges":
            continue
        texts += [
            {"source": "answer", "id": challenge["id"], "seq": r["seq"], "text": r["text"]}
            for r in challenge["replies"]
            if roles.get(r["author"]) == CANDIDATE and not _blank(r.get("text"))
        ]
    return texts


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1] in ".!?" else f"{text}."


def _communication(fold: Fold, roles: Mapping[str, str]) -> Signals:
    texts = _texts(fold, roles)
    links = [
        _link("annotation", t["id"], t["seq"]) if t["source"] == "answer" else {"type": "seq", "seq": t["seq"]}
        for t in texts
    ]
    passage = " ".join(_sentence(t["text"]) for t in texts)
    words = WORD.findall(passage.lower())
    readability = None
    if words:
        readability = {
            "flesch_reading_ease": round(float(textstat.flesch_reading_ease(passage)), 1),
            "grade": round(float(textstat.flesch_kincaid_grade(passage)), 1),
        }
    jargon = [word for word in words if word in glossary()]
    unlabelled = [
        e for e in fold.elements.values() if e.get("kind") in ("component", "arrow") and _blank(e.get("label"))
    ]
    return {
        "communication.texts": (texts, links),
        "communication.readability": (readability, links),
        "communication.jargon_share": (round(len(jargon) / len(words), 3) if words else None, links),
        "communication.jargon": (sorted(set(jargon)), links),
        "communication.labels_missing": (len(unlabelled), _elements(fold, unlabelled)),
    }


def _assemble(signals: Signals) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, (value, _links) in signals.items():
        group, _, key = name.partition(".")
        result.setdefault(group, {})[key] = value
    result["evidence"] = {name: links for name, (_value, links) in signals.items()}
    return result


def compute(batches: Iterable[Batch], roles: Mapping[str, str]) -> dict[str, Any]:
    """Every signal of the module docstring, JSON-ready: `{group: {name: value}, "evidence": {"group.name": links}}`."""
    fold = _fold(batches, roles)
    clock = Clock(fold)
    return _assemble(
        {
            **_decisions(fold),
            **_beyond_happy_path(fold, roles),
            **_complexity(fold, roles, clock),
            **_recovery(fold, roles, clock),
            **_communication(fold, roles),
        }
    )
