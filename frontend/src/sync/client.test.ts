import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { HttpError, type PendingBatch, SyncClient, type SyncEvent } from "./client";
import { OpError } from "./ops";
import type { BatchMessage, OpsPage, You } from "./protocol";
import { FakeServer, FakeSocket, ME, THEM, arrow, box } from "./testing";

interface Harness {
  client: SyncClient;
  server: FakeServer;
  sockets: FakeSocket[];
  events: SyncEvent[];
  fetched: string[];
  socket(): FakeSocket;
  /** Let the server answer every batch the client sent on the current socket (and broadcast them back). */
  serve(): void;
}

function harness(options: { fetchJson?: (url: string) => Promise<unknown>; pending?: PendingBatch[]; you?: You } = {}): Harness {
  const you = options.you ?? ME;
  const server = new FakeServer();
  server.roles.set(you.participant, you.role);
  const sockets: FakeSocket[] = [];
  const events: SyncEvent[] = [];
  const fetched: string[] = [];
  const saved: { value: PendingBatch[] } = { value: options.pending ?? [] };
  const client = new SyncClient({
    socketUrl: "ws://test/ws/boards/b1/",
    opsUrl: "/api/boards/b1/ops/",
    boardUrl: "/api/boards/b1/",
    you,
    clientId: "tab",
    random: () => 0.5,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    fetchJson: async (url) => {
      fetched.push(url);
      if (options.fetchJson) return options.fetchJson(url);
      const after = Number(new URL(url, "http://x").searchParams.get("after"));
      const page: OpsPage = { seq: server.seq, batches: server.log.filter((b) => b.seq > after), next: null };
      return page;
    },
    pendingStore: { load: () => saved.value, save: (p) => (saved.value = [...p]) },
  });
  client.onEvent((event) => events.push(event));
  const h: Harness = {
    client,
    server,
    sockets,
    events,
    fetched,
    socket: () => sockets[sockets.length - 1]!,
    serve: () => {
      const socket = h.socket();
      const batches = socket.batches();
      socket.sent.length = 0;
      for (const sent of batches) socket.deliver(server.commit(you.participant, sent.id, sent.ops));
    },
  };
  return h;
}

function join(h: Harness, you: You = ME): FakeSocket {
  h.client.start();
  const socket = h.socket();
  socket.open();
  socket.deliver(h.server.welcome(you));
  return socket;
}

const labels = (h: Harness) =>
  Object.fromEntries([...h.client.getSnapshot().elements.values()].map((e) => [e.id, e.kind === "note" ? e.text : e.label]));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("joining", () => {
  it("takes the board from the welcome and goes live", () => {
    const h = harness();
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api", { label: "API" }) }]);
    join(h);
    const snap = h.client.getSnapshot();
    expect(snap.status).toBe("live");
    expect(snap.seq).toBe(1);
    expect(labels(h)).toEqual({ api: "API" });
    expect(h.socket().url).toBe("ws://test/ws/boards/b1/");
  });
});

describe("review notices", () => {
  it("adopts versions and the review state a `review` notice carries (they are not ops)", () => {
    const h = harness();
    join(h);
    const version = { id: 1, name: "v1", note: "", seq: 0, author: THEM, created_at: "2026-11-23T20:00:00.000Z" };
    const review = { state: "in_review" as const, reviews: [] };
    h.socket().deliver({ type: "review", versions: [version], review });
    expect(h.client.getSnapshot().versions).toEqual([version]);
    expect(h.client.getSnapshot().review).toEqual(review);
  });
});

