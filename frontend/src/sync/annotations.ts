// Annotations: challenges, notes and private hints pinned to an element or the board.
//
// The same rules as the server (docs/protocol.md, "Annotations"), in two halves:
//   - `checkAnnotationOps` takes the ops a client sends, checks them against
//     the board and the sender's role, and stamps them as the server stores
//     them, so an op the server would refuse is refused here first;
//   - `applyAnnotationOps` applies stored ops (ours, stamped, or the server's).
// Annotations are kept out of the canvas state, so undo never touches them.
// Pure and never mutates input.

import { checkId, checkObject, type Elements, fail, hasOwn, onlyKeys, OpError, textCheck } from "./ops";
import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  type AnnotationOp,
  type Element,
  LAYERS,
  type Layer,
  LIMITS,
  type Mode,
  type Reply,
  type Role,
  type SetStatus,
  type Snapshot,
  type StoredAnnotationOp,
  type Stream,
  can,
  canReadPrivate,
  canWrite,
} from "./protocol";
import { VOCABULARY } from "./vocabulary.gen";

export type Annotations = ReadonlyMap<string, Annotation>;

/** Who sends a batch, and on what kind of board: the rules depend on both. */
export interface Actor {
  readonly participant: string;
  readonly role: Role;
  readonly mode: Mode;
}

/** What the server stamps on a batch's annotation ops. */
export interface Stamp {
  /** The batch's time (created_at, updated_at, edited_at). */
  readonly at: string;
  /** The public head before the batch: a public batch becomes head + 1, a private one is made against head. */
  readonly head: number;
}

/** The fields that carry an element's meaning; a change to any of them makes an annotation on it outdated. */
export const SNAPSHOT_FIELDS = {
  component: ["type", "label", "tech", "replicas", "notes"],
  arrow: ["source", "target", "label", "style"],
} as const;

export const PRIVATE_PREFIX = VOCABULARY.annotations.private_prefix;

// ---- Who may do what ---------------------------------------------------------------

/** Write in a layer: each layer names the capability it takes. */
export function canWriteLayer(role: Role, layer: Layer): boolean {
  return can(role, VOCABULARY.annotations.layers[layer].writers);
}

export function canRead(role: Role, layer: Layer): boolean {
  return layer !== "private" || canReadPrivate(role);
}

/** The layers a role may annotate in (empty for an observer). */
export function layersFor(role: Role): Layer[] {
  return LAYERS.filter((layer) => canWriteLayer(role, layer));
}

/**
 * The layer a new annotation goes to by default: the challenged side writes its own notes,
 * everyone else challenges. Null when the role may not annotate.
 */
export function defaultLayer(role: Role, mode: Mode): Layer | null {
  const layers = layersFor(role);
  if (isChallengedSide(role, mode) && layers.includes("notes")) return "notes";
  return layers.includes("challenges") ? "challenges" : (layers[0] ?? null);
}

/** Whose design is being challenged: the candidate in an interview, the author (owner) in a review. */
export function isChallengedSide(role: Role, mode: Mode): boolean {
  return role === VOCABULARY.modes[mode].challenged;
}

export function canReply(role: Role): boolean {
  return can(role, "reply");
}

export function canSetStatus(actor: Actor, annotation: Annotation): boolean {
  return can(actor.role, "moderate") || (can(actor.role, "resolve_own") && annotation.author === actor.participant);
}

/** Edit the annotation's own text, or (with a reply) that reply's: only its author may. */
export function canEditText(actor: Actor, annotation: Annotation, reply?: Reply): boolean {
  return canWrite(actor.role) && (reply ?? annotation).author === actor.participant;
}

export function canDelete(actor: Actor, annotation: Annotation): boolean {
  return can(actor.role, "moderate") || (canWrite(actor.role) && annotation.author === actor.participant);
}

// ---- Derived, never stored --------------------------------------------------------------

/** An element's meaning, as an annotation on it records it; null for what cannot be annotated (a note). */
export function snapshotOf(element: Element): Snapshot | null {
  if (element.kind === "component") {
    const { kind, type, label, tech, replicas, notes } = element;
    return { kind, type, label, tech, replicas, notes };
  }
  if (element.kind === "arrow") {
    const { kind, source, target, label, style } = element;
    return { kind, source, target, label, style };
  }
  return null;
}

