// Align and distribute a multi-selection: where each box goes. Pure.
//
// Boxes are "units": a lone box, or a group moved as one (its members keep their layout), so
// the caller passes each unit's bounding box and applies the returned shift to its members.
import type { Rect } from "./geometry";

export const ALIGNMENTS = ["left", "centre", "right", "top", "middle", "bottom"] as const;
export type Alignment = (typeof ALIGNMENTS)[number];
export type Axis = "horizontal" | "vertical";

export interface Shift {
  readonly dx: number;
  readonly dy: number;
}

/** At least this many units to align, and to distribute (two are already evenly spaced). */
export const MIN_ALIGN = 2;
export const MIN_DISTRIBUTE = 3;

/**
 * Line every unit up with the selection's extreme edge (left, right, top, bottom) or its
 * centre line (centre, middle), as whiteboards do. Only units that move are returned.
 */
export function align(units: ReadonlyMap<string, Rect>, how: Alignment): Map<string, Shift> {
  const rects = [...units.values()];
  const out = new Map<string, Shift>();
  if (rects.length < MIN_ALIGN) return out;
  const left = Math.min(...rects.map((r) => r.x));
  const right = Math.max(...rects.map((r) => r.x + r.w));
  const top = Math.min(...rects.map((r) => r.y));
  const bottom = Math.max(...rects.map((r) => r.y + r.h));
  for (const [id, r] of units) {
    let dx = 0;
    let dy = 0;
    if (how === "left") dx = left - r.x;
    else if (how === "right") dx = right - (r.x + r.w);
    else if (how === "centre") dx = Math.round((left + right) / 2 - (r.x + r.w / 2));
    else if (how === "top") dy = top - r.y;
    else if (how === "bottom") dy = bottom - (r.y + r.h);
    else dy = Math.round((top + bottom) / 2 - (r.y + r.h / 2));
    if (dx || dy) out.set(id, { dx, dy });
  }
  return out;
}

/**
 * Space the units evenly along an axis: the first and the last (by position) stay, and the
 * gaps between neighbours' edges become equal, so boxes of different sizes look evenly spaced.
 * Positions are rounded; only units that move are returned.
 */
export function distribute(units: ReadonlyMap<string, Rect>, axis: Axis): Map<string, Shift> {
  const out = new Map<string, Shift>();
  if (units.size < MIN_DISTRIBUTE) return out;
  const start = (r: Rect) => (axis === "horizontal" ? r.x : r.y);
  const size = (r: Rect) => (axis === "horizontal" ? r.w : r.h);
  const order = [...units].sort(([a, ra], [b, rb]) => start(ra) - start(rb) || (a < b ? -1 : 1));
  const first = order[0]?.[1] as Rect;
  const last = order[order.length - 1]?.[1] as Rect;
  const span = start(last) + size(last) - start(first);
  const gap = (span - order.reduce((sum, [, r]) => sum + size(r), 0)) / (order.length - 1);
  let at = start(first);
  order.forEach(([id, r], i) => {
    const target = i === order.length - 1 ? start(r) : Math.round(at);
    const d = target - start(r);
    if (d) out.set(id, axis === "horizontal" ? { dx: d, dy: 0 } : { dx: 0, dy: d });
    at += size(r) + gap;
  });
  return out;
}
