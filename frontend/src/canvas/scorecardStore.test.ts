import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Draft, Scorecard, Scorecards } from "./scorecard";
import { type ScorecardApi, ScorecardStore } from "./scorecardStore";

const BLANK: Scorecard = {
  author: "ivan",
  author_name: "Ivan",
  dimensions: {
    ambiguity_handling: { rating: null, notes: "", evidence: [] },
    trade_off_awareness: { rating: null, notes: "", evidence: [] },
    failure_mode_thinking: { rating: null, notes: "", evidence: [] },
    communication_clarity: { rating: null, notes: "", evidence: [] },
  },
  hire: "",
  notes: "",
  submitted_at: null,
  updated_at: null,
};

function fakeApi() {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  let mine: Scorecard = BLANK;
  const others: Scorecard[] = [{ ...BLANK, author: "olga", author_name: "Olga", hire: "no", submitted_at: "2026-11-23T21:00:00.000Z" }];
  const api: ScorecardApi = {
    async get<T>(path: string) {
      calls.push({ method: "GET", path });
      if (path.endsWith("/signals/")) return { evidence: {} } as T;
      const data: Scorecards = {
        rubric: {} as Scorecards["rubric"],
        mine,
        others: mine.submitted_at ? others : [],
        others_submitted: others.length,
      };
      return data as T;
    },
    async put<T>(path: string, body: unknown) {
      calls.push({ method: "PUT", path, body });
      mine = { ...mine, ...(body as Draft), updated_at: "2026-11-23T21:01:00.000Z" };
      return mine as T;
    },
    async post<T>(path: string) {
      calls.push({ method: "POST", path });
      mine = { ...mine, submitted_at: "2026-11-23T21:02:00.000Z" };
      return mine as T;
    },
  };
  return { api, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("my scorecard", () => {
  it("loads my card and the signals, and hides the others until mine is in", async () => {
    const { api, calls } = fakeApi();
    const store = new ScorecardStore(api, "b1");
    await store.load();
    await vi.runAllTimersAsync();
    const state = store.getSnapshot();
    expect(state.status).toBe("ready");
    expect(state.data?.others).toEqual([]);
    expect(state.data?.others_submitted).toBe(1);
    expect(state.signals).toEqual({ evidence: {} });
    expect(calls.map((c) => c.path)).toEqual(["boards/b1/scorecards/", "boards/b1/signals/"]);
  });

  it("saves the draft once, a moment after a burst of edits", async () => {
    const { api, calls } = fakeApi();
    const store = new ScorecardStore(api, "b1");
    await store.load();
    store.edit((d) => ({ ...d, notes: "S" }));
    store.edit((d) => ({ ...d, notes: "So" }));
    store.edit((d) => ({ ...d, hire: "yes" }));
    expect(store.getSnapshot().save).toBe("pending");
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(500);
    const puts = calls.filter((c) => c.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]?.body).toMatchObject({ notes: "So", hire: "yes" });
    expect(store.getSnapshot().save).toBe("saved");
  });

  it("saves what is pending before submitting, then shows the others", async () => {
    const { api, calls } = fakeApi();
    const store = new ScorecardStore(api, "b1");
    await store.load();
    store.edit((d) => ({ ...d, hire: "strong_yes" }));
    expect(await store.submit()).toBe(true);
    expect(calls.filter((c) => c.method !== "GET").map((c) => c.method)).toEqual(["PUT", "POST"]);
    const state = store.getSnapshot();
    expect(state.data?.mine.submitted_at).not.toBeNull();
    expect(state.data?.others.map((o) => o.author_name)).toEqual(["Olga"]);
    // Final: further edits are ignored.
    store.edit((d) => ({ ...d, hire: "no" }));
    expect(store.getSnapshot().draft?.hire).toBe("strong_yes");
  });

  it("keeps the edits and says so when a save fails", async () => {
    const { api } = fakeApi();
    api.put = async () => {
      throw new Error("The server could not be reached.");
    };
    const store = new ScorecardStore(api, "b1");
    await store.load();
    store.edit((d) => ({ ...d, notes: "Kept" }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.getSnapshot()).toMatchObject({ save: "failed", error: "The server could not be reached." });
    expect(store.getSnapshot().draft?.notes).toBe("Kept");
  });
});