/** The target no longer exists (the annotation stays; it recovers if the element comes back). */
export function isOrphaned(annotation: Annotation, elements: Elements): boolean {
  return annotation.target !== null && !elements.has(annotation.target);
}

export interface SnapshotChange {
  readonly field: string;
  readonly was: unknown;
  readonly now: unknown;
}

/** What changed in the target since the annotation was raised (empty when orphaned or board-level). */
export function changesSince(annotation: Annotation, elements: Elements): SnapshotChange[] {
  const { snapshot, target } = annotation;
  const element = target === null ? undefined : elements.get(target);
  if (!snapshot || !element) return [];
  if (element.kind !== snapshot.kind) return [{ field: "kind", was: snapshot.kind, now: element.kind }];
  const was = snapshot as unknown as Record<string, unknown>;
  const now = element as unknown as Record<string, unknown>;
  return SNAPSHOT_FIELDS[snapshot.kind]
    .filter((field) => was[field] !== now[field])
    .map((field) => ({ field, was: was[field], now: now[field] }));
}

/** The target exists but means something else than when the annotation was raised. */
export function isOutdated(annotation: Annotation, elements: Elements): boolean {
  return changesSince(annotation, elements).length > 0;
}

/** A challenge still waiting for the challenged side's answer. */
export function isUnanswered(annotation: Annotation): boolean {
  return annotation.layer === "challenges" && (annotation.status === "open" || annotation.status === "reopened");
}

export function annotationsFrom(list: readonly Annotation[]): Map<string, Annotation> {
  // The welcome and REST say `"version": null` for an annotation written on no version; the stored op leaves it out.
  return new Map(
    list.map((annotation) => {
      if (annotation.version !== null) return [annotation.id, annotation];
      const { version: _none, ...rest } = annotation;
      return [annotation.id, rest];
    }),
  );
}

/** The stream an annotation id lives in: the id alone says it. */
function streamOfId(id: string): Stream {
  return id.startsWith(PRIVATE_PREFIX) ? "private" : "public";
}

// ---- Parsing a client's ops -----------------------------------------------------------------

const annotationText = textCheck(LIMITS.text);

/** 1 to 4,000 characters after NFC, and not only white space (the server says "cannot be empty"). */
function checkAnnotationText(value: unknown, path: string): string {
  const text = annotationText(value, path) as string;
  if (!text.trim()) throw fail(path, "Text cannot be empty.");
  return text;
}

function required(value: Record<string, unknown>, names: readonly string[], path: string): void {
  for (const name of names) if (!hasOwn(value, name)) throw fail(`${path}.${name}`, "This property is required.");
}

function oneOf<T extends string>(options: readonly T[], value: unknown, path: string): T {
  if (typeof value !== "string" || !(options as readonly string[]).includes(value)) {
    throw fail(path, `Expected one of: ${options.join(", ")}.`);
  }
  return value as T;
}

