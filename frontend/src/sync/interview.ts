// The interview session: the clock, the phases and the requirements ledger.
//
// The same rules as the server (reviews/interview.py), in two halves like the
// annotations:
//   - `checkInterviewOps` takes the ops a client sends, checks them against the
//     session, the ledger, the board and the sender's role, so an op the server
//     would refuse is refused here first with the same code and path;
//   - `applyInterviewOps` applies stored ops (ours, or the server's) the way the
//     server's replay folds them: an op that no longer applies is skipped.
// Times are the batch's own (`at`), so the clock computed here is the one the
// server computes. Pure and never mutates input.

import { checkId, checkObject, type Elements, fail, hasOwn, onlyKeys, OpError, textCheck } from "./ops";
import {
  canAnswer,
  canKeepClock,
  canWriteLedger,
  hasSession,
  LIMITS,
  type Mode,
  PHASES,
  type Phase,
  type LedgerEntry,
  REQUIREMENT_KINDS,
  type LedgerKind,
  type Role,
  SESSION_ACTIONS,
  SESSION_LIMITS,
  type Session,
  type SessionAction,
  type SessionStatus,
  type StoredInterviewOp,
} from "./protocol";

export type Ledger = ReadonlyMap<string, LedgerEntry>;

/** The session and the ledger: what interview ops change. */
export interface Interview {
  readonly session: Session;
  readonly requirements: Ledger;
}

export const IDLE_SESSION: Session = {
  status: "idle",
  minutes: SESSION_LIMITS.defaultMinutes,
  elapsed: 0,
  running_since: null,
  phase: null,
  phases: [],
  started_at: null,
  ended_at: null,
};

/** Which actions each status allows, and where they lead; `resume` after `end` reopens. */
const TRANSITIONS: Readonly<Record<string, SessionStatus>> = {
  "idle:start": "running",
  "running:pause": "paused",
  "paused:resume": "running",
  "ended:resume": "running",
  "running:end": "ended",
  "paused:end": "ended",
};

/** Where `action` leads from `status`, or null when the server would refuse it. */
export function transition(status: SessionStatus, action: SessionAction): SessionStatus | null {
  return TRANSITIONS[`${status}:${action}`] ?? null;
}

/** An ended session closes the board to everyone but the owner and interviewers. */
export function isClosed(session: Session): boolean {
  return session.status === "ended";
}

// ---- The clock -------------------------------------------------------------------------

/** Seconds of interview time used by `now` (milliseconds since the epoch, on the server's clock). */
export function usedSeconds(session: Session, now: number): number {
  const since = session.running_since === null ? NaN : Date.parse(session.running_since);
  const running = Number.isNaN(since) ? 0 : Math.max(0, (now - since) / 1000);
  return session.elapsed + running;
}

/** Seconds left by `now`; negative once over time. */
export function remainingSeconds(session: Session, now: number): number {
  return session.minutes * 60 - usedSeconds(session, now);
}

/** A session as the server sends it (`welcome.session` carries `now` too; it is not part of the state). */
export function sessionFrom(raw: (Session & { readonly now?: string | null }) | undefined): Session {
  if (!raw) return IDLE_SESSION;
  const { now: _now, ...session } = raw;
  return session;
}

export function requirementsFrom(list: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  return new Map(list.map((entry) => [entry.id, entry]));
}

/** The ledger in the order it was written. */
export function requirementList(requirements: Ledger): LedgerEntry[] {
  return [...requirements.values()].sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
}

// ---- Parsing a client's ops ---------------------------------------------------------------

const entryText = textCheck(LIMITS.text);

function body(value: unknown, path: string): string {
  const text = entryText(value, path) as string;
  if (!text.trim()) throw fail(path, "Text cannot be empty.");
  return text;
}

function choice<T extends string>(options: readonly T[], value: unknown, path: string): T {
  if (typeof value !== "string" || !(options as readonly string[]).includes(value)) {
    throw fail(path, `Expected one of: ${options.join(", ")}.`);
  }
  return value as T;
}

function required(value: Record<string, unknown>, names: readonly string[], path: string): void {
  for (const name of names) if (!hasOwn(value, name)) throw fail(`${path}.${name}`, "This property is required.");
}

function links(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length > SESSION_LIMITS.maxLinks) {
    throw fail(path, `Links are a list of at most ${SESSION_LIMITS.maxLinks} element ids.`);
  }
  const ids = value.map((item: unknown, i) => checkId(item, `${path}[${i}]`));
  if (new Set(ids).size !== ids.length) throw fail(path, "Each element may be linked once.");
  return ids;
}

