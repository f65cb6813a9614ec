// Arrow routing: right-angled paths that go round boxes. Pure, no React, no DOM.
//
// The server draws the same arrows in its SVG and PNG (reviews/formats/routing.py is a
// line-for-line port): both are checked against tests/examples/routes.json, so keep the
// two in step. Only +, -, * and / on the inputs and exact comparisons: the same IEEE
// doubles come out in both languages.
//
// How: the arrow leaves its source from a side (the one the user dragged from, else the
// one facing the target) by a short stub, and enters its target the same way. Between
// the stubs, a shortest path with a cost per bend runs on the grid of lines through the
// (inflated) edges of the boxes near the two ends, never inside one. Only boxes within
// PAD of the two ends count, and the path never leaves that area, so a route depends on
// nothing else: the canvas caches each route against exactly those boxes.

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export type Point = readonly [number, number];
export type Side = "top" | "right" | "bottom" | "left";

/** Clearance kept round boxes, and the length of the stub out of and into a box. */
export const MARGIN = 16;
/** How far round the two ends the router looks (and may go); a second, wider try if boxed in. */
export const PAD = 96;
const PADS = [PAD, PAD * 4];
/** A bend costs as much as this much length: fewer bends beat a slightly shorter path. */
export const BEND = 40;
/**
 * Running along the clearance line of a box costs a quarter more: between two equal routes
 * the one down the middle of a gap wins, so two arrows rarely share a line.
 */
export const HUG = 0.25;

// Directions: right, down, left, up.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
const SIDE_DIR: Readonly<Record<Side, number>> = { right: 0, bottom: 1, left: 2, top: 3 };

/**
 * The sides of two boxes that face each other. Architecture diagrams read left to right,
 * so an arrow leaves sideways whenever there is horizontal room between the boxes, unless
 * the vertical gap is clearly the bigger one.
 */
export function facingSides(source: Rect, target: Rect): [Side, Side] {
  const dx = target.x + target.w / 2 - (source.x + source.w / 2);
  const dy = target.y + target.h / 2 - (source.y + source.h / 2);
  const gapX = Math.abs(dx) - (source.w + target.w) / 2;
  const gapY = Math.abs(dy) - (source.h + target.h) / 2;
  const horizontal = gapX > 0 ? gapX * 1.5 >= gapY : gapY <= 0 && Math.abs(dx) >= Math.abs(dy);
  if (horizontal) return dx >= 0 ? ["right", "left"] : ["left", "right"];
  return dy >= 0 ? ["bottom", "top"] : ["top", "bottom"];
}

/** A point on a box's side, `at` of the way along it (left to right, top to bottom). */
export function port(rect: Rect, side: Side, at = 0.5): Point {
  switch (side) {
    case "left":
      return [rect.x, rect.y + rect.h * at];
    case "right":
      return [rect.x + rect.w, rect.y + rect.h * at];
    case "top":
      return [rect.x + rect.w * at, rect.y];
    default:
      return [rect.x + rect.w * at, rect.y + rect.h];
  }
}

interface Box {
  readonly l: number;
  readonly t: number;
  readonly r: number;
  readonly b: number;
}

function inflate(rect: Rect, by: number): Box {
  return { l: rect.x - by, t: rect.y - by, r: rect.x + rect.w + by, b: rect.y + rect.h + by };
}

function overlaps(a: Box, b: Box): boolean {
  return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
}

function inside(box: Box, x: number, y: number): boolean {
  return box.l < x && x < box.r && box.t < y && y < box.b;
}

/** The area a route may use: round both ends, `pad` further. */
export function area(source: Rect, target: Rect, pad: number): Rect {
  const l = Math.min(source.x, target.x) - pad;
  const t = Math.min(source.y, target.y) - pad;
  const r = Math.max(source.x + source.w, target.x + target.w) + pad;
  const b = Math.max(source.y + source.h, target.y + target.h) + pad;
  return { x: l, y: t, w: r - l, h: b - t };
}

