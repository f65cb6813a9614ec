import { describe, expect, it } from "vitest";

import type { Element } from "../sync";
import { FlowBuilder } from "./flow";
import type { Override } from "./store";
import { type BoardArrow, type Rect, routeBoard } from "./routing";

const NO_UI = { selected: new Set<string>(), editing: null, local: new Map(), remote: new Map(), remoteSelections: new Map() };

/** A grid of boxes with arrows to the right and below, some labelled, and a few long ones. */
function grid(columns: number, rows: number): Map<string, Element> {
  const els = new Map<string, Element>();
  const n = columns * rows;
  for (let i = 0; i < n; i++) {
    const x = (i % columns) * 240;
    const y = Math.floor(i / columns) * 160;
    els.set(`n${i}`, { id: `n${i}`, kind: "component", type: "service", label: `S${i}`, x, y, w: 160, h: 72, tech: "", replicas: 1, notes: "" });
  }
  const add = (a: number, b: number, label = "") =>
    els.set(`e${a}-${b}`, { id: `e${a}-${b}`, kind: "arrow", source: `n${a}`, target: `n${b}`, label, style: "sync" });
  for (let i = 0; i < n; i++) {
    if ((i + 1) % columns) add(i, i + 1, i % 3 === 0 ? `call ${i}` : "");
    if (i + columns < n) add(i, i + columns);
  }
  add(0, n - 1, "long way");
  add(columns - 1, n - columns, "across");
  return els;
}

function expected(els: Map<string, Element>, local: Map<string, Override>) {
  const boxes = new Map<string, Rect>();
  const arrows: BoardArrow[] = [];
  for (const e of els.values()) {
    if (e.kind === "arrow") arrows.push(e);
    else boxes.set(e.id, { x: local.get(e.id)?.x ?? e.x, y: local.get(e.id)?.y ?? e.y, w: e.w, h: e.h });
  }
  return routeBoard(boxes, arrows);
}

describe("FlowBuilder's cached routes", () => {
  it("are the routes of the whole board, however the boxes were dragged to where they are", () => {
    const els = grid(6, 4);
    const builder = new FlowBuilder();
    const path = [
      [560, 200],
      [600, 260],
      [300, 90],
      [0, 330],
      [720, 480],
    ];
    let local = new Map<string, Override>();
    builder.build({ elements: els, ui: NO_UI, editable: true, colorOf: () => "#000" });
    for (const [k, [x, y]] of path.entries()) {
      local = new Map(local);
      local.set(k % 2 ? "n8" : "n14", { x: x!, y: y! });
      const { edges } = builder.build({ elements: els, ui: { ...NO_UI, local }, editable: true, colorOf: () => "#000" });
      const want = expected(els, local);
      expect(edges.map((e) => [e.id, e.data?.geometry.points])).toEqual(want.map((r) => [r.id, r.points]));
      expect(edges.map((e) => [e.id, e.data?.element.label ? [e.data.geometry.labelX, e.data.geometry.labelY] : null])).toEqual(
        want.map((r) => [r.id, r.label]),
      );
    }
  });

  it("keeps the edge objects of arrows a drag does not reach", () => {
    const els = grid(8, 6);
    const builder = new FlowBuilder();
    const before = builder.build({ elements: els, ui: NO_UI, editable: true, colorOf: () => "#000" }).edges;
    const local = new Map<string, Override>([["n0", { x: -30, y: -20 }]]);
    const after = builder.build({ elements: els, ui: { ...NO_UI, local }, editable: true, colorOf: () => "#000" }).edges;
    const kept = after.filter((e, k) => e === before[k]).length;
    expect(kept).toBeGreaterThan(after.length - 12);
  });

  it("draws frames as nodes but routes arrows across them, as if they were not there", () => {
    const els = grid(3, 2);
    const plain = new FlowBuilder().build({ elements: els, ui: NO_UI, editable: true, colorOf: () => "#000" }).edges;
    const framed = new Map<string, Element>([
      ["f", { id: "f", kind: "frame", label: "Zone", x: 100, y: -50, w: 400, h: 300 }],
      ...els,
    ]);
    const { nodes, edges } = new FlowBuilder().build({ elements: framed, ui: NO_UI, editable: true, colorOf: () => "#000" });
    expect(nodes.some((n) => n.id === "f" && n.type === "frame")).toBe(true);
    expect(edges.map((e) => [e.id, e.data?.geometry.points])).toEqual(plain.map((e) => [e.id, e.data?.geometry.points]));
  });
});
