"""The BothSides board file (JSON): export, import, and how its annotations are replayed. Pure.

The one server-side definition of the file: what `export` writes is what
`load` reads. The file is the browser's export (`frontend/src/canvas/exporter.ts`:
`format`, `version`, `board`, `elements` with arrows last) plus what only the
server knows: `annotations` (the protocol's annotation objects, only those
the exporter may see), `participants` (the people who wrote them) and `flows`
(`{id, title, steps}`, replayed as the importer's `flow` ops, checked like any). A file
without them, as the browser writes it, imports as before; a `versions` key
is accepted and left out for now.

`scenarios` lists the scenario cards played (`id`, `title`, `text`, in playing
order); on import they are played again, by the importer, after the annotations.

On import the annotations are replayed as ordinary ops, so the log folds to the
stored rows as always. Each exported author gets a stand-in participant with
their name and role (the owner's part goes to the importer), whose replies
then set `answered` by the usual rule; `resolved` and `reopened` are set by
the importer. What cannot be reproduced is reported, never invented.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reviews import annotations, decisions, flows, scenario
from reviews.formats.imported import Imported
from whiteboard import ops, strict_json
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.vocabulary import MODES, ROLES

Op = dict[str, Any]
Problem = dict[str, Any]

FORMAT = "bothsides"
VERSION = 1
MAX_ANNOTATIONS = 5000
MAX_REPLIES = 1000
OWNER = "owner"  # the importer, who takes the exported owner's part
ANNOTATION_FIELDS = ("id", "layer", "target", "kind", "text")
DERIVED = ("orphaned", "outdated")
IMPORTER = None  # the author key of steps the importer (the new board's owner) takes
DECISION_FIELDS = ("id", "target", "choice", "alternatives", *decisions.TEXTS)  # what a file keeps of one
IMPORTER_NOTE = "What the exported board's owner (or an unknown author) wrote is now attributed to you."


def ordered_elements(elements: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Components and notes first, then arrows (which need them), as the browser's export orders them."""
    rows = [dict(e) for e in elements]
    return [e for e in rows if e["kind"] != "arrow"] + [e for e in rows if e["kind"] == "arrow"]


