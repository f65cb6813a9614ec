// Flows (docs/protocol.md, "Flows"; reviews/flows.py): an ordered walk along the diagram's
// arrows, one plain sentence per step. The same checks as the server, so a refused flow is
// refused before it is sent, with the server's code and path. No React.

import { checkObject, type Elements, fail, OpError } from "./ops";
import { canEditCanvas, type FlowOp, type FlowStep, LIMITS, type Role, type StoredFlow } from "./protocol";

export type Flows = ReadonlyMap<string, StoredFlow>;

export const NO_FLOWS: Flows = new Map();

export function flowsFrom(list: readonly StoredFlow[] | undefined): Flows {
  return new Map((list ?? []).map((flow) => [flow.id, flow]));
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Overrides and isolates (as whiteboard/ops.py refuses them), NUL, lone surrogates.
const BAD_TEXT = /[\u0000\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function only(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key)).sort()[0];
  if (extra !== undefined) throw fail(`${path}.${extra}`, "Unknown property.");
}

function id(value: unknown, path: string): string {
  if (typeof value !== "string" || !ID.test(value)) throw fail(path, "An id is 1 to 64 characters of letters, digits, '-' or '_'.");
  return value;
}

function text(value: unknown, limit: number, path: string, empty: string): string {
  if (typeof value !== "string") throw fail(path, "Expected text.");
  if (BAD_TEXT.test(value)) throw fail(path, "Text may not contain NUL, unpaired surrogates or bidirectional overrides.");
  const normal = value.normalize("NFC");
  if (normal.length > limit) throw fail(path, `Text is limited to ${limit} characters.`);
  if (!normal.trim()) throw fail(path, empty);
  return normal;
}

/** Check one flow op on its own (shape, types, limits), as reviews.flows.parse_op does. */
export function parseFlowOp(raw: unknown, path = "op"): FlowOp {
  const op = checkObject(raw, path);
  if (op.op === "delete_flow") {
    only(op, ["op", "id"], path);
    return { op: "delete_flow", id: id(op.id, `${path}.id`) };
  }
  only(op, ["op", "flow"], path);
  if (!("flow" in op)) throw fail(`${path}.flow`, "This property is required.");
  const flow = checkObject(op.flow, `${path}.flow`);
  only(flow, ["id", "title", "steps"], `${path}.flow`);
  for (const name of ["id", "title", "steps"]) if (!(name in flow)) throw fail(`${path}.flow.${name}`, "This property is required.");
  const title = text(flow.title, LIMITS.label, `${path}.flow.title`, "A flow needs a title.");
  const steps = flow.steps;
  if (!Array.isArray(steps) || steps.length < 1 || steps.length > LIMITS.flowSteps) {
    throw fail(`${path}.flow.steps`, `Steps are a list of 1 to ${LIMITS.flowSteps} steps.`);
  }
  const parsed: FlowStep[] = steps.map((raw: unknown, i) => {
    const at = `${path}.flow.steps[${i}]`;
    const step = checkObject(raw, at);
    only(step, ["element", "text"], at);
    for (const name of ["element", "text"]) if (!(name in step)) throw fail(`${at}.${name}`, "This property is required.");
    return { element: id(step.element, `${at}.element`), text: text(step.text, LIMITS.text, `${at}.text`, "Text cannot be empty.") };
  });
  return { op: "flow", flow: { id: id(flow.id, `${path}.flow.id`), title, steps: parsed } };
}

/** The pairs of components an arrow joins, direction ignored. */
function joinedPairs(elements: Elements): Set<string> {
  const pairs = new Set<string>();
  for (const element of elements.values()) {
    if (element.kind !== "arrow") continue;
    pairs.add(`${element.source}\u0000${element.target}`);
    pairs.add(`${element.target}\u0000${element.source}`);
  }
  return pairs;
}

/** Whether an arrow joins two components (either direction): what a flow's consecutive steps need. */
export function joined(elements: Elements, a: string, b: string): boolean {
  return joinedPairs(elements).has(`${a}\u0000${b}`);
}

export interface FlowStamp {
  readonly participant: string;
  readonly seq: number;
}

export interface IndexedFlowOp {
  readonly index: number;
  readonly op: FlowOp;
}

/** My flow ops checked against the board as the batch's canvas ops left it, as reviews.flows.apply_ops does. */
export function checkFlowOps(flows: Flows, elements: Elements, ops: readonly IndexedFlowOp[], role: Role, stamp: FlowStamp): Flows {
  let pairs: Set<string> | null = null;
  let current = flows;
  for (const { index, op } of ops) {
    const path = `ops[${index}]`;
    if (!canEditCanvas(role)) throw new OpError("forbidden", `A ${role} cannot write flows.`, path);
    if (op.op === "delete_flow") {
      if (!current.has(op.id)) throw new OpError("unknown_ref", `No flow with id '${op.id}'.`, `${path}.id`);
      current = applyFlowOps(current, [op], stamp);
      continue;
    }
    if (!current.has(op.flow.id) && current.size >= LIMITS.flows) {
      throw new OpError("too_large", `A board holds at most ${LIMITS.flows} flows.`, `${path}.flow.id`);
    }
    op.flow.steps.forEach((step, i) => {
      const at = `${path}.flow.steps[${i}].element`;
      const element = elements.get(step.element);
      if (!element) throw new OpError("unknown_ref", `No element with id '${step.element}' on this board.`, at);
      if (element.kind !== "component") throw fail(at, "A step is a component (a box), not an arrow, a note or a frame.");
      if (i === 0) return;
      pairs ??= joinedPairs(elements);
      const before = op.flow.steps[i - 1]!.element;
      if (!pairs.has(`${before}\u0000${step.element}`)) {
        throw fail(at, `No arrow joins '${before}' and '${step.element}': a flow follows the arrows.`);
      }
    });
    current = applyFlowOps(current, [op], stamp);
  }
  return current;
}

/** Stored flow ops folded in order (an edit keeps the flow's place), as reviews.flows.fold does. */
export function applyFlowOps(flows: Flows, ops: readonly FlowOp[], stamp: FlowStamp): Flows {
  if (!ops.length) return flows;
  const next = new Map(flows);
  for (const op of ops) {
    if (op.op === "delete_flow") next.delete(op.id);
    else next.set(op.flow.id, { ...op.flow, author: stamp.participant, seq: stamp.seq });
  }
  return next;
}
