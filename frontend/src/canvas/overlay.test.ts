import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "../api/http";
import { type Annotation, type Element, elementsFrom } from "../sync";
import { diffOverlay, ghostId, isGhost } from "./diff";
import { type Analysis, drillChallengeText, drillOverlay, names } from "./drill";
import { DrillStore } from "./drillStore";
import { mergeMarks } from "./overlay";
import { isPending, type PendingComment, stillPending, withPending } from "./pending";
import { openThreadCount } from "./reviewView";
import { annotationsOn } from "./version";

const box = (id: string, label = id): Element => ({ id, kind: "component", type: "service", label, x: 0, y: 0, w: 160, h: 72, tech: "", replicas: 1, notes: "" });
const arrow = (id: string, source: string, target: string): Element => ({ id, kind: "arrow", source, target, label: "", style: "sync" });

describe("the diff on the canvas", () => {
  it("marks added and changed elements and draws removed ones as ghosts from the old version", () => {
    const now = elementsFrom([box("api"), box("cache"), arrow("a2", "api", "cache")]);
    const diff = {
      added: [box("cache"), arrow("a2", "api", "cache")],
      removed: [box("db"), arrow("a1", "api", "db")],
      changed: [{ id: "api", kind: "component" as const, fields: ["label", "connections"], before: {}, after: {} }],
    };
    const { elements, marks } = diffOverlay(now, diff);
    expect(marks.get("cache")).toEqual({ diff: "added" });
    expect(marks.get("a2")).toEqual({ diff: "added" });
    expect(marks.get("api")).toEqual({ diff: "changed", fields: ["label", "connections"] });
    expect(marks.get(ghostId("db"))).toEqual({ diff: "removed" });
    // The removed arrow keeps its live end and points at the ghost of the removed one.
    expect(elements.get(ghostId("a1"))).toMatchObject({ kind: "arrow", source: "api", target: ghostId("db") });
    expect(elements.get(ghostId("db"))).toMatchObject({ kind: "component", label: "db" });
    expect(isGhost(ghostId("db"))).toBe(true);
    expect(now.has(ghostId("db"))).toBe(false); // never mutates
  });

  it("keeps a reused id apart: the old kind is a ghost, the new one is added", () => {
    const now = elementsFrom([{ id: "x", kind: "note", x: 0, y: 0, w: 200, h: 120, text: "now a note" }]);
    const { elements, marks } = diffOverlay(now, { added: [...now.values()], removed: [box("x")], changed: [] });
    expect(elements.get("x")?.kind).toBe("note");
    expect(elements.get(ghostId("x"))?.kind).toBe("component");
    expect(marks.get("x")?.diff).toBe("added");
  });

  it("returns the same board when nothing was removed", () => {
    const now = elementsFrom([box("api")]);
    expect(diffOverlay(now, { added: [], removed: [], changed: [] }).elements).toBe(now);
  });
});

describe("the drill on the canvas", () => {
  const drill = {
    failed: "queue",
    failed_components: ["queue"],
    lost: ["push"],
    degraded: ["api", "client"],
    unreachable: ["log"],
    entry_points_cut: ["client"],
    stores_cut: ["log"],
    single_point_of_failure: true,
    summary: "If Send queue goes down, Product services can no longer reach Delivery log.",
  };

  it("marks the failed component, what is lost, degraded and no longer reached", () => {
    const marks = drillOverlay(drill, null);
    expect(marks.get("queue")).toEqual({ drill: "failed" });
    expect(marks.get("push")).toEqual({ drill: "lost" });
    expect(marks.get("api")).toEqual({ drill: "degraded" });
    expect(marks.get("log")).toEqual({ drill: "unreachable" });
    expect(marks.has("db")).toBe(false);
  });

  it("ranks single points of failure, with or without a drill", () => {
    const spofs = [
      { id: "lb", entry_points_cut: 2, stores_cut: 2, components_lost: 5 },
      { id: "queue", entry_points_cut: 1, stores_cut: 1, components_lost: 0 },
    ];
    expect(drillOverlay(null, spofs).get("lb")).toEqual({ spof: 1 });
    expect(drillOverlay(drill, spofs).get("queue")).toEqual({ drill: "failed", spof: 2 });
  });

  it("merges with a diff's marks, the drill winning on a clash", () => {
    const merged = mergeMarks(new Map([["api", { diff: "changed" as const }]]), drillOverlay(drill, null));
    expect(merged.get("api")).toEqual({ diff: "changed", drill: "degraded" });
  });

  it("words the challenge from the server's summary, within the text limit", () => {
    const elements = elementsFrom([box("queue", "Send queue")]);
    expect(drillChallengeText(drill, elements)).toBe(`${drill.summary} How does the design cope when Send queue goes down?`);
    expect(drillChallengeText({ ...drill, summary: "x".repeat(5000) }, elements).length).toBeLessThanOrEqual(4000);
    expect(names(elements, ["queue", "a", "b"])).toBe("Send queue, a and b");
  });
});

