"""The report's thinking sections: decisions, the unhappy path, the complexity curve with the cards
marked, recovery arcs, familiarity, unknowns, hindsight and how plainly it was explained. Pure: it
shapes what the report query gathered.

`view(report)` gives the HTML template plain rows (Django escapes every text);
`markdown(report)` the same rows as Markdown, escaped like the rest of the report;
`curve_svg` draws the complexity curve as an inline SVG, every text escaped, in
`currentColor` so it reads in the light and the dark theme alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from reviews.formats.report import md

WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 210, 40, 34


def _label(elements: Mapping[str, Mapping[str, Any]], element_id: str) -> str:
    element = elements.get(element_id)
    return (element.get("label") or element_id) if element else f"{element_id} (deleted)"


def curve_svg(points: Sequence[Mapping[str, Any]], cards: Sequence[Mapping[str, Any]]) -> str:
    """Components (solid) and arrows (dashed) per minute, a vertical mark at each card; '' with no points."""
    if not points:
        return ""
    last = float(max(points[-1]["minute"], max((c["minute"] for c in cards), default=0), 1))
    top = int(max(max(max(p["components"], p["arrows"]) for p in points), 1))

    def x(minute: float) -> float:
        return round(PAD_X + (WIDTH - 2 * PAD_X) * minute / last, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD_Y - (HEIGHT - 2 * PAD_Y) * value / top, 1)

    def line(key: str) -> str:
        return " ".join(f"{x(p['minute'])},{y(p[key])}" for p in points)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="curve-title" class="bs-report-curve" data-testid="report-curve">',
        '<title id="curve-title">Components and arrows on the board, minute by minute, with the scenario cards</title>',
        f'<g fill="none" stroke="currentColor" stroke-opacity="0.35"><path d="M{PAD_X},{PAD_Y} V{HEIGHT - PAD_Y} '
        f'H{WIDTH - PAD_X}"/></g>',
        f'<g font-size="11" fill="currentColor"><text x="{PAD_X - 6}" y="{y(top) + 4}" text-anchor="end">{top}</text>'
        f'<text x="{PAD_X - 6}" y="{y(0) + 4}" text-anchor="end">0</text>'
        f'<text x="{x(last)}" y="{HEIGHT - 6}" text-anchor="end">{last:g} min</text></g>',
    ]
    for i, card in enumerate(cards):
        cx = x(card["minute"])
        ty = PAD_Y - 8 - 10 * (i % 2)  # neighbouring cards' titles on two rows
        title = escape(card.get("title") or card["id"])
        parts.append(
            f'<g class="bs-report-curve__card" data-testid="report-curve-card" data-seq="{int(card["seq"])}">'
            f'<line x1="{cx}" x2="{cx}" y1="{PAD_Y}" y2="{HEIGHT - PAD_Y}" stroke="#d97706" stroke-width="2" '
            f'stroke-dasharray="2 3"/><text x="{cx + 4}" y="{ty}" font-size="11" fill="#b45309">{title}</text>'
            f"<title>Card at minute {card['minute']}: {title}</title></g>"
        )
    parts += [
        f'<polyline points="{line("components")}" fill="none" stroke="#2563eb" stroke-width="2"/>',
        f'<polyline points="{line("arrows")}" fill="none" stroke="#059669" stroke-width="2" stroke-dasharray="6 4"/>',
        "</svg>",
    ]
    return "".join(parts)


def _by(report: Mapping[str, Any], participant: str) -> str:
    person = report["participants"].get(participant)
    return person["name"] if person else "someone"


def view(report: Mapping[str, Any]) -> dict[str, Any]:
    """Rows for the report's thinking sections."""
    signals = report["signals"]
    elements = {e["id"]: e for e in report["elements"]}
    complexity = signals["complexity"]
    cards = {card["id"]: card for card in report["scenarios"]}
    decisions = [
        {**d, "component": d["on"], "alternatives": ", ".join(d["alternatives"]), "by": _by(report, d["author"])}
        for d in report["decisions"]
    ]
    unexplained = [_label(elements, link["id"]) for link in signals["evidence"]["decisions.unexplained"]]
    adaptation = [
        {**row, "title": cards.get(row["card"], {}).get("title") or cards.get(row["card"], {}).get("text", row["card"])}
        for row in complexity["adaptation"]
    ]
    premature = [_label(elements, link["id"]) for link in signals["evidence"]["complexity.premature"]]
    arcs = [
        {**arc, "label": _label(elements, arc["target"]) if arc["target"] else "The whole board"}
        for arc in signals["recovery"]["arcs"]
    ]
    familiarity = [{"component": mark["on"], "familiarity": mark["says"]} for mark in report["familiarity"]]
    ledger = report["requirements"]
    return {
        "decisions": decisions,
        "unexplained": unexplained,
        "happy": signals["beyond_happy_path"],
        "curve": curve_svg(complexity["curve"], complexity["cards"]),
        "premature": premature,
        "adaptation": adaptation,
        "arcs": arcs,
        "familiarity": familiarity,
        "unknowns": [entry for entry in ledger if entry["kind"] == "unknown"],
        "hindsight": [entry for entry in ledger if entry["kind"] == "hindsight"],
        "communication": signals["communication"],
    }


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{round(value)} s"


