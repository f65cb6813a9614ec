"""Signals: what a board's public log says about how the candidate worked. Pure.

No Django and no I/O: `compute` takes the public stream's stored batch
messages (seq order; `at` an aware `datetime`, as `reviews.interview.fold`
wants it) and a map participant id -> role, folds the log once with the
folds that decide live state (`whiteboard.ops`, `reviews.annotations`,
`reviews.interview`), and derives every signal from what they fold to. The
private stream is never an input, so nothing here can count a private note.

Vocabulary.

- **Candidate**: a participant whose role is `candidate`. **Interviewing
  side**: `owner` and `interviewer`. Roles are the ones passed in (today's),
  not the ones a participant had when writing.
- **Challenge**: an annotation in the `challenges` layer raised by the
  interviewing side. A reviewer's challenges are left out: a reviewer judges
  the interview (often afterwards) and was not putting questions to the
  candidate. **Answered**: it has at least one reply by the candidate;
  **answer seq**: the seq of the first such reply.
- Annotations and ledger entries are taken as the log ends: a deleted
  annotation counts as never written. Sticky notes are not design elements.
- **Start**: the seq and time of the session's `start` if the session was
  ever started, else the first batch's. **Seconds** of an event are measured
  from the start on the interview clock when there is a session (pauses do
  not count, and anything before the start is at 0), else in wall time.
  Rounded to milliseconds.

Signals (the result's keys; nested ones are `group.name` in `evidence`).

- `start`: `{"at", "seq", "session"}` (`session`: whether it is the session
  start), or null for an empty log. `elapsed_seconds`: seconds from the start
  to `now` (default: the last batch's `at`).
- `questions`: ledger entries of kind `question` written by the candidate.
  `questions_before_first_component`: those whose seq is lower than the seq
  of the **first component**, the first `add` of a component *by the
  candidate* (a template's or the interviewer's boxes are not the candidate
  drawing; a component deleted later still counts). With no component, every
  question is before it. `seconds_to_first_question`,
  `seconds_to_first_component`: their seconds, null when there is none.
  `drew_before_asking`: a first component exists and no question precedes it.
- `failure_modes` and `trade_offs`, for kind `failure_mode` / `trade_off`:
  `unprompted`: candidate annotations of that kind in the `notes` layer
  raised before any challenge of that kind on the same target (the same
  element, or both board-level); a note written after such a challenge is a
  response, counted nowhere. `already_raised`: challenges of that kind on a
  target where an unprompted note of that kind came first; they do not count
  as prompted, answered or not, so one idea is never counted twice.
  `prompted`: the other challenges of that kind, once answered.
- `challenges`: `raised` (all challenges), `answered`, `open` (status `open`
  or `reopened` as the log ends; a challenge can be answered and open), and
  `median_seconds_to_answer` (from raising to the answer seq, over answered
  challenges; null when none).
- `components_without_failure_mode`: components on the final canvas that no
  `failure_mode` annotation of the `challenges` or `notes` layer (any author,
  any status) targets. `components_without_labels`,
  `arrows_without_labels`: final components and arrows whose label is empty
  or only whitespace.
- `changed_after_feedback`: challenges on an element (each counted once)
  whose meaning the candidate changed at the seq of one of their replies to
  it or up to `window` seqs after it. A change to an element is an `add` or
  `delete` of it, an `update` that changes its snapshot fields (what makes an
  annotation outdated: moving or resizing is not a change), and, for a
  component, an arrow added, deleted, or re-pointed so that it starts or
  stops touching it.

Evidence. `evidence[name]` lists the links a signal was computed from, in
the scorecard's evidence format: `{"type": "annotation"|"requirement"|
"element", "id", "seq"}`, or `{"type": "seq", "seq"}` for the start.

- An annotation link's `seq` is when it was raised; for answered challenges
  (`challenges.answered`, `challenges.median_seconds_to_answer`,
  `*.prompted`) it is the answer seq, and in `changed_after_feedback` the
  seq of the reply the change followed.
- An element link's `seq` is the one that last added or updated it; in
  `changed_after_feedback` it is the change's, and the element is the one
  the changing op named (the arrow, when an arrow touching the target
  changed). A requirement link's `seq` is when it was written.
- `*.already_raised` lists pairs: the earlier note, then the challenge.
  `questions_before_first_component` and `drew_before_asking` list the
  questions, then the first component; `seconds_to_*` the start, then the
  question or component.

Walkthrough signals (`compute(..., walkthrough=True)`, for a board made from a
`walkthrough` question), under `walkthrough`, from the candidate's ledger
entries and the final canvas:

- `constraints`: entries of kind `constraint`; `technologies`: distinct
  non-empty `tech` values of the final components (evidence: those
  components). Many technologies and no constraints is a list, not a story.
- `decisions`, and `decisions_with_reasons`: decisions whose text gives a
  reason (`REASON_WORDS`: "because", "so that", "instead of", ...).
- `outcomes`: entries of kind `outcome`; `hindsight`: whether any entry of
  kind `hindsight` exists.
- `credit`: `components` (the count) and, as shares of it (null when there
  are none), `me`, `team`, `other_team`, `vendor`, `others` (the last two
  together) and `uncredited`; evidence: the credited components.
"""

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reviews import annotations, interview
from whiteboard import ops, vocabulary
from whiteboard.protocol import iso

