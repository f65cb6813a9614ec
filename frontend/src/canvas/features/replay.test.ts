import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { component, harness, replayState } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the replay", () => {
  it("opens at the end of the timeline over the other overlays, read-only, and closes back to live", async () => {
    const h = harness({
      elements: [component("api")],
      routes: { "GET diff/?from=1&to=now": () => ({ added: [], removed: [], changed: [] }), "GET analysis/": () => ({ seq: 1, entry_points: [], data_stores: [], spofs: [], lints: [], probes: [] }) },
      replay: { state: (seq) => replayState(seq, [component("api", { label: `at ${seq}` })]) },
    });
    await h.board.review.compare(1);
    h.board.drill.toggleDrill(true);
    h.board.replay.openReplay();
    await h.settle();
    expect(h.board.core.drillStore.getSnapshot().on).toBe(false);
    expect(h.board.core.reviewStore.getSnapshot().compare).toBeNull();
    expect(h.board.core.replay.getSnapshot()).toMatchObject({ open: true, position: 1 });
    expect(h.board.core.shown.elements.get("api")).toMatchObject({ label: "at 1" });
    expect(h.board.core.canEdit).toBe(false);
    expect(h.board.core.writable).toBe(false);
    h.board.replay.closeReplay();
    expect(h.board.core.replay.isOpen).toBe(false);
    expect(h.board.core.shown.elements.get("api")).toMatchObject({ label: "api" });
    expect(h.board.core.canEdit).toBe(true);
  });

  it("ends the typing I was doing on the live board", async () => {
    const h = harness({ elements: [component("api")] });
    h.board.editing.startEditing("api");
    h.board.editing.setLocal(["api"], { x: 5 });
    h.board.replay.openReplay();
    await h.settle();
    expect(h.board.ui.getState()).toMatchObject({ editing: null, local: new Map() });
  });
});
