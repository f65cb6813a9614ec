import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { component, harness, ME, THEM } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ROOM = [{ participant: THEM, name: "Ivy", role: "interviewer" as const }];
const INTERVIEWER = { participant: "ivy2", name: "Ian", role: "interviewer" } as const;

describe("what others did", () => {
  it("a challenge raised reaches the candidate, not another interviewer", async () => {
    const candidate = harness({ elements: [component("api")], participants: ROOM });
    const interviewer = harness({ you: INTERVIEWER, elements: [component("api")], participants: ROOM });
    for (const h of [candidate, interviewer]) {
      h.theirs([{ op: "annotate", annotation: { id: "a-1", layer: "challenges", target: "api", kind: "failure_mode", text: "What if it dies?" } }]);
      await h.settle();
    }
    expect(candidate.toasts()).toEqual(["Ivy asks: Failure mode?: What if it dies?"]);
    expect(interviewer.toasts()).toEqual([]);
  });

  it("an answer to my challenge reaches me", async () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api")], participants: [{ participant: "cat", name: "Cat", role: "candidate" }] });
    h.server.roles.set("cat", "candidate");
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "Q" })!;
    h.serve();
    h.theirs([{ op: "reply", annotation: id, reply: { id: "r-1", text: "A replica" } }], "cat");
    await h.settle();
    expect(h.toasts()).toEqual(["Cat answered: A replica"]);
  });

  it("the clock and the phase moving, with what it means for me", async () => {
    const h = harness({ participants: ROOM });
    h.theirs([{ op: "session", action: "start", minutes: 30 }]);
    h.theirs([{ op: "phase", phase: "deep_dive" }]);
    h.theirs([{ op: "session", action: "end" }]);
    await h.settle();
    expect(h.toasts().slice(0, 1)).toEqual(["Ivy started the interview: 30 minutes, beginning with requirements."]);
    expect(h.toasts().at(-1)).toBe("The interview has ended: The board is now read-only.");
    expect(h.toasts()[1]).toMatch(/^Phase: Deep dive/);
  });

  it("nothing I did myself", async () => {
    const h = harness({ you: { ...ME, role: "interviewer" } });
    h.board.session.startSession();
    h.serve();
    await h.settle();
    expect(h.toasts()).toEqual([]);
  });
});

describe("refusals", () => {
  it("a rolled-back change says so once per burst", () => {
    const h = harness({ elements: [component("api")] });
    h.board.editing.update("api", { label: "x" });
    h.board.editing.update("api", { label: "y" });
    const [first, second] = h.socket().batches();
    for (const batch of [first!, second!]) h.socket().deliver({ type: "rejected", id: batch.id, code: "forbidden", message: "No.", retryable: false });
    expect(h.toasts()).toEqual(["Change rolled back: No."]);
  });
});