Batch = Mapping[str, Any]
Annotation = dict[str, Any]
Link = dict[str, Any]
Signals = dict[str, tuple[Any, list[Link]]]

CANDIDATE = vocabulary.MODES["interview"].challenged
INTERVIEWING = vocabulary.holders("keep_clock")  # the people running the session
PUBLIC_LAYERS = frozenset(layer for layer, stream in vocabulary.LAYER_STREAMS.items() if stream == "public")
DEFAULT_WINDOW = 10


@dataclass(frozen=True)
class Change:
    """A candidate's canvas op at `seq` that changed what `element` means; `by` is the element the op named."""

    seq: int
    element: str
    by: str


@dataclass
class Replay:
    """Everything the signals read, gathered in one pass over the log."""

    elements: dict[str, ops.Element] = field(default_factory=dict)
    annotations: dict[str, Annotation] = field(default_factory=dict)
    session: interview.Session = field(default_factory=interview.Session)
    entries: dict[str, interview.Entry] = field(default_factory=dict)
    at: dict[int, datetime] = field(default_factory=dict)
    clock: dict[int, float] = field(default_factory=dict)  # interview-clock seconds at each seq
    last_seq: dict[str, int] = field(default_factory=dict)  # element -> seq that last added or updated it
    first_component: tuple[int, str] | None = None  # (seq, id), drawn by the candidate
    changes: list[Change] = field(default_factory=list)


def _ends(element: ops.Element) -> set[str]:
    return {element["source"], element["target"]} if element["kind"] == "arrow" else set()


def _changed_meaning(before: ops.Element, after: ops.Element) -> bool:
    return annotations.snapshot(before) != annotations.snapshot(after)


def _touched(elements: Mapping[str, ops.Element], op: ops.Op) -> set[str]:
    """The elements whose meaning a stored canvas op on a component or arrow changes, on the board just before it."""
    if op["op"] == "add":
        return {op["element"]["id"], *_ends(op["element"])}
    current = elements[op["id"]]
    if op["op"] == "delete":
        return {op["id"], *_ends(current)}
    updated = {**current, **op["props"]}
    if not _changed_meaning(current, updated):
        return set()
    return {op["id"], *(_ends(current) ^ _ends(updated))}


def _canvas_op(replay: Replay, op: ops.Op, seq: int, by_candidate: bool) -> None:
    """Fold one canvas op, noting what the signals need from the board as it was just before."""
    named = op["element"]["id"] if op["op"] == "add" else op["id"]
    kind = op["element"]["kind"] if op["op"] == "add" else replay.elements[named]["kind"]
    if by_candidate and kind != "note":
        replay.changes.extend(Change(seq, element, named) for element in sorted(_touched(replay.elements, op)))
    if by_candidate and kind == "component" and op["op"] == "add" and replay.first_component is None:
        replay.first_component = (seq, named)
    if op["op"] != "delete":
        replay.last_seq[named] = seq
    ops.fold([[op]], replay.elements)


def _replay(batches: Iterable[Batch], roles: Mapping[str, str]) -> Replay:
    """Fold the log once. Canvas ops go one at a time, so each sees the board it was made against."""
    replay = Replay()
    for batch in batches:
        seq, at = batch["seq"], batch["at"]
        by_candidate = roles.get(batch["participant"]) == CANDIDATE
        for op in batch["ops"]:
            if op["op"] in ops.CANVAS_OPS:
                _canvas_op(replay, op, seq, by_candidate)
        annotations.fold([batch], replay.annotations)
        replay.session, _ = interview.fold([batch], replay.session, replay.entries)
        replay.at[seq] = at
        replay.clock[seq] = replay.session.used(at)
    return replay


