"""The interview report as Markdown. Pure: it formats data the report query gathered.

Interviewers paste this into hiring-committee notes, so everything typed on
the board is escaped: a label like `[x](javascript:…)` or `<img onerror>` is
shown as text, never as a link or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

KIND_LABELS = {
    "failure_mode": "failure mode?",
    "trade_off": "trade-off?",
    "scaling": "scaling?",
    "clarify": "clarify?",
    "security": "security?",
    "comment": "comment",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: Any) -> str:
    """Inline-safe Markdown: metacharacters escaped, HTML neutralised, on one line."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def readable_time(value: str | None) -> str:
    """An ISO time as people read it: '4 Dec 2026, 18:50 UTC'; '' for none."""
    if not value:
        return ""
    moment = _parse(value)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def offset(value: str | None, start: str | None) -> str:
    """How far into the session a time is: '12 min in', 'at the start'."""
    if not value or not start:
        return ""
    minutes = round((_parse(value) - _parse(start)).total_seconds() / 60)
    return "at the start" if minutes <= 0 else f"{minutes} min in"


def _phase_time(session: Mapping[str, Any], phase: Mapping[str, Any]) -> str:
    return f"{readable_time(phase['at'])}, {offset(phase['at'], session.get('started_at'))}"


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min"


def _name(report: Mapping[str, Any], participant: str | None) -> str:
    person = report["participants"].get(participant or "")
    return md(person["name"]) if person else "someone"


def _session(report: Mapping[str, Any]) -> list[str]:
    session = report["session"]
    lines = ["## Session", ""]
    if session["status"] == "idle":
        return [*lines, "The session was never started.", ""]
    lines.append(
        f"- Status: {session['status']}, {session['minutes']} minutes planned, {_minutes(report['used'])} used"
    )
    if session.get("started_at"):
        lines.append(f"- Started {readable_time(session['started_at'])}")
    phases = session["phases"]
    lines += [f"- {md(p['phase'].replace('_', ' '))} from {_phase_time(session, p)} (seq {p['seq']})" for p in phases]
    return [*lines, ""]


def _ledger(report: Mapping[str, Any]) -> list[str]:
    lines = ["## Requirements ledger", ""]
    if not report["requirements"]:
        return [*lines, "No questions, assumptions or constraints were recorded.", ""]
    for entry in report["requirements"]:
        lines.append(
            f"- **{entry['kind'].title()}** ({_name(report, entry['author'])}, seq {entry['seq']}): {md(entry['text'])}"
        )
        if entry["answer"]:
            answer = entry["answer"]
            lines.append(f"  - Answer ({_name(report, answer['author'])}, seq {answer['seq']}): {md(answer['text'])}")
    return [*lines, ""]


def _diagram(report: Mapping[str, Any]) -> list[str]:
    elements = report["elements"]
    components = [e for e in elements if e["kind"] == "component"]
    arrows = [e for e in elements if e["kind"] == "arrow"]
    labels = {e["id"]: e.get("label") or e["id"] for e in components}
    lines = ["## Final diagram", "", f"{len(components)} components, {len(arrows)} arrows.", ""]
    for component in components:
        tech = f", {md(component['tech'])}" if component.get("tech") else ""
        lines.append(f"- {md(labels[component['id']])} ({md(component['type'])}{tech}, x{component['replicas']})")
    for arrow in arrows:
        label = f": {md(arrow['label'])}" if arrow.get("label") else ""
        source, target = labels.get(arrow["source"], arrow["source"]), labels.get(arrow["target"], arrow["target"])
        lines.append(f"- {md(source)} → {md(target)} ({arrow['style']}){label}")
    return [*lines, ""]


def _thread(report: Mapping[str, Any], annotation: Mapping[str, Any]) -> list[str]:
    flags = [annotation["status"]]
    flags += [flag for flag in ("orphaned", "outdated") if annotation.get(flag)]
    layer = "" if annotation["layer"] == "challenges" else f" [{annotation['layer']}]"
    head = f"- *{KIND_LABELS[annotation['kind']]}*{layer} {md(annotation['text'])} ({', '.join(flags)}; "
    lines = [head + f"{_name(report, annotation['author'])}, seq {annotation['raised_seq']})"]
    for reply in annotation["replies"]:
        lines.append(f"  - {_name(report, reply['author'])} (seq {reply['seq']}): {md(reply['text'])}")
    return lines