/** Whether a box counts for a route in `region` (it does when it reaches into it). */
export function touches(region: Rect, rect: Rect): boolean {
  return overlaps(inflate(region, 0), inflate(rect, MARGIN));
}

function sorted(values: number[], lo: number, hi: number): number[] {
  const kept = values.filter((v) => v >= lo && v <= hi);
  kept.sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of kept) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

function index(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A binary heap of [f, seq, state]; seq breaks ties, so the order is total and the same everywhere. */
class Heap {
  private items: [number, number, number][] = [];
  get size(): number {
    return this.items.length;
  }
  private less(i: number, j: number): boolean {
    const a = this.items[i] as [number, number, number];
    const b = this.items[j] as [number, number, number];
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
  private swap(i: number, j: number): void {
    const t = this.items[i] as [number, number, number];
    this.items[i] = this.items[j] as [number, number, number];
    this.items[j] = t;
  }
  push(item: [number, number, number]): void {
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): [number, number, number] {
    const top = this.items[0] as [number, number, number];
    const last = this.items.pop() as [number, number, number];
    if (this.items.length) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/** The corners of a route between two stubs, or null when the boxes leave no way through the area. */
function search(s1: Point, sd: number, t1: Point, td: number, region: Rect, blocked: readonly Box[]): Point[] | null {
  const xs0 = [region.x, region.x + region.w, s1[0], t1[0], (s1[0] + t1[0]) / 2];
  const ys0 = [region.y, region.y + region.h, s1[1], t1[1], (s1[1] + t1[1]) / 2];
  for (const b of blocked) xs0.push(b.l, b.r), ys0.push(b.t, b.b);
  const xs = sorted(xs0, region.x, region.x + region.w);
  const ys = sorted(ys0, region.y, region.y + region.h);
  const nx = xs.length;
  const ny = ys.length;
  const open = new Uint8Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const x = xs[i] as number;
      const y = ys[j] as number;
      let free = true;
      for (const b of blocked) if (inside(b, x, y)) free = false;
      open[i * ny + j] = free ? 1 : 0;
    }
  }
  const si = index(xs, s1[0]);
  const sj = index(ys, s1[1]);
  const ti = index(xs, t1[0]);
  const tj = index(ys, t1[1]);
  open[si * ny + sj] = 1;
  open[ti * ny + tj] = 1;
  const goal = ti * ny + tj;
  const into = td; // arriving at t1 moving into the target
  const states = nx * ny * 4;
  const best = new Float64Array(states).fill(Infinity);
  const parent = new Int32Array(states).fill(-1);
  const heap = new Heap();
  let seq = 0;
  const DONE = states; // state ids at or above DONE are "arrived", from state id - DONE
  const start = (si * ny + sj) * 4 + sd;
  best[start] = 0;
  heap.push([Math.abs(xs[si]! - t1[0]) + Math.abs(ys[sj]! - t1[1]), seq++, start]);
  while (heap.size) {
    const [f, , state] = heap.pop();
    if (state >= DONE) return corners(state - DONE, parent, xs, ys, ny);
    const g = best[state] as number;
    const node = state >> 2;
    const dir = state & 3;
    if (f > g + heuristic(xs, ys, node, ny, t1)) continue; // superseded by a cheaper way here
    if (node === goal) {
      if (dir !== (into + 2) % 4) heap.push([g + (dir === into ? 0 : BEND), seq++, DONE + state]);
      continue;
    }
    const i = (node / ny) | 0;
    const j = node - i * ny;
    for (let d = 0; d < 4; d++) {
      if (d === (dir + 2) % 4) continue;
      const ni = i + DX[d]!;
      const nj = j + DY[d]!;
      if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
      const next = ni * ny + nj;
      if (!open[next]) continue;
      const ax = xs[i]!;
      const ay = ys[j]!;
      const bx = xs[ni]!;
      const by = ys[nj]!;
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      let clear = true;
      let hugs = false;
      for (const b of blocked) {
        if (inside(b, mx, my)) clear = false;
        else if (d % 2 === 0 ? (my === b.t || my === b.b) && b.l <= mx && mx <= b.r : (mx === b.l || mx === b.r) && b.t <= my && my <= b.b) hugs = true;
      }
      if (!clear) continue;
      const length = (bx - ax) * DX[d]! + (by - ay) * DY[d]!;
      const cost = g + length + (hugs ? length * HUG : 0) + (d === dir ? 0 : BEND);
      const ns = next * 4 + d;
      if (cost < (best[ns] as number)) {
        best[ns] = cost;
        parent[ns] = state;
        heap.push([cost + Math.abs(bx - t1[0]) + Math.abs(by - t1[1]), seq++, ns]);
      }
    }
  }
  return null;
}

function heuristic(xs: readonly number[], ys: readonly number[], node: number, ny: number, t1: Point): number {
  const i = (node / ny) | 0;
  const j = node - i * ny;
  return Math.abs(xs[i]! - t1[0]) + Math.abs(ys[j]! - t1[1]);
}

function corners(state: number, parent: Int32Array, xs: readonly number[], ys: readonly number[], ny: number): Point[] {
  const out: Point[] = [];
  for (let s = state; s !== -1; s = parent[s]!) {
    const node = s >> 2;
    const i = (node / ny) | 0;
    out.push([xs[i]!, ys[node - i * ny]!]);
  }
  return out.reverse();
}

/** Drop repeated points and the middle of straight runs (not of a U-turn). */
export function simplify(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    const before = out[out.length - 2];
    if (
      last &&
      before &&
      ((before[0] === last[0] && last[0] === p[0] && (last[1] - before[1]) * (p[1] - last[1]) > 0) ||
        (before[1] === last[1] && last[1] === p[1] && (last[0] - before[0]) * (p[0] - last[0]) > 0))
    ) {
      out[out.length - 1] = p;
    } else out.push(p);
  }
  return out;
}

export interface RouteInput {
  readonly source: Rect;
  readonly target: Rect;
  readonly sourceSide?: Side | null;
  readonly targetSide?: Side | null;
  /** Where along its side each end attaches (0.5, the middle, unless several arrows share the side). */
  readonly sourceAt?: number;
  readonly targetAt?: number;
}

export interface Route {
  readonly points: Point[];
  /** The pad of the area the route was found in (0: no way round, drawn straight through). */
  readonly pad: number;
}

/**
 * The route of one arrow. `obstacles` are the other boxes (any superset of those near the
 * ends: the router keeps those that reach into its area itself).
 */
export function route(input: RouteInput, obstacles: Iterable<Rect>): Route {
  const { source, target } = input;
  const auto = facingSides(source, target);
  const ss = input.sourceSide ?? auto[0];
  const ts = input.targetSide ?? auto[1];
  const s = port(source, ss, input.sourceAt ?? 0.5);
  const t = port(target, ts, input.targetAt ?? 0.5);
  const sd = SIDE_DIR[ss];
  const td = (SIDE_DIR[ts] + 2) % 4;
  const s1: Point = [s[0] + DX[sd]! * MARGIN, s[1] + DY[sd]! * MARGIN];
  const t1: Point = [t[0] - DX[td]! * MARGIN, t[1] - DY[td]! * MARGIN];
  const all = [...obstacles];
  const ends = [inflate(source, MARGIN), inflate(target, MARGIN)];
  for (const pad of PADS) {
    const region = area(source, target, pad);
    const blocked = [...ends];
    for (const o of all) if (touches(region, o)) blocked.push(inflate(o, MARGIN));
    // A stub inside another box's clearance can never be left or reached: no need to search.
    if (blocked.some((b) => inside(b, s1[0], s1[1]) || inside(b, t1[0], t1[1]))) break;
    const found = search(s1, sd, t1, td, region, blocked);
    if (found) return { points: simplify([s, ...found, t]), pad };
  }
  // Boxed in, or the ends too close for stubs: the plainest right-angled line from end to end.
  let middle: Point[];
  if (sd % 2 === 0 && td % 2 === 0) middle = [[(s[0] + t[0]) / 2, s[1]], [(s[0] + t[0]) / 2, t[1]]];
  else if (sd % 2 === 1 && td % 2 === 1) middle = [[s[0], (s[1] + t[1]) / 2], [t[0], (s[1] + t[1]) / 2]];
  else middle = [sd % 2 === 0 ? [t[0], s[1]] : [s[0], t[1]]];
  return { points: simplify([s, ...middle, t]), pad: 0 };
}

/** An SVG path through the points, corners rounded. */
export function pathOf(points: readonly Point[], radius = 8): string {
  if (points.length === 0) return "";
  const first = points[0]!;
  let d = `M${first[0]},${first[1]}`;
  for (let k = 1; k < points.length - 1; k++) {
    const [px, py] = points[k - 1]!;
    const [x, y] = points[k]!;
    const [nx, ny] = points[k + 1]!;
    const r = Math.min(radius, Math.abs(x - px + y - py) / 2, Math.abs(nx - x + ny - y) / 2);
    const ax = x - Math.sign(x - px) * r;
    const ay = y - Math.sign(y - py) * r;
    const bx = x + Math.sign(nx - x) * r;
    const by = y + Math.sign(ny - y) * r;
    d += ` L${ax},${ay} Q${x},${y} ${bx},${by}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${last[0]},${last[1]}`;
}

// Labels: on the path, clear of every box and of the labels placed before them.

export const LABEL_HEIGHT = 22;
const LABEL_MAX = 220;

/** A label's size as drawn (12 px text, padded): an estimate both sides share. */
export function labelSize(label: string): { w: number; h: number } {
  return { w: Math.min(LABEL_MAX, Array.from(label).length * 7 + 20), h: LABEL_HEIGHT };
}

function labelBox(x: number, y: number, size: { w: number; h: number }): Box {
  return { l: x - size.w / 2, t: y - size.h / 2, r: x + size.w / 2, b: y + size.h / 2 };
}

/** Where a label may sit on a path: on each segment, longest first, its middle then either side. */
export function labelSpots(points: readonly Point[]): Point[] {
  const segments: { k: number; length: number }[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [ax, ay] = points[k]!;
    const [bx, by] = points[k + 1]!;
    segments.push({ k, length: Math.abs(bx - ax) + Math.abs(by - ay) });
  }
  segments.sort((a, b) => b.length - a.length || a.k - b.k);
  const spots: Point[] = [];
  for (const { k } of segments) {
    const [ax, ay] = points[k]!;
    const [bx, by] = points[k + 1]!;
    for (const f of [0.5, 0.3, 0.7, 0.15, 0.85]) spots.push([ax + (bx - ax) * f, ay + (by - ay) * f]);
  }
  return spots;
}

/** A segment of an arrow: x1, y1, x2, y2. */
export type Segment = readonly [number, number, number, number];

function crossesBox(b: Box, [x1, y1, x2, y2]: Segment): boolean {
  return Math.min(x1, x2) < b.r && b.l < Math.max(x1, x2) && Math.min(y1, y2) < b.b && b.t < Math.max(y1, y2);
}

/** The segments of a route. */
export function segments(points: readonly Point[]): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k + 1 < points.length; k++) out.push([points[k]![0], points[k]![1], points[k + 1]![0], points[k + 1]![1]]);
  return out;
}

