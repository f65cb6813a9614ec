// Where arrows attach and how they run: pure, shared by the canvas and the SVG export.
import { getSmoothStepPath, Position } from "@xyflow/react";

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface ArrowPath {
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
  readonly sx: number;
  readonly sy: number;
  readonly tx: number;
  readonly ty: number;
}

function side(rect: Rect, position: Position): { x: number; y: number } {
  switch (position) {
    case Position.Left:
      return { x: rect.x, y: rect.y + rect.h / 2 };
    case Position.Right:
      return { x: rect.x + rect.w, y: rect.y + rect.h / 2 };
    case Position.Top:
      return { x: rect.x + rect.w / 2, y: rect.y };
    default:
      return { x: rect.x + rect.w / 2, y: rect.y + rect.h };
  }
}

/**
 * The sides of two boxes that face each other. Architecture diagrams read left to right,
 * so an arrow leaves sideways whenever there is horizontal room between the boxes, unless
 * the vertical gap is clearly the bigger one.
 */
function facingSides(source: Rect, target: Rect): [Position, Position] {
  const dx = target.x + target.w / 2 - (source.x + source.w / 2);
  const dy = target.y + target.h / 2 - (source.y + source.h / 2);
  const gapX = Math.abs(dx) - (source.w + target.w) / 2;
  const gapY = Math.abs(dy) - (source.h + target.h) / 2;
  const horizontal = gapX > 0 ? gapX * 1.5 >= gapY : gapY <= 0 && Math.abs(dx) >= Math.abs(dy);
  if (horizontal) return dx >= 0 ? [Position.Right, Position.Left] : [Position.Left, Position.Right];
  return dy >= 0 ? [Position.Bottom, Position.Top] : [Position.Top, Position.Bottom];
}

/** An arrow from the side of `source` facing `target`, in right-angled segments with rounded corners. */
export function arrowPath(source: Rect, target: Rect): ArrowPath {
  const [sourcePosition, targetPosition] = facingSides(source, target);
  const s = side(source, sourcePosition);
  const t = side(target, targetPosition);
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: s.x,
    sourceY: s.y,
    sourcePosition,
    targetX: t.x,
    targetY: t.y,
    targetPosition,
    borderRadius: 10,
    offset: 18,
  });
  return { path, labelX, labelY, sx: s.x, sy: s.y, tx: t.x, ty: t.y };
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
