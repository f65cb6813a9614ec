import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { component, harness, THEM } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("toasts", () => {
  it("show the newest four, and go away on their own (errors last longest)", () => {
    const h = harness();
    for (const n of [1, 2, 3, 4, 5]) h.board.core.toast("info", `t${n}`);
    h.board.core.toast("error", "bad", "why");
    expect(h.toasts()).toEqual(["t3", "t4", "t5", "bad: why"]);
    vi.advanceTimersByTime(4000);
    expect(h.toasts()).toEqual(["bad: why"]);
    vi.advanceTimersByTime(4000);
    expect(h.toasts()).toEqual([]);
  });
});

describe("the board turning read-only", () => {
  it("closes the candidate's composer, editor and drags when the interview ends", () => {
    const h = harness({ elements: [component("api")] });
    h.board.core.select(["api"]);
    h.board.annotating.raise("failure_mode");
    h.board.editing.setLocal(["api"], { x: 9 });
    h.theirs([{ op: "session", action: "start" }]);
    expect(h.board.ui.getState().composer).not.toBeNull();
    h.theirs([{ op: "session", action: "end" }], THEM);
    expect(h.board.core.writable).toBe(false);
    expect(h.board.ui.getState()).toMatchObject({ composer: null, editing: null, local: new Map() });
  });
});

describe("selection", () => {
  it("selects everything, and an unchanged selection is not set again", () => {
    const h = harness({ elements: [component("a"), component("b")] });
    h.board.core.selectAll();
    const first = h.board.ui.getState().selected;
    expect([...first]).toEqual(["a", "b"]);
    h.board.core.select(["b", "a"]);
    expect(h.board.ui.getState().selected).toBe(first);
  });

  it("places new things under the pointer, else in the middle of the view", () => {
    const h = harness();
    expect(h.board.core.placement()).toEqual({ x: 400, y: 300 });
    h.viewport.at = { x: 1, y: 2 };
    expect(h.board.core.placement()).toEqual({ x: 1, y: 2 });
    expect(h.board.core.placement({ x: 7, y: 7 })).toEqual({ x: 7, y: 7 });
  });
});