def markdown(report: Mapping[str, Any]) -> list[str]:
    """The thinking sections as Markdown lines."""
    rows = view(report)
    lines = ["## Decisions", ""]
    for d in rows["decisions"]:
        instead = f", not {md(d['alternatives'])}" if d["alternatives"] else ""
        lines.append(f"- **{md(d['component'])}**: {md(d['choice'])}{instead} ({md(d['by'])}, seq {d['seq']})")
        for title, name in (("Why", "why"), ("Cost", "cost"), ("Revisit when", "revisit_when")):
            if d.get(name):
                lines.append(f"  - {title}: {md(d[name])}")
    if not rows["decisions"]:
        lines.append("No decisions recorded.")
    if rows["unexplained"]:
        lines.append(f"- Technology with no decision: {', '.join(md(name) for name in rows['unexplained'])}")
    happy = rows["happy"]
    lines += [
        "",
        "## Beyond the happy path",
        "",
        f"- Calls to external services with a timeout: {happy['external_calls_with_timeout']} "
        f"of {happy['external_calls']}",
        f"- Queues with a dead letter: {happy['queues_with_dead_letter']} of {happy['queues']}",
        f"- Data stores replicated or backed up: {happy['data_stores_protected']} of {happy['data_stores']}",
        f"- Monitoring: {'yes' if happy['monitored'] else 'no'}",
        f"- Failure modes noted unprompted: {happy['error_handling']}",
        "",
        "## Complexity over time",
        "",
    ]
    points = report["signals"]["complexity"]["curve"]
    if points:
        lines.append(
            "- Minute: components/arrows "
            + ", ".join(f"{p['minute']}: {p['components']}/{p['arrows']}" for p in points)
        )
    lines.append(f"- Scale-out parts before any scale answer: {', '.join(md(n) for n in rows['premature']) or 'none'}")
    for row in rows["adaptation"]:
        lines.append(f"- Card {md(row['title'])} (seq {row['seq']}): {row['changes']} changes in the next ten minutes")
    lines += ["", "## Recovery", ""]
    for arc in rows["arcs"]:
        steps = [f"raised seq {arc['raised_seq']}"]
        steps.append(
            f"answered seq {arc['reply_seq']} (+{_seconds(arc['seconds']['to_reply'])})"
            if arc["reply_seq"]
            else "never answered"
        )
        if arc["change_seq"]:
            steps.append(
                f"changed seq {arc['change_seq']} (+{_seconds(arc['seconds']['to_change'])}): {md(arc['diff'])}"
            )
        elif arc["reply_seq"]:
            steps.append("design unchanged")
        if arc["resolved_seq"]:
            steps.append(f"resolved seq {arc['resolved_seq']} (+{_seconds(arc['seconds']['to_resolve'])})")
        lines.append(f"- {md(arc['label'])}: {' → '.join(steps)}")
    if not rows["arcs"]:
        lines.append("No challenges.")
    lines += ["", "## Familiarity and unknowns", ""]
    lines += [f"- {md(row['component'])}: the candidate {md(row['familiarity'])}" for row in rows["familiarity"]]
    lines += [f"- Unknown (seq {e['seq']}): {md(e['text'])}" for e in rows["unknowns"]]
    if not rows["familiarity"] and not rows["unknowns"]:
        lines.append("Nothing marked.")
    lines += ["", "## Hindsight", ""]
    lines += [f"- {md(e['text'])} (seq {e['seq']})" for e in rows["hindsight"]] or ["No hindsight entry."]
    lines.append("")
    talk = rows["communication"]
    readability = talk["readability"]
    ease = "-" if readability is None else f"{readability['flesch_reading_ease']} (grade {readability['grade']})"
    share = "-" if talk["jargon_share"] is None else f"{round(talk['jargon_share'] * 100)}%"
    lines += [
        "## Explaining it plainly",
        "",
        f"- Reading ease of the candidate's flows and answers: {ease}",
        f"- Jargon: {share}{': ' + ', '.join(md(w) for w in talk['jargon']) if talk['jargon'] else ''}",
        f"- Unlabelled components and arrows: {talk['labels_missing']}",
        "",
    ]
    return lines