@dataclass(frozen=True)
class Clock:
    """Seconds since the start (module docstring), for any seq of the log and for `now`."""

    seq: int
    at: datetime
    session: interview.Session | None
    by_seq: Mapping[int, float]

    def seconds(self, seq: int) -> float:
        return round(self.by_seq[seq], 3)

    def seconds_at(self, now: datetime) -> float:
        used = self.session.used(now) if self.session else (now - self.at).total_seconds()
        return round(used, 3)


def _clock(replay: Replay) -> Clock | None:
    session = replay.session
    if session.started_at is not None:
        return Clock(session.phases[0]["seq"], session.started_at, session, replay.clock)
    if not replay.at:
        return None
    first_seq, first_at = next(iter(replay.at.items()))
    wall = {seq: (at - first_at).total_seconds() for seq, at in replay.at.items()}
    return Clock(first_seq, first_at, None, wall)


def _link(kind: str, item_id: str, seq: int) -> Link:
    return {"type": kind, "id": item_id, "seq": seq}


def _element_links(replay: Replay, elements: Iterable[ops.Element]) -> list[Link]:
    links = [_link("element", element["id"], replay.last_seq[element["id"]]) for element in elements]
    return sorted(links, key=lambda link: (link["seq"], link["id"]))


def _start(replay: Replay, clock: Clock | None, now: datetime | None) -> Signals:
    if clock is None:
        return {"start": (None, []), "elapsed_seconds": (None, [])}
    links = [{"type": "seq", "seq": clock.seq}]
    start = {"at": iso(clock.at), "seq": clock.seq, "session": clock.session is not None}
    moment = now or replay.at[max(replay.at)]
    return {"start": (start, links), "elapsed_seconds": (clock.seconds_at(moment), links)}


def _questions(replay: Replay, roles: Mapping[str, str], clock: Clock | None) -> Signals:
    asked = [e for e in replay.entries.values() if e["kind"] == "question" and roles.get(e["author"]) == CANDIDATE]
    asked.sort(key=lambda entry: entry["seq"])
    first = replay.first_component
    before = [entry for entry in asked if first is None or entry["seq"] < first[0]]
    start = [{"type": "seq", "seq": clock.seq}] if clock else []
    drawn = [] if first is None else [_link("element", first[1], first[0])]
    asked_links = [_link("requirement", entry["id"], entry["seq"]) for entry in asked]
    before_links = asked_links[: len(before)] + drawn
    return {
        "questions": (len(asked), asked_links),
        "questions_before_first_component": (len(before), before_links),
        "seconds_to_first_question": (
            clock.seconds(asked[0]["seq"]) if clock and asked else None,
            start + asked_links[:1],
        ),
        "seconds_to_first_component": (clock.seconds(first[0]) if clock and first else None, start + drawn),
        "drew_before_asking": (first is not None and not before, before_links),
    }


def _challenges(replay: Replay, roles: Mapping[str, str]) -> list[Annotation]:
    raised = [
        t for t in replay.annotations.values() if t["layer"] == "challenges" and roles.get(t["author"]) in INTERVIEWING
    ]
    return sorted(raised, key=lambda annotation: (annotation["raised_seq"], annotation["id"]))


def _answer_seq(annotation: Annotation, roles: Mapping[str, str]) -> int | None:
    return next((reply["seq"] for reply in annotation["replies"] if roles.get(reply["author"]) == CANDIDATE), None)


def _raised_link(annotation: Annotation) -> Link:
    return _link("annotation", annotation["id"], annotation["raised_seq"])


def _earliest(annotations: Iterable[Annotation]) -> dict[str | None, Annotation]:
    """The first-raised annotation on each target (None: the whole board)."""
    earliest: dict[str | None, Annotation] = {}
    for annotation in sorted(annotations, key=lambda t: t["raised_seq"]):
        earliest.setdefault(annotation["target"], annotation)
    return earliest


def _first_seq(earliest: Mapping[str | None, Annotation], target: str | None) -> float:
    annotation = earliest.get(target)
    return math.inf if annotation is None else annotation["raised_seq"]


