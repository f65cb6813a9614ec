import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { applyOps, type Element, elementsFrom, revert, changesOf } from "../sync";
import { component, harness, note } from "./features/testing";
import { carry, frameAt, framesOf, membership } from "./frames";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const frame = (id: string, x: number, y: number, w: number, h: number, label = ""): Element => ({ id, kind: "frame", label, x, y, w, h });

describe("which frame a box lies in", () => {
  it("is the smallest frame holding its centre, or none", () => {
    const frames = framesOf([frame("region", 0, 0, 1000, 800), frame("az", 100, 100, 400, 300)]);
    expect(frameAt(frames, { x: 150, y: 150, w: 160, h: 72 })).toBe("az");
    expect(frameAt(frames, { x: 600, y: 500, w: 160, h: 72 })).toBe("region");
    // Half out: the centre decides.
    expect(frameAt(frames, { x: 420, y: 150, w: 160, h: 72 })).toBe("az");
    expect(frameAt(frames, { x: 1200, y: 0, w: 160, h: 72 })).toBeNull();
  });
});

describe("moving a frame", () => {
  const board = elementsFrom([
    frame("az", 0, 0, 480, 320),
    component("api", { x: 40, y: 60, frame: "az" }),
    note("n", { x: 240, y: 60, frame: "az" }),
    component("out", { x: 40, y: 60 }),
  ]);

  it("carries its members by the same offset, not boxes that merely lie under it", () => {
    const moved = carry(board, new Map([["az", { x: 100, y: 50 }]]));
    expect(Object.fromEntries(moved)).toEqual({ az: { x: 100, y: 50 }, api: { x: 140, y: 110 }, n: { x: 340, y: 110 } });
  });

  it("leaves a member moving itself alone, and a resize carries nothing", () => {
    expect(carry(board, new Map([["az", { x: 100, y: 50 }], ["api", { x: 0, y: 0 }]])).get("api")).toEqual({ x: 0, y: 0 });
    expect(carry(board, new Map([["az", { x: 10, y: 10, w: 300, h: 300 }]])).size).toBe(1);
  });
});

describe("membership after a drop", () => {
  const board = elementsFrom([frame("az", 0, 0, 480, 320), frame("b", 600, 0, 480, 320), component("api", { x: 40, y: 60, frame: "az" }), component("free", { x: 40, y: 600 })]);

  it("a box dropped into a frame joins it, dragged out leaves it, moved within it stays", () => {
    expect(Object.fromEntries(membership(board, new Map([["free", { x: 700, y: 100 }]])))).toEqual({ free: { frame: "b" } });
    expect(Object.fromEntries(membership(board, new Map([["api", { x: 40, y: 500 }]])))).toEqual({ api: { frame: "" } });
    expect(membership(board, new Map([["api", { x: 200, y: 100 }]])).size).toBe(0);
  });

  it("a box moving with its frame stays in it, even over another frame", () => {
    expect(membership(board, new Map([["az", { x: 620, y: 0 }], ["api", { x: 660, y: 60 }]])).size).toBe(0);
  });

  it("a frame resized takes in what its new rectangle holds and lets go of what it no longer does", () => {
    const grown = membership(board, new Map([["az", { x: 0, y: 0, w: 480, h: 800 }]]));
    expect(Object.fromEntries(grown)).toEqual({ free: { frame: "az" } });
    const shrunk = membership(board, new Map([["az", { x: 300, y: 0, w: 180, h: 320 }]]));
    expect(Object.fromEntries(shrunk)).toEqual({ api: { frame: "" } });
  });
});

describe("the editor stores membership", () => {
  it("moving a frame sends one batch: the frame and its members, with previews of all of them while dragging", () => {
    const h = harness({ elements: [frame("az", 0, 0, 480, 320), component("api", { x: 40, y: 60, frame: "az" }), component("db", { x: 240, y: 60, frame: "az" })] });
    h.board.editing.setLocalMany(new Map([["az", { x: 50, y: 20 }]]), true);
    expect([...h.board.ui.getState().local.keys()].sort()).toEqual(["api", "az", "db"]);
    h.board.editing.commitGeometry(new Map([["az", { x: 100, y: 50 }]]));
    expect(h.sent()).toEqual([
      [
        { op: "update", id: "az", props: { x: 100, y: 50 } },
        { op: "update", id: "api", props: { x: 140, y: 110 } },
        { op: "update", id: "db", props: { x: 340, y: 110 } },
      ],
    ]);
    expect(h.board.ui.getState().local.size).toBe(0);
  });

  it("a box added, dropped or pasted in a frame belongs to it; one dragged out does not", () => {
    const h = harness({ elements: [frame("az", 0, 0, 480, 320)] });
    const api = h.board.editing.addComponent("service", { x: 200, y: 150 }, false)!;
    expect(h.board.elements.get(api)).toMatchObject({ frame: "az" });
    const outside = h.board.editing.addNote({ x: 900, y: 900 }, false)!;
    expect(h.board.elements.get(outside)).toMatchObject({ frame: "" });
    h.board.editing.commitGeometry(new Map([[outside, { x: 100, y: 100 }]]));
    expect(h.board.elements.get(outside)).toMatchObject({ frame: "az", x: 100 });
    h.board.editing.commitGeometry(new Map([[api, { x: 900, y: 900 }]]));
    expect(h.board.elements.get(api)).toMatchObject({ frame: "" });
    h.board.core.select(["az", outside]);
    h.board.editing.duplicate();
    const pasted = [...h.board.ui.getState().selected].map((id) => h.board.elements.get(id)!);
    const copy = pasted.find((e) => e.kind === "frame")!;
    expect(pasted.find((e) => e.kind === "note")).toMatchObject({ frame: copy.id });
  });

  it("a frame drawn around selected boxes takes them in, in the same batch", () => {
    const h = harness({ elements: [component("api", { x: 100, y: 100 }), note("n", { x: 400, y: 200 })] });
    h.board.core.select(["api", "n"]);
    const id = h.board.editing.addFrame(undefined, false)!;
    expect(h.sent()).toHaveLength(1);
    expect(h.board.elements.get("api")).toMatchObject({ frame: id });
    expect(h.board.elements.get("n")).toMatchObject({ frame: id });
  });
});

describe("the client applies membership as the server does", () => {
  const start = elementsFrom([frame("az", 0, 0, 480, 320), component("api", { frame: "az" }), component("db")]);

  it("refuses a frame that is missing or not a frame", () => {
    expect(() => applyOps(start, [{ op: "update", id: "db", props: { frame: "nowhere" } }])).toThrow(/No frame with id 'nowhere'/);
    expect(() => applyOps(start, [{ op: "update", id: "db", props: { frame: "api" } }])).toThrow(/belongs only to a frame; 'api' is a component/);
    expect(() => applyOps(start, [{ op: "update", id: "az", props: { frame: "az" } }])).toThrow(/A frame has no property 'frame'/);
    expect(() => applyOps(start, [{ op: "update", id: "db", props: { frame: 3 } }])).toThrow(/An id is/);
  });

  it("deleting a frame keeps its boxes and writes out clearing their membership; undo brings both back", () => {
    const applied = applyOps(start, [{ op: "delete", id: "az" }]);
    expect(applied.ops).toEqual([
      { op: "update", id: "api", props: { frame: "" } },
      { op: "delete", id: "az" },
    ]);
    expect(applied.state.get("api")).toMatchObject({ frame: "" });
    const undo = revert(changesOf(start, applied.state, applied.touched), applied.state, "undo");
    expect(applyOps(applied.state, undo.ops).state).toEqual(start);
  });
});
