"""The practice coach: what a fair interviewer would do next, as a pure function of the public log. Pure.

`decide(batches, roles, question, rules, now)` reads the practice board's public
stream (stored batch messages in seq order, `at` a datetime, as
`reviews.interview_signals.compute` takes them), who is who, the board's
question (its full copy, or None for the candidate's own prompt), the rules
(`coach_rules.json` merged with the question's overrides by `rules_for`) and
the clock, and returns the ops the coach writes now, as a client would send
them. The same log, question, rules and `now` always give the same ops, so a
practice log replayed through the coach reproduces every coach batch (the
runner, `reviews.coach_services`, writes each batch at the `now` it decided
with).

What each rule looks at (docs/practice.md has the table):

- **Clock**: an idle session is started (`minutes`: the sum of the phase
  minutes) with a `start` notice; on an incident question the question's fault
  is hidden and the incident opened in the same step. A phase that has run
  `phases[phase] + grace_minutes` moves on to the next with a `phase` notice
  saying how long it ran; in `requirements`, the candidate's first component
  moves on at once (they started designing). When `wrap_up` runs out (or the
  candidate finishes), the session ends with an `end` notice.
- **Clarifying questions**: every candidate ledger `question` without an
  answer is answered from the fact sheet (`reviews.questions.suggest`, best
  match), or with `no_fact` when no fact matches.
- **Challenges** (`challenges`, in catalogue order), only in
  `challenge_phases`, at most one every `challenge_gap_minutes`, on an element
  that has been on the board `settle_minutes`, and never on a covered element:
  one with a public note by the candidate, a reply by the candidate on any
  annotation on it, a decision (`decide` op) or a ledger entry of the
  candidate linking it, or a challenge already.
  `spof`: the drill's single points of failure (`reviews.drill`);
  `undecided_tech`: a component with a `tech` and no decision;
  `sync_external_without_timeout`: a `sync` arrow to an `external` component
  without `timeout_ms`; `queue_without_dead_letter`: a queue without
  `dead_letter`. The ops and fields are the server's own (`reviews.decisions`,
  `whiteboard.ops`): an optional field left out means not set.
- **Scenario cards**: in `card_phase`, from `first_card_minutes` into it and
  then every `card_gap_minutes`, the next card of the question's deck not yet
  played (by anyone's `scenario` op), at most `max_cards`: a `scenario` op
  alone. Everyone on the board already sees a played card in its banner (and
  the replay and the signals read it from that op), so the coach says nothing
  more about it: a notice would show the same card twice.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reviews import annotations, decisions, drill, interview, questions, scenario
from reviews.fields import body, choice, required
from whiteboard import ops, vocabulary
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.ops import check_id, expect_object, only_keys
from whiteboard.roles import Actor

Op = dict[str, Any]
Batch = Mapping[str, Any]
Rules = dict[str, Any]
Decision = decisions.Decision

CANDIDATE = vocabulary.MODES["practice"].challenged
COACH = "coach"
PHASES = vocabulary.PHASES
NOTICE_KINDS = vocabulary.NOTICE_KINDS
NAMES = frozenset({"notice"})
NOTICE_WRITERS = vocabulary.holders("keep_clock")
RULES_FILE = Path(__file__).with_name("coach_rules.json")


# --- the notice op: what the coach says that is neither an answer nor a challenge ----------------------------


def parse_op(raw: dict[str, Any], path: str) -> Op:
    """`{"op": "notice", "notice": {"id", "kind", "text", "ref"?}}`: a line from whoever keeps the clock."""
    only_keys(raw, ["op", "notice"], path)
    required(raw, ["notice"], path)
    notice = expect_object(raw["notice"], f"{path}.notice")
    only_keys(notice, ["id", "kind", "text", "ref"], f"{path}.notice")
    required(notice, ["id", "kind", "text"], f"{path}.notice")
    parsed = {
        "id": check_id(notice["id"], f"{path}.notice.id"),
        "kind": choice(notice["kind"], NOTICE_KINDS, f"{path}.notice.kind"),
        "text": body(notice["text"], f"{path}.notice.text"),
    }
    if "ref" in notice:
        parsed["ref"] = check_id(notice["ref"], f"{path}.notice.ref")
    return {"op": "notice", "notice": parsed}


def check_notices(actor: Actor, ops_: Iterable[tuple[int, Op]]) -> list[Op]:
    """Only whoever keeps the clock writes notices (a notice is a line, not a thread: ids need not be unique)."""
    for i, _op in ops_:
        if actor.role not in NOTICE_WRITERS:
            raise SyncError(ErrorCode.FORBIDDEN, f"A {actor.role} cannot write notices.", f"ops[{i}]")
    return [op for _, op in ops_]


def notices(batches: Iterable[Batch]) -> list[dict[str, Any]]:
    """Every notice of the log, oldest first, with the seq and author of its batch."""
    return [
        {**op["notice"], "seq": batch["seq"], "author": batch["participant"]}
        for batch in batches
        for op in batch["ops"]
        if op["op"] == "notice"
    ]


# --- rules ---------------------------------------------------------------------------------------------------


def load_rules(path: Path = RULES_FILE) -> Rules:
    with path.open(encoding="utf-8") as file:
        data: Rules = json.load(file)
    return data


def rules_for(catalogue: Mapping[str, Any], question_id: str | None) -> Rules:
    """The defaults with one question's overrides on top (one level deep: `phases` merge key by key)."""
    rules = {key: value for key, value in catalogue.items() if key != "questions"}
    override = catalogue.get("questions", {}).get(question_id or "", {})
    for key, value in override.items():
        rules[key] = {**rules[key], **value} if isinstance(value, dict) and isinstance(rules.get(key), dict) else value
    return rules


