import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { LIMITS } from "../../sync";
import { FlowBuilder, FRAME_Z } from "../flow";
import { parseClipboard } from "./editing";
import { arrowBetween, component, harness, ME, note } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("adding", () => {
  it("adds a component at a free spot near the pointer, selects it and opens its label", () => {
    const h = harness({ elements: [component("api", { x: 320, y: 264 })] });
    h.viewport.at = { x: 400, y: 300 };
    const id = h.board.editing.addComponent("database");
    expect(id).toMatch(/^database-/);
    const [ops] = h.sent();
    expect(ops).toEqual([{ op: "add", element: expect.objectContaining({ id, kind: "component", type: "database", w: 160, h: 72 }) }]);
    const added = h.board.elements.get(id!);
    // Not on top of the box already under the pointer.
    expect(added && added.kind !== "arrow" && (added.x >= 320 + 160 || added.x + 160 <= 320 || added.y >= 264 + 72 || added.y + 72 <= 264)).toBe(true);
    const ui = h.board.ui.getState();
    expect([...ui.selected]).toEqual([id]);
    expect(ui.editing).toBe(id);
    expect(ui.lastType).toBe("database");
  });

  it("adds in order: next to the selection, in a row, never on another box", () => {
    const h = harness({ elements: [component("api", { x: 320, y: 264 })] });
    h.viewport.at = null;
    h.board.core.select(["api"]);
    const ids = [0, 1, 2].map(() => h.board.editing.addComponent("service", undefined, false)!);
    const boxes = ids.map((id) => h.board.elements.get(id)!);
    expect(boxes.map((b) => (b.kind === "arrow" ? null : [b.x, b.y]))).toEqual([
      [320 + 160 + 40, 264],
      [320 + 2 * 200, 264],
      [320 + 3 * 200, 264],
    ]);
  });

  it("puts a note exactly where asked, and typing its first text is part of adding it (one undo step)", () => {
    const h = harness();
    const id = h.board.editing.addNote({ x: 100, y: 100 }, false, "hello")!;
    expect(h.board.elements.get(id)).toMatchObject({ kind: "note", x: 0, y: 40, text: "hello" });
    expect(h.board.ui.getState().editing).toBeNull();
    expect(h.board.editing.editKey(id, "text", 1)).toBe(`new:${id}`);
    h.board.editing.update(id, { text: "hello there" }, h.board.editing.editKey(id, "text", 1));
    h.board.editing.undo();
    expect(h.board.elements.has(id)).toBe(false);
  });
});

describe("frames", () => {
  it("adds a frame around the selected boxes, with room for its title, behind them and unconnectable", () => {
    const h = harness({ elements: [component("api", { x: 100, y: 100 }), note("n", { x: 400, y: 200 })] });
    h.board.core.select(["api", "n"]);
    const id = h.board.editing.addFrame()!;
    expect(h.board.elements.get(id)).toEqual({ id, kind: "frame", label: "", x: 68, y: 44, w: 564, h: 308 });
    expect(h.board.ui.getState().editing).toBe(id);
    expect(h.board.editing.connect("api", id)).toBeNull();
    const { nodes } = new FlowBuilder().build({ elements: h.board.elements, ui: h.board.ui.getState(), editable: true, colorOf: () => "#000" });
    const frame = nodes.find((n) => n.id === id)!;
    expect([frame.type, frame.zIndex, frame.connectable]).toEqual(["frame", FRAME_Z, false]);
    expect(FRAME_Z).toBeLessThan(nodes.find((n) => n.type === "note")!.zIndex!);
  });

  it("puts a frame of the default size where it is dropped", () => {
    const h = harness();
    const id = h.board.editing.addFrame({ x: 500, y: 400 }, false)!;
    expect(h.board.elements.get(id)).toMatchObject({ kind: "frame", x: 260, y: 240, w: 480, h: 320 });
  });
});

describe("connecting", () => {
  it("draws an arrow between two components, once", () => {
    const h = harness({ elements: [component("a"), component("b"), note("n")] });
    expect(h.board.editing.connect("a", "a")).toBeNull();
    expect(h.board.editing.connect("a", "n")).toBeNull();
    const id = h.board.editing.connect("a", "b");
    expect(h.sent()).toEqual([[{ op: "add", element: { id, kind: "arrow", source: "a", target: "b", label: "", style: "sync" } }]]);
    // The same again selects the arrow that is there.
    expect(h.board.editing.connect("a", "b")).toBe(id);
    expect(h.sent()).toHaveLength(1);
    expect([...h.board.ui.getState().selected]).toEqual([id]);
  });
});