describe("optimistic apply and acknowledgement", () => {
  it("shows a local batch at once, sends it, and clears it when the server echoes our id", () => {
    const h = harness();
    join(h);
    const { id } = h.client.submit([{ op: "add", element: box("api", { label: "API" }) }]);
    expect(labels(h)).toEqual({ api: "API" });
    expect(h.client.getSnapshot().unsynced).toBe(1);
    expect(h.socket().batches()).toEqual([{ type: "batch", id, ops: [expect.objectContaining({ op: "add" })] }]);
    h.serve();
    expect(h.client.getSnapshot().unsynced).toBe(0);
    expect(h.client.getSnapshot().seq).toBe(1);
    expect(labels(h)).toEqual({ api: "API" });
    expect(h.events.filter((e) => e.type === "ack")).toHaveLength(1);
  });

  it("refuses ops that do not apply to what the user sees, and queues nothing", () => {
    const h = harness();
    join(h);
    expect(() => h.client.submit([{ op: "update", id: "ghost", props: { label: "x" } }])).toThrow(/No element/);
    expect(h.client.getSnapshot().unsynced).toBe(0);
    expect(h.socket().batches()).toEqual([]);
  });

  it("does not let a read-only role submit", () => {
    const h = harness();
    h.client.start();
    h.socket().open();
    h.socket().deliver(h.server.welcome({ ...ME, role: "observer" }));
    expect(() => h.client.submit([{ op: "add", element: box("a") }])).toThrow(/observer/);
  });
});

describe("reconciling to the server's order", () => {
  it("replays pending local batches on top of every server batch (interleaved edits)", () => {
    const h = harness();
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api", { label: "API" }) }]);
    const socket = join(h);
    h.client.submit([{ op: "update", id: "api", props: { label: "Gateway" } }]);
    // Someone else's move lands first on the server.
    socket.deliver(h.server.commit(THEM, "x2", [{ op: "update", id: "api", props: { x: 300 } }]));
    let api = h.client.getSnapshot().elements.get("api");
    expect(api).toMatchObject({ label: "Gateway", x: 300 });
    expect(h.client.getSnapshot().server.get("api")).toMatchObject({ label: "API", x: 300 });
    h.serve();
    api = h.client.getSnapshot().elements.get("api");
    expect(api).toMatchObject({ label: "Gateway", x: 300 });
    expect(h.client.getSnapshot().unsynced).toBe(0);
  });

  it("lets a later server write win over an earlier local one, as the server does", () => {
    const h = harness();
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api") }]);
    const socket = join(h);
    h.client.submit([{ op: "update", id: "api", props: { label: "mine" } }]);
    const mine = socket.batches()[0]!;
    socket.sent.length = 0;
    // Ours is stored first, theirs second: the server's order says theirs wins.
    const ours = h.server.commit(ME.participant, mine.id, mine.ops) as BatchMessage;
    const theirs = h.server.commit(THEM, "x2", [{ op: "update", id: "api", props: { label: "theirs" } }]);
    socket.deliver(ours);
    socket.deliver(theirs);
    expect(labels(h)).toEqual({ api: "theirs" });
  });

  it("buffers a batch that arrives ahead of a missing seq and applies both in order", async () => {
    const h = harness({ fetchJson: () => new Promise(() => undefined) }); // the REST fetch never answers
    const socket = join(h);
    const first = h.server.commit(THEM, "x1", [{ op: "add", element: box("a", { label: "one" }) }]);
    const second = h.server.commit(THEM, "x2", [{ op: "update", id: "a", props: { label: "two" } }]);
    socket.deliver(second);
    expect(h.client.getSnapshot().seq).toBe(0);
    expect(labels(h)).toEqual({});
    expect(h.fetched).toEqual(["/api/boards/b1/ops/?after=0&limit=500"]);
    socket.deliver(first);
    expect(h.client.getSnapshot().seq).toBe(2);
    expect(labels(h)).toEqual({ a: "two" });
  });

  it("fills a gap from the REST op log", async () => {
    const h = harness();
    const socket = join(h);
    h.server.commit(THEM, "x1", [{ op: "add", element: box("a", { label: "lost" }) }]);
    const second = h.server.commit(THEM, "x2", [{ op: "add", element: box("b", { label: "seen" }) }]);
    socket.deliver(second); // seq 1 was lost by the channel layer
    await vi.advanceTimersByTimeAsync(10);
    expect(h.client.getSnapshot().seq).toBe(2);
    expect(labels(h)).toEqual({ a: "lost", b: "seen" });
  });

  it("fetches what a head says it missed", async () => {
    const h = harness();
    const socket = join(h);
    h.server.commit(THEM, "x1", [{ op: "add", element: box("a") }]);
    socket.deliver({ type: "head", seq: 1 });
    expect(h.fetched).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.fetched).toHaveLength(1);
    expect(h.client.getSnapshot().seq).toBe(1);
  });

  it("ignores a batch it has already applied", () => {
    const h = harness();
    const socket = join(h);
    const batch = h.server.commit(THEM, "x1", [{ op: "add", element: box("a") }]);
    socket.deliver(batch);
    socket.deliver(batch);
    expect(h.client.getSnapshot().seq).toBe(1);
    expect(h.events.filter((e) => e.type === "remote")).toHaveLength(1);
  });
});