/** Check one session, phase or ledger op on its own and return it as the server stores it. */
export function parseInterviewOp(raw: unknown, path = "op"): StoredInterviewOp {
  const value = checkObject(raw, path);
  switch (value.op) {
    case "session": {
      onlyKeys(value, ["op", "action", "minutes"], path);
      required(value, ["action"], path);
      const action = choice<SessionAction>(SESSION_ACTIONS, value.action, `${path}.action`);
      if (!hasOwn(value, "minutes")) return { op: "session", action };
      if (action !== "start") throw fail(`${path}.minutes`, "The length is set when the session starts.");
      const minutes = value.minutes;
      if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > SESSION_LIMITS.maxMinutes) {
        throw fail(`${path}.minutes`, `Minutes is a whole number from 1 to ${SESSION_LIMITS.maxMinutes}.`);
      }
      return { op: "session", action, minutes };
    }
    case "phase":
      onlyKeys(value, ["op", "phase"], path);
      required(value, ["phase"], path);
      return { op: "phase", phase: choice<Phase>(PHASES, value.phase, `${path}.phase`) };
    case "requirement": {
      onlyKeys(value, ["op", "entry"], path);
      required(value, ["entry"], path);
      const entry = checkObject(value.entry, `${path}.entry`);
      const at = `${path}.entry`;
      onlyKeys(entry, ["id", "kind", "text", "links"], at);
      required(entry, ["id", "kind", "text"], at);
      return {
        op: "requirement",
        entry: {
          id: checkId(entry.id, `${at}.id`),
          kind: choice<LedgerKind>(REQUIREMENT_KINDS, entry.kind, `${at}.kind`),
          text: body(entry.text, `${at}.text`),
          links: links(hasOwn(entry, "links") ? entry.links : [], `${at}.links`),
        },
      };
    }
    case "answer_requirement":
      required(value, ["entry"], path);
      checkId(value.entry, `${path}.entry`);
      onlyKeys(value, ["op", "entry", "text"], path);
      required(value, ["text"], path);
      return { op: "answer_requirement", entry: value.entry as string, text: body(value.text, `${path}.text`) };
    case "link_requirement":
      required(value, ["entry"], path);
      checkId(value.entry, `${path}.entry`);
      onlyKeys(value, ["op", "entry", "links"], path);
      required(value, ["links"], path);
      return { op: "link_requirement", entry: value.entry as string, links: links(value.links, `${path}.links`) };
    default:
      throw new OpError("unknown_op", "Unknown session or ledger op.", `${path}.op`);
  }
}

// ---- Applying (shared by the check and the fold) -------------------------------------------

/** Who sends a batch, on what kind of board. */
export interface InterviewActor {
  readonly participant: string;
  readonly role: Role;
  readonly mode: Mode;
}

/** The batch an op belongs to: its author, its time and its (public) seq. */
export interface BatchStamp {
  readonly participant: string;
  readonly at: string;
  readonly seq: number;
}

function withSession(session: Session, action: SessionAction, minutes: number | undefined, to: SessionStatus, batch: BatchStamp): Session {
  const elapsed = usedSeconds(session, Date.parse(batch.at));
  let next: Session = { ...session, status: to, elapsed, running_since: to === "running" ? batch.at : null };
  if (action === "start") {
    next = {
      ...next,
      minutes: minutes ?? SESSION_LIMITS.defaultMinutes,
      started_at: batch.at,
      phase: PHASES[0],
      phases: [{ phase: PHASES[0], at: batch.at, seq: batch.seq }],
    };
  }
  if (to === "ended") next = { ...next, ended_at: batch.at };
  else if (session.status === "ended") next = { ...next, ended_at: null };
  return next;
}

function withPhase(session: Session, phase: Phase, batch: BatchStamp): Session {
  return { ...session, phase, phases: [...session.phases, { phase, at: batch.at, seq: batch.seq }] };
}