describe("changing", () => {
  it("sends only the properties that differ", () => {
    const h = harness({ elements: [component("api", { label: "API" })] });
    h.board.editing.update("api", { label: "API" });
    expect(h.sent()).toEqual([]);
    h.board.editing.update("api", { label: "API", tech: "Go" });
    expect(h.sent()).toEqual([[{ op: "update", id: "api", props: { tech: "Go" } }]]);
    h.board.editing.update("gone", { label: "x" });
    expect(h.sent()).toHaveLength(1);
  });

  it("commits a drag rounded and clamped, and drops the drag in progress", () => {
    const h = harness({ elements: [component("api")] });
    h.board.editing.setLocal(["api"], { x: 10.4, y: 5 });
    expect(h.board.ui.getState().local.get("api")).toEqual({ x: 10.4, y: 5 });
    h.board.editing.commitGeometry(new Map([["api", { x: 10.4, y: 9_999_999 }]]));
    expect(h.sent()).toEqual([[{ op: "update", id: "api", props: { x: 10, y: LIMITS.coord } }]]);
    expect(h.board.ui.getState().local.size).toBe(0);
  });

  it("nudges the selected boxes (not arrows) as one batch", () => {
    const h = harness({ elements: [component("a"), component("b", { x: 200 }), arrowBetween("ab", "a", "b")] });
    h.board.core.select(["a", "b", "ab"]);
    h.board.editing.nudge(8, 0);
    expect(h.sent()).toEqual([
      [
        { op: "update", id: "a", props: { x: 8 } },
        { op: "update", id: "b", props: { x: 208 } },
      ],
    ]);
  });

  it("deletes the selection arrows first, leaving out arrows their components take along", () => {
    const h = harness({ elements: [component("a"), component("b"), component("c"), arrowBetween("ab", "a", "b"), arrowBetween("bc", "b", "c")] });
    h.board.core.select(["a", "ab", "bc"]);
    h.board.editing.deleteSelection();
    expect(h.sent()).toEqual([[{ op: "delete", id: "bc" }, { op: "delete", id: "a" }]]);
    expect(h.board.ui.getState().selected.size).toBe(0);
  });
});

describe("the clipboard", () => {
  it("pastes copies with new ids, further off each time, arrows between copied components following", () => {
    const h = harness({ elements: [component("a"), component("b", { x: 300 }), component("c"), arrowBetween("ab", "a", "b"), arrowBetween("ac", "a", "c")] });
    h.board.core.select(["a", "b"]);
    const data = h.board.editing.copySelection();
    expect(data?.elements.map((e) => e.id)).toEqual(["a", "b", "ab"]);
    h.board.editing.paste();
    h.board.editing.paste();
    const [first, second] = h.sent();
    expect(first?.map((op) => op.op)).toEqual(["add", "add", "add"]);
    const [copyA, copyB, copyArrow] = first!.map((op) => (op.op === "add" ? op.element : null));
    expect(copyA).toMatchObject({ kind: "component", x: 32, y: 32 });
    expect(copyA?.id).not.toBe("a");
    expect(copyArrow).toMatchObject({ kind: "arrow", source: copyA?.id, target: copyB?.id });
    expect(second?.[0]).toMatchObject({ element: { x: 64, y: 64 } });
    expect(h.board.ui.getState().selected.size).toBe(2);
  });

  it("reads only its own clipboard format", () => {
    expect(parseClipboard(JSON.stringify({ format: "bothsides/elements", elements: [component("a")] }))).toHaveLength(1);
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard(JSON.stringify({ format: "other", elements: [] }))).toBeNull();
  });

  it("refuses to paste more than one batch may hold", () => {
    const h = harness();
    h.board.editing.paste(Array.from({ length: 501 }, (_, i) => component(`c${i}`)));
    expect(h.sent()).toEqual([]);
    expect(h.toasts()[0]).toMatch(/^Too much to paste at once/);
  });
});

describe("undo and redo", () => {
  it("undoes my last change with the inverse batch, and redoes it", () => {
    const h = harness({ elements: [component("api", { label: "API" })] });
    h.board.editing.update("api", { label: "Gateway" });
    h.board.editing.undo();
    h.board.editing.redo();
    expect(h.sent()).toEqual([
      [{ op: "update", id: "api", props: { label: "Gateway" } }],
      [{ op: "update", id: "api", props: { label: "API" } }],
      [{ op: "update", id: "api", props: { label: "Gateway" } }],
    ]);
    expect([...h.board.ui.getState().selected]).toEqual(["api"]);
  });

  it("forgets a batch the server rolled back", () => {
    const h = harness({ elements: [component("api")] });
    h.board.editing.update("api", { label: "x" });
    expect(h.board.editing.history.canUndo).toBe(true);
    const [sent] = h.socket().batches();
    h.socket().deliver({ type: "rejected", id: sent!.id, code: "unknown_ref", message: "No.", retryable: false });
    expect(h.board.editing.history.canUndo).toBe(false);
  });
});

describe("what cannot change", () => {
  it("tells why nothing happens while a replay shows", async () => {
    const h = harness({ elements: [component("api")] });
    h.board.replay.openReplay();
    await h.settle();
    h.board.editing.update("api", { label: "x" });
    expect(h.sent()).toEqual([]);
    expect(h.toasts()).toContain("This is a replay: Go back to the live board to change it.");
  });

  it("gives an observer no editor, no undo, and the client's refusal for a change", () => {
    const h = harness({ you: { ...ME, role: "observer" }, elements: [component("api")] });
    h.board.editing.startEditing("api");
    expect(h.board.ui.getState().editing).toBeNull();
    h.board.editing.update("api", { label: "x" });
    expect(h.sent()).toEqual([]);
    expect(h.toasts()[0]).toMatch(/^That change cannot be made/);
  });
});
