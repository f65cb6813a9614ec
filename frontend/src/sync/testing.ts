// Test doubles for the sync client: a scriptable socket and a tiny authoritative server.
// Used only by *.test.ts (never imported by the app).

import type { Annotations } from "./annotations";
import { applyLocalBatch, type Board, EMPTY_BOARD } from "./batch";
import type { SocketLike } from "./client";
import { canReadPrivate, PROTOCOL } from "./protocol";
import type {
  BatchMessage,
  BoardMeta,
  CatchupMessage,
  Element,
  Mode,
  Op,
  Participant,
  RejectedMessage,
  Role,
  ServerMessage,
  ServerOps,
  WelcomeMessage,
  You,
} from "./protocol";

export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  deliver(message: ServerMessage | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The server or the network closed it. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  batches(): { id: string; ops: Op[] }[] {
    return this.sent.filter((m) => m.type === "batch") as unknown as { id: string; ops: Op[] }[];
  }
}

export const BOARD: BoardMeta = {
  id: "b1",
  title: "Board",
  prompt: "",
  mode: "interview",
  owner: "alice",
  seq: 0,
  created_at: "2026-11-23T20:30:00.000Z",
  updated_at: "2026-11-23T20:30:00.000Z",
};

export const ME: You = { participant: "me", name: "Me", role: "candidate" };
export const THEM = "them";

export const AT = "2026-11-23T20:31:05.123Z";

/**
 * An authoritative op log, like services.batch_submit: accepts or rejects by the same rules as
 * the client (roles included), numbers each stream on its own, keeps ids for resends.
 */
export class FakeServer {
  board: Board = EMPTY_BOARD;
  seq = 0;
  /** The server's clock: each batch's `at`, and the welcome's `now`. */
  at = AT;
  privateSeq = 0;
  mode: Mode = "interview";
  /** Everyone's role; anyone not listed is an interviewer. */
  readonly roles = new Map<string, Role>([[ME.participant, ME.role]]);
  readonly log: BatchMessage[] = [];
  readonly privateLog: BatchMessage[] = [];

  get state(): Board["elements"] {
    return this.board.elements;
  }

  commit(participant: string, id: string, ops: readonly unknown[]): BatchMessage | RejectedMessage {
    const existing = [...this.log, ...this.privateLog].find((b) => b.participant === participant && b.id === id);
    if (existing) return existing;
    try {
      const role = this.roles.get(participant) ?? "interviewer";
      const applied = applyLocalBatch(this.board, ops, { participant, role, mode: this.mode }, { at: this.at, head: this.seq });
      this.board = applied.board;
      const stream = applied.stream;
      const seq = stream === "public" ? ++this.seq : ++this.privateSeq;
      const batch: BatchMessage = { type: "batch", stream, seq, id, participant, ops: applied.ops as unknown as ServerOps, at: this.at };
      (stream === "public" ? this.log : this.privateLog).push(batch);
      return batch;
    } catch (error) {
      const e = error as { code: RejectedMessage["code"]; message: string };
      return { type: "rejected", id, code: e.code, message: e.message, retryable: false };
    }
  }

  /** What a role may see of the annotations. */
  annotationsFor(role: Role): Annotations {
    return new Map([...this.board.annotations].filter(([, a]) => a.layer !== "private" || canReadPrivate(role)));
  }

  welcome(you: You = ME, participants: Participant[] = []): WelcomeMessage {
    return {
      type: "welcome",
      protocol: PROTOCOL,
      seq: this.seq,
      board: { ...BOARD, mode: this.mode, seq: this.seq, closed: this.board.session.status === "ended" },
      elements: [...this.board.elements.values()],
      annotations: [...this.annotationsFor(you.role).values()],
      session: { ...this.board.session, now: this.at },
      requirements: [...this.board.requirements.values()],
      ...(canReadPrivate(you.role) ? { private_seq: this.privateSeq } : {}),
      you,
      participants,
    };
  }

  catchup(since: number, you: You = ME, privateSince?: number): CatchupMessage {
    const batches = this.log.filter((b) => b.seq > since);
    if (!canReadPrivate(you.role)) return { type: "catchup", protocol: PROTOCOL, seq: this.seq, batches, you, participants: [] };
    const after = privateSince ?? this.privateSeq;
    const private_batches = this.privateLog.filter((b) => b.seq > after);
    return { type: "catchup", protocol: PROTOCOL, seq: this.seq, batches, private_seq: this.privateSeq, private_batches, you, participants: [] };
  }
}

export const box = (id: string, extra: Partial<Element> = {}): Element =>
  ({ id, kind: "component", type: "service", x: 0, y: 0, ...extra }) as Element;

export const arrow = (id: string, source: string, target: string): Element =>
  ({ id, kind: "arrow", source, target }) as Element;
