import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { SyncEvent } from "../sync";
import { type PracticeApi, PracticeStore, TICK_MS } from "./practiceStore";

function fakes(pages: Record<number, unknown>) {
  const listeners: ((event: SyncEvent) => void)[] = [];
  const calls: string[] = [];
  const api: PracticeApi = {
    get<T>(path: string): Promise<T> {
      calls.push(`GET ${path}`);
      const after = Number(/after=(\d+)/.exec(path)?.[1] ?? 0);
      return Promise.resolve((pages[after] ?? { batches: [], next: null }) as T);
    },
    post<T>(path: string): Promise<T> {
      calls.push(`POST ${path}`);
      return Promise.resolve({ batches: [] } as T);
    },
  };
  const client = {
    onEvent: (listener: (event: SyncEvent) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
  };
  return { api, client, calls, emit: (event: SyncEvent) => listeners.forEach((l) => l(event)) };
}

const notice = (id: string, kind: string, text: string) => ({ op: "notice", notice: { id, kind, text } });

describe("the practice store", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reads the coach's notices from the log, page by page, and keeps their seq", async () => {
    const { api, client } = fakes({
      0: { batches: [{ seq: 1, ops: [{ op: "session", action: "start" }, notice("c-0-1", "start", "The clock is running.")] }], next: 1 },
      1: { batches: [{ seq: 2, ops: [notice("c-1-1", "phase", "On to the high-level design.")] }], next: null },
    });
    const store = new PracticeStore(api, "b1", client);
    store.start(false);
    await vi.runOnlyPendingTimersAsync();
    expect(store.getSnapshot().notices.map((n) => [n.seq, n.kind, n.text])).toEqual([
      [1, "start", "The clock is running."],
      [2, "phase", "On to the high-level design."],
    ]);
    store.dispose();
  });

  it("lets the coach act for the person practising only: at once, after batches and every few seconds", async () => {
    const author = fakes({});
    const store = new PracticeStore(author.api, "b1", author.client);
    store.start(true);
    await vi.advanceTimersByTimeAsync(TICK_MS);
    const ticks = () => author.calls.filter((c) => c === "POST boards/b1/practice/tick/").length;
    expect(ticks()).toBe(2);
    author.emit({ type: "ack", batch: {} } as SyncEvent);
    await vi.advanceTimersByTimeAsync(400);
    expect(ticks()).toBe(3);
    store.dispose();
    await vi.advanceTimersByTimeAsync(TICK_MS * 3);
    expect(ticks()).toBe(3);

    const observer = fakes({});
    const watching = new PracticeStore(observer.api, "b1", observer.client);
    watching.start(false);
    await vi.advanceTimersByTimeAsync(TICK_MS * 2);
    expect(observer.calls.some((c) => c.startsWith("POST"))).toBe(false);
    watching.dispose();
  });

  it("finishes the session when asked", async () => {
    const { api, client, calls } = fakes({});
    const store = new PracticeStore(api, "b1", client);
    await store.finish();
    expect(calls).toContain("POST boards/b1/practice/finish/");
    expect(store.getSnapshot().finishing).toBe(false);
  });
});