/**
 * Place one label: the first spot clear of `boxes`, `placed` (label boxes so far, which it
 * joins) and other arrows' `lines`, so it never hides a crossing; else the first clear of
 * boxes and labels; else the middle of the longest segment.
 */
export function placeLabel(points: readonly Point[], label: string, boxes: Iterable<Rect>, placed: Box[], lines: readonly Segment[] = []): Point {
  const size = labelSize(label);
  const spots = labelSpots(points);
  const near = [...boxes].map((b) => inflate(b, 0));
  let chosen: Point | null = null;
  let fallback: Point | null = null;
  for (const spot of spots) {
    const box = labelBox(spot[0], spot[1], size);
    if (near.some((b) => overlaps(b, box)) || placed.some((b) => overlaps(b, box))) continue;
    fallback ??= spot;
    if (lines.some((line) => crossesBox(box, line))) continue;
    chosen = spot;
    break;
  }
  const at = chosen ?? fallback ?? spots[0] ?? points[0] ?? ([0, 0] as Point);
  placed.push(labelBox(at[0], at[1], size));
  return at;
}

export type LabelBox = Box;

/** The area a label on these points could reach (to find the boxes it must keep clear of). */
export function labelReach(points: readonly Point[], label: string): Rect {
  const size = labelSize(label);
  let l = Infinity;
  let t = Infinity;
  let r = -Infinity;
  let b = -Infinity;
  for (const [x, y] of points) (l = Math.min(l, x)), (t = Math.min(t, y)), (r = Math.max(r, x)), (b = Math.max(b, y));
  return { x: l - size.w / 2, y: t - size.h / 2, w: r - l + size.w, h: b - t + size.h };
}

