import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { arrowBetween, component, harness, replayState } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const INTERVIEWER = { participant: "ivy", name: "Ivy", role: "interviewer" } as const;

describe("going to an element", () => {
  it("centres a box, or an arrow's midpoint, and selects it", () => {
    const h = harness({ elements: [component("a", { x: 0, y: 0, w: 100, h: 50 }), component("b", { x: 300, y: 100, w: 100, h: 50 }), arrowBetween("ab", "a", "b")] });
    expect(h.board.navigation.focusElement("a")).toBe(true);
    expect(h.board.navigation.focusElement("ab")).toBe(true);
    expect(h.viewport.centred).toEqual([
      { x: 50, y: 25 },
      { x: 200, y: 75 },
    ]);
    expect([...h.board.ui.getState().selected]).toEqual(["ab"]);
    expect(h.board.navigation.focusElement("gone")).toBe(false);
  });
});

describe("threads", () => {
  it("opening one closes the composer and marks it seen; jumping to one selects its target too", () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api")] });
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "Q" })!;
    h.board.ui.setState({ composer: { target: null, kind: "scaling", layer: "challenges" } });
    h.board.navigation.jumpTo(id);
    const ui = h.board.ui.getState();
    expect(ui.thread).toBe(id);
    expect(ui.composer).toBeNull();
    expect(ui.seen.get(id)).toBe(h.board.annotations.get(id)?.updated_at);
    expect([...ui.selected]).toEqual(["api"]);
    h.board.navigation.openThread(null);
    expect(h.board.ui.getState().thread).toBeNull();
  });
});

describe("the ledger", () => {
  it("opens the Ledger tab at an entry and selects what it links to that is still there", () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api"), component("db")] });
    const entry = h.board.session.addRequirement({ kind: "question", text: "How many users?", links: ["api", "db"] })!;
    h.serve();
    h.theirs([{ op: "delete", id: "db" }]);
    h.board.navigation.showRequirement(entry);
    const ui = h.board.ui.getState();
    expect(ui.sidebar).toBe("requirements");
    expect(ui.entry).toBe(entry);
    expect([...ui.selected]).toEqual(["api"]);
  });
});

describe("evidence", () => {
  it("opens the replay at the evidence's seq and goes to the element there", async () => {
    const h = harness({ replay: { state: (seq) => replayState(seq, seq === 3 ? [component("old", { x: 0, y: 0, w: 10, h: 10 })] : []) } });
    h.server.seq = 5;
    await h.board.navigation.showEvidence({ type: "element", id: "old", seq: 3 });
    expect(h.board.core.replay.getSnapshot()).toMatchObject({ open: true, position: 3 });
    expect(h.viewport.centred).toEqual([{ x: 5, y: 5 }]);
  });

  it("says so when what it points at was not on the board at that moment", async () => {
    const h = harness();
    h.server.seq = 5;
    await h.board.navigation.showEvidence({ type: "element", id: "later", seq: 2 });
    await h.board.navigation.showEvidence({ type: "annotation", id: "a-x", seq: 2 });
    expect(h.toasts()).toEqual([
      "Not on the board at that moment: The element was added later or deleted.",
      "Not on the board at that moment: The annotation is not there (or not visible to you).",
    ]);
  });
});
