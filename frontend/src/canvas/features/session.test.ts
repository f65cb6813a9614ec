import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { component, harness } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const INTERVIEWER = { participant: "ivy", name: "Ivy", role: "interviewer" } as const;

describe("the clock and the phase", () => {
  it("an interviewer starts (45 minutes unless told), pauses, resumes, moves the phase and ends", () => {
    const h = harness({ you: INTERVIEWER });
    const s = h.board.session;
    expect(s.startSession()).toBe(true);
    expect(s.pauseSession()).toBe(true);
    expect(s.resumeSession()).toBe(true);
    expect(s.setPhase("deep_dive")).toBe(true);
    expect(s.endSession()).toBe(true);
    expect(h.sent()).toEqual([
      [{ op: "session", action: "start", minutes: 45 }],
      [{ op: "session", action: "pause" }],
      [{ op: "session", action: "resume" }],
      [{ op: "phase", phase: "deep_dive" }],
      [{ op: "session", action: "end" }],
    ]);
    expect(h.board.client.getSnapshot().closed).toBe(true);
  });

  it("is not the candidate's to run", () => {
    const h = harness();
    expect(h.board.session.startSession(30)).toBe(false);
    expect(h.sent()).toEqual([]);
    expect(h.toasts()[0]).toMatch(/^That cannot be done: /);
  });

  it("keeps running while a replay shows (the ledger does not)", async () => {
    const h = harness({ you: INTERVIEWER });
    h.board.replay.openReplay();
    await h.settle();
    expect(h.board.session.startSession(30)).toBe(true);
    expect(h.board.session.addRequirement({ kind: "question", text: "Users?" })).toBeNull();
    expect(h.sent()).toEqual([[{ op: "session", action: "start", minutes: 30 }]]);
    expect(h.toasts()).toEqual(["This is a replay: Go back to the live board to change it."]);
  });
});

describe("the ledger", () => {
  it("writes an entry (id by kind, text trimmed, links only when given), answers and relinks it", () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api")] });
    const plain = h.board.session.addRequirement({ kind: "assumption", text: "  Reads dominate  " });
    const linked = h.board.session.addRequirement({ kind: "constraint", text: "p99 < 100 ms", links: ["api"] });
    expect(plain).toMatch(/^a-/);
    expect(linked).toMatch(/^c-/);
    expect(h.board.session.answerRequirement(linked!, " Agreed ")).toBe(true);
    expect(h.board.session.linkRequirement(linked!, [])).toBe(true);
    expect(h.sent()).toEqual([
      [{ op: "requirement", entry: { id: plain, kind: "assumption", text: "Reads dominate", links: [] } }],
      [{ op: "requirement", entry: { id: linked, kind: "constraint", text: "p99 < 100 ms", links: ["api"] } }],
      [{ op: "answer_requirement", entry: linked, text: "Agreed" }],
      [{ op: "link_requirement", entry: linked, links: [] }],
    ]);
  });

  it("refuses a link to an element that is not there", () => {
    const h = harness({ you: INTERVIEWER });
    expect(h.board.session.addRequirement({ kind: "question", text: "Q", links: ["ghost"] })).toBeNull();
    expect(h.sent()).toEqual([]);
    expect(h.toasts()[0]).toMatch(/^That cannot be done: /);
  });
});
