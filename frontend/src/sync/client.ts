// SyncClient: one board's live connection, framework-free.
//
// The server is the authority. Local batches apply optimistically and wait in
// `pending` under their client batch id; every server batch is applied to the
// server state, and the view is always
//
//     view = server state at `seq`  +  replay of the still-pending local batches
//
// so the client converges on the server's order no matter how batches
// interleave. The "state" is the canvas and its annotations alike. A batch
// echoed back with our own id is the acknowledgement; a rejected one is
// dropped and the view recomputed (the rollback). After a reconnect
// (`?since=seq`) every unacknowledged batch is resent with the same id; the
// server acknowledges a resend of something it already stored again, which we
// tolerate. A gap in seq (a lost broadcast, a `head` ahead of us) is filled
// from `GET /api/boards/{id}/ops/?after=`.
//
// Owners and interviewers also read the private stream (the private annotation
// layer): its own gapless seq, resumed with `&private_since=`; it has no REST
// twin, so a gap in it is filled by reconnecting.
//
// The interview session (clock, phase, requirements ledger) is part of the
// state like the annotations. Its clock runs on the server's time: the
// welcome's `now` against ours gives the offset, and our own batches are
// stamped with the corrected time, so an optimistic start or pause shows the
// same clock the server will store.

import { type Actor, type Annotations, annotationsFrom } from "./annotations";
import { applyLocalBatch, applyServerBatch, type Board, EMPTY_BOARD, parseBatch } from "./batch";
import { type Flows, flowsFrom, NO_FLOWS } from "./flows";
import { isClosed, type Ledger, requirementsFrom, sessionFrom } from "./interview";
import { elementsFrom, type Elements, OpError } from "./ops";
import { applyVerdicts, NO_REVIEW } from "./review";
import { reloadPage, speaksProtocol } from "./version";
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
  type ReviewState,
  type ServerMessage,
  type Session,
  type Stream,
  type Version,
  type ViewportMessage,
  type LaserMessage,
  type WelcomeMessage,
  type You,
  canEditCanvas,
  canPoint,
  LIMITS,
  canWrite,
  canWriteClosed,
  parseServerMessage,
} from "./protocol";

/** `outdated`: the server speaks another protocol version; the client stopped and reloads the page. */
export type Status = "connecting" | "live" | "reconnecting" | "offline" | "removed" | "deleted" | "outdated";

export interface SyncSnapshot {
  /** What the user sees: the server state plus the replay of pending local batches. */
  readonly elements: Elements;
  /** The annotations the user sees (only those their role may read), likewise with local changes. */
  readonly annotations: Annotations;
  /** The interview session (clock and phase) and the requirements ledger, likewise. */
  readonly session: Session;
  readonly requirements: Ledger;
  /** The flows, likewise. */
  readonly flows: Flows;
  /** The session ended: only the owner and interviewers may change the board until it is reopened. */
  readonly closed: boolean;
  /** The published versions (from the welcome, then as REST says: publishing is not an op). */
  readonly versions: readonly Version[];
  /** The review state: from the welcome, then every `verdict` op applied (server state only). */
  readonly review: ReviewState;
  /** Milliseconds to add to the local clock to get the server's (from the welcome's `now`). */
  readonly clockOffset: number;
  /** The server state at `seq` (without local changes). */
  readonly server: Elements;
  /** The last server seq applied, or null before the first welcome. */
  readonly seq: number | null;
  /** The last private seq applied; null for roles that do not read the private stream. */
  readonly privateSeq: number | null;
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
  | ViewportMessage
  | LaserMessage
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
  /** The canvas the user saw before and after the batch (annotations are not undoable, so not here). */
  readonly before: Elements;
  readonly after: Elements;
  /** Every element id the batch added, changed or deleted (cascades included). */
  readonly touched: ReadonlySet<string>;
}

export interface PendingBatch {
  readonly id: string;
  readonly ops: readonly Op[];
  /** When it was made: the time its annotations show until the server stamps its own. */
  readonly at?: string;
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
  /** Called once the client stopped for a server on another protocol version (default: reload the page, guarded). */
  readonly reload?: (serverProtocol: number) => void;
}

const OPEN = 1;
const PRESENCE_INTERVAL = 50; // ms: 20 a second, under the server's 30
const PREVIEW_FRAMES_PER_SECOND = 60; // of the server's 120 frames a second, leaving room for the rest
const PREVIEW_INTERVAL = 1000 / 30;
const HEAD_GRACE = 1500; // ms: a batch may be in flight when a head arrives
const OFFLINE_AFTER_FAILURES = 3;
const GAP_PAGE = 500;
const RELOAD_DELAY = 1500; // ms: long enough to read "BothSides was updated"

