// Validate and apply canvas ops: the same rules as whiteboard/ops.py, so an op
// the client applies optimistically is one the server accepts, and a server
// batch replays here exactly as it was stored. Pure and never mutates input.

import {
  ARROW_SIDES,
  ARROW_STYLES,
  type CanvasOp,
  COMPONENT_TYPES,
  CREDITS,
  type Element,
  FAMILIARITIES,
  TYPED_FIELDS,
  type ElementProps,
  type ErrorCode,
  type Kind,
  KINDS,
  LIMITS,
} from "./protocol";
import { VOCABULARY } from "./vocabulary.gen";

export type Elements = ReadonlyMap<string, Element>;

export class OpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "OpError";
  }
}

const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${LIMITS.id}}$`);
// Overrides and isolates let a label read differently from what it stores.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Check = (value: unknown, path: string) => unknown;

export const fail = (path: string, message: string) => new OpError("validation_error", message, path);

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

export function checkId(value: unknown, path: string): string {
  if (!isId(value)) throw fail(path, "An id is 1 to 64 characters of letters, digits, '-' or '_'.");
  return value;
}

/** Length in code points, as Python counts it. */
export function textLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function textCheck(limit: number): Check {
  return (value, path) => {
    if (typeof value !== "string") throw fail(path, "Expected text.");
    if (value.includes("\u0000")) throw fail(path, "Text may not contain the NUL character.");
    if (LONE_SURROGATE.test(value)) throw fail(path, "Text contains an unpaired surrogate, which is not valid Unicode.");
    if (BIDI_CONTROLS.test(value)) throw fail(path, "Text may not contain bidirectional override characters.");
    const normal = value.normalize("NFC");
    if (textLength(normal) > limit) throw fail(path, `Text is limited to ${limit} characters.`);
    return normal;
  };
}

export function checkNumber(value: unknown, path: string): number {
  if (typeof value !== "number") throw fail(path, "Expected a number.");
  if (!Number.isFinite(value) || Math.abs(value) > LIMITS.coord) {
    throw fail(path, "Expected a finite number between -1e+06 and 1e+06.");
  }
  return value;
}

/** A group a box belongs to: an id, or "" to leave it (an update cannot remove a key). */
function groupId(value: unknown, path: string): string {
  return value === "" ? "" : checkId(value, path);
}

function size(value: unknown, path: string): number {
  const n = checkNumber(value, path);
  if (n <= 0) throw fail(path, "A size must be greater than zero.");
  return n;
}

function replicas(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > LIMITS.replicas) {
    throw fail(path, `Replicas is a whole number from 1 to ${LIMITS.replicas}.`);
  }
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw fail(path, "Expected true or false.");
  return value;
}

function timeout(value: unknown, path: string): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > LIMITS.timeoutMs) {
    throw fail(path, `A timeout is a whole number of milliseconds from 1 to ${LIMITS.timeoutMs}, or null.`);
  }
  return value;
}

function retries(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > LIMITS.retries) {
    throw fail(path, `Retries is a whole number from 0 to ${LIMITS.retries}.`);
  }
  return value;
}

/** A type-bound field (dead letter, backup) may be true only on the types the vocabulary lists for it. */
export function checkTypedFields(component: Record<string, unknown>, path: string, changed: readonly string[] = []): void {
  for (const [name, types] of Object.entries(TYPED_FIELDS)) {
    if (component[name] === true && !(types as readonly string[]).includes(String(component.type))) {
      const at = !changed.length || changed.includes(name) ? name : "type";
      throw fail(
        `${path}.${at}`,
        `Only ${types.join(", ")} components can have '${name}'; a ${String(component.type)} cannot (set it to false first, or in the same op).`,
      );
    }
  }
}

function choice(options: readonly string[]): Check {
  return (value, path) => {
    if (typeof value !== "string" || !options.includes(value)) {
      throw fail(path, `Expected one of: ${options.join(", ")}.`);
    }
    return value;
  };
}

type FieldSpec = {
  readonly type: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly limit?: string;
  /** No default: absent until someone sets it (a component's `credit`, an arrow's sides, a box's `group`). */
  readonly optional?: boolean;
};
const SPECS: Readonly<Record<Kind, Readonly<Record<string, FieldSpec>>>> = VOCABULARY.element_kinds;

const CHECKS: Readonly<Record<string, Check>> = {
  component_type: choice(COMPONENT_TYPES),
  arrow_style: choice(ARROW_STYLES),
  arrow_side: choice(ARROW_SIDES),
  credit: choice(["", ...CREDITS]),
  group_id: groupId,
  frame_ref: (value, path) => (value === "" ? value : checkId(value, path)),
  familiarity: choice(["", ...FAMILIARITIES]),
  boolean,
  timeout,
  retries,
  id: checkId,
  number: checkNumber,
  size,
  replicas,
};

function checkOf(spec: FieldSpec): Check {
  if (spec.limit !== undefined) {
    const limit = (VOCABULARY.limits as Readonly<Record<string, number>>)[spec.limit];
    if (limit === undefined) throw new Error(`vocabulary: no limit named ${spec.limit}`);
    return textCheck(limit);
  }
  const check = CHECKS[spec.type];
  if (!check) throw new Error(`vocabulary: no check for field type ${spec.type}`);
  return check;
}

/** Each kind's fields, from the vocabulary: their checks, which are required, and the others' defaults. */
function perKind<V>(pick: (fields: Readonly<Record<string, FieldSpec>>) => V): Readonly<Record<Kind, V>> {
  return Object.fromEntries(KINDS.map((kind) => [kind, pick(SPECS[kind])])) as Record<Kind, V>;
}

export const FIELDS = perKind((fields) => Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, checkOf(spec)])));
const REQUIRED = perKind((fields) => Object.keys(fields).filter((name) => fields[name]?.required));
export const DEFAULTS = perKind((fields) =>
  Object.fromEntries(Object.entries(fields).flatMap(([name, spec]) => (spec.required || spec.optional ? [] : [[name, spec.default]]))),
);
const ANY_FIELD: Readonly<Record<string, Check>> = Object.assign({}, FIELDS.frame, FIELDS.note, FIELDS.arrow, FIELDS.component);

export function checkObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OpError("bad_request", "Expected a JSON object.", path);
  }
  return value as Record<string, unknown>;
}

export function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  const extra = Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .sort();
  if (extra.length) throw fail(`${path}.${extra[0]}`, "Unknown property.");
}

export const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

export function parseElement(raw: unknown, path = "element"): Element {
  const value = checkObject(raw, path);
  const kind = value.kind;
  if (typeof kind !== "string" || !hasOwn(FIELDS, kind)) throw fail(`${path}.kind`, `Expected one of: ${KINDS.join(", ")}.`);
  const fields = FIELDS[kind as Kind];
  onlyKeys(value, ["id", "kind", ...Object.keys(fields)], path);
  for (const name of REQUIRED[kind as Kind]) {
    if (!hasOwn(value, name)) throw fail(`${path}.${name}`, "This property is required.");
  }
  const element: Record<string, unknown> = { id: checkId(value.id, `${path}.id`), kind, ...DEFAULTS[kind as Kind] };
  for (const [name, check] of Object.entries(fields)) {
    if (hasOwn(value, name)) element[name] = check(value[name], `${path}.${name}`);
  }
  if (kind === "arrow" && element.source === element.target) {
    throw fail(`${path}.target`, "An arrow must connect two different components.");
  }
  if (kind === "component") checkTypedFields(element, path);
  return element as unknown as Element;
}

function parseProps(raw: unknown, path: string): ElementProps {
  const value = checkObject(raw, path);
  const keys = Object.keys(value);
  if (!keys.length) throw fail(path, "An update must change at least one property.");
  const props: Record<string, unknown> = {};
  for (const name of keys) {
    const check = hasOwn(ANY_FIELD, name) ? ANY_FIELD[name] : undefined;
    if (!check) throw fail(`${path}.${name}`, "Unknown or read-only property.");
    props[name] = check(value[name], `${path}.${name}`);
  }
  return props as ElementProps;
}

/** Check one op on its own and return it normalised (defaults filled, text NFC). */
export function parseOp(raw: unknown, path = "op"): CanvasOp {
  const value = checkObject(raw, path);
  if (value.op === "add") {
    onlyKeys(value, ["op", "element"], path);
    return { op: "add", element: parseElement(value.element, `${path}.element`) };
  }
  if (value.op === "update") {
    onlyKeys(value, ["op", "id", "props"], path);
    return { op: "update", id: checkId(value.id, `${path}.id`), props: parseProps(value.props, `${path}.props`) };
  }
  if (value.op === "delete") {
    onlyKeys(value, ["op", "id"], path);
    return { op: "delete", id: checkId(value.id, `${path}.id`) };
  }
  throw new OpError("unknown_op", "Unknown op; expected add, update or delete.", `${path}.op`);
}

export function parseOps(raw: unknown): CanvasOp[] {
  if (!Array.isArray(raw)) throw new OpError("bad_request", "A batch needs a list of ops.", "ops");
  if (!raw.length) throw fail("ops", "A batch needs at least one op.");
  if (raw.length > LIMITS.maxOpsPerBatch) {
    throw new OpError("too_large", `A batch holds at most ${LIMITS.maxOpsPerBatch} ops.`, "ops");
  }
  return raw.map((op, i) => parseOp(op, `ops[${i}]`));
}

export interface Applied {
  /** The state after the batch (a new map; unchanged elements keep their identity). */
  readonly state: Elements;
  /** The ops as the server would store them: normalised, component deletes preceded by their arrows, frame deletes by their members' updates. */
  readonly ops: CanvasOp[];
  /** Ids added, changed or deleted. */
  readonly touched: ReadonlySet<string>;
}

/** The board as the batch sees it: changes so far layered over the state. */
class Overlay {
  readonly changes = new Map<string, Element | null>();
  constructor(readonly base: Elements) {}

  get(id: string): Element | undefined {
    if (this.changes.has(id)) return this.changes.get(id) ?? undefined;
    return this.base.get(id);
  }

  require(id: string, path: string): Element {
    const element = this.get(id);
    if (!element) throw new OpError("unknown_ref", `No element with id '${id}' on this board.`, path);
    return element;
  }

  /** The boxes whose `frame` names this frame. */
  members(frameId: string): string[] {
    const found = new Set<string>();
    for (const key of [...this.base.keys(), ...this.changes.keys()]) {
      const e = this.get(key);
      if (e && e.kind !== "arrow" && e.kind !== "frame" && e.frame === frameId) found.add(key);
    }
    return [...found].sort();
  }

  arrowsTouching(id: string): string[] {
    const found: string[] = [];
    const seen = new Set<string>();
    const consider = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const e = this.get(key);
      if (e && e.kind === "arrow" && (e.source === id || e.target === id)) found.push(key);
    };
    for (const key of this.base.keys()) consider(key);
    for (const key of this.changes.keys()) consider(key);
    return found.sort();
  }

  size(): number {
    let n = this.base.size;
    for (const [id, value] of this.changes) {
      const existed = this.base.has(id);
      if (value === null && existed) n--;
      else if (value !== null && !existed) n++;
    }
    return n;
  }
}

function checkEndpoints(board: Overlay, arrow: Record<string, unknown>, path: string): void {
  for (const end of ["source", "target"] as const) {
    const target = board.require(String(arrow[end]), `${path}.${end}`);
    if (target.kind !== "component") throw new OpError("unknown_ref", "An arrow must connect components.", `${path}.${end}`);
  }
  if (arrow.source === arrow.target) throw fail(`${path}.target`, "An arrow must connect two different components.");
}

/** A box's `frame` names a frame on the board ("" is none). */
function checkFrame(board: Overlay, frameId: string | undefined, path: string): void {
  if (!frameId) return;
  const frame = board.get(frameId);
  if (!frame) throw new OpError("unknown_ref", `No frame with id '${frameId}' on this board.`, path);
  if (frame.kind !== "frame") throw new OpError("unknown_ref", `A box belongs only to a frame; '${frameId}' is a ${frame.kind}.`, path);
}

/**
 * Apply ops in order, all or nothing; throws OpError with the server's code and path.
 * Ops may be raw (from the UI) or normalised (from the server): each is parsed first.
 */
export function applyOps(state: Elements, rawOps: readonly unknown[]): Applied {
  const ops = parseOps(rawOps as unknown[]);
  const board = new Overlay(state);
  const out: CanvasOp[] = [];
  ops.forEach((op, i) => {
    const path = `ops[${i}]`;
    if (op.op === "add") {
      const element = op.element;
      if (board.get(element.id)) {
        throw new OpError("duplicate_id", `Element '${element.id}' already exists.`, `${path}.element.id`);
      }
      if (element.kind === "arrow") checkEndpoints(board, element as unknown as Record<string, unknown>, `${path}.element`);
      if (element.kind === "component" || element.kind === "note") checkFrame(board, element.frame, `${path}.element.frame`);
      board.changes.set(element.id, element);
      out.push(op);
    } else if (op.op === "update") {
      const current = board.require(op.id, `${path}.id`);
      const allowed = FIELDS[current.kind];
      for (const name of Object.keys(op.props)) {
        if (!hasOwn(allowed, name)) throw fail(`${path}.props.${name}`, `A ${current.kind} has no property '${name}'.`);
      }
      const updated = { ...current, ...op.props } as Element;
      if (current.kind === "component") checkTypedFields(updated as unknown as Record<string, unknown>, `${path}.props`, Object.keys(op.props));
      if (current.kind === "arrow") checkEndpoints(board, updated as unknown as Record<string, unknown>, `${path}.props`);
      if (hasOwn(op.props, "frame")) checkFrame(board, op.props.frame, `${path}.props.frame`);
      board.changes.set(op.id, updated);
      out.push(op);
    } else {
      const current = board.require(op.id, `${path}.id`);
      // The server writes the cascade into the stored batch; do the same so replays agree.
      if (current.kind === "frame") {
        for (const member of board.members(op.id)) {
          board.changes.set(member, { ...board.require(member, path), frame: "" } as Element);
          out.push({ op: "update", id: member, props: { frame: "" } });
        }
      }
      const cascade = current.kind === "component" ? board.arrowsTouching(op.id) : [];
      for (const id of [...cascade, op.id]) {
        board.changes.set(id, null);
        out.push({ op: "delete", id });
      }
    }
  });
  if (board.size() > LIMITS.maxElements) {
    throw new OpError("too_large", `A board holds at most ${LIMITS.maxElements} elements.`, "ops");
  }
  const next = new Map(state);
  for (const [id, value] of board.changes) {
    if (value === null) next.delete(id);
    else next.set(id, value);
  }
  return { state: next, ops: out, touched: new Set(board.changes.keys()) };
}

/** Build a state from a list of elements (a welcome or an import). */
export function elementsFrom(list: readonly Element[]): Map<string, Element> {
  return new Map(list.map((element) => [element.id, element]));
}

/** Replay batches onto a state; the server's materialised state must equal this. */
export function fold(batches: readonly (readonly CanvasOp[])[], state: Elements = new Map()): Elements {
  return batches.reduce<Elements>((current, ops) => applyOps(current, ops).state, state);
}