// A whole board at once, as the exports draw it (the canvas does the same, cached per arrow).

export interface BoardArrow {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  readonly source_side?: Side;
  readonly target_side?: Side;
}

export interface RoutedArrow {
  readonly id: string;
  readonly points: Point[];
  readonly label: Point | null;
}

export interface Ends {
  readonly sourceSide: Side;
  readonly targetSide: Side;
  readonly sourceAt: number;
  readonly targetAt: number;
}

/**
 * The side and the point along it of both ends of every arrow: the stored side, else the
 * facing one; arrows sharing a side of a box spread evenly along it, ordered by where their
 * other end is, so no two start or end at the same point.
 */
export function assignEnds(boxes: ReadonlyMap<string, Rect>, arrows: readonly BoardArrow[]): Map<string, Ends> {
  const out = new Map<string, Ends>();
  for (const [id, raw] of spreadEnds(boxes, arrows)) out.set(id, lineUp(raw, boxes.get(raw.arrow.source)!, boxes.get(raw.arrow.target)!));
  return out;
}

/** An arrow's sides and where along them its ends sit, before an end alone on its side lines up. */
export interface SpreadEnds {
  readonly arrow: BoardArrow;
  readonly sides: readonly [Side, Side];
  readonly at: readonly [number, number];
  readonly alone: readonly [boolean, boolean];
}

