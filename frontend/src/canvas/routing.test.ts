import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { type BoardArrow, MARGIN, type Point, type Rect, route, routeBoard, type Side } from "./routing";

const box = (x: number, y: number, w = 160, h = 72): Rect => ({ x, y, w, h });

/** Whether a segment passes through the inside of a box. */
function crosses(a: Point, b: Point, r: Rect): boolean {
  const l = Math.min(a[0], b[0]);
  const rr = Math.max(a[0], b[0]);
  const t = Math.min(a[1], b[1]);
  const bb = Math.max(a[1], b[1]);
  return l < r.x + r.w && rr > r.x && t < r.y + r.h && bb > r.y;
}

function orthogonal(points: readonly Point[]): boolean {
  return points.every((p, k) => k === 0 || p[0] === points[k - 1]![0] || p[1] === points[k - 1]![1]);
}

// The two-row board of issue 12.
const BOXES = new Map<string, Rect>([
  ["clients", box(0, 0)],
  ["lb", box(260, 0)],
  ["api", box(520, 0)],
  ["db", box(780, 0)],
  ["provider", box(0, 220)],
  ["workers", box(260, 220)],
  ["queue", box(520, 220)],
  ["cache", box(780, 220)],
]);

describe("route", () => {
  it("runs straight between facing boxes with nothing between", () => {
    expect(route({ source: box(0, 0), target: box(300, 0) }, []).points).toEqual([
      [160, 36],
      [300, 36],
    ]);
  });

  it("goes round a box in the way instead of under it", () => {
    const blocker = box(220, -20, 60, 112);
    const { points } = route({ source: box(0, 0), target: box(400, 0) }, [blocker]);
    expect(orthogonal(points)).toBe(true);
    for (let k = 1; k < points.length; k++) expect(crosses(points[k - 1]!, points[k]!, blocker)).toBe(false);
    expect(points[0]).toEqual([160, 36]);
    expect(points[points.length - 1]).toEqual([400, 36]);
  });

  it("leaves from the side it was dragged from, and enters the side it was dropped on", () => {
    const workers = BOXES.get("workers")!;
    const db = BOXES.get("db")!;
    const others = [...BOXES].filter(([id]) => id !== "workers" && id !== "db").map(([, r]) => r);
    const { points } = route({ source: workers, target: db, sourceSide: "top" }, others);
    expect(points[0]).toEqual([340, 220]);
    expect(points[1]![0]).toBe(340); // straight up first
    expect(points[1]![1]).toBeLessThan(220);
    for (let k = 1; k < points.length; k++) for (const r of others) expect(crosses(points[k - 1]!, points[k]!, r)).toBe(false);
    const bottom = route({ source: workers, target: db, sourceSide: "top", targetSide: "bottom" }, others).points;
    expect(bottom[bottom.length - 1]).toEqual([860, 72]);
  });

  it("keeps every arrow of the two-row board out of every box but its ends", () => {
    const pairs: [string, string, Side | null][] = [
      ["clients", "lb", null],
      ["clients", "api", null],
      ["workers", "db", null],
      ["workers", "db", "top"],
      ["api", "queue", null],
      ["api", "cache", null],
      ["provider", "cache", null],
      ["cache", "clients", null],
    ];
    for (const [s, t, side] of pairs) {
      const others = [...BOXES].filter(([id]) => id !== s && id !== t).map(([, r]) => r);
      const { points } = route({ source: BOXES.get(s)!, target: BOXES.get(t)!, sourceSide: side }, others);
      expect(orthogonal(points), `${s}-${t}`).toBe(true);
      for (let k = 1; k < points.length; k++) {
        for (const r of others) expect(crosses(points[k - 1]!, points[k]!, r), `${s}-${t} through a box`).toBe(false);
      }
      // Only the first and last segments touch the ends.
      for (let k = 2; k < points.length - 1; k++) {
        expect(crosses(points[k - 1]!, points[k]!, BOXES.get(s)!)).toBe(false);
        expect(crosses(points[k - 1]!, points[k]!, BOXES.get(t)!)).toBe(false);
      }
    }
  });

  it("keeps its clearance from the boxes it goes round", () => {
    const blocker = box(220, -20, 60, 112);
    const { points } = route({ source: box(0, 0), target: box(400, 0) }, [blocker]);
    const inflated = { x: blocker.x - MARGIN + 1, y: blocker.y - MARGIN + 1, w: blocker.w + 2 * MARGIN - 2, h: blocker.h + 2 * MARGIN - 2 };
    for (let k = 1; k < points.length; k++) expect(crosses(points[k - 1]!, points[k]!, inflated)).toBe(false);
  });

  it("draws something sensible when boxed in or overlapping", () => {
    const { points, pad } = route({ source: box(0, 0), target: box(40, 20) }, []);
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(orthogonal(points)).toBe(true);
    expect(pad).toBeGreaterThanOrEqual(0);
  });
});

describe("routeBoard labels", () => {
  it("keeps labels off boxes and off each other", () => {
    const arrows: BoardArrow[] = [
      { id: "a", source: "api", target: "queue", label: "enqueue" },
      { id: "b", source: "workers", target: "db", label: "write" },
      { id: "c", source: "clients", target: "api", label: "direct" },
    ];
    const routed = routeBoard(BOXES, arrows);
    const rects = routed.map((r, k) => {
      const w = Array.from(arrows[k]!.label!).length * 7 + 20;
      return { x: r.label![0] - w / 2, y: r.label![1] - 11, w, h: 22 };
    });
    for (const r of rects) for (const b of BOXES.values()) expect(crosses([r.x, r.y], [r.x + r.w, r.y + r.h], b)).toBe(false);
    for (let i = 0; i < rects.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = rects[i]!;
        const b = rects[j]!;
        expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false);
      }
    }
  });
});

// The fixtures the Python router (reviews/formats/routing.py) is tested against too.
interface Fixture {
  readonly name: string;
  readonly boxes: Record<string, Rect>;
  readonly arrows: BoardArrow[];
  readonly expect: { id: string; points: Point[]; label: Point | null }[];
}

const fixtures = JSON.parse(readFileSync(new URL("../../../tests/examples/routes.json", import.meta.url), "utf8")) as {
  boards: Fixture[];
};

describe("the shared route fixtures", () => {
  for (const board of fixtures.boards) {
    it(board.name, () => {
      const routed = routeBoard(new Map(Object.entries(board.boxes)), board.arrows);
      expect(routed.map((r) => ({ id: r.id, points: r.points, label: r.label }))).toEqual(board.expect);
    });
  }
});

describe("pathOf", () => {
  it("rounds corners as the server's path_of does", async () => {
    const { pathOf } = await import("./routing");
    expect(pathOf([[0, 0], [20, 0], [20, 20]])).toBe("M0,0 L12,0 Q20,0 20,8 L20,20");
  });
});