/** Check one annotation op on its own (shape, types, limits) and return it normalised (text NFC). */
export function parseAnnotationOp(raw: unknown, path = "op"): AnnotationOp {
  const value = checkObject(raw, path);
  const annotation = `${path}.annotation`;
  switch (value.op) {
    case "annotate": {
      onlyKeys(value, ["op", "annotation"], path);
      required(value, ["annotation"], path);
      const body = checkObject(value.annotation, annotation);
      // Stamped fields (prompted, snapshot, author, status…) are the server's: refused like any unknown one.
      onlyKeys(body, ["id", "layer", "target", "kind", "text"], annotation);
      // A missing target means the whole board, like null.
      required(body, ["id", "layer", "kind", "text"], annotation);
      const id = checkId(body.id, `${annotation}.id`);
      const layer = oneOf(LAYERS, body.layer, `${annotation}.layer`);
      if ((layer === "private") !== id.startsWith(PRIVATE_PREFIX)) {
        throw fail(`${annotation}.id`, `Ids of private annotations start with '${PRIVATE_PREFIX}', and only theirs do.`);
      }
      return {
        op: "annotate",
        annotation: {
          id,
          layer,
          target: body.target === null || body.target === undefined ? null : checkId(body.target, `${annotation}.target`),
          kind: oneOf<AnnotationKind>(ANNOTATION_KINDS, body.kind, `${annotation}.kind`),
          text: checkAnnotationText(body.text, `${annotation}.text`),
        },
      };
    }
    case "reply": {
      onlyKeys(value, ["op", "annotation", "reply"], path);
      required(value, ["annotation", "reply"], path);
      const reply = checkObject(value.reply, `${path}.reply`);
      onlyKeys(reply, ["id", "text"], `${path}.reply`);
      required(reply, ["id", "text"], `${path}.reply`);
      return {
        op: "reply",
        annotation: checkId(value.annotation, annotation),
        reply: { id: checkId(reply.id, `${path}.reply.id`), text: checkAnnotationText(reply.text, `${path}.reply.text`) },
      };
    }
    case "set_status":
      onlyKeys(value, ["op", "annotation", "status"], path);
      required(value, ["annotation", "status"], path);
      return {
        op: "set_status",
        annotation: checkId(value.annotation, annotation),
        status: oneOf<SetStatus>(["resolved", "reopened"], value.status, `${path}.status`),
      };
    case "edit_text": {
      onlyKeys(value, ["op", "annotation", "reply", "text"], path);
      required(value, ["annotation", "text"], path);
      const id = checkId(value.annotation, annotation);
      const text = checkAnnotationText(value.text, `${path}.text`);
      return hasOwn(value, "reply")
        ? { op: "edit_text", annotation: id, reply: checkId(value.reply, `${path}.reply`), text }
        : { op: "edit_text", annotation: id, text };
    }
    case "delete_annotation":
      onlyKeys(value, ["op", "annotation"], path);
      required(value, ["annotation"], path);
      return { op: "delete_annotation", annotation: checkId(value.annotation, annotation) };
    default:
      throw new OpError("unknown_op", "Unknown annotation op.", `${path}.op`);
  }
}

/** The stream an op touches: private if it writes or names the private layer. */
export function streamOfOp(op: AnnotationOp): Stream {
  return op.op === "annotate" ? (op.annotation.layer === "private" ? "private" : "public") : streamOfId(op.annotation);
}

// ---- Checking against the board and stamping -------------------------------------------------

export interface IndexedOp {
  /** The op's place in its batch, for error paths. */
  readonly index: number;
  readonly op: AnnotationOp;
}

function find(state: Annotations, id: string, path: string): Annotation {
  const annotation = state.get(id);
  // One we cannot see (a private one, for a candidate) is exactly as missing as one that never was.
  if (!annotation) throw new OpError("unknown_ref", `No annotation with id '${id}' on this board.`, path);
  return annotation;
}

const forbidden = (message: string, path: string) => new OpError("forbidden", message, path);

/** Check one op against the annotations and the board (after the batch's canvas ops); return its stored form. */
function stampOne(
  state: Annotations,
  elements: Elements,
  op: AnnotationOp,
  path: string,
  actor: Actor,
  seq: number,
): StoredAnnotationOp {
  if (op.op === "annotate") {
    const { id, layer, target } = op.annotation;
    // The layer first, as the server does: a p- id never tells someone who may not write there that it exists.
    if (!canWriteLayer(actor.role, layer)) {
      throw forbidden(`Your role cannot write in the ${layer} layer.`, `${path}.annotation.layer`);
    }
    let snapshot: Snapshot | null = null;
    if (target !== null) {
      const element = elements.get(target);
      if (!element) throw new OpError("unknown_ref", `No element with id '${target}' on this board.`, `${path}.annotation.target`);
      snapshot = snapshotOf(element);
      if (!snapshot) throw fail(`${path}.annotation.target`, "Annotate a component or an arrow, not a sticky note.");
    }
    if (state.has(id)) throw new OpError("duplicate_id", `Annotation '${id}' already exists.`, `${path}.annotation.id`);
    return { op: "annotate", annotation: { ...op.annotation, prompted: layer === "challenges", snapshot, raised_seq: seq } };
  }
  const annotation = find(state, op.annotation, `${path}.annotation`);
  switch (op.op) {
    case "reply": {
      if (!canReply(actor.role)) throw forbidden("Your role cannot reply.", path);
      if (annotation.replies.some((r) => r.id === op.reply.id)) {
        throw new OpError("duplicate_id", `Reply '${op.reply.id}' already exists.`, `${path}.reply.id`);
      }
      // Only a challenge is answered, and only by the side it was put to.
      const answering = annotation.layer === "challenges" && isChallengedSide(actor.role, actor.mode);
      const status = answering && isUnanswered(annotation) ? "answered" : annotation.status;
      return { op: "reply", annotation: op.annotation, reply: { ...op.reply, seq }, status };
    }
    case "set_status":
      if (!canSetStatus(actor, annotation)) throw forbidden("Your role cannot resolve or reopen this annotation.", path);
      if (op.status === "resolved" && annotation.status === "resolved") throw fail(`${path}.status`, "It is already resolved.");
      if (op.status === "reopened" && annotation.status !== "resolved") throw fail(`${path}.status`, "Only a resolved annotation can be reopened.");
      return op;
    case "edit_text": {
      const reply = op.reply === undefined ? undefined : annotation.replies.find((r) => r.id === op.reply);
      if (op.reply !== undefined && !reply) throw new OpError("unknown_ref", `No reply with id '${op.reply}'.`, `${path}.reply`);
      if (!canEditText(actor, annotation, reply)) throw forbidden("Only its author can edit this text.", path);
      return op;
    }
    case "delete_annotation":
      if (!canDelete(actor, annotation)) throw forbidden("Your role cannot delete this annotation.", path);
      return op;
  }
}

