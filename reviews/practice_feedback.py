"""A practice session's feedback: the essay's advice as a checklist, each line judged from the signals. Pure.

`feedback(signals, batches, roles, comparison, rules)` takes the signals
(`reviews.interview_signals.compute` with `reviews.thinking_signals.compute`
merged in, as `reviews.signal_queries.signals_of` serves them: one
`evidence` map), the public log (for the candidate's ledger and the
trade-off challenges still unanswered), the comparison with the question's
reference (`reviews.questions.compare`, or None) and the coach's rules
(`checklist` thresholds). Each line's `count` is the signal's own value (or
the sum of the two it names), `measures` the signal values it was judged on
by their dotted names, and `moments` the signals' evidence seqs, so the
page can link each to the replay (`?seq=`).

Lines (ids are the vocabulary's `practice.checklist`):

- `ask_first`: `questions_before_first_component`; met within
  `questions_min`..`questions_max`, partly with fewer (but some) or more,
  missed with none.
- `start_simple`: `complexity.premature`, the scale-out parts drawn before
  anything asked for scale; met with none (once something is drawn), partly
  below `premature_parts`, missed from there (or with nothing drawn).
- `failure_modes`: `failure_modes.unprompted` against
  `failure_modes.prompted`, with what the design handles by itself
  (`beyond_happy_path`: external calls with a timeout, queues with a dead
  letter, data stores replicated or backed up) and how challenges ended
  (`recovery.recovered` of the arcs). Met when something was raised or
  handled unprompted, unprompted ones are at least as many as prompted and
  no call, queue or store is left unprotected; partly with some; missed with
  none.
- `trade_offs`: `decisions.explained` (technology choices a decision
  explains) plus `trade_offs.unprompted` (trade-off notes); met with any,
  no choice left unexplained (`decisions.unexplained`) and no trade-off
  challenge unanswered; partly with any explanation or answers only when
  asked; missed with neither.
- `honest`: the candidate's ledger entries of kind `unknown` or `assumption`;
  met with one or more, partly otherwise (nobody can measure honesty; saying
  what you assumed or do not know is the visible part).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from whiteboard import vocabulary

CHECKLIST = vocabulary.CHECKLIST
CANDIDATE = vocabulary.MODES["practice"].challenged
HONEST_KINDS = ("unknown", "assumption")
ORDER = {"missed": 0, "partly": 1, "met": 2}
PRACTISE = {
    "ask_first": "Before your first box, ask about users, traffic, latency and what is out of scope.",
    "start_simple": "Draw the simplest design that works first; add parts when a requirement asks for them.",
    "failure_modes": "For every box you draw, say what happens when it fails before anyone asks.",
    "trade_offs": "For each major choice, say what you gave up and when you would revisit it.",
    "honest": "Write down what you assume and what you do not know, then carry on.",
}


def _seqs(links: Iterable[Mapping[str, Any]]) -> list[int]:
    return sorted({int(link["seq"]) for link in links if "seq" in link})


def _line(
    line_id: str, verdict: str, count: Any, text: str, moments: list[int], measures: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": line_id,
        "advice": CHECKLIST[line_id],
        "verdict": verdict,
        "count": count,
        "text": text,
        "moments": moments,
        "measures": measures or {},
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _ask_first(signals: Mapping[str, Any], rules: Mapping[str, Any]) -> dict[str, Any]:
    n = signals["questions_before_first_component"]
    low, high = rules["questions_min"], rules["questions_max"]
    verdict = "met" if low <= n <= high else ("missed" if n == 0 else "partly")
    drew = signals["seconds_to_first_component"] is not None
    where = " Here is where you started drawing." if drew else ""
    text = f"You asked {_plural(n, 'clarifying question')} before your first box; the advice is {low}-{high}.{where}"
    moments = _seqs(signals["evidence"]["questions_before_first_component"])
    return _line("ask_first", verdict, n, text, moments, {"questions_before_first_component": n})


def _start_simple(signals: Mapping[str, Any], rules: Mapping[str, Any]) -> dict[str, Any]:
    premature = int(signals["complexity"]["premature"])
    curve = signals["complexity"]["curve"]
    drawn = max((point["components"] for point in curve), default=0)
    limit = rules["premature_parts"]
    verdict = "missed" if not drawn or premature >= limit else ("partly" if premature else "met")
    if not drawn:
        text = "You drew no components."
    elif premature:
        parts = _plural(premature, "scale-out part")
        text = f"You added {parts} (cache, queue, CDN, balancer or replicas) before anything asked for scale."
    else:
        text = "You started simple: every scale-out part came after a requirement or a card asked for it."
    moments = _seqs(signals["evidence"]["complexity.premature"])
    return _line("start_simple", verdict, premature, text, moments, {"complexity.premature": premature})


PROTECTED = (  # (what, of how many, handled, noun): what the design itself does about failure
    (
        "external call",
        "beyond_happy_path.external_calls",
        "beyond_happy_path.external_calls_with_timeout",
        "a timeout",
    ),
    ("queue", "beyond_happy_path.queues", "beyond_happy_path.queues_with_dead_letter", "a dead letter"),
    ("data store", "beyond_happy_path.data_stores", "beyond_happy_path.data_stores_protected", "a replica or backup"),
)


def _value(signals: Mapping[str, Any], name: str) -> Any:
    group, _, key = name.partition(".")
    return signals[group][key]


def _failure_modes(signals: Mapping[str, Any]) -> dict[str, Any]:
    unprompted, prompted = signals["failure_modes"]["unprompted"], signals["failure_modes"]["prompted"]
    measures: dict[str, Any] = {"failure_modes.unprompted": unprompted, "failure_modes.prompted": prompted}
    handled = gaps = 0
    said = []
    links = list(signals["evidence"]["failure_modes.unprompted"])
    for what, total_name, done_name, noun in PROTECTED:
        total, done = int(_value(signals, total_name)), int(_value(signals, done_name))
        measures[total_name], measures[done_name] = total, done
        handled, gaps = handled + done, gaps + total - done
        links += signals["evidence"][done_name]
        if total:
            said.append(f"{done} of {_plural(total, what)} with {noun}")
    arcs, recovered = len(signals["recovery"]["arcs"]), int(signals["recovery"]["recovered"])
    measures["recovery.recovered"] = recovered
    raised = unprompted or handled
    met = raised and unprompted >= prompted and not gaps
    verdict = "met" if met else ("partly" if raised else "missed")
    text = f"You raised {_plural(unprompted, 'failure mode')} unprompted; {prompted} more only when asked."
    if said:
        text += f" Your design has {'; '.join(said)}."
    if arcs:
        text += f" You changed the design after {recovered} of {_plural(arcs, 'challenge')}."
    return _line("failure_modes", verdict, unprompted, text, _seqs(links), measures)


def _trade_offs(signals: Mapping[str, Any], open_trade_offs: int) -> dict[str, Any]:
    unprompted, prompted = signals["trade_offs"]["unprompted"], signals["trade_offs"]["prompted"]
    decisions = signals["decisions"]
    explained, chosen, unexplained = decisions["explained"], decisions["with_tech"], decisions["unexplained"]
    count = explained + unprompted
    done = count and not unexplained and not open_trade_offs
    verdict = "met" if done else ("partly" if count or prompted else "missed")
    chose = (
        f"A decision explains {explained} of your {_plural(chosen, 'technology choice')}"
        if chosen
        else "You named no technology on a box"
    )
    text = (
        f"{chose}; you wrote {_plural(unprompted, 'trade-off')} unprompted and {prompted} when asked; "
        f"{_plural(open_trade_offs, 'trade-off question')} left unanswered."
    )
    evidence = signals["evidence"]
    links = evidence["decisions.explained"] + evidence["trade_offs.unprompted"] + evidence["decisions.unexplained"]
    measures = {
        "decisions.explained": explained,
        "decisions.with_tech": chosen,
        "decisions.unexplained": unexplained,
        "trade_offs.unprompted": unprompted,
        "trade_offs.prompted": prompted,
    }
    return _line("trade_offs", verdict, count, text, _seqs(links), measures)


def _honest(batches: list[Mapping[str, Any]], roles: Mapping[str, str]) -> dict[str, Any]:
    seqs = [
        batch["seq"]
        for batch in batches
        if roles.get(batch["participant"]) == CANDIDATE
        for op in batch["ops"]
        if op["op"] == "requirement" and op["entry"]["kind"] in HONEST_KINDS
    ]
    verdict = "met" if seqs else "partly"
    entries = "ledger entry" if len(seqs) == 1 else "ledger entries"
    text = f"You marked {len(seqs)} {entries} as an assumption or something you do not know."
    return _line("honest", verdict, len(seqs), text, sorted(set(seqs)))


def _open_trade_offs(batches: list[Mapping[str, Any]], roles: Mapping[str, str]) -> int:
    asked: set[str] = set()
    answered: set[str] = set()
    for batch in batches:
        for op in batch["ops"]:
            if op["op"] == "annotate" and op["annotation"]["kind"] == "trade_off":
                if op["annotation"]["layer"] == "challenges":
                    asked.add(op["annotation"]["id"])
            elif op["op"] == "reply" and roles.get(batch["participant"]) == CANDIDATE:
                answered.add(op["annotation"])
    return len(asked - answered)


def feedback(
    signals: Mapping[str, Any],
    batches: Iterable[Mapping[str, Any]],
    roles: Mapping[str, str],
    comparison: Mapping[str, Any] | None,
    rules: Mapping[str, Any],
) -> dict[str, Any]:
    """The checklist, what the reference has that the board lacks, and the one thing to practise next."""
    batches = list(batches)
    thresholds = rules["checklist"]
    lines = [
        _ask_first(signals, thresholds),
        _start_simple(signals, thresholds),
        _failure_modes(signals),
        _trade_offs(signals, _open_trade_offs(batches, roles)),
        _honest(batches, roles),
    ]
    worst = min(lines, key=lambda line: ORDER[line["verdict"]])
    missing = [item["name"] for item in (comparison or {}).get("missing", []) if item["kind"] == "component"]
    return {
        "checklist": lines,
        "missing": missing,
        "shows": (comparison or {}).get("shows", ""),
        "next": {"id": worst["id"], "advice": worst["advice"], "text": PRACTISE[worst["id"]]},
    }