describe("rejection", () => {
  it("rolls the batch back and surfaces the server's message", () => {
    const h = harness();
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api") }]);
    const socket = join(h);
    h.client.submit([{ op: "update", id: "api", props: { label: "mine" } }]);
    expect(labels(h)).toEqual({ api: "mine" });
    // Meanwhile someone deleted it; the server refuses our update.
    socket.deliver(h.server.commit(THEM, "x2", [{ op: "delete", id: "api" }]));
    expect(labels(h)).toEqual({});
    const sent = socket.batches()[0]!;
    socket.deliver(h.server.commit(ME.participant, sent.id, sent.ops));
    expect(h.client.getSnapshot().unsynced).toBe(0);
    const rejected = h.events.find((e) => e.type === "rejected");
    expect(rejected).toMatchObject({ code: "unknown_ref", message: "No element with id 'api' on this board." });
    expect(rejected && "ops" in rejected && rejected.ops).toEqual([{ op: "update", id: "api", props: { label: "mine" } }]);
  });

  it("restores the server's value of a property on rejection", () => {
    const h = harness();
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api", { label: "API" }) }]);
    const socket = join(h);
    const { id } = h.client.submit([{ op: "update", id: "api", props: { label: "Forbidden" } }]);
    socket.deliver({ type: "rejected", id, code: "forbidden", message: "Your role cannot change the canvas.", retryable: false });
    expect(labels(h)).toEqual({ api: "API" });
  });

  it("keeps a retryable batch and sends it again later", async () => {
    const h = harness();
    const socket = join(h);
    const { id } = h.client.submit([{ op: "add", element: box("a") }]);
    socket.sent.length = 0;
    socket.deliver({ type: "rejected", id, code: "rate_limited", message: "Too many batches; slow down.", retryable: true });
    expect(h.client.getSnapshot().unsynced).toBe(1);
    expect(labels(h)).toEqual({ a: "" });
    await vi.advanceTimersByTimeAsync(1100);
    expect(socket.batches().map((b) => b.id)).toEqual([id]);
  });
});