def board_document(data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON export of what `reviews.export_queries.export_for` gathered for one reader."""
    board = data["board"]
    annotations = [{k: v for k, v in annotation.items() if k not in DERIVED} for annotation in data["annotations"]]
    authors: list[str] = []
    for annotation in annotations:
        for author in (annotation["author"], *(reply["author"] for reply in annotation["replies"])):
            if author not in authors:
                authors.append(author)
    people = data["participants"]
    return {
        "format": FORMAT,
        "version": VERSION,
        "board": {"title": board["title"], "prompt": board["prompt"], "mode": board["mode"]},
        "elements": ordered_elements(data["elements"]),
        "annotations": annotations,
        "flows": [{"id": f["id"], "title": f["title"], "steps": f["steps"]} for f in data.get("flows") or []],
        "participants": [
            {"id": author, "name": people[author]["name"], "role": people[author]["role"]}
            for author in authors
            if author in people
        ],
        "scenarios": [{"id": c["id"], "title": c["title"], "text": c["text"]} for c in data.get("scenarios", [])],
        "decisions": [{name: record[name] for name in DECISION_FIELDS} for record in data.get("decisions", [])],
    }


def export(data: Mapping[str, Any]) -> str:
    """The board file, as text."""
    return json.dumps(board_document(data), ensure_ascii=False, indent=2) + "\n"


def load(content: Any) -> Imported:
    """The board a file describes (as text, or already decoded), with every problem in it at once."""
    if isinstance(content, str):
        try:
            content = strict_json.loads(content)
        except strict_json.StrictJSONError as error:
            message = "The file is not valid JSON." if error.reason == "not_json" else error.message
            return Imported(problems=[problem("content", message)])
    if not isinstance(content, dict):
        return Imported(problems=[problem("content", "Expected an exported BothSides board (a JSON object).")])
    if content.get("format") != FORMAT or content.get("version") != VERSION:
        return Imported(problems=[problem("content.format", "This is not a BothSides board export (version 1).")])
    board: dict[str, Any] = content["board"] if isinstance(content.get("board"), dict) else {}
    elements, problems = _elements(content.get("elements", []))
    if problems and (problems[0].get("path") or "").startswith("content.elements"):
        later = plan_annotations(content, "interview")
        plan_flows(content, later)
        problems += later.problems
    problems += decision_ops(content, elements)[1]
    title, prompt, mode = _board_fields(board, problems)
    return Imported(
        elements=elements,
        problems=problems,
        title=title or "Imported board",
        prompt=prompt,
        mode=mode,
        document=content,
    )


TITLE_LIMIT, PROMPT_LIMIT = 200, 10000  # as the REST board fields (whiteboard.api.serializers)


def _board_fields(board: Mapping[str, Any], problems: list[dict[str, Any]]) -> tuple[str, str, str | None]:
    """The file's title, prompt and mode, held to the rules REST and the socket apply; a bad one is a problem."""
    texts = []
    for name, limit in (("title", TITLE_LIMIT), ("prompt", PROMPT_LIMIT)):
        value = board.get(name)
        if value is None:
            texts.append("")
            continue
        try:
            texts.append(ops.text_field(limit)(value, f"content.board.{name}"))
        except SyncError as error:
            problems.append(problem(f"content.board.{name}", error.message))
            texts.append("")
    mode = board.get("mode")
    if mode is not None and (not isinstance(mode, str) or mode not in MODES):
        problems.append(problem("content.board.mode", f"A board's mode is one of {', '.join(MODES)}."))
        mode = None
    return texts[0], texts[1], mode


def _elements(raw: Any) -> tuple[list[ops.Element], list[dict[str, Any]]]:
    """The file's elements checked one by one, then together (references, duplicates, the cap)."""
    if not isinstance(raw, list) or len(raw) > ops.MAX_ELEMENTS:
        return [], [problem("content.elements", f"Expected a list of at most {ops.MAX_ELEMENTS} elements.")]
    problems: list[dict[str, Any]] = []
    parsed: list[ops.Element] = []
    for i, element in enumerate(raw):
        try:
            parsed.append(ops.parse_element(element, f"content.elements[{i}]"))
        except SyncError as error:
            problems.append(_as_problem(error))
    if not problems:
        ordered = sorted(parsed, key=lambda element: {"frame": 0, "arrow": 2}.get(element["kind"], 1))
        try:
            ops.apply_ops({}, 0, [{"op": "add", "element": element} for element in ordered])
        except SyncError as error:
            problems.append(_as_problem(error))
    return parsed, problems


def _as_problem(error: SyncError) -> dict[str, Any]:
    return {"line": None, **error.as_dict()}


@dataclass(frozen=True)
class Step:
    """One op to replay, by an exported author (their participant id) or the importer (None)."""

    author: str | None
    op: dict[str, Any]
    path: str
    private: bool


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)  # exported id -> {"name", "role"}
    problems: list[dict[str, Any]] = field(default_factory=list)
    report: list[dict[str, Any]] = field(default_factory=list)


def problem(path: str, message: str) -> dict[str, Any]:
    return {"code": str(ErrorCode.VALIDATION_ERROR), "path": path, "line": None, "message": message}


def note(path: str, message: str) -> dict[str, Any]:
    return {"path": path, "line": None, "message": message}


def _renamed(error: SyncError, inner: str, outer: str) -> dict[str, Any]:
    path = error.path or outer
    return problem(outer + path[len(inner) :] if path.startswith(inner) else outer, error.message)