describe("pending and live annotations", () => {
  const comment = (id: string, version = 2): PendingComment => ({
    id,
    layer: "challenges",
    target: "api",
    kind: "failure_mode",
    text: "What if it goes down?",
    version,
    created_at: "2026-11-23T20:00:00.000Z",
  });
  const live = (id: string, extra: Partial<Annotation> = {}): Annotation => ({
    id,
    layer: "challenges",
    target: "api",
    kind: "failure_mode",
    text: "What if it goes down?",
    author: "r1",
    prompted: true,
    status: "open",
    snapshot: null,
    raised_seq: 3,
    answered_seq: null,
    created_at: "2026-11-23T20:00:00.000Z",
    updated_at: "2026-11-23T20:00:00.000Z",
    replies: [],
    ...extra,
  });

  it("shows my pending comments beside the live threads, marked pending", () => {
    const annotations = new Map([["a-live", live("a-live")]]);
    const merged = withPending(annotations, [comment("a-p")], "me");
    expect([...merged.keys()]).toEqual(["a-live", "a-p"]);
    expect(isPending(merged.get("a-p")!)).toBe(true);
    expect(merged.get("a-p")).toMatchObject({ author: "me", status: "open", version: 2, layer: "challenges" });
    expect(isPending(merged.get("a-live")!)).toBe(false);
    expect(withPending(annotations, [], "me")).toBe(annotations);
  });

  it("lets the live twin win once the review lands, and drops it from the draft", () => {
    const annotations = new Map([["a-p", live("a-p", { version: 2 })]]);
    expect(isPending(withPending(annotations, [comment("a-p")], "me").get("a-p")!)).toBe(false);
    expect(stillPending([comment("a-p"), comment("a-q")], annotations).map((c) => c.id)).toEqual(["a-q"]);
  });

  it("counts open threads without the pending ones, and finds the threads written on a version", () => {
    const annotations = new Map([
      ["a", live("a", { version: 1 })],
      ["b", live("b", { status: "resolved" })],
      ["c", live("c", { status: "answered", version: 2 })],
    ]);
    expect(openThreadCount(withPending(annotations, [comment("p")], "me"))).toBe(2);
    expect([...annotationsOn(annotations, 1).keys()]).toEqual(["a"]);
  });
});

describe("the drill store", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const analysis = (seq: number, failed?: string): Analysis => ({
    seq,
    entry_points: [],
    data_stores: [],
    spofs: [],
    lints: [],
    probes: [],
    ...(failed ? { drill: { failed, failed_components: [failed], lost: [], degraded: [], unreachable: [], entry_points_cut: [], stores_cut: [], single_point_of_failure: false, summary: "" } } : {}),
  });

  function setup() {
    const calls: { path: string; resolve: (value: Analysis) => void; reject: (error: unknown) => void }[] = [];
    const listeners: ((event: { type: string }) => void)[] = [];
    const api = {
      get<T>(path: string): Promise<T> {
        return new Promise<T>((resolve, reject) => calls.push({ path, resolve: resolve as (value: Analysis) => void, reject }));
      },
    };
    const client = {
      onEvent(listener: (event: { type: string }) => void) {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const store = new DrillStore(api, "b1", client as never, 300);
    store.start();
    return { store, calls, emit: (type: string) => listeners.forEach((l) => l({ type })) };
  }

  it("fails a component, and shows only the newest answer", async () => {
    const { store, calls } = setup();
    void store.fail("api");
    void store.fail("db");
    expect(calls.map((c) => c.path)).toEqual(["boards/b1/analysis/?fail=api", "boards/b1/analysis/?fail=db"]);
    calls[1]!.resolve(analysis(5, "db"));
    await vi.runAllTimersAsync();
    calls[0]!.resolve(analysis(4, "api")); // late: dropped
    await vi.runAllTimersAsync();
    expect(store.getSnapshot().analysis?.drill?.failed).toBe("db");
    expect(store.getSnapshot().failed).toBe("db");
  });

  it("refetches a moment after the board changes, once for a burst, only while on", async () => {
    const { store, calls, emit } = setup();
    emit("remote");
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(0);
    store.toggle(true);
    calls[0]!.resolve(analysis(1));
    emit("remote");
    emit("ack");
    emit("remote");
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    store.toggle(false);
    emit("remote");
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ on: false, failed: null });
  });

  it("recovers a failed component that was deleted and keeps drilling", async () => {
    const { store, calls } = setup();
    void store.fail("gone");
    calls[0]!.reject(new ApiError(400, "unknown_ref", "No element.", "fail"));
    await vi.runAllTimersAsync();
    expect(calls[1]!.path).toBe("boards/b1/analysis/");
    expect(store.getSnapshot().failed).toBeNull();
  });
});
