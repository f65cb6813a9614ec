// SyncClient: one board's live connection, framework-free.
//
// The server is the authority. Local batches apply optimistically and wait in
// `pending` under their client batch id; every server batch is applied to the
// server state, and the view is always
//
//     view = server state at `seq`  +  replay of the still-pending local batches
//
// so the client converges on the server's order no matter how batches
// interleave. A batch echoed back with our own id is the acknowledgement; a
// rejected one is dropped and the view recomputed (the rollback). After a
// reconnect (`?since=seq`) every unacknowledged batch is resent with the same
// id; the server acknowledges a resend of something it already stored again,
// which we tolerate. A gap in seq (a lost broadcast, a `head` ahead of us) is
// filled from `GET /api/boards/{id}/ops/?after=`.

import { applyOps, elementsFrom, type Elements, OpError, parseOps } from "./ops";
import {
  type BatchMessage,
  type BoardMeta,
  CLOSE,
  type CatchupMessage,
  type ClientMessage,
  type ErrorCode,
  type Op,
  type OpsPage,
  type Participant,
  type Point,
  type PresenceMessage,
  type PreviewMessage,
  type PreviewProps,
  type RejectedMessage,
  type ServerMessage,
  type WelcomeMessage,
  type You,
  canEditCanvas,
  parseServerMessage,
} from "./protocol";

export type Status = "connecting" | "live" | "reconnecting" | "offline" | "removed" | "deleted";

export interface SyncSnapshot {
  /** What the user sees: the server state plus the replay of pending local batches. */
  readonly elements: Elements;
  /** The server state at `seq` (without local changes). */
  readonly server: Elements;
  /** The last server seq applied, or null before the first welcome. */
  readonly seq: number | null;
  readonly status: Status;
  /** Local batches not yet acknowledged by the server. */
  readonly unsynced: number;
  readonly board: BoardMeta | null;
  readonly you: You | null;
  readonly participants: ReadonlyMap<string, Participant>;
}

export type SyncEvent =
  | { readonly type: "ack"; readonly batch: BatchMessage }
  | { readonly type: "remote"; readonly batch: BatchMessage }
  | {
      readonly type: "rejected";
      readonly batchId: string | null;
      readonly code: ErrorCode;
      readonly message: string;
      readonly path?: string;
      readonly retryable: boolean;
      /** The ops that were rolled back (absent for a non-batch refusal or a retry). */
      readonly ops?: readonly Op[];
    }
  | { readonly type: "reset" }
  | PresenceMessage
  | PreviewMessage
  | { readonly type: "joined"; readonly participant: Participant }
  | { readonly type: "left"; readonly participant: string };

/** The subset of the browser WebSocket the client uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface PendingStore {
  load(): PendingBatch[];
  save(pending: readonly PendingBatch[]): void;
}

export interface Submitted {
  /** The client batch id. */
  readonly id: string;
  /** What the user saw before and after the batch. */
  readonly before: Elements;
  readonly after: Elements;
  /** Every id the batch added, changed or deleted (cascades included). */
  readonly touched: ReadonlySet<string>;
}

export interface PendingBatch {
  readonly id: string;
  readonly ops: readonly Op[];
}

export interface SyncOptions {
  /** Absolute ws(s):// URL of the board socket, without a query. */
  readonly socketUrl: string;
  /** REST URL of the board's op log, e.g. /api/boards/<id>/ops/ */
  readonly opsUrl: string;
  /** REST URL of the board, probed when the socket keeps failing (404 = access gone). */
  readonly boardUrl?: string;
  /** Who we are, until the welcome says so. */
  readonly you?: You;
  readonly createSocket?: (url: string) => SocketLike;
  readonly fetchJson?: (url: string) => Promise<unknown>;
  readonly timers?: Timers;
  readonly random?: () => number;
  /** Batch id prefix; unique per tab. */
  readonly clientId?: string;
  readonly pendingStore?: PendingStore;
  readonly backoffBase?: number;
  readonly backoffMax?: number;
  /** Reconnect when nothing arrived for this long (the server sends `head` every 15 s). */
  readonly livenessTimeout?: number;
  /** Batches a second we allow ourselves (the server refuses over 30/s, burst 60). */
  readonly batchRate?: number;
  readonly batchBurst?: number;
}

