import { describe, expect, it, vi } from "vitest";

import type { SyncEvent } from "../sync";
import { type BoardQuestion, type Fact, factsByTopic, shortcutsFor, suggestedFacts, topicName } from "./question";
import { QuestionStore } from "./questionStore";
import { credit } from "./scorecard";

const facts: Fact[] = [
  { id: "users", topic: "scale", answer: "50M users", words: [] },
  { id: "latency", topic: "latency", answer: "10 s for 2FA", words: [] },
  { id: "volume", topic: "scale", answer: "20M a day", words: [] },
];

const full: BoardQuestion = {
  question: { id: "q", version: 2, title: "T", question_type: "design", prompt: "P", facts },
  full: true,
  suggestions: { e1: [{ fact: "volume", score: 3, matched: ["how many"] }, { fact: "gone", score: 1, matched: [] }, { fact: "users", score: 2, matched: [] }] },
};

describe("the question's helpers", () => {
  it("groups facts by topic in the sheet's order", () => {
    expect(factsByTopic(facts).map(([topic, items]) => [topic, items.map((f) => f.id)])).toEqual([
      ["scale", ["users", "volume"]],
      ["latency", ["latency"]],
    ]);
    expect(topicName("read_write")).toBe("Read/write mix");
    expect(topicName("made_up_topic")).toBe("Made up topic");
  });

  it("resolves suggestions against the sheet, best first, dropping unknown facts", () => {
    expect(suggestedFacts(full, "e1").map((f) => f.id)).toEqual(["volume", "users"]);
    expect(suggestedFacts(full, "e2")).toEqual([]);
    expect(suggestedFacts({ question: null, full: false }, "e1")).toEqual([]);
    expect(suggestedFacts(null, "e1")).toEqual([]);
  });

  it("offers a walkthrough's challenge shortcuts with the target named, and none for a design", () => {
    const shortcuts = shortcutsFor("walkthrough", "Checkout API");
    expect(shortcuts.map((s) => s.label)).toEqual(["Constraints?", "What would you do differently?", "Who did what?"]);
    expect(shortcuts.every((s) => s.text.includes("Checkout API") && !s.text.includes("{target}"))).toBe(true);
    expect(shortcutsFor("design", "x")).toEqual([]);
    expect(shortcutsFor(null, "x")).toEqual([]);
  });
});

function fakeClient() {
  const listeners = new Set<(event: SyncEvent) => void>();
  return {
    onEvent(listener: (event: SyncEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: SyncEvent) {
      for (const listener of listeners) listener(event);
    },
  };
}

const remote = { type: "remote", batch: { type: "batch", seq: 2, id: "b", participant: "p", ops: [], at: "" } } as unknown as SyncEvent;

describe("a walkthrough's credit signal", () => {
  it("reads as shares of the components", () => {
    expect(credit({ components: 5, me: 0.4, team: 0.2, others: 0.4, uncredited: 0 })).toBe("me 40% · team 20% · others 40% · not said 0%");
    expect(credit({ components: 0, me: null })).toBe("no components");
    expect(credit(undefined)).toBe("–");
  });
});

describe("QuestionStore", () => {
  it("loads once for everyone, and follows the ledger only when it holds the whole question", async () => {
    vi.useFakeTimers();
    const get = vi.fn(async (_path: string): Promise<unknown> => ({ question: { ...full.question, facts: undefined }, full: false }));
    const client = fakeClient();
    const store = new QuestionStore({ get: get as never }, "b1", client, 10);
    store.start();
    await vi.runAllTimersAsync();
    expect(get).toHaveBeenCalledWith("boards/b1/question/");
    expect(store.getSnapshot().status).toBe("ready");
    client.emit(remote);
    await vi.runAllTimersAsync();
    expect(get).toHaveBeenCalledTimes(1);
    store.dispose();
    vi.useRealTimers();
  });

  it("refreshes the suggestions a moment after batches, and compares on demand", async () => {
    vi.useFakeTimers();
    const comparison = { shows: "s", matched: [], missing: [], extra: [], changed: [] };
    const get = vi.fn(async (path: string): Promise<unknown> => (path.endsWith("compare/") ? { comparison } : full));
    const client = fakeClient();
    const store = new QuestionStore({ get: get as never }, "b1", client, 10);
    store.start();
    await vi.runAllTimersAsync();
    client.emit(remote);
    client.emit(remote);
    await vi.runAllTimersAsync();
    expect(get.mock.calls.filter(([p]) => p === "boards/b1/question/")).toHaveLength(2);
    expect(await store.compare()).toEqual(comparison);
    expect(store.getSnapshot().comparing).toBe("ready");
    // Once compared, the comparison follows the board too.
    client.emit(remote);
    await vi.runAllTimersAsync();
    expect(get.mock.calls.filter(([p]) => p === "boards/b1/question/compare/")).toHaveLength(2);
    store.dispose();
    vi.useRealTimers();
  });

  it("keeps what it had when a refresh fails, and says why a comparison failed", async () => {
    const get = vi.fn(async (): Promise<unknown> => {
      throw new Error("offline");
    });
    const store = new QuestionStore({ get: get as never }, "b1", fakeClient(), 10);
    await store.load();
    expect(store.getSnapshot()).toMatchObject({ status: "failed", error: "offline" });
    expect(await store.compare()).toBeNull();
    expect(store.getSnapshot()).toMatchObject({ comparing: "failed", compareError: "offline" });
  });
});
