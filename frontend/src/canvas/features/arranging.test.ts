import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Element } from "../../sync";
import { wholeGroups } from "../groups";
import { component, harness, note } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const xOf = (e: Element | undefined) => (e && e.kind !== "arrow" ? e.x : NaN);
const groupOf = (e: Element | undefined) => (e && e.kind !== "arrow" ? e.group : undefined);

describe("align and distribute", () => {
  it("aligns three boxes in one batch, undone in one step", () => {
    const h = harness({ elements: [component("a", { x: 10, y: 0 }), component("b", { x: 90, y: 200 }), note("n", { x: 40, y: 400 })] });
    h.board.core.select(["a", "b", "n"]);
    expect(h.board.arranging.align("left")).toBe(true);
    expect(h.sent()).toEqual([[
      { op: "update", id: "b", props: { x: 10 } },
      { op: "update", id: "n", props: { x: 10 } },
    ]]);
    h.board.editing.undo();
    expect(["a", "b", "n"].map((id) => xOf(h.board.elements.get(id)))).toEqual([10, 90, 40]);
  });

  it("moves a selected group as one unit, keeping its own layout", () => {
    const h = harness({
      elements: [
        component("a", { x: 0, y: 0 }),
        component("g1", { x: 300, y: 100, group: "grp" }),
        component("g2", { x: 500, y: 100, group: "grp" }),
        component("c", { x: 200, y: 300 }),
      ],
    });
    h.board.core.select(["a", "g1", "g2", "c"]);
    expect(h.board.arranging.unitCount()).toBe(3);
    h.board.arranging.align("left");
    expect(["a", "g1", "g2", "c"].map((id) => xOf(h.board.elements.get(id)))).toEqual([0, 0, 200, 0]);
  });

  it("distributes three or more, and says why not for two", () => {
    const h = harness({ elements: [component("a", { x: 0, y: 0 }), component("b", { x: 200, y: 0 }), component("c", { x: 1000, y: 0 })] });
    h.board.core.select(["a", "c"]);
    expect(h.board.arranging.distribute("horizontal")).toBe(false);
    expect(h.toasts()[0]).toMatch(/three or more/);
    h.board.core.select(["a", "b", "c"]);
    h.board.arranging.distribute("horizontal");
    expect(xOf(h.board.elements.get("b"))).toBe(500);
    expect(h.sent()).toHaveLength(1);
  });
});

describe("grouping", () => {
  it("groups the selection under one new id in one batch, ungroups with '', and undo takes the group away", () => {
    const h = harness({ elements: [component("a"), note("n", { x: 300 })] });
    h.board.core.select(["a", "n"]);
    const group = h.board.arranging.group();
    expect(group).toMatch(/^group-/);
    expect(h.sent()).toHaveLength(1);
    expect([groupOf(h.board.elements.get("a")), groupOf(h.board.elements.get("n"))]).toEqual([group, group]);
    expect(h.board.arranging.canGroup()).toBe(false); // already one group
    h.board.editing.undo();
    expect([groupOf(h.board.elements.get("a")), groupOf(h.board.elements.get("n"))]).toEqual(["", ""]);
    h.board.editing.redo();
    expect(groupOf(h.board.elements.get("a"))).toBe(group);
    expect(h.board.arranging.ungroup()).toBe(true);
    expect([groupOf(h.board.elements.get("a")), groupOf(h.board.elements.get("n"))]).toEqual(["", ""]);
  });

  it("duplicating a group makes a new group: the copies never move with the originals", () => {
    const h = harness({ elements: [component("a", { group: "g" }), component("b", { x: 300, group: "g" })] });
    h.board.core.select(["a", "b"]);
    h.board.editing.duplicate();
    const copies = [...h.board.ui.getState().selected].map((id) => groupOf(h.board.elements.get(id)));
    expect(copies).toHaveLength(2);
    expect(copies[0]).toBe(copies[1]);
    expect(copies[0]).toMatch(/^group-/);
    expect(groupOf(h.board.elements.get("a"))).toBe("g");
  });

  it("selects and deselects a group as one", () => {
    const h = harness({ elements: [component("a", { group: "g" }), component("b", { group: "g" }), component("c")] });
    const elements = h.board.elements;
    expect([...wholeGroups(new Set(), new Set(["a"]), elements)].sort()).toEqual(["a", "b"]);
    expect([...wholeGroups(new Set(["a", "b", "c"]), new Set(["b", "c"]), elements)]).toEqual(["c"]);
    expect([...wholeGroups(new Set(["a", "b"]), new Set(["c"]), elements)]).toEqual(["c"]);
  });

  it("drags the rest of a group along and snaps the whole group, unless Alt is held", () => {
    const h = harness({
      elements: [component("a", { x: 0, y: 0, group: "g" }), component("b", { x: 200, y: 0, group: "g" }), component("other", { x: 103, y: 400 })],
    });
    const snapping = h.board.snapping;
    // Dragging a by (98, 150): b comes along; a's left edge 98 is 5 from other's 103 at zoom 1.
    const moved = snapping.drag(new Map([["a", { x: 98, y: 150 }]]), 1, () => null);
    expect(moved.get("a")).toEqual({ x: 103, y: 150 });
    expect(moved.get("b")).toEqual({ x: 303, y: 150 });
    expect(snapping.guides.getState()).toContainEqual(expect.objectContaining({ axis: "x", at: 103 }));
    snapping.setFree(true);
    expect(snapping.drag(new Map([["a", { x: 98, y: 150 }]]), 1, () => null).get("a")).toEqual({ x: 98, y: 150 });
    expect(snapping.guides.getState()).toEqual([]);
    snapping.setFree(false);
    snapping.drop(new Map([["a", { x: 98, y: 150 }]]), 1, () => null);
    expect(snapping.guides.getState()).toEqual([]);
  });
});