def _unprompted(replay: Replay, roles: Mapping[str, str], kind: str, challenges: list[Annotation]) -> list[Annotation]:
    """The candidate's notes of `kind` raised before any challenge of that kind on their target, oldest first."""
    first_challenge = _earliest(challenges)
    notes = [
        t
        for t in replay.annotations.values()
        if t["layer"] == "notes"
        and t["kind"] == kind
        and roles.get(t["author"]) == CANDIDATE
        and t["raised_seq"] < _first_seq(first_challenge, t["target"])
    ]
    return sorted(notes, key=lambda annotation: (annotation["raised_seq"], annotation["id"]))


def _discussion(replay: Replay, roles: Mapping[str, str], name: str, kind: str) -> Signals:
    """Unprompted notes, challenges that came after one, and prompted answers, for one kind."""
    challenges = [annotation for annotation in _challenges(replay, roles) if annotation["kind"] == kind]
    unprompted = _unprompted(replay, roles, kind, challenges)
    first_note = _earliest(unprompted)
    covered = [t for t in challenges if _first_seq(first_note, t["target"]) < t["raised_seq"]]
    prompted = [(t, seq) for t in challenges if t not in covered and (seq := _answer_seq(t, roles)) is not None]
    covered_links = [link for t in covered for link in (_raised_link(first_note[t["target"]]), _raised_link(t))]
    return {
        f"{name}.unprompted": (len(unprompted), [_raised_link(t) for t in unprompted]),
        f"{name}.prompted": (len(prompted), [_link("annotation", t["id"], seq) for t, seq in prompted]),
        f"{name}.already_raised": (len(covered), covered_links),
    }


def _challenge_signals(replay: Replay, roles: Mapping[str, str], clock: Clock | None) -> Signals:
    challenges = _challenges(replay, roles)
    answered = [(t, seq) for t in challenges if (seq := _answer_seq(t, roles)) is not None]
    still_open = [t for t in challenges if t["status"] in annotations.OPEN_STATUSES]
    answer_links = [_link("annotation", t["id"], seq) for t, seq in answered]
    waits = [clock.seconds(seq) - clock.seconds(t["raised_seq"]) for t, seq in answered] if clock else []
    return {
        "challenges.raised": (len(challenges), [_raised_link(t) for t in challenges]),
        "challenges.answered": (len(answered), answer_links),
        "challenges.open": (len(still_open), [_raised_link(t) for t in still_open]),
        "challenges.median_seconds_to_answer": (round(statistics.median(waits), 3) if waits else None, answer_links),
    }


def _canvas(replay: Replay) -> Signals:
    """Coverage and clarity of the final canvas."""
    elements = replay.elements.values()
    components = [element for element in elements if element["kind"] == "component"]
    discussed = {
        t["target"] for t in replay.annotations.values() if t["kind"] == "failure_mode" and t["layer"] in PUBLIC_LAYERS
    }
    bare = [element for element in components if element["id"] not in discussed]
    unlabelled = [e for e in elements if e["kind"] in ("component", "arrow") and not e["label"].strip()]
    components_unlabelled = [element for element in unlabelled if element["kind"] == "component"]
    arrows_unlabelled = [element for element in unlabelled if element["kind"] == "arrow"]
    return {
        "components_without_failure_mode": (len(bare), _element_links(replay, bare)),
        "components_without_labels": (len(components_unlabelled), _element_links(replay, components_unlabelled)),
        "arrows_without_labels": (len(arrows_unlabelled), _element_links(replay, arrows_unlabelled)),
    }


def _change_after(
    annotation: Annotation, changes: list[Change], roles: Mapping[str, str], window: int
) -> tuple[int, Change] | None:
    """The first (reply seq, change) where the candidate changed the target within `window` of a reply of theirs."""
    for reply in annotation["replies"]:
        if roles.get(reply["author"]) != CANDIDATE:
            continue
        change = next((c for c in changes if reply["seq"] <= c.seq <= reply["seq"] + window), None)
        if change is not None:
            return reply["seq"], change
    return None