/**
 * The sides of `arrows` and the spread of every end along its side. `orders` gives each
 * arrow's place in the whole board (default: its index), which breaks ties: with it, a subset
 * holding every arrow at some boxes gives the same values at those boxes as the whole board.
 */
export function spreadEnds(boxes: ReadonlyMap<string, Rect>, arrows: readonly BoardArrow[], orders?: readonly number[]): Map<string, SpreadEnds> {
  const n = arrows.length;
  const sides: ([Side, Side] | null)[] = new Array(n).fill(null);
  const at = new Float64Array(2 * n).fill(0.5);
  const alone = new Uint8Array(2 * n);
  // By box: per side (right, bottom, left, top), its arrow ends as [key, board order * 2 + end, index * 2 + end].
  const groups = new Map<string, [number, number, number][][]>();
  for (let k = 0; k < n; k++) {
    const arrow = arrows[k]!;
    const source = boxes.get(arrow.source);
    const target = boxes.get(arrow.target);
    if (!source || !target) continue;
    const order = orders ? orders[k]! : k;
    const auto = facingSides(source, target);
    const pair: [Side, Side] = [arrow.source_side ?? auto[0], arrow.target_side ?? auto[1]];
    sides[k] = pair;
    for (let end = 0; end < 2; end++) {
      const side = pair[end]!;
      const other = end === 0 ? target : source;
      const key = side === "top" || side === "bottom" ? other.x + other.w / 2 : other.y + other.h / 2;
      const box = end === 0 ? arrow.source : arrow.target;
      let perSide = groups.get(box);
      if (!perSide) groups.set(box, (perSide = [[], [], [], []]));
      perSide[SIDE_DIR[side]]!.push([key, order * 2 + end, k * 2 + end]);
    }
  }
  for (const perSide of groups.values()) {
    for (const list of perSide) {
      if (list.length === 0) continue;
      if (list.length === 1) {
        alone[list[0]![2]] = 1;
        continue;
      }
      // By key, then board order, then source end first (order * 2 + end sorts both at once).
      list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (let k = 0; k < list.length; k++) at[list[k]![2]] = (k + 1) / (list.length + 1);
    }
  }
  const out = new Map<string, SpreadEnds>();
  for (let k = 0; k < n; k++) {
    const pair = sides[k];
    if (!pair) continue;
    out.set(arrows[k]!.id, { arrow: arrows[k]!, sides: pair, at: [at[2 * k]!, at[2 * k + 1]!], alone: [alone[2 * k] === 1, alone[2 * k + 1] === 1] });
  }
  return out;
}

