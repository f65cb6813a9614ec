import { describe, expect, it } from "vitest";

import { bounds, NO_SNAP, snap, SnapIndex } from "./snap";

const box = (x: number, y: number, w = 100, h = 50) => ({ x, y, w, h });

describe("snap", () => {
  const others = new SnapIndex([box(0, 0), box(400, 300, 200, 80)]);

  it("snaps a left edge near another box's left edge and draws a vertical guide joining them", () => {
    const result = snap(box(4, 200), others, 6);
    expect(result.dx).toBe(-4);
    expect(result.dy).toBe(0);
    expect(result.guides).toContainEqual({ axis: "x", at: 0, from: 0, to: 250 });
  });

  it("snaps centres and right edges too, whichever is nearest", () => {
    // Centre 50 of box(0,0) vs a dragged box centred at 53: a 3-unit pull left.
    expect(snap(box(3, 150), others, 6).dx).toBe(-3);
    // Right edge 600 of the wide box: a box whose right edge is at 598 moves 2 right.
    const right = snap(box(498, 0, 100, 20), others, 6);
    expect(right.dx).toBe(2);
    expect(right.dy).toBe(0); // its top already sits on box(0,0)'s top: no shift, but a guide
    expect(right.guides.map((g) => [g.axis, g.at])).toEqual(expect.arrayContaining([["x", 600], ["y", 0]]));
  });

  it("snaps both axes at once", () => {
    const result = snap(box(-5, 297), others, 6);
    expect([result.dx, result.dy]).toEqual([5, 3]);
  });

  it("leaves a box alone when nothing is within the tolerance", () => {
    expect(snap(box(150, 150, 30, 30), others, 6)).toBe(NO_SNAP);
    // The same distance snaps when zoomed out (a larger tolerance in flow units).
    expect(snap(box(12, 200), others, 6).dx).toBe(0);
    expect(snap(box(12, 200), others, 24).dx).toBe(-12);
  });

  it("finds the near lines among thousands without missing any", () => {
    const many = Array.from({ length: 3000 }, (_, i) => box(i * 37, (i * 53) % 2000, 20 + (i % 7), 10));
    const index = new SnapIndex(many);
    const dragged = box(1000.5, 5000, 33, 10);
    const expected = Math.min(...many.flatMap((r) => [r.x, r.x + r.w / 2, r.x + r.w].flatMap((v) => [v - 1000.5, v - 1017, v - 1033.5])).filter((d) => Math.abs(d) <= 6).map(Math.abs));
    expect(Math.abs(snap(dragged, index, 6).dx)).toBe(expected);
  });
});

describe("bounds", () => {
  it("is the box around several, or null for none", () => {
    expect(bounds([box(0, 0), box(200, 100, 10, 10)])).toEqual({ x: 0, y: 0, w: 210, h: 110 });
    expect(bounds([])).toBeNull();
  });
});
