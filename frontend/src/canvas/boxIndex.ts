// A uniform grid over the boxes, to find those near an arrow without scanning the board.
import type { Rect } from "./routing";

const CELL = 256;

export class BoxIndex {
  private cells = new Map<number, [string, Rect][]>();

  private static key(i: number, j: number): number {
    // Cells are 256 units: coordinates up to ±1,000,000 give i and j well inside ±2^15.
    return (i + 32768) * 65536 + (j + 32768);
  }

  rebuild(rects: ReadonlyMap<string, Rect>): void {
    this.cells.clear();
    for (const [id, rect] of rects) this.add(id, rect);
  }

  add(id: string, r: Rect): void {
    for (let i = Math.floor(r.x / CELL); i <= Math.floor((r.x + r.w) / CELL); i++) {
      for (let j = Math.floor(r.y / CELL); j <= Math.floor((r.y + r.h) / CELL); j++) {
        const key = BoxIndex.key(i, j);
        const cell = this.cells.get(key);
        if (cell) cell.push([id, r]);
        else this.cells.set(key, [[id, r]]);
      }
    }
  }

  remove(id: string, r: Rect): void {
    for (let i = Math.floor(r.x / CELL); i <= Math.floor((r.x + r.w) / CELL); i++) {
      for (let j = Math.floor(r.y / CELL); j <= Math.floor((r.y + r.h) / CELL); j++) {
        const key = BoxIndex.key(i, j);
        const cell = this.cells.get(key);
        const at = cell ? cell.findIndex(([k]) => k === id) : -1;
        if (cell && at >= 0) cell.splice(at, 1);
      }
    }
  }

  /** The boxes in the cells a region covers (a superset of those overlapping it), each once. */
  query(region: Rect): Map<string, Rect> {
    const out = new Map<string, Rect>();
    const i0 = Math.floor(region.x / CELL);
    const i1 = Math.floor((region.x + region.w) / CELL);
    const j0 = Math.floor(region.y / CELL);
    const j1 = Math.floor((region.y + region.h) / CELL);
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const cell = this.cells.get(BoxIndex.key(i, j));
        if (cell) for (const [id, rect] of cell) out.set(id, rect);
      }
    }
    return out;
  }
}
