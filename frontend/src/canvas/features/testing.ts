// Test doubles for the feature modules: a Board over a real SyncClient talking to the fake
// socket and tiny server of ../../sync/testing.ts, REST fakes for the review, drill and replay
// stores, and a viewport that records where it was asked to look. Used only by *.test.ts.
import { vi } from "vitest";

import { type Element, type Mode, type Op, type ReplayState, SyncClient, type Timeline, type You, IDLE_SESSION } from "../../sync";
import { FakeServer, FakeSocket, ME, THEM } from "../../sync/testing";
import { DrillStore } from "../drillStore";
import { ReplayPlayer } from "../replayPlayer";
import { ReviewStore } from "../reviewStore";
import { createUiStore } from "../store";
import { Board } from "./board";
import type { Viewport } from "./core";

/** A REST call the stores made. */
export interface Call {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
}

/** Answers by "METHOD path" (the path without boards/b1/); a missing route is a 404. */
export type Routes = Record<string, (body: unknown) => unknown>;

export class FakeApi {
  readonly calls: Call[] = [];
  constructor(public routes: Routes = {}) {}

  private async answer(method: Call["method"], path: string, body?: unknown): Promise<unknown> {
    this.calls.push({ method, path, ...(body === undefined ? {} : { body }) });
    const route = this.routes[`${method} ${path.replace(/^boards\/b1\//, "")}`];
    if (!route) throw new Error(`No route for ${method} ${path}`);
    return route(body);
  }

  get = <T>(path: string): Promise<T> => this.answer("GET", path) as Promise<T>;
  post = <T>(path: string, body: unknown): Promise<T> => this.answer("POST", path, body) as Promise<T>;
  delete = async (path: string): Promise<void> => {
    await this.answer("DELETE", path);
  };
}

export class FakeViewport implements Viewport {
  centred: { x: number; y: number }[] = [];
  focused = 0;
  at: { x: number; y: number } | null = null;
  center() {
    return { x: 400, y: 300 };
  }
  pointer() {
    return this.at;
  }
  fitView() {
    return Promise.resolve();
  }
  zoomIn() {}
  zoomOut() {}
  zoomTo() {}
  centerOn(point: { x: number; y: number }) {
    this.centred.push(point);
  }
  level = 1;
  jumps: { x: number; y: number; zoom: number }[] = [];
  zoom() {
    return this.level;
  }
  jumpTo(point: { x: number; y: number }, zoom: number) {
    this.jumps.push({ ...point, zoom });
  }
  focus() {
    this.focused++;
  }
}

export const TIMELINE: Timeline = { seq: 0, start: null, end: null, markers: [], gaps: [] };

export function replayState(seq: number, elements: readonly Element[] = []): ReplayState {
  return { seq, at: null, elements: [...elements], annotations: [], requirements: [], session: { ...IDLE_SESSION, now: null } };
}

export interface Harness {
  readonly board: Board;
  readonly server: FakeServer;
  readonly api: FakeApi;
  readonly viewport: FakeViewport;
  socket(): FakeSocket;
  /** The ops of every batch sent on the socket so far (each batch an array). */
  sent(): Op[][];
  /** Let the server answer every batch sent (and broadcast it back). */
  serve(): void;
  /** Another participant's batch, committed by the server and delivered. */
  theirs(ops: readonly unknown[], participant?: string): void;
  /** The toasts showing, as "title: detail". */
  toasts(): string[];
  /** Let promises and queued microtasks run. */
  settle(): Promise<void>;
}

interface Options {
  readonly you?: You;
  readonly mode?: Mode;
  /** Elements on the board before I join (added by someone else). */
  readonly elements?: readonly Element[];
  readonly routes?: Routes;
  readonly replay?: { timeline?: Timeline; state?: (seq: number) => ReplayState };
  /** Others in the room (names for the announcements). */
  readonly participants?: readonly { participant: string; name: string; role: You["role"] }[];
}

let counter = 0;

/** A joined board (call with vi.useFakeTimers() on). */
export function harness(options: Options = {}): Harness {
  const you = options.you ?? ME;
  const server = new FakeServer();
  server.mode = options.mode ?? "interview";
  server.roles.set(you.participant, you.role);
  if (options.elements?.length) server.commit(THEM, `seed-${++counter}`, options.elements.map((element) => ({ op: "add", element })));
  const sockets: FakeSocket[] = [];
  const client = new SyncClient({
    socketUrl: "ws://test/ws/boards/b1/",
    opsUrl: "/api/boards/b1/ops/",
    you,
    clientId: "tab",
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    fetchJson: async () => ({ seq: server.seq, batches: [], next: null }),
  });
  const api = new FakeApi(options.routes);
  const replay = new ReplayPlayer({
    timeline: async () => options.replay?.timeline ?? { ...TIMELINE, seq: server.seq },
    state: async (seq) => options.replay?.state?.(seq) ?? replayState(seq),
  });
  const board = new Board(client, createUiStore(), replay, new ReviewStore(api, "b1", client), new DrillStore(api, "b1", client, 0));
  const viewport = new FakeViewport();
  board.core.attachViewport(viewport);
  board.start();
  client.start();
  const socket = () => sockets[sockets.length - 1]!;
  socket().open();
  const participants = [{ participant: you.participant, name: you.name, role: you.role }, ...(options.participants ?? [])];
  socket().deliver(server.welcome(you, participants.map((p) => ({ id: p.participant, name: p.name, role: p.role, online: true }))));
  const h: Harness = {
    board,
    server,
    api,
    viewport,
    socket,
    sent: () => socket().batches().map((b) => b.ops),
    serve: () => {
      for (const sent of socket().batches()) socket().deliver(server.commit(you.participant, sent.id, sent.ops));
      socket().sent.length = 0;
    },
    theirs: (ops, participant = THEM) => socket().deliver(server.commit(participant, `their-${++counter}`, ops)),
    toasts: () => board.ui.getState().toasts.map((t) => (t.detail ? `${t.title}: ${t.detail}` : t.title)),
    settle: async () => {
      await vi.advanceTimersByTimeAsync(0);
    },
  };
  return h;
}

export const component = (id: string, extra: Partial<Element> = {}): Element =>
  ({ id, kind: "component", type: "service", label: id, x: 0, y: 0, w: 160, h: 72, tech: "", replicas: 1, notes: "", ...extra }) as Element;

export const note = (id: string, extra: Partial<Element> = {}): Element => ({ id, kind: "note", x: 0, y: 0, w: 200, h: 120, text: "", ...extra }) as Element;

export const arrowBetween = (id: string, source: string, target: string): Element =>
  ({ id, kind: "arrow", source, target, label: "", style: "sync" }) as Element;

export { ME, THEM };
