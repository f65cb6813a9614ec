// Test doubles for the sync client: a scriptable socket and a tiny authoritative server.
// Used only by *.test.ts (never imported by the app).

import type { SocketLike } from "./client";
import { applyOps, type Elements } from "./ops";
import type {
  BatchMessage,
  BoardMeta,
  Element,
  Op,
  Participant,
  RejectedMessage,
  ServerMessage,
  ServerOps,
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

/** An authoritative op log, like services.batch_submit: accepts or rejects, numbers, keeps ids for resends. */
export class FakeServer {
  state: Elements = new Map();
  seq = 0;
  readonly log: BatchMessage[] = [];

  commit(participant: string, id: string, ops: readonly unknown[]): BatchMessage | RejectedMessage {
    const existing = this.log.find((b) => b.participant === participant && b.id === id);
    if (existing) return existing;
    try {
      const applied = applyOps(this.state, ops);
      this.state = applied.state;
      this.seq += 1;
      const batch: BatchMessage = {
        type: "batch",
        seq: this.seq,
        id,
        participant,
        ops: applied.ops as unknown as ServerOps,
        at: "2026-11-23T20:31:05.123Z",
      };
      this.log.push(batch);
      return batch;
    } catch (error) {
      const e = error as { code: RejectedMessage["code"]; message: string };
      return { type: "rejected", id, code: e.code, message: e.message, retryable: false };
    }
  }

  welcome(you: You = ME, participants: Participant[] = []): ServerMessage {
    return {
      type: "welcome",
      seq: this.seq,
      board: { ...BOARD, seq: this.seq },
      elements: [...this.state.values()],
      you,
      participants,
    };
  }

  catchup(since: number, you: You = ME): ServerMessage {
    return { type: "catchup", seq: this.seq, batches: this.log.filter((b) => b.seq > since), you, participants: [] };
  }
}

export const box = (id: string, extra: Partial<Element> = {}): Element =>
  ({ id, kind: "component", type: "service", x: 0, y: 0, ...extra }) as Element;

export const arrow = (id: string, source: string, target: string): Element =>
  ({ id, kind: "arrow", source, target }) as Element;
