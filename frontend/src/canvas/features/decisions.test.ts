import { describe, expect, it, vi } from "vitest";

import type { Actor, Annotation, BatchMessage, Element, SyncEvent } from "../../sync";
import { alternativesFrom, answersWithDecision, decisionLine, DecisionStore, decisionsOn } from "./decisions";

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

const KAFKA = { id: "d1", target: "q", choice: "Kafka", alternatives: ["SQS"], cost: "ops", why: "replay", revisit_when: "", author: "p", seq: 4 };
const batch = (ops: { op: string }[]) => ({ type: "batch", id: "b", seq: 5, participant: "p", at: "", ops }) as unknown as BatchMessage;

describe("DecisionStore", () => {
  it("loads the board's decisions, records one over REST and shows it", async () => {
    const get = vi.fn().mockResolvedValueOnce({ seq: 3, decisions: [] }).mockResolvedValue({ seq: 4, decisions: [KAFKA] });
    const post = vi.fn().mockResolvedValue({ seq: 4, op: {} });
    const store = new DecisionStore({ get, post }, "b1", fakeClient(), () => "d1");
    store.start();
    await vi.waitFor(() => expect(get).toHaveBeenCalledTimes(1));
    const id = await store.decide({ target: "q", choice: " Kafka ", alternatives: ["SQS"], cost: "ops", why: "replay", revisit_when: "" });
    expect(id).toBe("d1");
    expect(post).toHaveBeenCalledWith("boards/b1/decisions/", {
      op: "decide",
      decision: { id: "d1", target: "q", choice: "Kafka", alternatives: ["SQS"], cost: "ops", why: "replay", revisit_when: "" },
    });
    expect(store.getSnapshot().decisions.get("d1")?.choice).toBe("Kafka");
    store.dispose();
  });

  it("says what the server refused and returns null", async () => {
    const get = vi.fn().mockResolvedValue({ seq: 1, decisions: [] });
    const post = vi.fn().mockRejectedValue(new Error("A observer cannot record decisions."));
    const store = new DecisionStore({ get, post }, "b1", fakeClient());
    expect(await store.remove("d1")).toBe(false);
    expect(store.getSnapshot().error).toBe("A observer cannot record decisions.");
  });

  it("refetches after a batch with a decision op or a reset, not after other batches", async () => {
    vi.useFakeTimers();
    const get = vi.fn().mockResolvedValue({ seq: 1, decisions: [] });
    const client = fakeClient();
    const store = new DecisionStore({ get, post: vi.fn() }, "b1", client);
    store.start();
    await vi.advanceTimersByTimeAsync(0);
    const calls = get.mock.calls.length;
    client.emit({ type: "remote", batch: batch([{ op: "update" }]) });
    await vi.advanceTimersByTimeAsync(300);
    expect(get.mock.calls.length).toBe(calls);
    client.emit({ type: "remote", batch: batch([{ op: "decide" }]) });
    await vi.advanceTimersByTimeAsync(300);
    expect(get.mock.calls.length).toBe(calls + 1);
    client.emit({ type: "reset" });
    await vi.advanceTimersByTimeAsync(300);
    expect(get.mock.calls.length).toBe(calls + 2);
    store.dispose();
    vi.useRealTimers();
  });
});

describe("decision helpers", () => {
  it("splits alternatives typed in one box, dropping blanks and repeats", () => {
    expect(alternativesFrom("SQS, RabbitMQ;; sqs\n Kinesis ")).toEqual(["SQS", "RabbitMQ", "Kinesis"]);
    expect(alternativesFrom(Array.from({ length: 15 }, (_, i) => `x${i}`).join(","))).toHaveLength(10);
  });

  it("lists a component's decisions in write order and reads one as a line", () => {
    const later = { ...KAFKA, id: "d0", seq: 9 };
    const elsewhere = { ...KAFKA, id: "d2", target: "db" };
    const all = new Map([later, KAFKA, elsewhere].map((d) => [d.id, d]));
    expect(decisionsOn(all, "q").map((d) => d.id)).toEqual(["d1", "d0"]);
    expect(decisionLine(KAFKA)).toBe("Kafka over SQS: replay");
    expect(decisionLine({ choice: "Redis", alternatives: [], why: " " })).toBe("Redis");
  });
});

describe("answersWithDecision", () => {
  const queue = { id: "q", kind: "component", type: "queue", label: "Events", tech: "Kafka" } as unknown as Element;
  const elements = new Map([["q", queue]]);
  const whyNot = { id: "c1", layer: "challenges", target: "q", kind: "clarify", text: "Why Kafka and not SQS?" } as unknown as Annotation;
  const as = (role: Actor["role"], mode: Actor["mode"]): Actor => ({ participant: "p", role, mode });

  it("offers the challenged side a decision as the answer to a why-not", () => {
    expect(answersWithDecision(whyNot, as("candidate", "interview"), elements)).toBe(true);
    expect(answersWithDecision(whyNot, as("owner", "review"), elements)).toBe(true);
  });

  it("does not offer it to the side that asked, though they may edit the canvas", () => {
    expect(answersWithDecision(whyNot, as("interviewer", "interview"), elements)).toBe(false);
    expect(answersWithDecision(whyNot, as("owner", "interview"), elements)).toBe(false);
    expect(answersWithDecision(whyNot, as("observer", "interview"), elements)).toBe(false);
  });

  it("needs a trade-off or a why-not on a component", () => {
    const other = { ...whyNot, text: "What if it fills up?" } as Annotation;
    expect(answersWithDecision(other, as("candidate", "interview"), elements)).toBe(false);
    expect(answersWithDecision({ ...other, kind: "trade_off" } as Annotation, as("candidate", "interview"), elements)).toBe(true);
    expect(answersWithDecision({ ...whyNot, target: null } as Annotation, as("candidate", "interview"), elements)).toBe(false);
  });
});
