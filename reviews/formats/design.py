"""The design document, as Markdown and as HTML for print. Pure.

They format what `reviews.export_queries.export_for` gathered for one reader,
so the private layer is in them only for those who may read it. Every piece
of text typed on the board is escaped for the format it lands in: Markdown
metacharacters and HTML in Markdown (`reviews.formats.report.md`), HTML entities in
HTML, XML in SVG, Mermaid entities in the Mermaid block. Nothing typed on the
board can become a link, a tag, a script or markup of its own.

Verdicts come from a review model that is not built yet: both builders take
`reviews`, a list of `{"reviewer", "verdict", "summary", "submitted_at"}`,
and render a "Verdicts" section whenever it is given (`None` leaves it out);
the exporters take it from the gathered data's `reviews`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from reviews.flows import described
from reviews.formats.mermaid import to_mermaid
from reviews.formats.report import KIND_LABELS, md
from reviews.formats.svg import diagram
from whiteboard.vocabulary import FAMILIARITY_INFO

Data = Mapping[str, Any]
Review = Mapping[str, Any]

MODE_NAMES = {"interview": "Interview", "review": "Design review"}
LAYER_NAMES = {"challenges": "", "notes": "note", "private": "private"}
OPEN = ("open", "reopened", "answered")


# --------------------------------------------------------------------------- what the documents say


def _components(data: Data) -> list[Mapping[str, Any]]:
    return [e for e in data["elements"] if e["kind"] == "component"]


def _arrows(data: Data) -> list[Mapping[str, Any]]:
    return [e for e in data["elements"] if e["kind"] == "arrow"]


def _notes(data: Data) -> list[Mapping[str, Any]]:
    return [e for e in data["elements"] if e["kind"] == "note"]


def _labels(data: Data) -> dict[str, str]:
    """What to call each component and arrow: its label, else its id."""
    return {e["id"]: e.get("label") or e["id"] for e in data["elements"] if e["kind"] != "note"}


def _flows(data: Data) -> list[dict[str, Any]]:
    """Each flow with its steps' component names and whether an arrow still joins each step to the one
    before (an arrow deleted after the flow was written leaves a gap the reader should see)."""
    by_id = {e["id"]: e for e in data["elements"]}
    return [described(flow, by_id) for flow in data.get("flows") or []]


def _name(data: Data, participant: str | None) -> str:
    person = data["participants"].get(participant or "")
    return person["name"] if person else "someone"


def _target(labels: Mapping[str, str], annotation: Mapping[str, Any]) -> str:
    target = annotation["target"]
    if target is None:
        return "the whole board"
    return labels.get(target, f"{target} (deleted)")


def _flags(annotation: Mapping[str, Any]) -> list[str]:
    flags = [annotation["status"]]
    if LAYER_NAMES.get(annotation["layer"]):
        flags.append(LAYER_NAMES[annotation["layer"]])
    return flags + [flag for flag in ("orphaned", "outdated") if annotation.get(flag)]


def _subtitle(component: Mapping[str, Any]) -> str:
    parts = [str(component["type"]).replace("_", " ")]
    if component.get("tech"):
        parts.append(component["tech"])
    if component.get("replicas", 1) > 1:
        parts.append(f"{component['replicas']} replicas")
    if component.get("dead_letter"):
        parts.append("dead letter queue")
    if component.get("backup"):
        parts.append("backed up")
    if component.get("familiarity"):
        parts.append(f"candidate: {FAMILIARITY_INFO[component['familiarity']]['label']}")
    return ", ".join(parts)


def _behaviour(arrow: Mapping[str, Any]) -> str:
    """How a call behaves when the callee is slow or failing: its timeout, retries, idempotence."""
    parts = []
    if arrow.get("timeout_ms"):
        parts.append(f"timeout {arrow['timeout_ms']} ms")
    if arrow.get("retries"):
        parts.append(f"{arrow['retries']} retr{'ies' if arrow['retries'] != 1 else 'y'}")
    if arrow.get("idempotent"):
        parts.append("idempotent")
    return ", ".join(parts)


def _decisions(data: Data) -> list[Mapping[str, Any]]:
    return list(data.get("decisions", []))


def _alternatives(decision: Mapping[str, Any]) -> str:
    return ", ".join(decision["alternatives"]) or "none named"


def _split_annotations(data: Data) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    annotations = data["annotations"]
    return [t for t in annotations if t["status"] in OPEN], [t for t in annotations if t["status"] == "resolved"]


def _counts(data: Data) -> str:
    parts = [(len(_components(data)), "component"), (len(_arrows(data)), "connection"), (len(_notes(data)), "note")]
    return ", ".join(f"{n} {word}{'s' * (n != 1)}" for n, word in parts) + "."


def export_markdown(data: Data) -> str:
    """The Markdown export: the design document, with the verdicts the data carries."""
    return design_markdown(data, reviews=data.get("reviews"))


def export_html(data: Data) -> str:
    """The HTML export: the printable design document, with the verdicts the data carries."""
    return design_html(data, reviews=data.get("reviews"))


# --------------------------------------------------------------------------- Markdown


def _md_lines(text: str) -> list[str]:
    return [md(line) for line in text.splitlines() if line.strip()]


def _md_annotation(data: Data, labels: Mapping[str, str], annotation: Mapping[str, Any]) -> list[str]:
    head = (
        f"- *{KIND_LABELS.get(annotation['kind'], annotation['kind'])}* on **{md(_target(labels, annotation))}**: "
        f"{md(annotation['text'])} ({', '.join(_flags(annotation))}; {md(_name(data, annotation['author']))})"
    )
    return [head] + [f"  - {md(_name(data, r['author']))}: {md(r['text'])}" for r in annotation["replies"]]


def _md_reviews(reviews: Sequence[Review]) -> list[str]:
    lines = ["## Verdicts", ""]
    if not reviews:
        return [*lines, "No verdicts yet.", ""]
    for review in reviews:
        verdict = md(str(review.get("verdict") or "no verdict").replace("_", " "))
        when = f" ({md(review['submitted_at'])})" if review.get("submitted_at") else ""
        summary = f": {md(review['summary'])}" if review.get("summary") else ""
        lines.append(f"- **{md(review.get('reviewer') or 'someone')}**, {verdict}{when}{summary}")
    return [*lines, ""]


def design_markdown(data: Data, *, reviews: Sequence[Review] | None = None) -> str:
    """The design document as Markdown.

    The diagram is a ```mermaid block (GitHub, GitLab and most editors draw
    it): Markdown cannot carry an SVG without raw HTML or a `data:` URL, which
    renderers strip and this export never writes. The SVG is its own export.
    """
    board = data["board"]
    labels = _labels(data)
    lines = [
        f"# {md(board['title'])}",
        "",
        f"*{MODE_NAMES.get(board['mode'], board['mode'])}, exported {data['exported_at']}*",
        "",
    ]
    prompt = [f"> {line}" for line in _md_lines(board["prompt"])] or ["No prompt."]
    lines += ["## Context", "", *prompt, ""]
    lines += ["## Diagram", "", "```mermaid", to_mermaid(data["elements"]).rstrip("\n"), "```", "", _counts(data), ""]
    lines += ["## Components", ""]
    for component in _components(data) or []:
        notes = f": {md(component['notes'])}" if component.get("notes") else ""
        lines.append(f"- **{md(labels[component['id']])}** ({md(_subtitle(component))}){notes}")
    if not _components(data):
        lines.append("No components.")
    lines += ["", "## Connections", ""]
    for arrow in _arrows(data):
        label = f": {md(arrow['label'])}" if arrow.get("label") else ""
        source, target = labels.get(arrow["source"], arrow["source"]), labels.get(arrow["target"], arrow["target"])
        how = ", ".join(filter(None, [arrow["style"], _behaviour(arrow)]))
        lines.append(f"- {md(source)} → {md(target)} ({how}){label}")
    if not _arrows(data):
        lines.append("No connections.")
    lines.append("")
    if _decisions(data):
        lines += ["## Decisions", ""]
        for decision in _decisions(data):
            on = labels.get(decision["target"], f"{decision['target']} (deleted)")
            lines.append(
                f"- **{md(on)}**: {md(decision['choice'])}, not {md(_alternatives(decision))} "
                f"({md(_name(data, decision['author']))})"
            )
            for title, name in (("Cost", "cost"), ("Why", "why"), ("Revisit when", "revisit_when")):
                if decision.get(name):
                    lines.append(f"  - {title}: {md(decision[name])}")
        lines.append("")
    if _notes(data):
        lines += ["## Notes on the canvas", "", *[f"- {md(note['text'])}" for note in _notes(data) if note["text"]], ""]
    if data["requirements"]:
        lines += ["## Requirements", ""]
        for entry in data["requirements"]:
            lines.append(f"- **{entry['kind'].title()}** ({md(_name(data, entry['author']))}): {md(entry['text'])}")
            if entry.get("answer"):
                answer = entry["answer"]
                lines.append(f"  - Answer ({md(_name(data, answer['author']))}): {md(answer['text'])}")
        lines.append("")
    if _flows(data):
        lines += ["## Flows", ""]
        for flow in _flows(data):
            lines += [f"### {md(flow['title'])}", ""]
            for n, step in enumerate(flow["steps"], start=1):
                gap = "" if step["joined"] else " *(no arrow from the step before any more)*"
                lines.append(f"{n}. **{md(step['name'])}**: {md(step['text'])}{gap}")
            lines.append("")
    if data.get("scenarios"):
        lines += ["## Scenario cards", ""]
        for card in data["scenarios"]:
            title = f"**{md(card['title'])}**: " if card.get("title") else ""
            lines.append(f"- {title}{md(card['text'])} ({md(_name(data, card['author']))}, seq {card['seq']})")
        lines.append("")
    open_annotations, resolved = _split_annotations(data)
    for title, listed in (("Open threads", open_annotations), ("Resolved threads", resolved)):
        lines += [f"## {title}", ""]
        for annotation in listed:
            lines += _md_annotation(data, labels, annotation)
        lines += ([] if listed else ["None."]) + [""]
    if reviews is not None:
        lines += _md_reviews(reviews)
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- HTML


def h(value: Any) -> str:
    return escape(str(value), quote=True)


def _h_text(text: str) -> str:
    """Text with its line breaks kept."""
    return "<br>".join(h(line) for line in text.split("\n"))


_STYLE = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;margin:0;background:#fff}
main{max-width:960px;margin:0 auto;padding:32px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0}
.meta,.muted{color:#64748b}blockquote{margin:0;padding:8px 16px;border-left:3px solid #cbd5e1;background:#f8fafc}
figure{margin:0;overflow:auto;border:1px solid #e2e8f0}figure svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
.thread{margin:8px 0;padding:8px 12px;border:1px solid #e2e8f0;border-radius:6px;break-inside:avoid}
.flags{color:#64748b;font-size:12px}.reply{margin:4px 0 0 16px}
@media print{main{padding:0}h2{break-after:avoid}figure{border:0}}
"""


def _h_table(head: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> str:
    body = "".join(f"<tr>{''.join(f'<td>{cell}</td>' for cell in row)}</tr>" for row in rows)
    if not body:
        return f'<p class="muted">{h(empty)}</p>'
    return f"<table><thead><tr>{''.join(f'<th>{h(c)}</th>' for c in head)}</tr></thead><tbody>{body}</tbody></table>"


def _h_annotation(data: Data, labels: Mapping[str, str], annotation: Mapping[str, Any]) -> str:
    kind = KIND_LABELS.get(annotation["kind"], annotation["kind"])
    replies = "".join(
        f'<div class="reply"><strong>{h(_name(data, r["author"]))}</strong>: {_h_text(r["text"])}</div>'
        for r in annotation["replies"]
    )
    return (
        f'<div class="thread"><div><em>{h(kind)}</em> on <strong>{h(_target(labels, annotation))}</strong>'
        f' <span class="flags">({h(", ".join(_flags(annotation)))};'
        f" {h(_name(data, annotation['author']))})</span></div>"
        f"<div>{_h_text(annotation['text'])}</div>{replies}</div>"
    )


def _section(title: str, body: str) -> str:
    return f"<section><h2>{h(title)}</h2>{body}</section>"


def design_html(data: Data, *, reviews: Sequence[Review] | None = None) -> str:
    """The design document as a standalone, printable HTML page with the diagram inline."""
    board = data["board"]
    labels = _labels(data)
    parts = [
        f"<h1>{h(board['title'])}</h1>",
        f'<p class="meta">{h(MODE_NAMES.get(board["mode"], board["mode"]))}, exported {h(data["exported_at"])}</p>',
        _section(
            "Context",
            f"<blockquote>{_h_text(board['prompt'])}</blockquote>" if board["prompt"].strip() else "<p>No prompt.</p>",
        ),
        _section("Diagram", f'<figure>{diagram(data)}</figure><p class="muted">{h(_counts(data))}</p>'),
        _section(
            "Components",
            _h_table(
                ["Component", "Type", "Notes"],
                ([h(labels[c["id"]]), h(_subtitle(c)), _h_text(c.get("notes") or "")] for c in _components(data)),
                "No components.",
            ),
        ),
        _section(
            "Connections",
            _h_table(
                ["From", "To", "Style", "Label", "When it fails"],
                (
                    [
                        h(labels.get(a["source"], a["source"])),
                        h(labels.get(a["target"], a["target"])),
                        h(a["style"]),
                        h(a.get("label") or ""),
                        h(_behaviour(a)),
                    ]
                    for a in _arrows(data)
                ),
                "No connections.",
            ),
        ),
    ]
    if _decisions(data):
        rows = [
            [
                h(labels.get(d["target"], f"{d['target']} (deleted)")),
                h(d["choice"]),
                h(_alternatives(d)),
                _h_text(d["cost"]),
                _h_text(d["why"]),
                _h_text(d["revisit_when"]),
            ]
            for d in _decisions(data)
        ]
        head = ["Component", "Choice", "Not", "Cost", "Why", "Revisit when"]
        parts.append(_section("Decisions", _h_table(head, rows, "")))
    if _notes(data):
        items = "".join(f"<li>{_h_text(n['text'])}</li>" for n in _notes(data) if n["text"])
        parts.append(_section("Notes on the canvas", f"<ul>{items}</ul>"))
    if data["requirements"]:
        rows = []
        for entry in data["requirements"]:
            answer = entry.get("answer")
            answered = f"{_h_text(answer['text'])} ({h(_name(data, answer['author']))})" if answer else ""
            rows.append(
                [h(entry["kind"].title()), f"{_h_text(entry['text'])} ({h(_name(data, entry['author']))})", answered]
            )
        parts.append(_section("Requirements", _h_table(["Kind", "Entry", "Answer"], rows, "")))
    if _flows(data):
        body = ""
        for flow in _flows(data):
            items = "".join(
                f"<li><strong>{h(step['name'])}</strong>: {_h_text(step['text'])}"
                + ("" if step["joined"] else ' <em class="muted">(no arrow from the step before any more)</em>')
                + "</li>"
                for step in flow["steps"]
            )
            body += f"<h3>{h(flow['title'])}</h3><ol>{items}</ol>"
        parts.append(_section("Flows", body))
    if data.get("scenarios"):
        rows = [
            [h(card.get("title") or ""), _h_text(card["text"]), f"{h(_name(data, card['author']))}, seq {card['seq']}"]
            for card in data["scenarios"]
        ]
        parts.append(_section("Scenario cards", _h_table(["Card", "Text", "Played by"], rows, "")))
    open_annotations, resolved = _split_annotations(data)
    for title, listed in (("Open threads", open_annotations), ("Resolved threads", resolved)):
        body = "".join(_h_annotation(data, labels, t) for t in listed) or '<p class="muted">None.</p>'
        parts.append(_section(title, body))
    if reviews is not None:
        parts.append(_section("Verdicts", _h_reviews(reviews)))
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{h(board['title'])}</title><style>{_STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def _h_reviews(reviews: Sequence[Review]) -> str:
    rows = (
        [
            h(review.get("reviewer") or ""),
            h(str(review.get("verdict") or "").replace("_", " ")),
            _h_text(str(review.get("summary") or "")),
            h(review.get("submitted_at") or ""),
        ]
        for review in reviews
    )
    return _h_table(["Reviewer", "Verdict", "Summary", "Submitted"], rows, "No verdicts yet.")
