// Rectangles and arrow paths as the canvas and the SVG export draw them (the routing is ./routing).

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface ArrowPath {
  readonly path: string;
  /** The route's corners, from the source's side to the target's (see ./routing). */
  readonly points: readonly (readonly [number, number])[];
  readonly labelX: number;
  readonly labelY: number;
  readonly sx: number;
  readonly sy: number;
  readonly tx: number;
  readonly ty: number;
}

export function bounds(rects: Iterable<Rect>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.w);
    maxY = Math.max(maxY, r.y + r.h);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, w: maxX - minX, h: maxY - minY } : null;
}
