import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { component, harness, THEM } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the others", () => {
  it("show their cursor and selection until they leave", () => {
    const h = harness();
    h.socket().deliver({ type: "presence", participant: THEM, cursor: { x: 1, y: 2 }, selection: ["api"] });
    expect(h.board.ui.getState().cursors.get(THEM)).toMatchObject({ x: 1, y: 2 });
    expect(h.board.ui.getState().remoteSelections.get(THEM)).toEqual(["api"]);
    h.socket().deliver({ type: "left", participant: THEM });
    expect(h.board.ui.getState().cursors.has(THEM)).toBe(false);
    expect(h.board.ui.getState().remoteSelections.has(THEM)).toBe(false);
  });

  it("show their drag in progress until the batch with the position lands", async () => {
    const h = harness({ elements: [component("api")] });
    h.socket().deliver({ type: "preview", participant: THEM, id: "api", props: { x: 50, y: 60 } });
    expect(h.board.ui.getState().remote.get("api")).toMatchObject({ x: 50, y: 60, participant: THEM });
    h.theirs([{ op: "update", id: "api", props: { x: 50, y: 60 } }]);
    await h.settle();
    expect(h.board.ui.getState().remote.has("api")).toBe(false);
  });

  it("drop a drag whose owner went quiet for 3 s", () => {
    const h = harness({ elements: [component("api")] });
    h.socket().deliver({ type: "preview", participant: THEM, id: "api", props: { x: 50, y: 60 } });
    vi.advanceTimersByTime(2000);
    expect(h.board.ui.getState().remote.size).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(h.board.ui.getState().remote.size).toBe(0);
  });

  it("deleting what I selected (or was typing into) takes it out of my selection and closes the editor", async () => {
    const h = harness({ elements: [component("api"), component("db")] });
    h.board.core.select(["api", "db"]);
    h.board.editing.startEditing("api");
    h.theirs([{ op: "delete", id: "api" }]);
    await h.settle();
    expect([...h.board.ui.getState().selected]).toEqual(["db"]);
    expect(h.board.ui.getState().editing).toBeNull();
  });

  it("see where I am and what I select, but not while I look at a replay", async () => {
    const h = harness({ elements: [component("api")] });
    h.board.core.pointerMoved({ x: 3, y: 4 });
    h.board.core.select(["api"]);
    vi.advanceTimersByTime(100);
    const presence = () => h.socket().sent.filter((m) => m.type === "presence").at(-1);
    expect(presence()).toMatchObject({ cursor: { x: 3, y: 4 }, selection: ["api"] });
    h.board.replay.openReplay();
    await h.settle();
    h.board.core.pointerMoved({ x: 9, y: 9 });
    vi.advanceTimersByTime(100);
    expect(presence()).toMatchObject({ cursor: null, selection: [] });
  });
});