def total_minutes(rules: Mapping[str, Any]) -> int:
    """The session's length: the phases' minutes (as they were before any `scaled`)."""
    return int(rules.get("session_minutes") or round(sum(rules["phases"][phase] for phase in PHASES)))


TIMINGS = ("grace_minutes", "challenge_gap_minutes", "settle_minutes", "first_card_minutes", "card_gap_minutes")


def scaled(rules: Rules, scale: float) -> Rules:
    """The rules with every timing `scale` times shorter (tests run a session at accelerated time);
    the session keeps its length, so the clock a person sees is the one they would have had."""
    if scale == 1:
        return rules
    faster = {**rules, "session_minutes": total_minutes(rules)}
    faster["phases"] = {phase: minutes / scale for phase, minutes in rules["phases"].items()}
    faster.update({key: rules[key] / scale for key in TIMINGS})
    return faster


# --- the log as the coach sees it ----------------------------------------------------------------------------


@dataclass
class View:
    elements: dict[str, ops.Element] = field(default_factory=dict)
    added_at: dict[str, datetime] = field(default_factory=dict)  # element -> when it first appeared
    threads: dict[str, annotations.Annotation] = field(default_factory=dict)
    session: interview.Session = field(default_factory=interview.Session)
    entries: dict[str, interview.Entry] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)  # by id, as `decisions.fold` keeps them
    cards: list[scenario.Card] = field(default_factory=list)  # played, oldest first (`scenario.fold`)
    incident: str = "none"
    head: int = 0
    candidate_drew: bool = False


def fold_view(batches: Iterable[Batch], roles: Mapping[str, str]) -> View:
    """The board as the coach sees it after these batches."""
    view = View()
    for batch in batches:
        at, author = batch["at"], batch["participant"]
        view.head = batch["seq"]
        for op in batch["ops"]:
            name = op["op"]
            if name in ops.CANVAS_OPS:
                if name == "add":
                    view.added_at.setdefault(op["element"]["id"], at)
                    if op["element"]["kind"] == "component" and roles.get(author) == CANDIDATE:
                        view.candidate_drew = True
                ops.fold([[op]], view.elements)
            elif name == "incident":
                view.incident = "open" if op.get("action") == "open" else "closed"
        annotations.fold([batch], view.threads)
        view.session, _ = interview.fold([batch], view.session, view.entries)
        decisions.fold([batch], view.decisions)
        scenario.fold([batch], view.cards)
    return view


def covered(view: View, roles: Mapping[str, str]) -> set[str]:
    """Elements the candidate already discussed, or the coach already challenged: never challenged (again)."""
    found: set[str] = set()
    for thread in view.threads.values():
        target = thread["target"]
        if target is None:
            continue
        by_candidate = roles.get(thread["author"]) == CANDIDATE and thread["layer"] == "notes"
        replied = any(roles.get(reply["author"]) == CANDIDATE for reply in thread["replies"])
        by_coach = roles.get(thread["author"]) == COACH and thread["layer"] == "challenges"
        if by_candidate or replied or by_coach:
            found.add(target)
    found.update(decision["target"] for decision in view.decisions.values())
    for entry in view.entries.values():
        if roles.get(entry["author"]) == CANDIDATE:
            found.update(entry.get("links", []))
    return found


