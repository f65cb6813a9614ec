// Alignment guides while dragging: the dragged box snaps to another box's edges and centres
// when it comes within a few screen pixels of them, and a guide line shows which. Pure.
//
// The other boxes' lines (left, centre and right; top, middle and bottom) are kept sorted once
// per drag, so each pointer move costs a binary search per line of the dragged box, never a scan
// of the board: a 500-box board drags as fast as an empty one.
import type { Rect } from "./geometry";

/** How close, in screen pixels, a line must come to snap. */
export const SNAP_PX = 6;

/** A guide: on axis "x" a vertical line at x = `at` from y = `from` to `to`; on "y" a horizontal one. */
export interface Guide {
  readonly axis: "x" | "y";
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

export interface Snap {
  /** How far to shift the dragged box so its nearest lines meet others' (0 when none is near). */
  readonly dx: number;
  readonly dy: number;
  readonly guides: readonly Guide[];
}

export const NO_SNAP: Snap = { dx: 0, dy: 0, guides: [] };

interface Line {
  readonly value: number;
  readonly rect: Rect;
}

const xLines = (r: Rect): number[] => [r.x, r.x + r.w / 2, r.x + r.w];
const yLines = (r: Rect): number[] => [r.y, r.y + r.h / 2, r.y + r.h];

function sorted(rects: readonly Rect[], lines: (r: Rect) => number[]): Line[] {
  const out: Line[] = [];
  for (const rect of rects) for (const value of lines(rect)) out.push({ value, rect });
  return out.sort((a, b) => a.value - b.value);
}

/** The first index whose value is >= `value`. */
function lowerBound(lines: readonly Line[], value: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid] as Line).value < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The lines of the boxes a drag may snap to, sorted per axis. */
export class SnapIndex {
  private readonly xs: Line[];
  private readonly ys: Line[];

  constructor(rects: readonly Rect[]) {
    this.xs = sorted(rects, xLines);
    this.ys = sorted(rects, yLines);
  }

  /** The lines on an axis within `tolerance` of `value`, nearest first. */
  near(axis: "x" | "y", value: number, tolerance: number): Line[] {
    const lines = axis === "x" ? this.xs : this.ys;
    const out: Line[] = [];
    for (let i = lowerBound(lines, value - tolerance); i < lines.length; i++) {
      const line = lines[i] as Line;
      if (line.value > value + tolerance) break;
      out.push(line);
    }
    return out.sort((a, b) => Math.abs(a.value - value) - Math.abs(b.value - value));
  }
}

/** The nearest shift on one axis that makes one of `own` meet another box's line, if any is near. */
function nearest(index: SnapIndex, axis: "x" | "y", own: readonly number[], tolerance: number): number | null {
  let best: number | null = null;
  for (const value of own) {
    const line = index.near(axis, value, tolerance)[0];
    if (line && (best === null || Math.abs(line.value - value) < Math.abs(best))) best = line.value - value;
  }
  return best;
}

/** One guide per line the moved box now shares, long enough to join it to every box on it. */
function guidesOn(index: SnapIndex, axis: "x" | "y", box: Rect): Guide[] {
  const own = axis === "x" ? xLines(box) : yLines(box);
  const guides: Guide[] = [];
  for (const value of own) {
    const lines = index.near(axis, value, 0.5);
    if (!lines.length) continue;
    let from = axis === "x" ? box.y : box.x;
    let to = axis === "x" ? box.y + box.h : box.x + box.w;
    for (const { rect } of lines) {
      from = Math.min(from, axis === "x" ? rect.y : rect.x);
      to = Math.max(to, axis === "x" ? rect.y + rect.h : rect.x + rect.w);
    }
    if (!guides.some((g) => g.at === value)) guides.push({ axis, at: value, from, to });
  }
  return guides;
}

/**
 * Where a box being dragged (`box`, at its unsnapped position) snaps: the smallest shift on each
 * axis within `tolerance` (flow units: SNAP_PX divided by the zoom) that lines one of its edges or
 * its centre up with another box's, and the guides to draw once it has moved.
 */
export function snap(box: Rect, index: SnapIndex, tolerance: number): Snap {
  const dx = nearest(index, "x", xLines(box), tolerance) ?? 0;
  const dy = nearest(index, "y", yLines(box), tolerance) ?? 0;
  const moved = { x: box.x + dx, y: box.y + dy, w: box.w, h: box.h };
  const guides = [...guidesOn(index, "x", moved), ...guidesOn(index, "y", moved)];
  return guides.length || dx || dy ? { dx, dy, guides } : NO_SNAP;
}

/** The box around several (a multi-selection or a group dragged together). */
export function bounds(rects: Iterable<Rect>): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