const OPEN = 1;
const PRESENCE_INTERVAL = 50; // ms: 20 a second, under the server's 30
const PREVIEW_FRAMES_PER_SECOND = 60; // of the server's 120 frames a second, leaving room for the rest
const PREVIEW_INTERVAL = 1000 / 30;
const HEAD_GRACE = 1500; // ms: a batch may be in flight when a head arrives
const OFFLINE_AFTER_FAILURES = 3;
const GAP_PAGE = 500;

interface Pending {
  readonly id: string;
  readonly ops: readonly Op[];
  sent: boolean;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new HttpError(response.status, `GET ${url} answered ${response.status}`);
  return response.json();
}

export function randomId(length = 10, random: () => number = Math.random): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export class SyncClient {
  private readonly options: SyncOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly clientId: string;
  private counter = 0;

  private server: Elements = new Map();
  private view: Elements = new Map();
  private seq: number | null = null;
  private pending: Pending[] = [];
  private readonly buffer = new Map<number, BatchMessage>();
  private board: BoardMeta | null = null;
  private you: You | null = null;
  private participants = new Map<string, Participant>();
  private status: Status = "connecting";
  private snapshot: SyncSnapshot;

  private socket: SocketLike | null = null;
  private joined = false;
  private stopped = true;
  private failures = 0;
  private generation = 0;
  private reconnectTimer: unknown = null;
  private livenessTimer: unknown = null;
  private headTimer: unknown = null;
  private flushTimer: unknown = null;
  private retryTimer: unknown = null;
  private retryDelay = 0;
  private gapFetching = false;
  private tokens: number;
  private tokensAt: number;

  private presence: { cursor: Point | null; selection: readonly string[] } | null = null;
  private presenceSentAt = -Infinity;
  private presenceTimer: unknown = null;
  private readonly previews = new Map<string, PreviewProps>();
  private previewTimer: unknown = null;
  private previewSentAt = -Infinity;

  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: SyncEvent) => void>();

  constructor(options: SyncOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.clientId = options.clientId ?? `t${randomId(8, this.random)}`;
    this.tokens = this.batchBurst;
    this.tokensAt = this.timers.now();
    this.you = options.you ?? null;
    const restored = options.pendingStore?.load() ?? [];
    this.pending = restored.map((batch) => ({ id: batch.id, ops: batch.ops, sent: false }));
    this.snapshot = this.makeSnapshot();
  }

  // ---- Public API ---------------------------------------------------------

  /** Open the socket (and keep reopening it until stop()). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer("reconnectTimer");
    this.clearTimer("livenessTimer");
    this.clearTimer("headTimer");
    this.clearTimer("flushTimer");
    this.clearTimer("retryTimer");
    this.clearTimer("presenceTimer");
    this.clearTimer("previewTimer");
    this.dropSocket(1000);
  }

  /** Reconnect at once (the browser came back online, or the user asked). */
  reconnectNow(): void {
    if (this.stopped || this.status === "removed" || this.status === "deleted") return;
    if (this.socket && this.joined) return;
    this.clearTimer("reconnectTimer");
    this.dropSocket(1000);
    this.connect();
  }

  /** The browser says the network is gone: show it, and stop waiting on a dead socket. */
  markOffline(): void {
    if (this.status === "removed" || this.status === "deleted") return;
    this.dropSocket(1000);
    this.failures = Math.max(this.failures, OFFLINE_AFTER_FAILURES);
    this.setStatus("offline");
    this.scheduleReconnect(false);
  }

  getSnapshot = (): SyncSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onEvent(listener: (event: SyncEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  get canEdit(): boolean {
    return this.you !== null && canEditCanvas(this.you.role) && this.status !== "removed" && this.status !== "deleted";
  }

  /**
   * Apply ops locally at once and queue them for the server.
   * Throws OpError (nothing queued) when the ops do not apply to what the user sees.
   */
  submit(rawOps: readonly unknown[]): Submitted {
    if (!this.canEdit) throw new OpError("forbidden", "Your role cannot change the canvas.");
    const ops = parseOps(rawOps as unknown[]);
    const before = this.view;
    const applied = applyOps(before, ops);
    const id = `${this.clientId}-${++this.counter}`;
    this.pending.push({ id, ops, sent: false });
    this.view = applied.state;
    this.persist();
    this.changed();
    this.flush();
    return { id, before, after: applied.state, touched: applied.touched };
  }

  /** Where our pointer is (flow coordinates) and what we have selected; sent at most 20 times a second. */
  setPresence(cursor: Point | null, selection: readonly string[]): void {
    this.presence = { cursor, selection: selection.slice(0, 500) };
    if (this.presenceTimer !== null) return;
    const wait = Math.max(0, this.presenceSentAt + PRESENCE_INTERVAL - this.timers.now());
    this.presenceTimer = this.timers.setTimeout(() => {
      this.presenceTimer = null;
      const presence = this.presence;
      if (!presence || !this.isLive()) return;
      this.presenceSentAt = this.timers.now();
      this.send({ type: "presence", cursor: presence.cursor, selection: presence.selection });
    }, wait);
  }

  /** A drag in progress: coalesced per element, latest wins, within the server's frame budget. */
  sendPreview(id: string, props: PreviewProps): void {
    if (!this.canEdit) return;
    this.previews.set(id, { ...this.previews.get(id), ...props });
    if (this.previewTimer !== null) return;
    const interval = Math.max(PREVIEW_INTERVAL, (this.previews.size * 1000) / PREVIEW_FRAMES_PER_SECOND);
    const wait = Math.max(0, this.previewSentAt + interval - this.timers.now());
    this.previewTimer = this.timers.setTimeout(() => this.flushPreviews(), wait);
  }

  /** Forget unsent previews (the drag ended and its update is on its way). */
  cancelPreviews(ids?: Iterable<string>): void {
    if (ids === undefined) this.previews.clear();
    else for (const id of ids) this.previews.delete(id);
  }

  // ---- Connection -----------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const url = this.seq === null ? this.options.socketUrl : `${this.options.socketUrl}?since=${this.seq}`;
    let socket: SocketLike;
    try {
      socket = (this.options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike))(url);
    } catch {
      this.onClosed(generation, 1006);
      return;
    }
    this.socket = socket;
    this.joined = false;
    socket.onmessage = (event) => {
      if (generation !== this.generation) return;
      this.armLiveness(generation);
      if (typeof event.data !== "string") return;
      const message = parseServerMessage(event.data);
      if (message) this.receive(message);
    };
    socket.onclose = (event) => this.onClosed(generation, event.code);
    socket.onerror = () => undefined; // a close always follows
    socket.onopen = () => {
      if (generation === this.generation) this.armLiveness(generation);
    };
    this.armLiveness(generation);
  }

  private dropSocket(code: number): void {
    const socket = this.socket;
    this.socket = null;
    this.joined = false;
    this.generation++;
    this.clearTimer("livenessTimer");
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(code);
      } catch {
        // already closed
      }
    }
  }

  private onClosed(generation: number, code: number): void {
    if (generation !== this.generation) return;
    this.socket = null;
    this.joined = false;
    this.generation++;
    this.clearTimer("livenessTimer");
    for (const p of this.pending) p.sent = false;
    if (this.stopped) return;
    if (code === CLOSE.accessRemoved) return this.terminal("removed");
    if (code === CLOSE.boardDeleted) return this.terminal("deleted");
    if (code === CLOSE.badRequest || code === CLOSE.binaryFrame) {
      // Our `since` or our frames confused the server: start over from a welcome.
      this.seq = null;
    }
    this.failures++;
    this.setStatus(this.failures >= OFFLINE_AFTER_FAILURES ? "offline" : "reconnecting");
    if (this.failures === OFFLINE_AFTER_FAILURES) void this.probeAccess();
    this.scheduleReconnect(code === CLOSE.flooding);
  }

  private terminal(status: "removed" | "deleted"): void {
    this.stopped = true;
    this.clearTimer("reconnectTimer");
    this.setStatus(status);
  }

  private scheduleReconnect(flooding: boolean): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const base = this.options.backoffBase ?? 500;
    const max = this.options.backoffMax ?? 15000;
    const exp = Math.min(max, base * 2 ** Math.max(0, this.failures - 1));
    const delay = Math.max(flooding ? 5000 : 0, exp * (0.5 + this.random() * 0.5));
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** A socket that keeps failing may mean our access is gone (the handshake is refused with a bare 403). */
  private async probeAccess(): Promise<void> {
    if (!this.options.boardUrl) return;
    try {
      await (this.options.fetchJson ?? defaultFetchJson)(this.options.boardUrl);
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 403)) this.terminal("removed");
    }
  }

  private armLiveness(generation: number): void {
    this.clearTimer("livenessTimer");
    const timeout = this.options.livenessTimeout ?? 45000;
    this.livenessTimer = this.timers.setTimeout(() => {
      this.livenessTimer = null;
      if (generation !== this.generation) return;
      // A half-open socket: nothing, not even a heartbeat. Treat it as closed.
      const socket = this.socket;
      this.onClosed(generation, 1006);
      if (socket) {
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        try {
          socket.close(4000);
        } catch {
          // already closed
        }
      }
    }, timeout);
  }

  private isLive(): boolean {
    return this.socket !== null && this.joined && this.socket.readyState === OPEN;
  }

  private send(message: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    try {
      this.socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  // ---- Receiving --------------------------------------------------------------

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        return this.onWelcome(message);
      case "catchup":
        return this.onCatchup(message);
      case "batch":
        return this.onBatch(message);
      case "rejected":
        return this.onRejected(message);
      case "head":
        return this.onHead(message.seq);
      case "board":
        this.board = message.board;
        return this.changed();
      case "joined":
        this.participants = new Map(this.participants).set(message.participant.id, {
          ...message.participant,
          online: true,
        });
        this.changed();
        return this.emit(message);
      case "left": {
        const who = this.participants.get(message.participant);
        if (who) this.participants = new Map(this.participants).set(who.id, { ...who, online: false });
        this.changed();
        return this.emit(message);
      }
      case "presence":
      case "preview":
        return this.emit(message);
    }
  }

  private joinedWith(you: You, participants: readonly Participant[]): void {
    this.you = you;
    this.participants = new Map(participants.map((p) => [p.id, p]));
    this.joined = true;
    this.failures = 0;
    this.retryDelay = 0;
    this.setStatus("live", false);
  }

  private onWelcome(message: WelcomeMessage): void {
    const replaced = this.seq !== null;
    this.server = elementsFrom(message.elements);
    this.seq = message.seq;
    this.board = message.board;
    this.buffer.clear();
    this.joinedWith(message.you, message.participants);
    if (replaced) this.emit({ type: "reset" });
    this.resendAll();
  }

  private onCatchup(message: CatchupMessage): void {
    this.joinedWith(message.you, message.participants);
    for (const batch of message.batches) this.acceptBatch(batch);
    this.drainBuffer();
    this.resendAll();
  }

  private onBatch(batch: BatchMessage): void {
    this.acceptBatch(batch);
    this.drainBuffer();
    this.recompute();
  }

  /** Apply one server batch in seq order; earlier ones are duplicates, later ones wait for the gap to fill. */
  private acceptBatch(batch: BatchMessage): void {
    if (this.seq === null) return;
    if (batch.seq <= this.seq) {
      // Already applied: a resend acknowledged again, or a broadcast we fetched first.
      this.acknowledge(batch);
      return;
    }
    if (batch.seq > this.seq + 1) {
      this.buffer.set(batch.seq, batch);
      void this.fillGap();
      return;
    }
    let next: Elements;
    try {
      next = applyOps(this.server, batch.ops).state;
    } catch {
      // We disagree with the server about the board: start over from a welcome.
      this.resync();
      return;
    }
    this.server = next;
    this.seq = batch.seq;
    if (!this.acknowledge(batch)) this.emit({ type: "remote", batch });
  }

  private drainBuffer(): void {
    if (this.seq === null) return;
    for (const seq of [...this.buffer.keys()]) if (seq <= this.seq) this.buffer.delete(seq);
    let next = this.buffer.get(this.seq + 1);
    while (next) {
      this.buffer.delete(next.seq);
      this.acceptBatch(next);
      next = this.seq === null ? undefined : this.buffer.get(this.seq + 1);
    }
  }

  /** Our own batch (same participant, an id we are waiting on) is the acknowledgement; true if it was. */
  private acknowledge(batch: BatchMessage): boolean {
    if (this.you === null || batch.participant !== this.you.participant) return false;
    const index = this.pending.findIndex((p) => p.id === batch.id);
    if (index < 0) return false;
    this.pending.splice(index, 1);
    this.persist();
    this.emit({ type: "ack", batch });
    return true;
  }

  private onRejected(message: RejectedMessage): void {
    const index = message.id === null ? -1 : this.pending.findIndex((p) => p.id === message.id);
    const base = {
      type: "rejected" as const,
      batchId: message.id,
      code: message.code,
      message: message.message,
      retryable: message.retryable,
      ...(message.path === undefined ? {} : { path: message.path }),
    };
    if (index < 0) {
      this.emit(base);
      return;
    }
    if (message.retryable) {
      // Keep it, and everything after it, and send them again shortly, in order.
      for (const p of this.pending.slice(index)) p.sent = false;
      this.retryDelay = Math.min(10000, this.retryDelay ? this.retryDelay * 2 : 1000);
      this.clearTimer("retryTimer");
      this.retryTimer = this.timers.setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, this.retryDelay);
      this.emit(base);
      return;
    }
    const [dropped] = this.pending.splice(index, 1);
    this.persist();
    this.recompute();
    this.emit({ ...base, ...(dropped ? { ops: dropped.ops } : {}) });
  }

  private onHead(seq: number): void {
    if (this.seq === null || seq <= this.seq) return;
    this.clearTimer("headTimer");
    this.headTimer = this.timers.setTimeout(() => {
      this.headTimer = null;
      if (this.seq !== null && this.seq < seq) void this.fillGap();
    }, HEAD_GRACE);
  }

  /** Fetch the batches after our seq over REST and apply them; reconnect if that fails. */
  private async fillGap(): Promise<void> {
    if (this.gapFetching || this.seq === null) return;
    this.gapFetching = true;
    const fetchJson = this.options.fetchJson ?? defaultFetchJson;
    try {
      for (;;) {
        const before: number | null = this.seq;
        if (before === null) break;
        const page = (await fetchJson(`${this.options.opsUrl}?after=${before}&limit=${GAP_PAGE}`)) as OpsPage;
        // Batches apply strictly in seq order, so a page that raced a welcome or the socket is harmless.
        for (const batch of page.batches) this.acceptBatch(batch);
        this.drainBuffer();
        if (page.next === null || this.seq === null || this.seq <= before) break;
      }
      this.recompute();
    } catch {
      // The REST twin failed too: a fresh socket resumes with ?since= and fills the gap itself.
      if (!this.stopped && this.socket) {
        this.dropSocket(1000);
        this.connect();
      }
    } finally {
      this.gapFetching = false;
    }
  }

  private resync(): void {
    this.seq = null;
    this.buffer.clear();
    this.dropSocket(1000);
    this.connect();
  }

  // ---- Sending ------------------------------------------------------------------

  private get batchBurst(): number {
    return this.options.batchBurst ?? 40;
  }

  private resendAll(): void {
    for (const p of this.pending) p.sent = false;
    this.recompute();
    this.flush();
  }

  /** Send unsent pending batches in order, within our own rate budget. */
  private flush(): void {
    if (!this.isLive() || this.retryTimer !== null) return;
    const rate = this.options.batchRate ?? 25;
    const now = this.timers.now();
    this.tokens = Math.min(this.batchBurst, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
    for (const p of this.pending) {
      if (p.sent) continue;
      if (this.tokens < 1) {
        if (this.flushTimer === null) {
          this.flushTimer = this.timers.setTimeout(() => {
            this.flushTimer = null;
            this.flush();
          }, Math.ceil(1000 / rate));
        }
        return;
      }
      if (!this.send({ type: "batch", id: p.id, ops: p.ops })) return;
      p.sent = true;
      this.tokens -= 1;
    }
  }

  private flushPreviews(): void {
    this.previewTimer = null;
    if (!this.isLive()) {
      this.previews.clear();
      return;
    }
    this.previewSentAt = this.timers.now();
    for (const [id, props] of this.previews) this.send({ type: "preview", id, props });
    this.previews.clear();
  }

  // ---- State --------------------------------------------------------------------

  private recompute(): void {
    let state = this.server;
    for (const p of this.pending) {
      try {
        state = applyOps(state, p.ops).state;
      } catch {
        // No longer applies on top of the server's order; the server will say so.
      }
    }
    this.view = state;
    this.changed();
  }

  private persist(): void {
    this.options.pendingStore?.save(this.pending.map(({ id, ops }) => ({ id, ops })));
  }

  private setStatus(status: Status, notify = true): void {
    if (this.status === status) return;
    this.status = status;
    if (notify) this.changed();
  }

  private makeSnapshot(): SyncSnapshot {
    return {
      elements: this.view,
      server: this.server,
      seq: this.seq,
      status: this.status,
      unsynced: this.pending.length,
      board: this.board,
      you: this.you,
      participants: this.participants,
    };
  }

  private changed(): void {
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private emit(event: SyncEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  private clearTimer(
    name: "reconnectTimer" | "livenessTimer" | "headTimer" | "flushTimer" | "retryTimer" | "presenceTimer" | "previewTimer",
  ): void {
    if (this[name] !== null) {
      this.timers.clearTimeout(this[name]);
      this[name] = null;
    }
  }
}
