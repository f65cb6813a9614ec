import { afterEach, describe, expect, it, vi } from "vitest";

import type { SyncEvent } from "../sync";
import { changesBoard, Debounced, LatestRequest, messageOf, ViewStore } from "./viewStore";

interface Counter {
  readonly count: number;
  readonly label: string;
  readonly busy: boolean;
  readonly error: string | null;
}

/** The smallest store: a fetch where only the newest answer lands, refetched after board changes. */
class CounterStore extends ViewStore<Counter> {
  private readonly latest = new LatestRequest();
  readonly refetch = this.debounce(100, () => void this.load(() => Promise.resolve(-1)));

  constructor(private readonly client: { onEvent(listener: (event: SyncEvent) => void): () => void }) {
    super({ count: 0, label: "", busy: false, error: null });
  }

  start(): boolean {
    return this.follow(this.client, (event) => {
      if (changesBoard(event)) this.refetch.schedule();
    });
  }

  bump(label: string): void {
    this.set({ count: this.view.count + 1, label });
  }

  async load(fetch: () => Promise<number>): Promise<void> {
    const newest = this.latest.begin();
    const count = await fetch();
    if (newest()) this.set({ count });
  }

  cancel(): void {
    this.latest.cancel();
  }

  save(work: () => Promise<unknown>): Promise<boolean> {
    return this.whileBusy(work);
  }
}

/** A sync client that only hands out events; `listening` counts who hears them. */
function fakeClient() {
  let heard: ((event: SyncEvent) => void)[] = [];
  const client = {
    listening: 0,
    onEvent: (listener: (event: SyncEvent) => void) => {
      heard = [...heard, listener];
      client.listening = heard.length;
      return () => {
        heard = heard.filter((other) => other !== listener);
        client.listening = heard.length;
      };
    },
    emit: (event: SyncEvent) => heard.forEach((listener) => listener(event)),
  };
  return client;
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ViewStore", () => {
  it("merges each change into a new snapshot and tells every listener once per change", () => {
    const store = new CounterStore(fakeClient());
    const one = vi.fn();
    const two = vi.fn();
    store.subscribe(one);
    const unsubscribe = store.subscribe(two);
    const before = store.getSnapshot();
    store.bump("a");
    expect(one).toHaveBeenCalledTimes(1);
    expect(two).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toMatchObject({ count: 1, label: "a" });
    expect(before).toMatchObject({ count: 0, label: "" });
    unsubscribe();
    store.bump("b");
    expect(one).toHaveBeenCalledTimes(2);
    expect(two).toHaveBeenCalledTimes(1);
  });

  it("keeps getSnapshot and subscribe usable detached, as useSyncExternalStore calls them", () => {
    const store = new CounterStore(fakeClient());
    const { getSnapshot, subscribe } = store;
    const listener = vi.fn();
    subscribe(listener);
    store.bump("x");
    expect(getSnapshot().label).toBe("x");
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("follows the client once, until disposed, and dispose cancels a refetch on its way", () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const store = new CounterStore(client);
    expect(store.start()).toBe(true);
    expect(store.start()).toBe(false);
    expect(client.listening).toBe(1);
    client.emit({ type: "reset" });
    expect(store.refetch.pending).toBe(true);
    store.dispose();
    expect(client.listening).toBe(0);
    expect(store.refetch.pending).toBe(false);
    expect(store.start()).toBe(true);
    expect(client.listening).toBe(1);
  });

  it("is busy while work runs, clears the last error, and keeps the sentence of a failure", async () => {
    const store = new CounterStore(fakeClient());
    const seen: boolean[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().busy));
    expect(await store.save(() => Promise.reject(new Error("Only interviewers can play a card.")))).toBe(false);
    expect(store.getSnapshot()).toMatchObject({ busy: false, error: "Only interviewers can play a card." });
    expect(await store.save(() => Promise.resolve("stored"))).toBe(true);
    expect(store.getSnapshot()).toMatchObject({ busy: false, error: null });
    expect(seen).toEqual([true, true, false, true, false]);
  });
});

describe("LatestRequest", () => {
  it("never lets a stale answer land over a newer one", async () => {
    const store = new CounterStore(fakeClient());
    const slow = deferred<number>();
    const fast = deferred<number>();
    const first = store.load(() => slow.promise);
    const second = store.load(() => fast.promise);
    fast.resolve(2);
    await second;
    slow.resolve(1);
    await first;
    expect(store.getSnapshot().count).toBe(2);
  });

  it("drops every answer on its way after cancel", async () => {
    const store = new CounterStore(fakeClient());
    const pending = deferred<number>();
    const loading = store.load(() => pending.promise);
    store.cancel();
    pending.resolve(7);
    await loading;
    expect(store.getSnapshot().count).toBe(0);
  });
});

describe("Debounced", () => {
  it("runs once, the delay after the last of a burst of board changes, and not after cancel", () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const later = new Debounced(100, run);
    later.schedule();
    vi.advanceTimersByTime(60);
    later.schedule();
    vi.advanceTimersByTime(60);
    expect(run).not.toHaveBeenCalled();
    expect(later.pending).toBe(true);
    vi.advanceTimersByTime(40);
    expect(run).toHaveBeenCalledTimes(1);
    expect(later.pending).toBe(false);
    later.schedule();
    later.cancel();
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("is what a store's start wires to remote, ack and reset events, and nothing else", () => {
    vi.useFakeTimers();
    const client = fakeClient();
    const store = new CounterStore(client);
    const schedule = vi.spyOn(store.refetch, "schedule");
    store.start();
    client.emit({ type: "rejected", batchId: "b", code: "invalid", message: "No.", retryable: false } as unknown as SyncEvent);
    expect(schedule).not.toHaveBeenCalled();
    client.emit({ type: "reset" });
    client.emit({ type: "remote", batch: { ops: [] } } as unknown as SyncEvent);
    expect(schedule).toHaveBeenCalledTimes(2);
  });
});

describe("messageOf", () => {
  it("uses the error's own sentence, else the fallback", () => {
    expect(messageOf(new Error("Only the owner can do that."))).toBe("Only the owner can do that.");
    expect(messageOf("boom")).toBe("Something went wrong.");
    expect(messageOf(undefined, "The analysis failed.")).toBe("The analysis failed.");
  });
});