def _changed_after_feedback(replay: Replay, roles: Mapping[str, str], window: int) -> Signals:
    by_element: dict[str, list[Change]] = {}
    for change in replay.changes:
        by_element.setdefault(change.element, []).append(change)
    found = [
        (annotation, hit)
        for annotation in _challenges(replay, roles)
        if (hit := _change_after(annotation, by_element.get(annotation["target"], []), roles, window)) is not None
    ]
    links = [
        link
        for annotation, (answer_seq, change) in found
        for link in (_link("annotation", annotation["id"], answer_seq), _link("element", change.by, change.seq))
    ]
    return {"changed_after_feedback": (len(found), links)}


def _assemble(signals: Signals) -> dict[str, Any]:
    """Nest `group.name` signals under their group, and gather the evidence under the dotted names."""
    result: dict[str, Any] = {}
    for name, (value, _links) in signals.items():
        group, _, key = name.partition(".")
        if key:
            result.setdefault(group, {})[key] = value
        else:
            result[name] = value
    result["evidence"] = {name: links for name, (_value, links) in signals.items()}
    return result


REASON_WORDS = (
    "because",
    "since",
    "so that",
    "so we",
    "to avoid",
    "to keep",
    "in order to",
    "instead of",
    "rather than",
    "trade-off",
    "tradeoff",
    "given",
    "due to",
    "as we",
    "which meant",
    "otherwise",
)
OTHERS = ("other_team", "vendor")


def _walkthrough(replay: Replay, roles: Mapping[str, str]) -> Signals:
    """A project walkthrough's story: constraints against technologies, reasoned decisions, outcomes,
    hindsight, and who built what (each component's `credit`)."""
    mine = sorted(
        (e for e in replay.entries.values() if roles.get(e["author"]) == CANDIDATE), key=lambda e: (e["seq"], e["id"])
    )

    def of(kind: str) -> list[interview.Entry]:
        return [entry for entry in mine if entry["kind"] == kind]

    def links(entries: Iterable[interview.Entry]) -> list[Link]:
        return [_link("requirement", entry["id"], entry["seq"]) for entry in entries]

    components = [e for e in replay.elements.values() if e["kind"] == "component"]
    with_tech = [e for e in components if e["tech"].strip()]
    technologies = {e["tech"].strip().lower() for e in with_tech}
    decisions = of("decision")
    reasoned = [d for d in decisions if any(word in f" {d['text'].lower()} " for word in REASON_WORDS)]
    credited = [e for e in components if e.get("credit")]
    total = len(components)

    def share(items: list[ops.Element]) -> float | None:
        return round(len(items) / total, 3) if total else None

    by_credit = {name: [e for e in credited if e["credit"] == name] for name in vocabulary.CREDITS}
    others = [e for e in credited if e["credit"] in OTHERS]
    credit = {
        "components": total,
        **{name: share(items) for name, items in by_credit.items()},
        "others": share(others),
        "uncredited": share([e for e in components if not e.get("credit")]),
    }
    return {
        "walkthrough.constraints": (len(of("constraint")), links(of("constraint"))),
        "walkthrough.technologies": (len(technologies), _element_links(replay, with_tech)),
        "walkthrough.decisions": (len(decisions), links(decisions)),
        "walkthrough.decisions_with_reasons": (len(reasoned), links(reasoned)),
        "walkthrough.outcomes": (len(of("outcome")), links(of("outcome"))),
        "walkthrough.hindsight": (bool(of("hindsight")), links(of("hindsight"))),
        "walkthrough.credit": (credit, _element_links(replay, credited)),
    }


def compute(
    batches: Iterable[Batch],
    roles: Mapping[str, str],
    *,
    now: datetime | None = None,
    window: int = DEFAULT_WINDOW,
    walkthrough: bool = False,
) -> dict[str, Any]:
    """Every signal of the module docstring, JSON-ready, each with its evidence.

    `batches`: the public stream's stored batch messages in seq order, `at`
    an aware datetime. `roles`: participant id -> role; an unknown author
    counts as no role. `window`: how many seqs after an answer a change still
    counts as made in response to it.
    """
    replay = _replay(batches, roles)
    clock = _clock(replay)
    signals: Signals = {
        **_start(replay, clock, now),
        **_questions(replay, roles, clock),
        **_discussion(replay, roles, "failure_modes", "failure_mode"),
        **_discussion(replay, roles, "trade_offs", "trade_off"),
        **_challenge_signals(replay, roles, clock),
        **_canvas(replay),
        **_changed_after_feedback(replay, roles, window),
        **(_walkthrough(replay, roles) if walkthrough else {}),
    }
    return _assemble(signals)