function withOp(state: Interview, op: StoredInterviewOp, batch: BatchStamp): Interview {
  const { session, requirements } = state;
  switch (op.op) {
    case "session": {
      const to = transition(session.status, op.action);
      return to === null ? state : { ...state, session: withSession(session, op.action, op.minutes, to, batch) };
    }
    case "phase":
      if (session.status === "idle" || op.phase === session.phase) return state;
      return { ...state, session: withPhase(session, op.phase, batch) };
    case "requirement": {
      const entry: LedgerEntry = { ...op.entry, author: batch.participant, seq: batch.seq, created_at: batch.at, answer: null };
      return { ...state, requirements: new Map(requirements).set(entry.id, entry) };
    }
    case "answer_requirement": {
      const entry = requirements.get(op.entry);
      if (!entry) return state;
      const answer = { text: op.text, author: batch.participant, seq: batch.seq, at: batch.at };
      return { ...state, requirements: new Map(requirements).set(entry.id, { ...entry, answer }) };
    }
    case "link_requirement": {
      const entry = requirements.get(op.entry);
      if (!entry) return state;
      return { ...state, requirements: new Map(requirements).set(entry.id, { ...entry, links: op.links }) };
    }
  }
}

/** Apply stored session and ledger ops in order, skipping what no longer applies (the server's replay fold). */
export function applyInterviewOps(state: Interview, ops: readonly StoredInterviewOp[], batch: BatchStamp): Interview {
  let next = state;
  for (const op of ops) next = withOp(next, op, batch);
  return next;
}

// ---- Checking a client's ops ------------------------------------------------------------

export interface IndexedInterviewOp {
  /** The op's place in its batch, for error paths. */
  readonly index: number;
  readonly op: StoredInterviewOp;
}

const forbidden = (message: string, path: string) => new OpError("forbidden", message, path);

function findEntry(requirements: Ledger, id: string, path: string): LedgerEntry {
  const entry = requirements.get(id);
  if (!entry) throw new OpError("unknown_ref", `No requirement entry with id '${id}'.`, path);
  return entry;
}

function checkLinks(ids: readonly string[], elements: Elements, path: string): void {
  ids.forEach((id, i) => {
    if (!elements.has(id)) throw new OpError("unknown_ref", `No element with id '${id}' on this board.`, `${path}[${i}]`);
  });
}

function checkOne(state: Interview, op: StoredInterviewOp, path: string, actor: InterviewActor, elements: Elements): void {
  const { session, requirements } = state;
  switch (op.op) {
    case "session":
    case "phase": {
      if (!hasSession(actor.mode)) throw fail(`${path}.op`, "Only interview and practice boards have a session.");
      if (!canKeepClock(actor.role)) throw forbidden("Only the interviewer controls the clock and the phases.", path);
      if (op.op === "session") {
        if (transition(session.status, op.action) === null) {
          throw fail(`${path}.action`, `A ${session.status} session cannot ${op.action}.`);
        }
      } else if (session.status === "idle") {
        throw fail(`${path}.phase`, "Start the session before moving between phases.");
      } else if (op.phase === session.phase) {
        throw fail(`${path}.phase`, `The session is already in ${op.phase}.`);
      }
      return;
    }
    case "requirement":
      if (!canWriteLedger(actor.role)) throw forbidden(`A ${actor.role} cannot add to the requirements ledger.`, path);
      if (requirements.has(op.entry.id)) {
        throw new OpError("duplicate_id", `Entry '${op.entry.id}' already exists.`, `${path}.entry.id`);
      }
      checkLinks(op.entry.links, elements, `${path}.entry.links`);
      return;
    case "answer_requirement":
      if (!canAnswer(actor.role)) throw forbidden("Only the interviewer answers the requirements ledger.", path);
      findEntry(requirements, op.entry, `${path}.entry`);
      return;
    case "link_requirement": {
      const entry = findEntry(requirements, op.entry, `${path}.entry`);
      if (!canAnswer(actor.role) && entry.author !== actor.participant) throw forbidden("You can only link your own entries.", path);
      checkLinks(op.links, elements, `${path}.links`);
      return;
    }
  }
}

/**
 * Check a batch's session and ledger ops, in order, the way the server does (against the board
 * as the batch's canvas ops left it), and return the state after them. Throws OpError with the
 * server's code and path for the first op the server would refuse.
 */
export function checkInterviewOps(
  state: Interview,
  elements: Elements,
  ops: readonly IndexedInterviewOp[],
  actor: InterviewActor,
  batch: BatchStamp,
): Interview {
  let current = state;
  for (const { index, op } of ops) {
    checkOne(current, op, `ops[${index}]`, actor, elements);
    current = withOp(current, op, batch);
  }
  return current;
}

