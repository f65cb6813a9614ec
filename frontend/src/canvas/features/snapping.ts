// Dragging boxes: a dragged box brings the rest of its group, and the whole moving set snaps to
// other boxes' edges and centres (guides show where) unless Alt is held. The canvas passes each
// drag step through `drag` and the drop through `drop`; the guides are a tiny store it draws.
// The other boxes' lines are indexed once per drag (../snap), so a pointer move never scans the
// board. No React.
import { createStore } from "zustand/vanilla";

import type { Rect } from "../geometry";
import { withGroup } from "../groups";
import { bounds, type Guide, NO_SNAP, snap, SNAP_PX, SnapIndex } from "../snap";
import type { Override } from "../store";
import type { BoardCore } from "./core";

const NO_GUIDES: readonly Guide[] = [];

const sameGuide = (a: Guide, b: Guide | undefined) => b !== undefined && a.axis === b.axis && a.at === b.at && a.from === b.from && a.to === b.to;

export class Snapping {
  /** The guides to draw now (empty when no drag is snapping). */
  readonly guides = createStore<readonly Guide[]>(() => NO_GUIDES);
  private index: SnapIndex | null = null;
  private free = false;

  constructor(private readonly core: BoardCore) {}

  /** Follow the Alt key (held: drag freely, no snapping) until the returned function is called. */
  start(): () => void {
    if (typeof window === "undefined") return () => undefined;
    const follow = (event: KeyboardEvent | PointerEvent) => {
      this.free = event.altKey;
    };
    const forget = () => {
      this.free = false;
    };
    window.addEventListener("keydown", follow, true);
    window.addEventListener("keyup", follow, true);
    window.addEventListener("pointermove", follow, true);
    window.addEventListener("blur", forget);
    return () => {
      window.removeEventListener("keydown", follow, true);
      window.removeEventListener("keyup", follow, true);
      window.removeEventListener("pointermove", follow, true);
      window.removeEventListener("blur", forget);
    };
  }

  /** Hold Alt (or not): tests and the canvas may say so directly. */
  setFree(free: boolean): void {
    this.free = free;
  }

  /**
   * One step of a drag: the positions to show for what moves. `moves` are the positions React
   * Flow reports for the boxes it drags; the rest of their groups join them, and all shift
   * together to snap. `zoom` turns SNAP_PX into flow units; `view` (the visible flow area) limits
   * what may be snapped to, as guides to boxes out of sight would only puzzle. It is asked once
   * per drag, when the index is built: measuring the canvas on every move would force a layout.
   */
  drag(moves: ReadonlyMap<string, Override>, zoom: number, view: () => Rect | null): Map<string, Override> {
    const all = this.withGroups(moves);
    const rects = this.rectsOf(all);
    this.index ??= this.indexFor(new Set(all.keys()), view());
    const box = bounds(rects.values());
    const result = this.free || !box ? NO_SNAP : snap(box, this.index, SNAP_PX / Math.max(zoom, 0.01));
    this.show(result.guides);
    if (!result.dx && !result.dy) return all;
    const out = new Map<string, Override>();
    for (const [id, at] of all) out.set(id, { ...at, x: (at.x ?? 0) + result.dx, y: (at.y ?? 0) + result.dy });
    return out;
  }

  /** The drop: the same positions as the last step showed; the guides go. */
  drop(moves: ReadonlyMap<string, Override>, zoom: number, view: () => Rect | null): Map<string, Override> {
    const out = this.drag(moves, zoom, view);
    this.end();
    return out;
  }

  /** Draw these guides; the same lines as now keep the same array, so nothing re-renders. */
  private show(guides: readonly Guide[]): void {
    const now = this.guides.getState();
    const same = now.length === guides.length && now.every((g, i) => sameGuide(g, guides[i]));
    if (!same) this.guides.setState(guides.length ? guides : NO_GUIDES, true);
  }

  /** Forget the drag (a drop, or a drag cut short). */
  end(): void {
    this.index = null;
    this.guides.setState(NO_GUIDES, true);
  }

  /** The moves plus every group mate of a moved box, shifted by the same amount from where it is stored. */
  private withGroups(moves: ReadonlyMap<string, Override>): Map<string, Override> {
    const elements = this.core.elements;
    const all = new Map(moves);
    for (const [id, at] of moves) {
      const e = elements.get(id);
      if (!e || e.kind === "arrow" || at.x === undefined || at.y === undefined) continue;
      const dx = at.x - e.x;
      const dy = at.y - e.y;
      for (const mate of withGroup(id, elements)) {
        const m = elements.get(mate);
        if (all.has(mate) || !m || m.kind === "arrow") continue;
        all.set(mate, { x: m.x + dx, y: m.y + dy });
      }
    }
    return all;
  }

  private rectsOf(moves: ReadonlyMap<string, Override>): Map<string, Rect> {
    const rects = new Map<string, Rect>();
    for (const [id, at] of moves) {
      const e = this.core.elements.get(id);
      if (!e || e.kind === "arrow") continue;
      rects.set(id, { x: at.x ?? e.x, y: at.y ?? e.y, w: at.w ?? e.w, h: at.h ?? e.h });
    }
    return rects;
  }

  /** The boxes a drag may snap to: all but those moving, in view. */
  private indexFor(moving: ReadonlySet<string>, view: Rect | null): SnapIndex {
    const rects: Rect[] = [];
    for (const e of this.core.elements.values()) {
      if (e.kind === "arrow" || moving.has(e.id)) continue;
      if (view && (e.x > view.x + view.w || e.x + e.w < view.x || e.y > view.y + view.h || e.y + e.h < view.y)) continue;
      rects.push({ x: e.x, y: e.y, w: e.w, h: e.h });
    }
    return new SnapIndex(rects);
  }
}