describe("reconnecting", () => {
  it("resumes with ?since= and resends what was not acknowledged, with the same ids", async () => {
    const h = harness();
    let socket = join(h);
    h.client.submit([{ op: "add", element: box("a", { label: "typed before" }) }]);
    const sent = socket.batches()[0]!;
    socket.drop(1006);
    expect(h.client.getSnapshot().status).toBe("reconnecting");
    // Typed while disconnected: queued.
    h.client.submit([{ op: "update", id: "a", props: { label: "typed offline" } }]);
    expect(h.client.getSnapshot().unsynced).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    socket = h.socket();
    expect(socket.url).toBe("ws://test/ws/boards/b1/?since=0");
    socket.open();
    socket.deliver(h.server.catchup(0));
    expect(socket.batches().map((b) => b.id)).toEqual([sent.id, "tab-2"]);
    h.serve();
    expect(h.client.getSnapshot()).toMatchObject({ unsynced: 0, status: "live", seq: 2 });
    expect(labels(h)).toEqual({ a: "typed offline" });
    expect(h.server.state.get("a")).toMatchObject({ label: "typed offline" });
  });

  it("tolerates a duplicate acknowledgement when a resent batch was already stored", async () => {
    const h = harness();
    let socket = join(h);
    h.client.submit([{ op: "add", element: box("a") }]);
    const sent = socket.batches()[0]!;
    // The server stored it, but the echo was lost with the connection.
    h.server.commit(ME.participant, sent.id, sent.ops);
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(1000);
    socket = h.socket();
    socket.open();
    socket.deliver(h.server.catchup(0)); // contains our batch: that is the ack
    expect(h.client.getSnapshot().unsynced).toBe(0);
    expect(socket.batches()).toEqual([]);
    // A stale resend from elsewhere is answered with the original batch again.
    socket.deliver(h.server.commit(ME.participant, sent.id, sent.ops));
    expect(h.client.getSnapshot()).toMatchObject({ unsynced: 0, seq: 1 });
    expect(labels(h)).toEqual({ a: "" });
  });

  it("accepts a duplicate ack for a resend after a full welcome", async () => {
    const h = harness();
    let socket = join(h);
    h.client.submit([{ op: "add", element: box("a", { label: "A" }) }]);
    const sent = socket.batches()[0]!;
    h.server.commit(ME.participant, sent.id, sent.ops);
    socket.drop(1012);
    await vi.advanceTimersByTimeAsync(1000);
    socket = h.socket();
    socket.open();
    socket.deliver(h.server.welcome()); // e.g. too far behind for a catch-up
    expect(labels(h)).toEqual({ a: "A" }); // the replayed add does not apply twice
    expect(socket.batches().map((b) => b.id)).toEqual([sent.id]);
    h.serve(); // the server answers the resend with the original batch (seq 1)
    expect(h.client.getSnapshot()).toMatchObject({ unsynced: 0, seq: 1 });
    expect(h.events.filter((e) => e.type === "rejected")).toEqual([]);
  });

  it("backs off, reports offline after repeated failures, and comes back", async () => {
    const h = harness();
    join(h);
    h.socket().drop(1006);
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(20000);
      h.socket().drop(1006);
    }
    expect(h.client.getSnapshot().status).toBe("offline");
    expect(h.sockets.length).toBe(4);
    await vi.advanceTimersByTimeAsync(20000);
    h.socket().open();
    h.socket().deliver(h.server.catchup(0));
    expect(h.client.getSnapshot().status).toBe("live");
  });

  it("resends a batch restored from storage after a reload", () => {
    const h = harness({ pending: [{ id: "old-1", ops: [{ op: "add", element: box("kept", { label: "kept" }) }] }] });
    const socket = join(h);
    expect(labels(h)).toMatchObject({ kept: "kept" });
    expect(socket.batches().map((b) => b.id)).toEqual(["old-1"]);
  });

  it("stops on access removed and on a deleted board", () => {
    for (const [code, status] of [
      [4403, "removed"],
      [4404, "deleted"],
    ] as const) {
      const h = harness();
      join(h);
      h.socket().drop(code);
      vi.advanceTimersByTime(60000);
      expect(h.client.getSnapshot().status).toBe(status);
      expect(h.sockets).toHaveLength(1);
    }
  });

  it("treats a silent socket as dead and reconnects", async () => {
    const h = harness();
    join(h);
    await vi.advanceTimersByTimeAsync(46000);
    expect(h.sockets.length).toBe(2);
    expect(h.sockets[0]!.closedWith).toBe(4000);
  });

  it("reports access removed when the board is gone after repeated failures", async () => {
    const h = harness({
      fetchJson: async () => {
        throw new HttpError(404, "not found");
      },
    });
    join(h);
    for (let i = 0; i < 3; i++) {
      h.socket().drop(1006);
      await vi.advanceTimersByTimeAsync(20000);
    }
    expect(h.client.getSnapshot().status).toBe("removed");
  });
});