/**
 * An end alone on its side lines up with the other end when the sides face each other, so
 * an arrow whose other end sits among several on a shared side still runs straight.
 */
export function lineUp(raw: SpreadEnds, source: Rect, target: Rect): Ends {
  const [sourceSide, targetSide] = raw.sides;
  let [sourceAt, targetAt] = raw.at;
  const facing = SIDE_DIR[targetSide] === (SIDE_DIR[sourceSide] + 2) % 4;
  const [soloSource, soloTarget] = raw.alone;
  if (facing && soloSource !== soloTarget) {
    const vertical = sourceSide === "top" || sourceSide === "bottom";
    const [fixed, fixedAt, free] = soloTarget ? [source, sourceAt, target] : [target, targetAt, source];
    const line = vertical ? fixed.x + fixed.w * fixedAt : fixed.y + fixed.h * fixedAt;
    const start = vertical ? free.x : free.y;
    const length = vertical ? free.w : free.h;
    if (line >= start + length * 0.15 && line <= start + length * 0.85) {
      if (soloTarget) targetAt = (line - start) / length;
      else sourceAt = (line - start) / length;
    }
  }
  return { sourceSide, targetSide, sourceAt, targetAt };
}

/** Every arrow of a board (boxes by id, arrows in board order): routes, then labels in order. */
export function routeBoard(boxes: ReadonlyMap<string, Rect>, arrows: readonly BoardArrow[]): RoutedArrow[] {
  const ends = assignEnds(boxes, arrows);
  const out: RoutedArrow[] = [];
  const placed: Box[] = [];
  const labels: { index: number; label: string }[] = [];
  for (const arrow of arrows) {
    const source = boxes.get(arrow.source);
    const target = boxes.get(arrow.target);
    const end = ends.get(arrow.id);
    if (!source || !target || !end) continue;
    const others = [...boxes].filter(([id]) => id !== arrow.source && id !== arrow.target).map(([, r]) => r);
    const { points } = route({ source, target, ...end }, others);
    if (arrow.label) labels.push({ index: out.length, label: arrow.label });
    out.push({ id: arrow.id, points, label: null });
  }
  const lines = out.map((r) => segments(r.points));
  for (const { index: k, label } of labels) {
    const routed = out[k]!;
    const others = lines.flatMap((list, j) => (j === k ? [] : list));
    out[k] = { ...routed, label: placeLabel(routed.points, label, boxes.values(), placed, others) };
  }
  return out;
}
