"""A practice session's feedback: the essay's advice as a checklist, each line judged from the signals. Pure.

`feedback(signals, batches, roles, comparison, rules)` takes the signals
(`reviews.interview_signals.compute`, with their evidence, plus any newer
signal present), the public log (for the one measure the signals lack: how
many boxes were drawn before the first challenge or card), the comparison
with the question's reference (`reviews.questions.compare`, or None) and the
coach's rules (`checklist` thresholds). Each line's `count` is the signal's
own value, and its `moments` are the signal's evidence seqs, so the page can
link each to the replay (`?seq=`).

Lines (ids are the vocabulary's `practice.checklist`):

- `ask_first`: `questions_before_first_component`; met within
  `questions_min`..`questions_max`, partly with fewer (but some) or more,
  missed with none.
- `start_simple`: the `complexity.premature` signal when present; else the
  candidate's components before the coach's first challenge or card, met
  up to `premature_components`.
- `failure_modes`: `failure_modes.unprompted` against `failure_modes.prompted`;
  met when unprompted ones are at least as many, partly with some, missed with none.
- `trade_offs`: `trade_offs.unprompted` plus the `decisions` signal's count
  when present; met with any and no unanswered trade-off challenge left,
  partly with answers only when asked, missed with neither.
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
COACH = "coach"
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


def _line(line_id: str, verdict: str, count: Any, text: str, moments: list[int]) -> dict[str, Any]:
    return {
        "id": line_id,
        "advice": CHECKLIST[line_id],
        "verdict": verdict,
        "count": count,
        "text": text,
        "moments": moments,
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
    return _line("ask_first", verdict, n, text, _seqs(signals["evidence"]["questions_before_first_component"]))


def _asks(op: Mapping[str, Any]) -> bool:
    """A challenge or a scenario card: the moment complexity is asked for."""
    if op["op"] == "annotate":
        return bool(op["annotation"]["layer"] == "challenges")
    return bool(op["op"] == "scenario")


def _start_simple(
    signals: Mapping[str, Any], batches: list[Mapping[str, Any]], roles: Mapping[str, str], rules: Mapping[str, Any]
) -> dict[str, Any]:
    complexity = signals.get("complexity")
    if isinstance(complexity, Mapping) and "premature" in complexity:
        premature = bool(complexity["premature"])
        links = signals["evidence"].get("complexity.premature", [])
        text = "You added complexity before it was asked for." if premature else "You started simple."
        return _line("start_simple", "partly" if premature else "met", premature, text, _seqs(links))
    drawn: list[int] = []
    for batch in batches:
        if roles.get(batch["participant"]) == COACH and any(_asks(op) for op in batch["ops"]):
            break
        if roles.get(batch["participant"]) == CANDIDATE:
            drawn += [batch["seq"] for op in batch["ops"] if op["op"] == "add" and op["element"]["kind"] == "component"]
    limit = rules["premature_components"]
    verdict = "met" if 0 < len(drawn) <= limit else ("missed" if not drawn else "partly")
    text = (
        f"You drew {_plural(len(drawn), 'component')} before the first challenge or card; {limit} or fewer is simple."
    )
    return _line("start_simple", verdict, len(drawn), text, sorted(set(drawn)))


def _failure_modes(signals: Mapping[str, Any]) -> dict[str, Any]:
    unprompted, prompted = signals["failure_modes"]["unprompted"], signals["failure_modes"]["prompted"]
    verdict = "met" if unprompted and unprompted >= prompted else ("partly" if unprompted else "missed")
    text = f"You raised {_plural(unprompted, 'failure mode')} unprompted; {prompted} more only when asked."
    return _line("failure_modes", verdict, unprompted, text, _seqs(signals["evidence"]["failure_modes.unprompted"]))


def _trade_offs(signals: Mapping[str, Any], open_trade_offs: int) -> dict[str, Any]:
    unprompted, prompted = signals["trade_offs"]["unprompted"], signals["trade_offs"]["prompted"]
    decisions = signals.get("decisions")
    decided = int(decisions.get("count", 0)) if isinstance(decisions, Mapping) else 0
    explained = unprompted + decided
    verdict = "met" if explained and not open_trade_offs else ("partly" if explained or prompted else "missed")
    text = (
        f"You explained {_plural(explained, 'trade-off')} unprompted and {prompted} when asked; "
        f"{_plural(open_trade_offs, 'trade-off question')} left unanswered."
    )
    links = signals["evidence"]["trade_offs.unprompted"] + signals["evidence"].get("decisions.count", [])
    return _line("trade_offs", verdict, explained, text, _seqs(links))


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
        _start_simple(signals, batches, roles, thresholds),
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
