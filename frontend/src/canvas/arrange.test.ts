import { describe, expect, it } from "vitest";

import { align, distribute } from "./arrange";

const units = (...rects: [number, number, number, number][]) => new Map(rects.map(([x, y, w, h], i) => [`b${i}`, { x, y, w, h }]));

const apply = (before: ReturnType<typeof units>, shifts: ReturnType<typeof align>) =>
  [...before].map(([id, r]) => {
    const s = shifts.get(id) ?? { dx: 0, dy: 0 };
    return { x: r.x + s.dx, y: r.y + s.dy, w: r.w, h: r.h };
  });

describe("align", () => {
  const three = units([10, 0, 100, 50], [40, 100, 160, 72], [-20, 250, 60, 30]);

  it("lines up the left edges on the leftmost and leaves the other axis alone", () => {
    const after = apply(three, align(three, "left"));
    expect(after.map((r) => r.x)).toEqual([-20, -20, -20]);
    expect(after.map((r) => r.y)).toEqual([0, 100, 250]);
  });

  it("lines up right edges, centres, tops, middles and bottoms", () => {
    expect(apply(three, align(three, "right")).map((r) => r.x + r.w)).toEqual([200, 200, 200]);
    expect(apply(three, align(three, "centre")).map((r) => r.x + r.w / 2)).toEqual([90, 90, 90]);
    expect(apply(three, align(three, "top")).map((r) => r.y)).toEqual([0, 0, 0]);
    expect(apply(three, align(three, "bottom")).map((r) => r.y + r.h)).toEqual([280, 280, 280]);
    const middles = apply(three, align(three, "middle")).map((r) => r.y + r.h / 2);
    expect(new Set(middles).size).toBe(1);
  });

  it("returns only the units that move, and nothing for fewer than two", () => {
    expect([...align(three, "left").keys()]).toEqual(["b0", "b1"]);
    expect(align(units([5, 5, 10, 10]), "left").size).toBe(0);
  });
});

describe("distribute", () => {
  it("makes equal gaps between boxes of different widths, keeping the outer two in place", () => {
    const row = units([0, 0, 100, 50], [130, 10, 40, 50], [500, 0, 100, 50], [300, 0, 60, 50]);
    const after = apply(row, distribute(row, "horizontal")).sort((a, b) => a.x - b.x);
    const gaps = after.slice(1).map((r, i) => r.x - ((after[i]?.x ?? 0) + (after[i]?.w ?? 0)));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    expect(after[0]?.x).toBe(0);
    expect(after[3]?.x).toBe(500);
    expect(after.map((r) => r.y)).toEqual([0, 10, 0, 0]); // the other axis untouched
  });

  it("works vertically and needs three units", () => {
    const column = units([0, 0, 10, 20], [0, 25, 10, 20], [0, 200, 10, 40]);
    const after = apply(column, distribute(column, "vertical"));
    expect(after.map((r) => r.y)).toEqual([0, 100, 200]); // gaps of 80 between 20, 20 and 40 high boxes
    expect(distribute(units([0, 0, 1, 1], [9, 9, 1, 1]), "vertical").size).toBe(0);
  });
});