def _threads(report: Mapping[str, Any]) -> list[str]:
    lines = ["## Challenges and answers by component", ""]
    if not report["threads"]:
        return [*lines, "No annotations.", ""]
    for group in report["threads"]:
        lines += [f"### {md(group['label'])}", ""]
        for annotation in group["annotations"]:
            lines += _thread(report, annotation)
        lines.append("")
    return lines


def _signals(report: Mapping[str, Any]) -> list[str]:
    signals = report["signals"]
    challenges = signals["challenges"]
    lines = [
        "## Signals",
        "",
        f"- Clarifying questions before the first component: {signals['questions_before_first_component']}",
        f"- Failure modes: {signals['failure_modes']['unprompted']} unprompted, "
        f"{signals['failure_modes']['prompted']} prompted",
        f"- Trade-offs: {signals['trade_offs']['unprompted']} unprompted, {signals['trade_offs']['prompted']} prompted",
        f"- Challenges: {challenges['raised']} raised, {challenges['answered']} answered, {challenges['open']} open",
    ]
    story = signals.get("walkthrough")
    if story:
        credit = story["credit"]

        def share(name: str) -> str:
            return "-" if credit[name] is None else f"{round(credit[name] * 100)}%"

        lines += [
            f"- Constraints named: {story['constraints']}; technologies named: {story['technologies']}",
            f"- Decisions: {story['decisions']}, {story['decisions_with_reasons']} with reasons",
            f"- Outcomes: {story['outcomes']}; hindsight: {'yes' if story['hindsight'] else 'no'}",
            f"- Credit ({credit['components']} components): me {share('me')}, team {share('team')}, "
            f"others {share('others')}, not said {share('uncredited')}",
        ]
    return [*lines, ""]


def _comparison(report: Mapping[str, Any]) -> list[str]:
    comparison = report.get("comparison")
    if not comparison:
        return []
    lines = ["## Compared with the reference design", ""]
    if comparison["shows"]:
        lines += [f"The reference shows: {md(comparison['shows'])}", ""]
    matched = ", ".join(f"{md(m['candidate_name'])} (as {md(m['reference_name'])})" for m in comparison["matched"])
    lines.append(f"- In both: {matched or 'nothing'}")
    missing = ", ".join(md(item["name"]) for item in comparison["missing"] if item["kind"] == "component")
    lines.append(f"- Only in the reference: {missing or 'nothing'}")
    extra = ", ".join(md(item["name"]) for item in comparison["extra"] if item["kind"] == "component")
    lines.append(f"- Only in the candidate's design: {extra or 'nothing'}")
    wiring = sum(1 for item in comparison["missing"] if item["kind"] == "arrow")
    lines.append(f"- Connections in the reference the candidate did not draw: {wiring}")
    return [*lines, ""]


def _scorecards(report: Mapping[str, Any]) -> list[str]:
    lines = ["## Scorecards", ""]
    cards = report["scorecards"]
    if not cards:
        return [*lines, "No scorecards submitted (others' cards show once you have submitted yours).", ""]
    for card in cards:
        lines += [f"### {md(card['author_name'])}: {card['hire'].replace('_', ' ') or 'no decision'}", ""]
        for name, dimension in card["dimensions"].items():
            label = report["rubric"][name]["label"]
            notes = f": {md(dimension['notes'])}" if dimension.get("notes") else ""
            lines.append(f"- {label}: {dimension.get('rating') or '-'}/4{notes}")
        if card["notes"]:
            lines.append(f"- Notes: {md(card['notes'])}")
        lines.append("")
    return lines


def _flows(report: Mapping[str, Any]) -> list[str]:
    """Each flow, its steps numbered: how the candidate explains the design in plain words."""
    if not report.get("flows"):
        return []
    lines = ["## Flows", ""]
    for flow in report["flows"]:
        lines += [f"### {md(flow['title'])}", ""]
        for n, step in enumerate(flow["steps"], start=1):
            gap = "" if step["joined"] else " *(no arrow from the step before any more)*"
            lines.append(f"{n}. **{md(step['name'])}**: {md(step['text'])}{gap}")
        lines.append("")
    return lines


def to_markdown(report: Mapping[str, Any]) -> str:
    board = report["board"]
    prompt = [f"> {md(line)}" for line in board["prompt"].splitlines() if line.strip()] or ["> (no prompt)"]
    lines = [f"# Interview report: {md(board['title'])}", "", *prompt, ""]
    from reviews.formats import thinking  # it formats with `md` from here

    for section in (
        _session,
        _ledger,
        _diagram,
        _flows,
        _comparison,
        _threads,
        _signals,
        thinking.markdown,
        _scorecards,
    ):
        lines += section(report)
    return "\n".join(lines).rstrip() + "\n"