describe("presence and previews", () => {
  it("coalesces previews per element, latest wins", async () => {
    const h = harness();
    const socket = join(h);
    h.client.submit([{ op: "add", element: box("a") }]);
    socket.sent.length = 0;
    for (let x = 0; x < 10; x++) h.client.sendPreview("a", { x, y: 1 });
    await vi.advanceTimersByTimeAsync(40);
    expect(socket.sent.filter((m) => m.type === "preview")).toEqual([{ type: "preview", id: "a", props: { x: 9, y: 1 } }]);
  });

  it("relays others' presence and tracks who is here", () => {
    const h = harness();
    const socket = join(h);
    socket.deliver({ type: "joined", participant: { id: "p2", name: "Casey", role: "candidate", online: true } });
    socket.deliver({ type: "presence", participant: "p2", cursor: { x: 1, y: 2 }, selection: [] });
    expect(h.client.getSnapshot().participants.get("p2")).toMatchObject({ online: true });
    socket.deliver({ type: "left", participant: "p2" });
    expect(h.client.getSnapshot().participants.get("p2")).toMatchObject({ online: false });
    expect(h.events.map((e) => e.type)).toEqual(["joined", "presence", "left"]);
  });
});

describe("cascade", () => {
  it("deleting a component locally removes its arrows, like the server", () => {
    const h = harness();
    const socket = join(h);
    h.client.submit([
      { op: "add", element: box("a") },
      { op: "add", element: box("b") },
      { op: "add", element: arrow("ab", "a", "b") },
    ]);
    h.serve();
    h.client.submit([{ op: "delete", id: "a" }]);
    expect([...h.client.getSnapshot().elements.keys()]).toEqual(["b"]);
    // The component delete is sent as is; the server writes out the cascade itself.
    expect(socket.batches()[0]!.ops).toEqual([{ op: "delete", id: "a" }]);
  });
});

