// A batch as a whole: its canvas ops apply first, then its annotation ops in
// order, checked against the board as the canvas ops left it. A batch lives in
// one stream: one that touches the private layer may hold nothing else.

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
import { applyOps, checkObject, type Elements, fail, OpError, parseOp } from "./ops";
import {
  ANNOTATION_OP_NAMES,
  CANVAS_OP_NAMES,
  type CanvasOp,
  canEditCanvas,
  isCanvasOp,
  LIMITS,
  type Op,
  type StoredAnnotationOp,
  type StoredOp,
  type Stream,
} from "./protocol";

/** Everything a batch can change: the canvas and the annotations on it. */
export interface Board {
  readonly elements: Elements;
  readonly annotations: Annotations;
}

/** Check every op on its own (shape, types, limits), canvas and annotation alike. */
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
    const known = [...CANVAS_OP_NAMES, ...ANNOTATION_OP_NAMES].join(", ");
    throw new OpError("unknown_op", `Unknown op; expected one of: ${known}.`, `${path}.op`);
  });
}

/** The stream a batch goes to: private as soon as one op touches the private layer. */
function streamOf(ops: readonly Op[]): Stream {
  return ops.some((op) => !isCanvasOp(op) && streamOfOp(op) === "private") ? "private" : "public";
}

/**
 * Split a batch into its canvas ops and its annotation ops, remembering each one's place.
 * Ops of other kinds (the interview session's, in stored batches) are not ours to apply.
 */
function split<A extends { readonly op: string }>(ops: readonly { readonly op: string }[]) {
  const canvas: CanvasOp[] = [];
  const places: number[] = [];
  const annotations: { index: number; op: A }[] = [];
  ops.forEach((op, index) => {
    if (isCanvasOp(op)) {
      canvas.push(op);
      places.push(index);
    } else if (ANNOTATION_OP_NAMES.has(op.op)) annotations.push({ index, op: op as A });
  });
  return { canvas, places, annotations };
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
  /** The ops as the server will store them: canvas ops normalised, annotation ops stamped. */
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
  if (actor.role === "observer") throw new OpError("forbidden", "An observer can watch the board but not change it.");
  const { canvas, places, annotations } = split<IndexedOp["op"]>(ops);
  if (canvas.length && !canEditCanvas(actor.role)) {
    throw new OpError("forbidden", "Your role cannot change the canvas.", `ops[${places[0]}]`);
  }
  const applied = canvas.length
    ? applyCanvas(board.elements, canvas, places)
    : { state: board.elements, ops: [], touched: new Set<string>() };
  const stream = streamOf(ops);
  const checked = checkAnnotationOps(board.annotations, applied.state, annotations, actor, { ...stamp, stream });
  if (stream === "private" && (canvas.length || annotations.some(({ op }) => streamOfOp(op) === "public"))) {
    throw fail("ops", "Private annotations travel in a batch of their own.");
  }
  return {
    board: { elements: applied.state, annotations: checked.state },
    ops: [...applied.ops, ...checked.ops],
    touched: applied.touched,
    stream,
  };
}

/** A batch the server stored: canvas ops first, then its (stamped) annotation ops; other kinds are skipped. */
export function applyServerBatch(
  board: Board,
  ops: readonly { readonly op: string }[],
  batch: { readonly participant: string; readonly at: string },
): Board {
  const { canvas, annotations } = split<StoredAnnotationOp>(ops);
  return {
    elements: canvas.length ? applyOps(board.elements, canvas).state : board.elements,
    annotations: applyAnnotationOps(board.annotations, annotations.map(({ op }) => op), batch),
  };
}
