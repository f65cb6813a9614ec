// A batch as a whole: its canvas ops apply first, then its annotation ops and
// its session and ledger ops, each in order, checked against the board as the
// canvas ops left it. A batch lives in one stream: one that touches the private
// layer may hold nothing else. An ended interview closes the board to all but
// the owner and interviewers.

import {
  type Actor,
  type Annotations,
  applyAnnotationOps,
  checkAnnotationOps,
  type IndexedOp,
  parseAnnotationOp,
  type Stamp,
  streamOfOp,
} from "./annotations";
import {
  applyInterviewOps,
  checkInterviewOps,
  IDLE_SESSION,
  type IndexedInterviewOp,
  isClosed,
  parseInterviewOp,
  type Ledger,
} from "./interview";
import { applyFlowOps, checkFlowOps, type Flows, type IndexedFlowOp, NO_FLOWS, parseFlowOp } from "./flows";
import { applyOps, checkObject, type Elements, fail, OpError, parseOp } from "./ops";
import {
  ANNOTATION_OP_NAMES,
  CANVAS_OP_NAMES,
  type CanvasOp,
  canEditCanvas,
  canWrite,
  canWriteClosed,
  FLOW_OP_NAMES,
  type FlowOp,
  INTERVIEW_OP_NAMES,
  isCanvasOp,
  LIMITS,
  type Op,
  type Session,
  type StoredAnnotationOp,
  type StoredInterviewOp,
  type StoredOp,
  type Stream,
} from "./protocol";

/** Everything a batch can change: the canvas, the annotations on it, the interview session and its ledger, the flows. */
export interface Board {
  readonly elements: Elements;
  readonly annotations: Annotations;
  readonly session: Session;
  readonly requirements: Ledger;
  /** Absent where a board has none to show (a published version). */
  readonly flows?: Flows;
}

export const EMPTY_BOARD: Board = {
  elements: new Map(),
  annotations: new Map(),
  session: IDLE_SESSION,
  requirements: new Map(),
  flows: NO_FLOWS,
};

/** Check every op on its own (shape, types, limits), canvas, annotation and interview ops alike. */
export function parseBatch(raw: unknown): Op[] {
  if (!Array.isArray(raw)) throw new OpError("bad_request", "A batch needs a list of ops.", "ops");
  if (!raw.length) throw fail("ops", "A batch needs at least one op.");
  if (raw.length > LIMITS.maxOpsPerBatch) {
    throw new OpError("too_large", `A batch holds at most ${LIMITS.maxOpsPerBatch} ops.`, "ops");
  }
  return raw.map((op: unknown, i) => {
    const path = `ops[${i}]`;
    const name = checkObject(op, path).op;
    if (typeof name === "string" && CANVAS_OP_NAMES.has(name)) return parseOp(op, path);
    if (typeof name === "string" && ANNOTATION_OP_NAMES.has(name)) return parseAnnotationOp(op, path);
    if (typeof name === "string" && INTERVIEW_OP_NAMES.has(name)) return parseInterviewOp(op, path);
    if (typeof name === "string" && FLOW_OP_NAMES.has(name)) return parseFlowOp(op, path);
    const known = [...CANVAS_OP_NAMES, ...ANNOTATION_OP_NAMES, ...INTERVIEW_OP_NAMES, ...FLOW_OP_NAMES].join(", ");
    throw new OpError("unknown_op", `Unknown op; expected one of: ${known}.`, `${path}.op`);
  });
}

/** The stream a batch goes to: private as soon as one op touches the private layer. */
function streamOf(ops: readonly Op[]): Stream {
  return ops.some((op) => ANNOTATION_OP_NAMES.has(op.op) && streamOfOp(op as IndexedOp["op"]) === "private") ? "private" : "public";
}

/**
 * Split a batch into its canvas ops, its annotation ops and its session and ledger ops,
 * remembering each one's place. Unknown kinds (from a newer server) are not ours to apply.
 */
function split<A extends { readonly op: string }>(ops: readonly { readonly op: string }[]) {
  const canvas: CanvasOp[] = [];
  const places: number[] = [];
  const annotations: { index: number; op: A }[] = [];
  const interview: IndexedInterviewOp[] = [];
  const flows: IndexedFlowOp[] = [];
  ops.forEach((op, index) => {
    if (isCanvasOp(op)) {
      canvas.push(op);
      places.push(index);
    } else if (ANNOTATION_OP_NAMES.has(op.op)) annotations.push({ index, op: op as A });
    else if (INTERVIEW_OP_NAMES.has(op.op)) interview.push({ index, op: op as StoredInterviewOp });
    else if (FLOW_OP_NAMES.has(op.op)) flows.push({ index, op: op as FlowOp });
  });
  return { canvas, places, annotations, interview, flows };
}