# --- the challenge catalogue ---------------------------------------------------------------------------------


def _name(element: Mapping[str, Any]) -> str:
    return str(element.get("label") or "").strip() or str(element.get("type") or element["id"])


def _candidates(code: str, view: View, graph: drill.Graph) -> list[str]:
    """Element ids this challenge applies to on the board as it stands, most important first."""
    elements = view.elements
    components = sorted((e for e in elements.values() if e["kind"] == "component"), key=lambda e: e["id"])
    if code == "spof":
        return [graph.ids[x] for x in drill.spofs(graph, drill.impacts(graph))]
    if code == "undecided_tech":
        return [e["id"] for e in components if str(e.get("tech") or "").strip()]
    if code == "sync_external_without_timeout":
        return [
            e["id"]
            for e in sorted((e for e in elements.values() if e["kind"] == "arrow"), key=lambda e: e["id"])
            if e.get("style", "sync") == "sync"
            and elements.get(e["target"], {}).get("type") == "external"
            and not e.get("timeout_ms")
        ]
    if code == "queue_without_dead_letter":
        return [e["id"] for e in components if e["type"] == "queue" and not e.get("dead_letter")]
    raise ValueError(f"unknown challenge code {code!r}")


def _challenge_text(template: str, element: Mapping[str, Any], elements: Mapping[str, ops.Element]) -> str:
    if element["kind"] == "arrow":
        names = {"name": f"{_name(elements[element['source']])} → {_name(elements[element['target']])}"}
        names.update(source=_name(elements[element["source"]]), target=_name(elements[element["target"]]))
    else:
        names = {"name": _name(element)}
    return template.format(tech=str(element.get("tech") or ""), **names)


# --- deciding ------------------------------------------------------------------------------------------------


def _seconds(since: datetime | None, now: datetime) -> float:
    return 0.0 if since is None else (now - since).total_seconds()


def _phase_started(session: interview.Session) -> datetime | None:
    return session.phases[-1]["at"] if session.phases else None


def _last_coach_challenge(view: View, roles: Mapping[str, str], at: Mapping[int, datetime]) -> datetime | None:
    raised = [
        at[t["raised_seq"]]
        for t in view.threads.values()
        if roles.get(t["author"]) == COACH and t["layer"] == "challenges" and t["raised_seq"] in at
    ]
    return max(raised) if raised else None


class _Out:
    """The ops of one decision, with ids unique to the log's head (so a replay gives the same ids)."""

    def __init__(self, head: int) -> None:
        self.ops: list[Op] = []
        self.prefix = f"coach-{head}"

    def next_id(self) -> str:
        return f"{self.prefix}-{len(self.ops)}"

    def notice(self, kind: str, text: str, ref: str | None = None) -> None:
        # A sentence, even when a template starts with a phase's name ("the high-level design ran ...").
        notice: dict[str, Any] = {"id": self.next_id(), "kind": kind, "text": text[:1].upper() + text[1:]}
        if ref is not None:
            notice["ref"] = ref
        self.ops.append({"op": "notice", "notice": notice})


PHASE_NAMES = {
    "requirements": "requirements",
    "high_level": "the high-level design",
    "deep_dive": "the deep dive",
    "wrap_up": "the wrap-up",
}


def _start(out: _Out, question: Mapping[str, Any] | None, rules: Mapping[str, Any]) -> None:
    minutes = total_minutes(rules)
    out.ops.append({"op": "session", "action": "start", "minutes": minutes})
    incident = (question or {}).get("incident")
    if incident:  # its fault was hidden when the board was made (`incident_services.incident_prepare`)
        opened: Op = {"op": "incident", "action": "open", "symptom": incident["symptom"]}
        if "entry" in incident:
            opened["entry"] = incident["entry"]
        out.ops.append(opened)
    first = PHASES[0]
    text = rules["texts"]["start"].format(minutes=minutes, phase_minutes=f"{rules['phases'][first]:g}")
    out.notice("start", text)