describe("annotations", () => {
  const IVAN: You = { participant: "ivan", name: "Ivan", role: "interviewer" };
  const challenge = (id: string, target: string | null = "api", layer = "challenges") => ({
    op: "annotate",
    annotation: { id, layer, target, kind: "failure_mode", text: "What happens when API goes down?" },
  });
  const texts = (h: Harness) => Object.fromEntries([...h.client.getSnapshot().annotations.values()].map((a) => [a.id, a.text]));

  function withApi(h: Harness): void {
    h.server.commit(THEM, "x1", [{ op: "add", element: box("api", { label: "API" }) }]);
  }

  it("takes the annotations from the welcome", () => {
    const h = harness();
    withApi(h);
    h.server.commit(THEM, "x2", [challenge("a1")]);
    join(h);
    expect(texts(h)).toEqual({ a1: "What happens when API goes down?" });
    expect(h.client.getSnapshot().annotations.get("a1")).toMatchObject({ author: THEM, status: "open", raised_seq: 2 });
  });

  it("shows my reply at once, and adopts the server's stamped form on acknowledgement", () => {
    const h = harness();
    withApi(h);
    h.server.commit(THEM, "x2", [challenge("a1")]);
    join(h);
    h.client.submit([{ op: "reply", annotation: "a1", reply: { id: "r1", text: "SQS buffers them." } }]);
    expect(h.client.getSnapshot().annotations.get("a1")).toMatchObject({ status: "answered", replies: [{ author: ME.participant }] });
    expect(h.socket().batches()[0]!.ops).toEqual([{ op: "reply", annotation: "a1", reply: { id: "r1", text: "SQS buffers them." } }]);
    h.serve();
    const snap = h.client.getSnapshot();
    expect(snap.unsynced).toBe(0);
    expect(snap.annotations.get("a1")).toEqual(h.server.board.annotations.get("a1"));
  });

  it("refuses locally what my role may not do, and queues nothing", () => {
    const h = harness();
    withApi(h);
    join(h);
    expect(() => h.client.submit([challenge("a1")])).toThrow(/role/);
    expect(h.client.getSnapshot()).toMatchObject({ unsynced: 0 });
    expect(h.socket().batches()).toEqual([]);
  });

  it("rolls an annotation back when the server refuses it", () => {
    const h = harness();
    withApi(h);
    h.server.commit(THEM, "x2", [challenge("a1")]);
    const socket = join(h);
    h.client.submit([{ op: "reply", annotation: "a1", reply: { id: "r1", text: "SQS." } }]);
    // Meanwhile the interviewer deleted the challenge.
    socket.deliver(h.server.commit(THEM, "x3", [{ op: "delete_annotation", annotation: "a1" }]));
    expect(texts(h)).toEqual({});
    h.serve();
    expect(h.events.find((e) => e.type === "rejected")).toMatchObject({ code: "unknown_ref" });
    expect(h.client.getSnapshot().unsynced).toBe(0);
  });

  it("sends a component and a note on it as one batch, canvas first", () => {
    const h = harness();
    join(h);
    const submitted = h.client.submit([
      { op: "add", element: box("cache", { label: "Cache" }) },
      challenge("n1", "cache", "notes"),
    ]);
    expect([...submitted.touched]).toEqual(["cache"]);
    h.serve();
    expect(h.server.board.annotations.get("n1")).toMatchObject({ layer: "notes", prompted: false, snapshot: { label: "Cache" } });
    expect(h.client.getSnapshot().annotations.get("n1")).toEqual(h.server.board.annotations.get("n1"));
  });

  it("keeps the private stream out of a candidate's resume URL", async () => {
    const h = harness();
    join(h);
    expect(h.client.getSnapshot().privateSeq).toBeNull();
    h.socket().drop(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.socket().url).toBe("ws://test/ws/boards/b1/?since=0");
  });

  describe("the private stream", () => {
    function interviewer() {
      const h = harness({ you: IVAN });
      withApi(h);
      h.server.commit("olga", "o1", [challenge("p-h1", "api", "private")]);
      const socket = join(h, IVAN);
      return { h, socket };
    }

    it("is applied in its own seq order, apart from the public seq", () => {
      const { h, socket } = interviewer();
      expect(h.client.getSnapshot()).toMatchObject({ seq: 1, privateSeq: 1 });
      expect(texts(h)).toHaveProperty("p-h1");
      h.client.submit([challenge("p-h2", "api", "private")]);
      h.serve();
      socket.deliver(h.server.commit(THEM, "x2", [challenge("a1")]));
      expect(h.client.getSnapshot()).toMatchObject({ seq: 2, privateSeq: 2, unsynced: 0 });
      expect(h.server.log.map((b) => b.stream)).toEqual(["public", "public"]);
      expect(h.server.privateLog.map((b) => [b.stream, b.seq])).toEqual([
        ["private", 1],
        ["private", 2],
      ]);
      expect(Object.keys(texts(h)).sort()).toEqual(["a1", "p-h1", "p-h2"]);
    });

    it("resumes with since and private_since, and applies the missed private batches", async () => {
      const { h, socket } = interviewer();
      socket.drop(1006);
      h.server.commit("olga", "o2", [{ op: "edit_text", annotation: "p-h1", text: "Push on the retry storm." }]);
      h.server.commit(THEM, "x2", [challenge("a1")]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(h.socket().url).toBe("ws://test/ws/boards/b1/?since=1&private_since=1");
      h.socket().open();
      h.socket().deliver(h.server.catchup(1, IVAN, 1));
      expect(h.client.getSnapshot()).toMatchObject({ seq: 2, privateSeq: 2 });
      expect(texts(h)).toMatchObject({ "p-h1": "Push on the retry storm.", a1: "What happens when API goes down?" });
    });

    it("fills a private gap by reconnecting (there is no REST twin)", () => {
      const { h, socket } = interviewer();
      h.server.commit("olga", "o2", [challenge("p-h2", "api", "private")]); // lost
      socket.deliver(h.server.commit("olga", "o3", [challenge("p-h3", "api", "private")]));
      expect(h.fetched).toEqual([]);
      expect(h.sockets).toHaveLength(2);
      expect(h.socket().url).toBe("ws://test/ws/boards/b1/?since=1&private_since=1");
      h.socket().open();
      h.socket().deliver(h.server.catchup(1, IVAN, 1));
      expect(h.client.getSnapshot().privateSeq).toBe(3);
      expect(Object.keys(texts(h)).sort()).toEqual(["p-h1", "p-h2", "p-h3"]);
    });

    it("reconnects when a private head says it missed something", async () => {
      const { h, socket } = interviewer();
      h.server.commit("olga", "o2", [challenge("p-h2", "api", "private")]);
      socket.deliver({ type: "head", stream: "private", seq: 2 });
      socket.deliver({ type: "head", stream: "public", seq: 1 });
      await vi.advanceTimersByTimeAsync(2000);
      expect(h.fetched).toEqual([]);
      expect(h.sockets).toHaveLength(2);
    });
  });
});

describe("the interview session", () => {
  const IVAN: You = { participant: "ivan", name: "Ivan", role: "interviewer" };
  const at = (seconds: number) => new Date(Date.parse("2026-11-23T20:30:00.000Z") + seconds * 1000).toISOString();

  it("takes the session and the ledger from the welcome, and corrects for the local clock", () => {
    vi.setSystemTime(new Date(Date.parse(at(0))));
    const h = harness();
    h.server.at = at(0);
    h.server.commit("ivan", "s1", [{ op: "session", action: "start", minutes: 30 }]);
    h.server.commit(ME.participant, "q1", [{ op: "requirement", entry: { id: "q1", kind: "question", text: "How many users?" } }]);
    h.server.at = at(120); // the server's clock now
    vi.setSystemTime(new Date(Date.parse(at(120)) - 5000)); // ours is 5 s behind
    join(h);
    const snap = h.client.getSnapshot();
    expect(snap.session).toMatchObject({ status: "running", minutes: 30, phase: "requirements", running_since: at(0) });
    expect(snap.session).not.toHaveProperty("now");
    expect(snap.requirements.get("q1")).toMatchObject({ text: "How many users?", author: ME.participant, seq: 2 });
    expect(snap.clockOffset).toBe(5000);
    expect(h.client.serverNow()).toBe(Date.parse(at(120)));
  });

  it("applies my session ops at once, stamped with the server's time, and adopts the server's on acknowledgement", () => {
    vi.setSystemTime(new Date(Date.parse(at(0)) - 2000));
    const h = harness({ you: IVAN });
    h.server.at = at(0);
    join(h, IVAN);
    vi.setSystemTime(new Date(Date.parse(at(10)) - 2000)); // 10 s later on the server's clock
    h.client.submit([{ op: "session", action: "start", minutes: 45 }]);
    expect(h.client.getSnapshot().session).toMatchObject({ status: "running", running_since: at(10), phase: "requirements" });
    expect(h.client.getSnapshot().unsynced).toBe(1);
    h.server.at = at(10.25);
    h.serve();
    const snap = h.client.getSnapshot();
    expect(snap.unsynced).toBe(0);
    expect(snap.session).toMatchObject({ status: "running", running_since: at(10.25), phases: [{ phase: "requirements", at: at(10.25), seq: 1 }] });
  });

  it("shows others' session, phase and ledger ops live", () => {
    const h = harness();
    join(h);
    const socket = h.socket();
    socket.deliver(h.server.commit("ivan", "s1", [{ op: "session", action: "start" }]));
    socket.deliver(h.server.commit("ivan", "p1", [{ op: "phase", phase: "high_level" }]));
    expect(h.client.getSnapshot().session).toMatchObject({ status: "running", phase: "high_level", minutes: 45 });
    expect(h.events.filter((e) => e.type === "remote")).toHaveLength(2);
  });

  it("adds my question at once, and shows the interviewer's answer when it comes", () => {
    const h = harness();
    join(h);
    h.client.submit([{ op: "requirement", entry: { id: "q1", kind: "question", text: "Read-heavy?" } }]);
    expect(h.client.getSnapshot().requirements.get("q1")).toMatchObject({ author: ME.participant, answer: null, seq: 1 });
    h.serve();
    h.socket().deliver(h.server.commit("ivan", "a1", [{ op: "answer_requirement", entry: "q1", text: "100:1 reads" }]));
    expect(h.client.getSnapshot().requirements.get("q1")?.answer).toMatchObject({ text: "100:1 reads", author: "ivan", seq: 2 });
  });

  it("refuses locally what my role may not do (a candidate cannot run the clock or answer)", () => {
    const h = harness();
    join(h);
    expect(() => h.client.submit([{ op: "session", action: "start" }])).toThrow(OpError);
    h.client.submit([{ op: "requirement", entry: { id: "q1", kind: "question", text: "Users?" } }]);
    expect(() => h.client.submit([{ op: "answer_requirement", entry: "q1", text: "Many" }])).toThrow(/Only the interviewer/);
    expect(h.socket().batches()).toHaveLength(1);
  });

  it("closes the board to the candidate when the session ends, and opens it again on resume", () => {
    const h = harness();
    join(h);
    const socket = h.socket();
    socket.deliver(h.server.commit("ivan", "s1", [{ op: "session", action: "start" }]));
    expect(h.client.canEdit).toBe(true);
    socket.deliver(h.server.commit("ivan", "s2", [{ op: "session", action: "end" }]));
    expect(h.client.getSnapshot().closed).toBe(true);
    expect(h.client.canEdit).toBe(false);
    expect(h.client.canWrite).toBe(false);
    expect(() => h.client.submit([{ op: "add", element: box("api") }])).toThrow(/closed/);
    socket.deliver(h.server.commit("ivan", "s3", [{ op: "session", action: "resume" }]));
    expect(h.client.getSnapshot().closed).toBe(false);
    expect(h.client.canEdit).toBe(true);
  });

  it("rolls back my pending change when the session ends before it arrives", () => {
    const h = harness();
    join(h);
    const socket = h.socket();
    socket.deliver(h.server.commit("ivan", "s1", [{ op: "session", action: "start" }]));
    h.client.submit([{ op: "add", element: box("api", { label: "API" }) }]);
    // The interviewer's end reaches the server first: my batch no longer applies on top.
    socket.deliver(h.server.commit("ivan", "s2", [{ op: "session", action: "end" }]));
    expect(labels(h)).toEqual({});
    h.serve();
    const rejected = h.events.find((e) => e.type === "rejected");
    expect(rejected).toMatchObject({ code: "forbidden", message: "This board is closed: the session has ended." });
    expect(h.client.getSnapshot().unsynced).toBe(0);
  });

  it("keeps the board open to the interviewer after the end", () => {
    const h = harness({ you: IVAN });
    join(h, IVAN);
    h.client.submit([{ op: "session", action: "start" }]);
    h.client.submit([{ op: "session", action: "end" }]);
    expect(h.client.getSnapshot().closed).toBe(true);
    expect(h.client.canEdit).toBe(true);
    h.client.submit([{ op: "add", element: box("api") }]);
    h.serve();
    expect(h.client.getSnapshot().unsynced).toBe(0);
    expect(h.server.board.elements.has("api")).toBe(true);
  });

  it("joins a closed board read-only", () => {
    const h = harness();
    h.server.commit("ivan", "s1", [{ op: "session", action: "start" }]);
    h.server.commit("ivan", "s2", [{ op: "session", action: "end" }]);
    join(h);
    expect(h.client.getSnapshot().closed).toBe(true);
    expect(h.client.canEdit).toBe(false);
  });
});