def _authors(raw: Any, plan: Plan) -> dict[str, dict[str, str]]:
    """Exported participants who get a stand-in: everyone but the owner, whose part is the importer's."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        plan.problems.append(problem("content.participants", "Expected a list of participants."))
        return {}
    out = {}
    for i, person in enumerate(raw):
        path = f"content.participants[{i}]"
        if not isinstance(person, dict):
            plan.problems.append(problem(path, "Expected a participant: {id, name, role}."))
            continue
        if not isinstance(person.get("id"), str):
            plan.problems.append(problem(f"{path}.id", AUTHOR_TYPE))
            continue
        role = person.get("role")
        if role == OWNER:
            continue
        if not isinstance(role, str) or role not in ROLES:
            plan.problems.append(problem(f"{path}.role", f"A participant's role is one of {', '.join(ROLES)}."))
            continue
        name: str = person["name"] if isinstance(person.get("name"), str) else ""
        out[person["id"]] = {"name": (" ".join(name.split()) or "Imported author")[:80], "role": role}
    return out


AUTHOR_TYPE = "A participant id is text (the id of someone in `participants`)."


def _author_ok(plan: Plan, author: Any, path: str) -> bool:
    """An author is a participant id or absent; an object or a list cannot even be looked up."""
    if author is None or isinstance(author, str):
        return True
    plan.problems.append(problem(path, AUTHOR_TYPE))
    return False


def _role(plan: Plan, author: Any) -> str:
    return plan.authors[author]["role"] if author in plan.authors else OWNER


def _author(plan: Plan, author: Any) -> str | None:
    return author if author in plan.authors else IMPORTER


MAX_SCENARIOS = 200
SCENARIO_NOTE = "Scenario cards are played again by you, after the annotations: their time and author are not kept."


def plan_annotations(document: Mapping[str, Any], mode: str) -> Plan:
    """Check the file's annotations and scenario cards and lay out the ops that recreate them on a new
    board of `mode`: the annotations first, then the cards."""
    plan = Plan()
    _plan_annotations(document, mode, plan)
    plan.steps += _scenario_steps(document.get("scenarios"), plan)
    return plan


def _scenario_steps(raw: Any, plan: Plan) -> list[Step]:
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_SCENARIOS:
        plan.problems.append(problem("content.scenarios", f"Expected a list of at most {MAX_SCENARIOS} cards."))
        return []
    steps, seen = [], set()
    for i, card in enumerate(raw):
        path = f"content.scenarios[{i}]"
        try:
            op = scenario.parse_op({"op": "scenario", "card": card}, path)
        except SyncError as error:
            plan.problems.append(_renamed(error, f"{path}.card", path))
            continue
        if op["card"]["id"] in seen:
            plan.problems.append(problem(f"{path}.id", f"Card '{op['card']['id']}' appears twice."))
            continue
        seen.add(op["card"]["id"])
        steps.append(Step(IMPORTER, op, path, False))
    if steps:
        plan.report.append(note("content.scenarios", SCENARIO_NOTE))
    return steps


def _plan_annotations(document: Mapping[str, Any], mode: str, plan: Plan) -> None:
    raw = document.get("annotations", [])
    if "versions" in document:
        plan.report.append(note("content.versions", "not imported: versions (version history is not imported yet)"))
    if raw is None or raw == []:
        return
    if not isinstance(raw, list) or len(raw) > MAX_ANNOTATIONS:
        plan.problems.append(problem("content.annotations", f"Expected a list of at most {MAX_ANNOTATIONS}."))
        return
    plan.authors = _authors(document.get("participants"), plan)
    kinds = {
        e["id"]: e.get("kind")
        for e in document.get("elements") or []
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    }
    seen: set[str] = set()
    for i, annotation in enumerate(raw):
        path = f"content.annotations[{i}]"
        if not isinstance(annotation, dict):
            plan.problems.append(problem(path, "Expected an annotation object."))
            continue
        plan.steps += _annotation_steps(annotation, path, kinds, mode, seen, plan) or []
    if any(step.author is IMPORTER and step.op["op"] in ("annotate", "reply") for step in plan.steps):
        plan.report.append(note("content.annotations", IMPORTER_NOTE))


def plan_flows(document: Mapping[str, Any], plan: Plan) -> None:
    """Add the file's flows to the plan, as the importer's `flow` ops after the annotations: each is
    checked on its own here, and against the new board's arrows when it is replayed."""
    raw = document.get("flows", [])
    if raw is None or raw == []:
        return
    if not isinstance(raw, list) or len(raw) > flows.MAX_FLOWS:
        plan.problems.append(problem("content.flows", f"Expected a list of at most {flows.MAX_FLOWS} flows."))
        return
    seen: set[str] = set()
    for i, flow in enumerate(raw):
        path = f"content.flows[{i}]"
        if not isinstance(flow, dict):
            plan.problems.append(problem(path, "Expected a flow object: {id, title, steps}."))
            continue
        fields = {name: flow[name] for name in ("id", "title", "steps") if name in flow}
        try:
            op = flows.parse_op({"op": "flow", "flow": fields}, path)
        except SyncError as error:
            plan.problems.append(_renamed(error, f"{path}.flow", path))
            continue
        if op["flow"]["id"] in seen:
            plan.problems.append(problem(f"{path}.id", f"Flow '{op['flow']['id']}' appears twice."))
            continue
        seen.add(op["flow"]["id"])
        plan.steps.append(Step(IMPORTER, op, path, False))