/** applyOps on the canvas ops alone, with error paths pointing into the whole batch. */
function applyCanvas(elements: Elements, canvas: readonly CanvasOp[], places: readonly number[]) {
  try {
    return applyOps(elements, canvas);
  } catch (error) {
    if (!(error instanceof OpError) || !error.path) throw error;
    const path = error.path.replace(/^ops\[(\d+)\]/, (_, i: string) => `ops[${places[Number(i)] ?? i}]`);
    throw new OpError(error.code, error.message, path);
  }
}

export interface AppliedBatch {
  readonly board: Board;
  /** The ops as the server will store them: canvas ops normalised, annotation ops stamped, ledger links filled. */
  readonly ops: StoredOp[];
  /** Element ids the canvas ops added, changed or deleted (what undo records). */
  readonly touched: ReadonlySet<string>;
  readonly stream: Stream;
}

/**
 * A batch of my own, applied as the server would apply it: every op checked (role included)
 * and annotation ops stamped. Throws OpError with the server's code and path.
 */
export function applyLocalBatch(board: Board, rawOps: readonly unknown[], actor: Actor, stamp: Stamp): AppliedBatch {
  // In the server's order: each op on its own, the role, the canvas, the annotations, the stream.
  const ops = parseBatch(rawOps);
  if (!canWrite(actor.role)) throw new OpError("forbidden", "An observer can watch the board but not change it.");
  const { canvas, places, annotations, interview, flows } = split<IndexedOp["op"]>(ops);
  if (canvas.length && !canEditCanvas(actor.role)) {
    throw new OpError("forbidden", "Your role cannot change the canvas.", `ops[${places[0]}]`);
  }
  if (isClosed(board.session) && !canWriteClosed(actor.role)) {
    throw new OpError("forbidden", "This board is closed: the session has ended.");
  }
  const applied = canvas.length
    ? applyCanvas(board.elements, canvas, places)
    : { state: board.elements, ops: [], touched: new Set<string>() };
  const stream = streamOf(ops);
  // The server hands each kind its ops in the order the kinds first appear in the batch.
  const annotationsFirst = (annotations[0]?.index ?? Infinity) < (interview[0]?.index ?? Infinity);
  const checkAnnotations = () => checkAnnotationOps(board.annotations, applied.state, annotations, actor, { ...stamp, stream });
  const checkInterview = () =>
    interview.length
      ? checkInterviewOps(board, applied.state, interview, actor, { participant: actor.participant, at: stamp.at, seq: stamp.head + 1 })
      : board;
  const checked = annotationsFirst ? checkAnnotations() : undefined;
  const after = checkInterview();
  const annotated = checked ?? checkAnnotations();
  const interviewOps = interview.map(({ op }) => op);
  const stampFlows = { participant: actor.participant, seq: stamp.head + 1 };
  const flowsAfter = flows.length ? checkFlowOps(board.flows ?? NO_FLOWS, applied.state, flows, actor.role, stampFlows) : board.flows;
  const flowOps = flows.map(({ op }) => op);
  if (
    stream === "private" &&
    (canvas.length || interview.length || flows.length || annotations.some(({ op }) => streamOfOp(op) === "public"))
  ) {
    throw fail("ops", "Private annotations travel in a batch of their own.");
  }
  return {
    board: {
      elements: applied.state,
      annotations: annotated.state,
      session: after.session,
      requirements: after.requirements,
      ...(flowsAfter ? { flows: flowsAfter } : {}),
    },
    // Stored as the server writes them: the canvas ops, then each kind's ops, the kinds in that same order
    // (flows, a kind registered after the others, come after them when they share a batch).
    ops: [...(annotationsFirst ? [...applied.ops, ...annotated.ops, ...interviewOps] : [...applied.ops, ...interviewOps, ...annotated.ops]), ...flowOps],
    touched: applied.touched,
    stream,
  };
}

/**
 * A batch the server stored: canvas ops first, then its (stamped) annotation ops, then its
 * session and ledger ops as the server's replay folds them; unknown kinds are skipped.
 */
export function applyServerBatch(
  board: Board,
  ops: readonly { readonly op: string }[],
  batch: { readonly participant: string; readonly at: string; readonly seq: number },
): Board {
  const { canvas, annotations, interview, flows } = split<StoredAnnotationOp>(ops);
  const after = interview.length ? applyInterviewOps(board, interview.map(({ op }) => op), batch) : board;
  const flowsAfter = flows.length
    ? applyFlowOps(board.flows ?? NO_FLOWS, flows.map(({ op }) => op), { participant: batch.participant, seq: batch.seq })
    : board.flows;
  return {
    elements: canvas.length ? applyOps(board.elements, canvas).state : board.elements,
    annotations: applyAnnotationOps(board.annotations, annotations.map(({ op }) => op), batch),
    session: after.session,
    requirements: after.requirements,
    ...(flowsAfter ? { flows: flowsAfter } : {}),
  };
}
