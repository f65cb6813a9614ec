// Where a card goes next to its element (a thread, the composer, an incident observation). It must
// never hide the element it talks about, and should hide as little of the rest of the board as it
// can: a card put left of a box by habit covered the boxes there while the canvas below was free.
// Pure screen geometry, so it can run on every pan.
import type { Rect } from "./geometry";

export interface Size {
  readonly w: number;
  readonly h: number;
}

/** Something a card should not cover; `weight` (default 1) scales what covering it costs. */
export interface Obstacle extends Rect {
  readonly weight?: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export const GAP = 14;
export const MARGIN = 10;
/** How far the card keeps off other boxes before it counts as covering them (a shadow, a badge). */
const CLEARANCE = 4;
/** An arrow's anchor is its label's centre: treat it as the label, roughly, so the card stays off it. */
const POINT = 12;

function area(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function grow(r: Rect, by: number): Rect {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}

/** The spots beside `anchor`, in order of preference: right, left, below, above (each in two
 * alignments), then the same sides as far off as the canvas allows, for when everything near is taken. */
function candidates(anchor: Rect, size: Size, canvas: Size): Point[] {
  const top = anchor.y - 6;
  const bottom = anchor.y + anchor.h + 6 - size.h;
  const right = anchor.x + anchor.w + GAP;
  const left = anchor.x - GAP - size.w;
  const below = anchor.y + anchor.h + GAP;
  const above = anchor.y - GAP - size.h;
  const start = anchor.x;
  const end = anchor.x + anchor.w - size.w;
  return [
    { x: right, y: top },
    { x: right, y: bottom },
    { x: left, y: top },
    { x: left, y: bottom },
    { x: start, y: below },
    { x: end, y: below },
    { x: start, y: above },
    { x: end, y: above },
    { x: canvas.w, y: top },
    { x: -size.w, y: top },
    { x: start, y: canvas.h },
    { x: start, y: -size.h },
  ];
}

/** Where to put a card of `size` beside `anchor` (screen rects, relative to the canvas of size `canvas`),
 * kept inside the canvas: never over the anchor if any spot avoids it, and over as little of
 * `others` (the board's other boxes and arrow labels, the cards over it) as possible, by area times
 * weight; ties keep the order of preference. */
export function placeCard(anchor: Rect, size: Size, canvas: Size, others: readonly Obstacle[]): Point {
  const self = anchor.w || anchor.h ? anchor : grow(anchor, POINT);
  const clamp = (v: number, room: number, extent: number) => Math.max(MARGIN, Math.min(v, room - extent - MARGIN));
  let best: Point | null = null;
  let bestSelf = Infinity;
  let bestOthers = Infinity;
  for (const spot of candidates(anchor, size, canvas)) {
    const x = clamp(spot.x, canvas.w, size.w);
    const y = clamp(spot.y, canvas.h, size.h);
    const card = grow({ x, y, w: size.w, h: size.h }, CLEARANCE);
    const onSelf = area(card, self);
    if (onSelf > bestSelf) continue;
    let onOthers = 0;
    for (const other of others) onOthers += area(card, other) * (other.weight ?? 1);
    if (onSelf < bestSelf || onOthers < bestOthers) {
      best = { x, y };
      bestSelf = onSelf;
      bestOthers = onOthers;
    }
  }
  return best ?? { x: MARGIN, y: MARGIN };
}