def _annotation_steps(
    raw: Mapping[str, Any], path: str, kinds: Mapping[str, Any], mode: str, seen: set[str], plan: Plan
) -> list[Step] | None:
    fields = {name: raw[name] for name in ANNOTATION_FIELDS if name in raw}
    try:
        op = annotations.parse_op({"op": "annotate", "annotation": fields}, path)
    except SyncError as error:
        plan.problems.append(_renamed(error, f"{path}.annotation", path))
        return None
    annotation = op["annotation"]
    if annotation["id"] in seen:
        plan.problems.append(problem(f"{path}.id", f"Annotation '{annotation['id']}' appears twice."))
        return None
    seen.add(annotation["id"])
    target = annotation["target"]
    if target is not None and kinds.get(target) not in annotations.TARGET_KINDS:
        plan.report.append(
            note(
                f"{path}.target",
                f"'{annotation['id']}' was about '{target}', which is not on the board: now on the whole board.",
            )
        )
        annotation["target"] = None
    private = annotation["layer"] == "private"
    author = raw.get("author")
    if not _author_ok(plan, author, f"{path}.author"):
        return None
    steps = [Step(_author(plan, author), op, path, private)]
    status = "open"
    challenged = annotations.CHALLENGED.get(mode)
    replies = raw.get("replies", [])
    if not isinstance(replies, list) or len(replies) > MAX_REPLIES:
        plan.problems.append(problem(f"{path}.replies", f"Expected a list of at most {MAX_REPLIES} replies."))
        return None
    reply_ids: set[str] = set()
    for j, reply in enumerate(replies):
        reply_path = f"{path}.replies[{j}]"
        if not isinstance(reply, dict):
            plan.problems.append(problem(reply_path, "Expected a reply object."))
            return None
        if not _author_ok(plan, reply.get("author"), f"{reply_path}.author"):
            return None
        body = {"id": reply.get("id"), "text": reply.get("text")}
        try:
            reply_op = annotations.parse_op({"op": "reply", "annotation": annotation["id"], "reply": body}, path)
        except SyncError as error:
            plan.problems.append(_renamed(error, f"{path}.reply", reply_path))
            return None
        if reply_op["reply"]["id"] in reply_ids:
            plan.problems.append(problem(f"{reply_path}.id", f"Reply '{reply_op['reply']['id']}' appears twice."))
            return None
        reply_ids.add(reply_op["reply"]["id"])
        steps.append(Step(_author(plan, reply.get("author")), reply_op, reply_path, private))
        answering = annotation["layer"] == "challenges" and _role(plan, reply.get("author")) == challenged
        if answering and status in annotations.OPEN_STATUSES:
            status = "answered"
    wanted = raw.get("status", "open")
    if wanted not in annotations.STATUSES:
        plan.problems.append(problem(f"{path}.status", f"Expected one of: {', '.join(annotations.STATUSES)}."))
        return None
    for change in {"resolved": ["resolved"], "reopened": ["resolved", "reopened"]}.get(wanted, []):
        steps.append(
            Step(IMPORTER, {"op": "set_status", "annotation": annotation["id"], "status": change}, path, private)
        )
        status = change
    if status != wanted:
        plan.report.append(
            note(
                f"{path}.status",
                f"'{annotation['id']}' was {wanted}, which its replies do not make it here: now {status}.",
            )
        )
    return steps


def decision_ops(document: Mapping[str, Any], elements: Iterable[Mapping[str, Any]]) -> tuple[list[Op], list[Problem]]:
    """The file's decisions as `decide` ops (the importer records them), and what is wrong with them.

    Checked here, before anything is created, against the file's own components, so a bad one is
    reported with the rest of the file's problems rather than half-way through the import."""
    raw = document.get("decisions", [])
    if raw is None:
        return [], []
    if not isinstance(raw, list) or len(raw) > ops.MAX_ELEMENTS:
        return [], [problem("content.decisions", f"Expected a list of at most {ops.MAX_ELEMENTS} decisions.")]
    components = {e["id"] for e in elements if e.get("kind") == "component"}
    out: list[Op] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, record in enumerate(raw):
        path = f"content.decisions[{i}]"
        try:
            op = decisions.parse_op({"op": "decide", "decision": record}, "op")
        except SyncError as error:
            problems.append(_renamed(error, "op.decision", path))
            continue
        decision = op["decision"]
        if decision["target"] not in components:
            problems.append(problem(f"{path}.target", f"No component '{decision['target']}' in the file's elements."))
        elif decision["id"] in seen:
            problems.append(problem(f"{path}.id", f"Decision '{decision['id']}' appears twice."))
        else:
            seen.add(decision["id"])
            out.append(op)
    return out, problems


def batches(steps: Iterable[Step], limit: int) -> list[list[Step]]:
    """Consecutive steps by one author in one stream, at most `limit` a batch (the batch rules)."""
    out: list[list[Step]] = []
    for step in steps:
        last = out[-1] if out else None
        if last and len(last) < limit and (last[0].author, last[0].private) == (step.author, step.private):
            last.append(step)
        else:
            out.append([step])
    return out