/**
 * Check a batch's annotation ops, in order, the way the server does, and return them stamped
 * with what the server adds, plus the annotations after them. Throws OpError (with the
 * server's code and path) for the first op the server would refuse.
 */
export function checkAnnotationOps(
  state: Annotations,
  elements: Elements,
  ops: readonly IndexedOp[],
  actor: Actor,
  stamp: Stamp & { readonly stream: Stream },
): { readonly state: Annotations; readonly ops: StoredAnnotationOp[] } {
  const seq = stamp.stream === "public" ? stamp.head + 1 : stamp.head;
  let current = state;
  const stored: StoredAnnotationOp[] = [];
  for (const { index, op } of ops) {
    const one = stampOne(current, elements, op, `ops[${index}]`, actor, seq);
    current = applyAnnotationOps(current, [one], { participant: actor.participant, at: stamp.at });
    stored.push(one);
  }
  return { state: current, ops: stored };
}

// ---- Applying stored ops -------------------------------------------------------------------

/** Apply stored annotation ops (from the server, or our own stamped ones) in order. */
export function applyAnnotationOps(
  state: Annotations,
  ops: readonly StoredAnnotationOp[],
  batch: { readonly participant: string; readonly at: string },
): Annotations {
  if (!ops.length) return state;
  const next = new Map(state);
  const { participant, at } = batch;
  ops.forEach((op, i) => {
    if (op.op === "annotate") {
      next.set(op.annotation.id, {
        ...op.annotation,
        author: participant,
        status: "open",
        answered_seq: null,
        created_at: at,
        updated_at: at,
        replies: [],
      });
      return;
    }
    const current = next.get(op.annotation);
    if (!current) throw new OpError("unknown_ref", `No annotation with id '${op.annotation}' on this board.`, `ops[${i}].annotation`);
    switch (op.op) {
      case "reply": {
        const reply: Reply = { ...op.reply, author: participant, created_at: at, edited_at: null };
        const answered = op.status === "answered" && current.status !== "answered";
        next.set(current.id, {
          ...current,
          status: op.status,
          ...(answered ? { answered_seq: op.reply.seq } : {}),
          replies: [...current.replies, reply],
          updated_at: at,
        });
        return;
      }
      case "set_status":
        next.set(current.id, { ...current, status: op.status, updated_at: at });
        return;
      case "edit_text":
        if (op.reply === undefined) {
          next.set(current.id, { ...current, text: op.text, updated_at: at });
        } else {
          const replies = current.replies.map((r) => (r.id === op.reply ? { ...r, text: op.text, edited_at: at } : r));
          next.set(current.id, { ...current, replies, updated_at: at });
        }
        return;
      case "delete_annotation":
        next.delete(current.id);
        return;
    }
  });
  return next;
}