def _clock(out: _Out, view: View, rules: Mapping[str, Any], now: datetime, finish: bool) -> bool:
    """Move the phases on; returns whether the session is (now) over."""
    session = view.session
    phase = session.phase or PHASES[0]
    ran = _seconds(_phase_started(session), now)
    budget = (rules["phases"][phase] + rules["grace_minutes"]) * 60
    last = phase == PHASES[-1]
    if finish or (last and ran >= rules["phases"][phase] * 60):
        out.ops.append({"op": "session", "action": "end"})
        if view.incident == "open":
            out.ops.append({"op": "incident", "action": "close"})
        out.notice("end", rules["texts"]["finished" if finish else "end"])
        return True
    if phase == "requirements" and view.candidate_drew:
        following = PHASES[PHASES.index(phase) + 1]
        out.ops.append({"op": "phase", "phase": following})
        out.notice("phase", rules["texts"]["drew"].format(phase=PHASE_NAMES[following]), ref=following)
    elif not last and ran >= budget:
        following = PHASES[PHASES.index(phase) + 1]
        out.ops.append({"op": "phase", "phase": following})
        text = rules["texts"]["long"].format(
            phase=PHASE_NAMES[phase],
            ran=int(ran // 60),
            planned=f"{rules['phases'][phase]:g}",
            next=PHASE_NAMES[following],
        )
        out.notice("phase", text, ref=following)
    return False


def _answers(out: _Out, view: View, roles: Mapping[str, str], question: Mapping[str, Any] | None, rules: Rules) -> None:
    facts = list((question or {}).get("facts") or [])
    by_id = {fact["id"]: fact for fact in facts}
    pending = sorted(
        (e for e in view.entries.values() if e["kind"] == "question" and e["answer"] is None),
        key=lambda e: (e["seq"], e["id"]),
    )
    for entry in pending:
        if roles.get(entry["author"]) != CANDIDATE:
            continue
        best = questions.suggest(entry["text"], facts, limit=1)
        text = by_id[best[0]["fact"]]["answer"] if best else rules["texts"]["no_fact"]
        out.ops.append({"op": "answer_requirement", "entry": entry["id"], "text": text})


def _challenge(
    out: _Out, view: View, roles: Mapping[str, str], rules: Rules, now: datetime, at: Mapping[int, datetime]
) -> None:
    phase = view.session.phase
    if phase not in rules["challenge_phases"]:
        return
    last = _last_coach_challenge(view, roles, at)
    if last is not None and _seconds(last, now) < rules["challenge_gap_minutes"] * 60:
        return
    done = covered(view, roles)
    settle = rules["settle_minutes"] * 60
    graph = drill.Graph.build(view.elements.values())
    for spec in rules["challenges"]:
        for element_id in _candidates(spec["code"], view, graph):
            if element_id in done or _seconds(view.added_at.get(element_id), now) < settle:
                continue
            element = view.elements[element_id]
            annotation = {
                "id": out.next_id(),
                "layer": "challenges",
                "target": element_id,
                "kind": spec["kind"],
                "text": _challenge_text(spec["text"], element, view.elements),
            }
            out.ops.append({"op": "annotate", "annotation": annotation})
            return


def _cards(out: _Out, view: View, question: Mapping[str, Any] | None, rules: Rules, now: datetime) -> None:
    if view.session.phase != rules["card_phase"]:
        return
    played_ids = {card["id"] for card in view.cards}
    deck = [card for card in (question or {}).get("cards") or [] if card["id"] not in played_ids]
    played = len({card["id"] for card in (question or {}).get("cards") or []} & played_ids)
    if not deck or played >= rules["max_cards"]:
        return
    due = (rules["first_card_minutes"] + played * rules["card_gap_minutes"]) * 60
    if _seconds(_phase_started(view.session), now) < due:
        return
    card = deck[0]
    out.ops.append({"op": "scenario", "card": {"id": card["id"], "title": card["title"], "text": card["text"]}})


def decide(
    batches: Iterable[Batch],
    roles: Mapping[str, str],
    question: Mapping[str, Any] | None,
    rules: Rules,
    now: datetime,
    *,
    finish: bool = False,
) -> list[Op]:
    """The coach's ops for this moment (module docstring); [] when a fair interviewer would say nothing."""
    batches = list(batches)
    view = fold_view(batches, roles)
    at = {batch["seq"]: batch["at"] for batch in batches}
    out = _Out(view.head)
    status = view.session.status
    if status == "ended":
        return []
    if status == "idle":
        _start(out, question, rules)
        return out.ops
    _answers(out, view, roles, question, rules)
    if _clock(out, view, rules, now, finish):
        return out.ops
    _challenge(out, view, roles, rules, now, at)
    _cards(out, view, question, rules, now)
    return out.ops