interface Pending {
  readonly id: string;
  readonly ops: readonly Op[];
  readonly at: string;
  sent: boolean;
}

/** Where we are in one stream: the last seq applied (null: not joined, or not ours to read) and what arrived early. */
interface Cursor {
  seq: number | null;
  readonly buffer: Map<number, BatchMessage>;
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

  private server: Board = EMPTY_BOARD;
  private view: Board = EMPTY_BOARD;
  private versions: readonly Version[] = [];
  private review: ReviewState = NO_REVIEW;
  private clockOffset = 0;
  private readonly streams: Record<Stream, Cursor> = {
    public: { seq: null, buffer: new Map() },
    private: { seq: null, buffer: new Map() },
  };
  private pending: Pending[] = [];
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
  private readonly headTimers: Record<Stream, unknown> = { public: null, private: null };
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
    const now = new Date(this.timers.now()).toISOString();
    this.pending = restored.map((batch) => ({ id: batch.id, ops: batch.ops, at: batch.at ?? now, sent: false }));
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
    this.clearHeadTimers();
    this.clearTimer("flushTimer");
    this.clearTimer("retryTimer");
    this.clearTimer("presenceTimer");
    this.clearTimer("previewTimer");
    this.dropSocket(1000);
  }

  /** Reconnect at once (the browser came back online, or the user asked). */
  reconnectNow(): void {
    if (this.stopped || this.ended()) return;
    if (this.socket && this.joined) return;
    this.clearTimer("reconnectTimer");
    this.dropSocket(1000);
    this.connect();
  }

  /** The browser says the network is gone: show it, and stop waiting on a dead socket. */
  markOffline(): void {
    if (this.ended()) return;
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

  /** May I send batches at all: my role writes, my access holds, and the board is not closed to me. */
  get canWrite(): boolean {
    if (this.you === null || this.ended()) return false;
    return canWrite(this.you.role) && (!isClosed(this.view.session) || canWriteClosed(this.you.role));
  }

  /** May I change the canvas. */
  get canEdit(): boolean {
    return this.canWrite && this.you !== null && canEditCanvas(this.you.role);
  }

  /** Now on the server's clock (milliseconds since the epoch). */
  serverNow(): number {
    return this.timers.now() + this.clockOffset;
  }

  /** Who we are on what kind of board: what the annotation rules need. Null while we may not write at all. */
  get actor(): Actor | null {
    if (this.you === null || this.ended()) return null;
    return { participant: this.you.participant, role: this.you.role, mode: this.board?.mode ?? "interview" };
  }

  /**
   * Apply ops (canvas and annotation ops alike) locally at once and queue them for the server.
   * Throws OpError (nothing queued) when the server would refuse them: they do not apply to
   * what the user sees, or the user's role may not make them.
   */
  submit(rawOps: readonly unknown[]): Submitted {
    const actor = this.actor;
    if (!actor) throw new OpError("forbidden", "You can no longer change this board.");
    const ops = parseBatch(rawOps);
    const before = this.view;
    const at = new Date(this.serverNow()).toISOString();
    const applied = applyLocalBatch(before, ops, actor, { at, head: this.streams.public.seq ?? 0 });
    const id = `${this.clientId}-${++this.counter}`;
    this.pending.push({ id, ops, at, sent: false });
    this.view = applied.board;
    this.persist();
    this.changed();
    this.flush();
    return { id, before: before.elements, after: applied.board.elements, touched: applied.touched };
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

  /** Where I look, for those who follow me (and, with `lead`, for everyone). Sent at once: callers throttle. */
  sendViewport(viewport: Omit<ViewportMessage, "type" | "participant">): boolean {
    if (!this.isLive()) return false;
    return this.send({ type: "viewport", ...viewport });
  }

  /** My laser pointer's latest points (flow coordinates); observers may not point. */
  sendLaser(points: readonly Point[]): boolean {
    if (!this.isLive() || this.you === null || !canPoint(this.you.role) || !points.length) return false;
    return this.send({ type: "laser", points: points.slice(-LIMITS.laserPoints) });
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

  /** Versions as REST listed them (publishing one is not an op; other sockets hear of it in a `review` notice). */
  adoptVersions(versions: readonly Version[]): void {
    this.versions = [...versions].sort((a, b) => a.id - b.id);
    this.changed();
  }

  /** The review state as REST gave it (a review request is not an op either). */
  adoptReview(review: ReviewState): void {
    this.review = review;
    this.changed();
  }

  // ---- Connection -----------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const url = this.options.socketUrl + this.resumeQuery();
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

  /** `?since=S` (and `&private_since=P` for a reader of the private stream), or nothing for a fresh welcome. */
  private resumeQuery(): string {
    const { public: pub, private: priv } = this.streams;
    if (pub.seq === null) return "";
    return priv.seq === null ? `?since=${pub.seq}` : `?since=${pub.seq}&private_since=${priv.seq}`;
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
    if (code === CLOSE.badRequest) {
      // Our `since` or our frames confused the server: start over from a welcome.
      this.forgetPosition();
    }
    this.failures++;
    this.setStatus(this.failures >= OFFLINE_AFTER_FAILURES ? "offline" : "reconnecting");
    if (this.failures === OFFLINE_AFTER_FAILURES) void this.probeAccess();
    this.scheduleReconnect(code === CLOSE.flooding);
  }

  /** Access removed, board deleted or protocol outdated: nothing more will happen on this page. */
  private ended(): boolean {
    return this.status === "removed" || this.status === "deleted" || this.status === "outdated";
  }

  private terminal(status: "removed" | "deleted" | "outdated"): void {
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
        if (!speaksProtocol(message.protocol)) return this.outdated(message.protocol ?? 1);
        return this.onWelcome(message);
      case "catchup":
        if (!speaksProtocol(message.protocol)) return this.outdated(message.protocol ?? 1);
        return this.onCatchup(message);
      case "batch":
        return this.onBatch(message);
      case "rejected":
        return this.onRejected(message);
      case "head":
        return this.onHead(message.stream ?? "public", message.seq);
      case "board":
        this.board = message.board;
        return this.changed();
      case "review":
        this.versions = [...message.versions].sort((a, b) => a.id - b.id);
        this.review = message.review;
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
      case "viewport":
      case "laser":
        return this.emit(message);
    }
  }

  /** The server speaks another protocol: apply nothing more, say so, and reload for the matching build. */
  private outdated(serverProtocol: number): void {
    this.dropSocket(1000);
    this.terminal("outdated");
    const reload = this.options.reload ?? reloadPage;
    this.timers.setTimeout(() => reload(serverProtocol), RELOAD_DELAY);
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
    const replaced = this.streams.public.seq !== null;
    this.server = {
      elements: elementsFrom(message.elements),
      annotations: annotationsFrom(message.annotations ?? []),
      session: sessionFrom(message.session),
      requirements: requirementsFrom(message.requirements ?? []),
      flows: flowsFrom(message.flows),
    };
    if (message.versions) this.versions = [...message.versions].sort((a, b) => a.id - b.id);
    this.review = message.review ?? NO_REVIEW;
    const now = message.session?.now ? Date.parse(message.session.now) : NaN;
    if (!Number.isNaN(now)) this.clockOffset = now - this.timers.now();
    this.forgetPosition();
    this.streams.public.seq = message.seq;
    this.streams.private.seq = message.private_seq ?? null;
    this.board = message.board;
    this.joinedWith(message.you, message.participants);
    if (replaced) this.emit({ type: "reset" });
    this.resendAll();
  }

  private onCatchup(message: CatchupMessage): void {
    this.joinedWith(message.you, message.participants);
    // The lists say which stream their batches are in, whatever the batches say.
    for (const batch of message.batches) this.acceptBatch({ ...batch, stream: "public" });
    for (const batch of message.private_batches ?? []) this.acceptBatch({ ...batch, stream: "private" });
    this.drainBuffers();
    this.resendAll();
  }

  private onBatch(batch: BatchMessage): void {
    this.acceptBatch(batch);
    this.drainBuffers();
    this.recompute();
  }

  /**
   * Apply one server batch in its stream's seq order; earlier ones are duplicates, later ones
   * wait for the gap to fill. A private batch reaches us only if we may read that stream.
   */
  private acceptBatch(batch: BatchMessage): void {
    const stream = batch.stream ?? "public";
    const cursor = this.streams[stream];
    if (cursor.seq === null) return;
    if (batch.seq <= cursor.seq) {
      // Already applied: a resend acknowledged again, or a broadcast we fetched first.
      this.acknowledge(batch);
      return;
    }
    if (batch.seq > cursor.seq + 1) {
      cursor.buffer.set(batch.seq, batch);
      this.fillGap(stream);
      return;
    }
    let next: Board;
    try {
      next = applyServerBatch(this.server, batch.ops, batch);
    } catch {
      // We disagree with the server about the board: start over from a welcome.
      this.resync();
      return;
    }
    this.server = next;
    if (stream === "public") this.review = applyVerdicts(this.review, batch.ops, batch);
    cursor.seq = batch.seq;
    if (!this.acknowledge(batch)) this.emit({ type: "remote", batch });
  }

  private drainBuffers(): void {
    for (const cursor of Object.values(this.streams)) {
      if (cursor.seq === null) continue;
      for (const seq of [...cursor.buffer.keys()]) if (seq <= cursor.seq) cursor.buffer.delete(seq);
      let next = cursor.buffer.get(cursor.seq + 1);
      while (next) {
        cursor.buffer.delete(next.seq);
        this.acceptBatch(next);
        next = cursor.seq === null ? undefined : cursor.buffer.get(cursor.seq + 1);
      }
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

  private onHead(stream: Stream, seq: number): void {
    const cursor = this.streams[stream];
    if (cursor.seq === null || seq <= cursor.seq) return;
    if (this.headTimers[stream] !== null) this.timers.clearTimeout(this.headTimers[stream]);
    this.headTimers[stream] = this.timers.setTimeout(() => {
      this.headTimers[stream] = null;
      if (cursor.seq !== null && cursor.seq < seq) this.fillGap(stream);
    }, HEAD_GRACE);
  }

  private fillGap(stream: Stream): void {
    // The private stream has no REST twin: a fresh socket resumes it with private_since.
    if (stream === "private") this.reconnectForGap();
    else void this.fetchGap();
  }

  /** Fetch the public batches after our seq over REST and apply them; reconnect if that fails. */
  private async fetchGap(): Promise<void> {
    const cursor = this.streams.public;
    if (this.gapFetching || cursor.seq === null) return;
    this.gapFetching = true;
    const fetchJson = this.options.fetchJson ?? defaultFetchJson;
    try {
      for (;;) {
        const before: number | null = cursor.seq;
        if (before === null) break;
        const page = (await fetchJson(`${this.options.opsUrl}?after=${before}&limit=${GAP_PAGE}`)) as OpsPage;
        // Batches apply strictly in seq order, so a page that raced a welcome or the socket is harmless.
        for (const batch of page.batches) this.acceptBatch({ ...batch, stream: "public" });
        this.drainBuffers();
        if (page.next === null || cursor.seq === null || cursor.seq <= before) break;
      }
      this.recompute();
    } catch {
      // The REST twin failed too: a fresh socket resumes with ?since= and fills the gap itself.
      this.reconnectForGap();
    } finally {
      this.gapFetching = false;
    }
  }

  private reconnectForGap(): void {
    if (this.stopped || !this.socket) return;
    this.dropSocket(1000);
    this.connect();
  }

  private resync(): void {
    this.forgetPosition();
    this.dropSocket(1000);
    this.connect();
  }

  /** Forget where we are in every stream: the next socket starts from a welcome. */
  private forgetPosition(): void {
    for (const cursor of Object.values(this.streams)) {
      cursor.seq = null;
      cursor.buffer.clear();
    }
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
    let board = this.server;
    const actor = this.actor;
    if (actor) {
      const head = this.streams.public.seq ?? 0;
      for (const p of this.pending) {
        try {
          board = applyLocalBatch(board, p.ops, actor, { at: p.at, head }).board;
        } catch {
          // No longer applies on top of the server's order; the server will say so.
        }
      }
    }
    this.view = board;
    this.changed();
  }

  private persist(): void {
    this.options.pendingStore?.save(this.pending.map(({ id, ops, at }) => ({ id, ops, at })));
  }

  private setStatus(status: Status, notify = true): void {
    if (this.status === status) return;
    this.status = status;
    if (notify) this.changed();
  }

  private makeSnapshot(): SyncSnapshot {
    return {
      elements: this.view.elements,
      annotations: this.view.annotations,
      session: this.view.session,
      requirements: this.view.requirements,
      flows: this.view.flows ?? NO_FLOWS,
      closed: isClosed(this.view.session),
      versions: this.versions,
      review: this.review,
      clockOffset: this.clockOffset,
      server: this.server.elements,
      seq: this.streams.public.seq,
      privateSeq: this.streams.private.seq,
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

  private clearHeadTimers(): void {
    for (const stream of ["public", "private"] as const) {
      if (this.headTimers[stream] !== null) this.timers.clearTimeout(this.headTimers[stream]);
      this.headTimers[stream] = null;
    }
  }

  private clearTimer(
    name: "reconnectTimer" | "livenessTimer" | "flushTimer" | "retryTimer" | "presenceTimer" | "previewTimer",
  ): void {
    if (this[name] !== null) {
      this.timers.clearTimeout(this[name]);
      this[name] = null;
    }
  }
}
