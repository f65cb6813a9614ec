// Board elements -> React Flow nodes and edges, incrementally.
//
// Every render of a 1,000-element board rebuilds the arrays, but an element
// whose inputs did not change keeps the very same node (and edge) object, so
// React Flow skips it and its memoised component does not re-render. Arrows are
// routed round the boxes here (./routing, the same router the server draws with),
// and each route is cached against exactly what it depends on: its ends, the side
// and point each attaches at, and the boxes near them. A drag re-routes only the
// arrows whose neighbourhood it changes.
import { type Edge, type Node, Position } from "@xyflow/react";

import type { ArrowElement, ComponentElement, Element, Elements, FrameElement, NoteElement } from "../sync";
import type { ArrowPath, Rect } from "./geometry";
import { BoxIndex } from "./boxIndex";
import {
  area,
  type BoardArrow,
  type Ends,
  type LabelBox,
  labelReach,
  MARGIN,
  PAD,
  pathOf,
  placeLabel,
  type Point,
  lineUp,
  route,
  type Segment,
  segments,
  spreadEnds,
  type SpreadEnds,
  touches,
} from "./routing";
import { type Mark, type Marks, NO_MARKS } from "./overlay";
import type { Override, UiState } from "./store";

export interface ComponentData extends Record<string, unknown> {
  readonly element: ComponentElement;
  readonly editable: boolean;
  readonly editing: boolean;
  /** Colour of someone else who has it selected. */
  readonly remote: string | null;
  /** What a diff or a drill says of it. */
  readonly mark: Mark | null;
}

export interface NoteData extends Record<string, unknown> {
  readonly element: NoteElement;
  readonly editable: boolean;
  readonly editing: boolean;
  readonly remote: string | null;
  readonly mark: Mark | null;
}

export interface FrameData extends Record<string, unknown> {
  readonly element: FrameElement;
  readonly editable: boolean;
  readonly editing: boolean;
  readonly remote: string | null;
  readonly mark: Mark | null;
}

export interface ArrowData extends Record<string, unknown> {
  readonly element: ArrowElement;
  readonly geometry: ArrowPath;
  readonly editable: boolean;
  readonly editing: boolean;
  readonly mark: Mark | null;
}

export type ComponentNode = Node<ComponentData, "component">;
export type NoteNode = Node<NoteData, "note">;
export type FrameNode = Node<FrameData, "frame">;
export type BoardNode = ComponentNode | NoteNode | FrameNode;
/** An element with a box: everything but arrows. */
export type BoxElement = ComponentElement | NoteElement | FrameElement;

/** Frames lie behind notes, which lie behind boxes; arrows (z 0) draw over frames and notes. */
export const FRAME_Z = -2;
export type ArrowEdge = Edge<ArrowData, "arrow">;

const HANDLE = 10;

function handles(w: number, h: number): NonNullable<Node["handles"]> {
  return [
    { id: "t", type: "source", position: Position.Top, x: w / 2 - HANDLE / 2, y: -HANDLE / 2, width: HANDLE, height: HANDLE },
    { id: "r", type: "source", position: Position.Right, x: w - HANDLE / 2, y: h / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
    { id: "b", type: "source", position: Position.Bottom, x: w / 2 - HANDLE / 2, y: h - HANDLE / 2, width: HANDLE, height: HANDLE },
    { id: "l", type: "source", position: Position.Left, x: -HANDLE / 2, y: h / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  ];
}

interface CachedNode {
  readonly node: BoardNode;
  readonly element: Element;
  readonly rect: Rect;
  readonly selected: boolean;
  readonly editable: boolean;
  readonly editing: boolean;
  readonly remote: string | null;
  readonly hidden: boolean;
  readonly mark: Mark | null;
}

interface CachedRect {
  readonly element: Element;
  readonly local: Override | undefined;
  readonly remote: Override | undefined;
  readonly rect: Rect;
}

interface CachedRoute {
  readonly source: Rect;
  readonly target: Rect;
  readonly ends: Ends;
  /** The area the route was found in, and the boxes reaching into it. */
  readonly region: Rect;
  readonly near: ReadonlySet<Rect>;
  readonly points: Point[];
  readonly path: string;
}

interface CachedEdge {
  readonly edge: ArrowEdge;
  readonly element: ArrowElement;
  readonly geometry: ArrowPath;
  readonly selected: boolean;
  readonly editable: boolean;
  readonly editing: boolean;
  readonly mark: Mark | null;
}

export interface FlowInput {
  readonly elements: Elements;
  readonly ui: Pick<UiState, "selected" | "editing" | "local" | "remote" | "remoteSelections">;
  readonly editable: boolean;
  readonly colorOf: (participant: string) => string;
  /** Zoomed far out on a big board: the Overview draws it, React Flow keeps the nodes without DOM. */
  readonly overview?: boolean;
  /** A diff's or a drill's marks, by node or arrow id (a removed element's ghost is never interactive). */
  readonly marks?: Marks;
}

const LAST_PAD = PAD * 4;

function sameEnds(a: Ends, b: Ends): boolean {
  return a.sourceSide === b.sourceSide && a.targetSide === b.targetSide && a.sourceAt === b.sourceAt && a.targetAt === b.targetAt;
}

/** Points as `x,y;x,y` to 0.01, as the server's SVG writes them (tests compare the two). */
export function pointsAttr(points: readonly Point[]): string {
  return points.map(([x, y]) => `${Math.round(x * 100) / 100},${Math.round(y * 100) / 100}`).join(";");
}

/** The current box of a component or note: the board's, under any drag in progress (mine win). */
export function liveRect(element: BoxElement, local: Override | undefined, remote: Override | undefined): Rect {
  return {
    x: local?.x ?? remote?.x ?? element.x,
    y: local?.y ?? remote?.y ?? element.y,
    w: local?.w ?? remote?.w ?? element.w,
    h: local?.h ?? remote?.h ?? element.h,
  };
}

/** Every route's segments in a grid, to find those near a label. */
class SegmentIndex {
  private cells = new Map<number, [string, Segment][]>();
  private static readonly CELL = 256;

  constructor(routes: ReadonlyMap<string, { readonly points: Point[] }>) {
    const c = SegmentIndex.CELL;
    for (const [id, r] of routes) {
      for (const seg of segments(r.points)) {
        const [x1, y1, x2, y2] = seg;
        for (let i = Math.floor(Math.min(x1, x2) / c); i <= Math.floor(Math.max(x1, x2) / c); i++) {
          for (let j = Math.floor(Math.min(y1, y2) / c); j <= Math.floor(Math.max(y1, y2) / c); j++) {
            const key = (i + 32768) * 65536 + (j + 32768);
            const cell = this.cells.get(key);
            if (cell) cell.push([id, seg]);
            else this.cells.set(key, [[id, seg]]);
          }
        }
      }
    }
  }

  /** The segments of other arrows in the cells a region covers (a superset of those crossing it). */
  query(region: Rect, except: string): Segment[] {
    const c = SegmentIndex.CELL;
    const out: Segment[] = [];
    for (let i = Math.floor(region.x / c); i <= Math.floor((region.x + region.w) / c); i++) {
      for (let j = Math.floor(region.y / c); j <= Math.floor((region.y + region.h) / c); j++) {
        for (const [id, seg] of this.cells.get((i + 32768) * 65536 + (j + 32768)) ?? []) if (id !== except) out.push(seg);
      }
    }
    return out;
  }
}

/** The middle of the longest segment: where a label sits when there is no label. */
function midpoint(points: readonly Point[]): Point {
  let best: Point = points[0] ?? [0, 0];
  let length = -1;
  for (let k = 0; k + 1 < points.length; k++) {
    const [ax, ay] = points[k]!;
    const [bx, by] = points[k + 1]!;
    const l = Math.abs(bx - ax) + Math.abs(by - ay);
    if (l > length) (length = l), (best = [(ax + bx) / 2, (ay + by) / 2]);
  }
  return best;
}

export class FlowBuilder {
  private nodes = new Map<string, CachedNode>();
  private rects = new Map<string, CachedRect>();
  private edges = new Map<string, CachedEdge>();
  private routes = new Map<string, CachedRoute>();
  private index = new BoxIndex();
  private lastRects: Map<string, Rect> | null = null;
  private lastArrows: ArrowElement[] = [];
  private lastEnds = new Map<string, Ends>();
  private spread = new Map<string, SpreadEnds>();
  private orderOf = new Map<string, number>();
  private byBox = new Map<string, ArrowElement[]>();
  private labels = new Map<string, Point>();
  private lastNodes: BoardNode[] = [];
  private lastEdges: ArrowEdge[] = [];

  /** The boxes as last built (for the Overview, which draws them itself). */
  rect(id: string): Rect | undefined {
    return this.rects.get(id)?.rect;
  }

  /** The arrow geometry as last built. */
  arrow(id: string): ArrowPath | undefined {
    return this.edges.get(id)?.geometry;
  }

  /** The route of one arrow: the cached one while its ends, their sides and the boxes near them are unchanged. */
  private routeOf(element: ArrowElement, source: Rect, target: Rect, ends: Ends, changed: readonly Rect[] | null): CachedRoute {
    const cached = this.routes.get(element.id);
    if (cached && cached.source === source && cached.target === target && sameEnds(cached.ends, ends)) {
      // Only the boxes that moved (where they were and where they are) can change a route.
      if (changed !== null) {
        if (!changed.some((r) => touches(cached.region, r))) return cached;
      } else {
        const near = this.near(cached.region, element);
        if (near.size === cached.near.size && [...near].every((r) => cached.near.has(r))) return cached;
      }
    }
    // Most routes are found in the first, small area: look further only when they are not.
    let candidates = this.near(area(source, target, PAD), element);
    let found = route({ source, target, ...ends }, candidates);
    if (found.pad !== PAD) {
      candidates = this.near(area(source, target, LAST_PAD), element);
      found = route({ source, target, ...ends }, candidates);
    }
    const region = area(source, target, found.pad || LAST_PAD);
    const near = new Set([...candidates].filter((r) => touches(region, r)));
    const fresh = { source, target, ends, region, near, points: found.points, path: pathOf(found.points) };
    this.routes.set(element.id, fresh);
    return fresh;
  }

  /** Every arrow's sides and ends along them, afresh. */
  private spreadAll(rects: ReadonlyMap<string, Rect>, arrows: readonly ArrowElement[]): void {
    this.spread = spreadEnds(rects, arrows as readonly BoardArrow[]);
    this.lastEnds = new Map();
    for (const [id, raw] of this.spread) this.lastEnds.set(id, lineUp(raw, rects.get(raw.arrow.source)!, rects.get(raw.arrow.target)!));
    this.orderOf = new Map(arrows.map((a, k) => [a.id, k]));
    this.byBox = new Map();
    for (const a of arrows) {
      for (const box of [a.source, a.target]) {
        const list = this.byBox.get(box);
        if (list) list.push(a);
        else this.byBox.set(box, [a]);
      }
    }
  }

  /**
   * After some boxes moved: the ends of the arrows at them and at their neighbours, the same
   * values as spreadAll's. The boxes B are the moved ones and the other ends of their arrows
   * (whose sides may have changed); the spread at a box in B is recomputed from every arrow
   * at it, and an end elsewhere keeps its spread (nothing about its box changed).
   */
  private spreadNear(rects: ReadonlyMap<string, Rect>, moved: ReadonlySet<string>): void {
    const near = new Set<string>();
    for (const id of moved) {
      near.add(id);
      for (const a of this.byBox.get(id) ?? []) near.add(a.source).add(a.target);
    }
    const subset = new Set<ArrowElement>();
    for (const id of near) for (const a of this.byBox.get(id) ?? []) subset.add(a);
    if (subset.size === 0) return;
    const list = [...subset].sort((a, b) => this.orderOf.get(a.id)! - this.orderOf.get(b.id)!);
    const fresh = spreadEnds(rects, list as readonly BoardArrow[], list.map((a) => this.orderOf.get(a.id)!));
    for (const a of list) {
      const now = fresh.get(a.id);
      const before = this.spread.get(a.id);
      if (!now || !before) continue;
      const s = near.has(a.source);
      const t = near.has(a.target);
      const merged: SpreadEnds = {
        arrow: a as BoardArrow,
        sides: now.sides,
        at: [s ? now.at[0] : before.at[0], t ? now.at[1] : before.at[1]],
        alone: [s ? now.alone[0] : before.alone[0], t ? now.alone[1] : before.alone[1]],
      };
      this.spread.set(a.id, merged);
      this.lastEnds.set(a.id, lineUp(merged, rects.get(a.source)!, rects.get(a.target)!));
    }
  }

  /** The boxes other than the arrow's ends that reach into a region. */
  private near(region: Rect, arrow: ArrowElement): Set<Rect> {
    const out = new Set<Rect>();
    const reach = { x: region.x - MARGIN, y: region.y - MARGIN, w: region.w + 2 * MARGIN, h: region.h + 2 * MARGIN };
    for (const [id, rect] of this.index.query(reach)) {
      if (id !== arrow.source && id !== arrow.target && touches(region, rect)) out.add(rect);
    }
    return out;
  }

  rectOf(element: BoxElement, local: Override | undefined, remote: Override | undefined): Rect {
    const cached = this.rects.get(element.id);
    if (cached && cached.element === element && cached.local === local && cached.remote === remote) return cached.rect;
    const rect = liveRect(element, local, remote);
    this.rects.set(element.id, { element, local, remote, rect });
    return rect;
  }

  build(input: FlowInput): { nodes: BoardNode[]; edges: ArrowEdge[] } {
    const { elements, ui, editable } = input;
    const hidden = input.overview ?? false;
    const marks = input.marks ?? NO_MARKS;
    const remoteColor = new Map<string, string>();
    for (const [participant, ids] of ui.remoteSelections) {
      for (const id of ids) if (!remoteColor.has(id)) remoteColor.set(id, input.colorOf(participant));
    }

    const nodes: BoardNode[] = [];
    const edges: ArrowEdge[] = [];
    const rects = new Map<string, Rect>();
    const seenNodes = new Set<string>();
    const seenEdges = new Set<string>();
    let nodesChanged = false;
    let edgesChanged = false;

    for (const element of elements.values()) {
      if (element.kind === "arrow") continue;
      const rect = this.rectOf(element, ui.local.get(element.id), ui.remote.get(element.id));
      // Frames are not obstacles (arrows may cross them) nor arrow ends: only boxes and notes route.
      if (element.kind !== "frame") rects.set(element.id, rect);
      seenNodes.add(element.id);
      const selected = ui.selected.has(element.id);
      const editing = ui.editing === element.id;
      const remote = remoteColor.get(element.id) ?? null;
      const mark = marks.get(element.id) ?? null;
      const cached = this.nodes.get(element.id);
      if (
        cached &&
        cached.element === element &&
        cached.rect === rect &&
        cached.selected === selected &&
        cached.editable === editable &&
        cached.editing === editing &&
        cached.remote === remote &&
        cached.hidden === hidden &&
        cached.mark === mark
      ) {
        nodes.push(cached.node);
        continue;
      }
      nodesChanged = true;
      const ghost = mark?.diff === "removed";
      const common = {
        id: element.id,
        // Someone else is dragging it: ease between their 30-a-second previews.
        ...(ui.remote.has(element.id) && !ui.local.has(element.id) ? { className: "is-remote-dragging" } : {}),
        position: { x: rect.x, y: rect.y },
        width: rect.w,
        height: rect.h,
        measured: { width: rect.w, height: rect.h },
        selected,
        draggable: editable && !editing && !ghost,
        connectable: editable && !ghost,
        deletable: false,
        hidden,
        ...(ghost ? { selectable: false, focusable: false } : {}),
      };
      const flags = { editable: editable && !ghost, editing, remote, mark };
      const node: BoardNode =
        element.kind === "component"
          ? { ...common, type: "component", handles: handles(rect.w, rect.h), data: { element, ...flags } }
          : element.kind === "note"
            ? { ...common, type: "note", zIndex: -1, data: { element, ...flags } }
            : { ...common, type: "frame", zIndex: FRAME_Z, connectable: false, data: { element, ...flags } };
      this.nodes.set(element.id, { node, element, rect, selected, editable, editing, remote, hidden, mark });
      nodes.push(node);
    }

    // Did any box move, resize, come or go since the last build? If not, no route can change
    // but by its own arrow changing.
    // The boxes that moved, resized, came or went since the last build, before and after
    // (null: too many to list, check every route against its neighbourhood instead).
    let changed: Rect[] | null = this.lastRects === null ? null : [];
    const changedIds = new Set<string>();
    if (this.lastRects && changed) {
      for (const [id, rect] of rects) {
        const before = this.lastRects.get(id);
        if (before !== rect) (changed.push(rect), before && changed.push(before), changedIds.add(id));
      }
      for (const [id, rect] of this.lastRects) if (!rects.has(id)) (changed.push(rect), changedIds.add(id));
      if (changed.length > 64) changed = null;
    }
    const moved = changed === null || changed.length > 0;
    if (changed === null) this.index.rebuild(rects);
    else if (this.lastRects) {
      for (const id of changedIds) {
        const before = this.lastRects.get(id);
        const now = rects.get(id);
        if (before) this.index.remove(id, before);
        if (now) this.index.add(id, now);
      }
    }
    this.lastRects = rects;

    const arrows: ArrowElement[] = [];
    for (const element of elements.values()) {
      if (element.kind === "arrow" && rects.has(element.source) && rects.has(element.target)) arrows.push(element);
    }
    const arrowsChanged = arrows.length !== this.lastArrows.length || arrows.some((a, k) => a !== this.lastArrows[k]);
    if (arrowsChanged || changed === null) this.spreadAll(rects, arrows);
    else if (changedIds.size) this.spreadNear(rects, changedIds);
    this.lastArrows = arrows;

    const routed = new Map<string, CachedRoute>();
    let routesChanged = moved || arrowsChanged;
    for (const element of arrows) {
      const ends = this.lastEnds.get(element.id);
      if (!ends) continue;
      const before = this.routes.get(element.id);
      const r = this.routeOf(element, rects.get(element.source)!, rects.get(element.target)!, ends, changed);
      if (r !== before) routesChanged = true;
      routed.set(element.id, r);
    }
    // Labels go in board order, each clear of the boxes, of the labels before it and, where
    // it can, of other arrows' lines.
    if (routesChanged) {
      this.labels = new Map();
      const placed: LabelBox[] = [];
      const lines = arrows.some((a) => a.label) ? new SegmentIndex(routed) : null;
      for (const element of arrows) {
        const r = routed.get(element.id);
        if (!r || !element.label || !lines) continue;
        const reach = labelReach(r.points, element.label);
        const boxes = [...this.index.query(reach)].map(([, rect]) => rect);
        this.labels.set(element.id, placeLabel(r.points, element.label, boxes, placed, lines.query(reach, element.id)));
      }
    }

    for (const element of arrows) {
      const r = routed.get(element.id);
      if (!r) continue;
      seenEdges.add(element.id);
      const selected = ui.selected.has(element.id);
      const editing = ui.editing === element.id;
      const mark = marks.get(element.id) ?? null;
      const cached = this.edges.get(element.id);
      const first = r.points[0] ?? ([0, 0] as Point);
      const last = r.points[r.points.length - 1] ?? first;
      const label = this.labels.get(element.id) ?? midpoint(r.points);
      const sameGeometry =
        cached !== undefined && cached.geometry.path === r.path && cached.geometry.labelX === label[0] && cached.geometry.labelY === label[1];
      if (
        cached &&
        sameGeometry &&
        cached.element === element &&
        cached.selected === selected &&
        cached.editable === editable &&
        cached.editing === editing &&
        cached.mark === mark
      ) {
        edges.push(cached.edge);
        continue;
      }
      edgesChanged = true;
      const geometry: ArrowPath = sameGeometry
        ? cached.geometry
        : { path: r.path, points: r.points, labelX: label[0], labelY: label[1], sx: first[0], sy: first[1], tx: last[0], ty: last[1] };
      const edge: ArrowEdge = {
        id: element.id,
        type: "arrow",
        source: element.source,
        target: element.target,
        selected,
        deletable: false,
        focusable: mark?.diff !== "removed",
        ...(mark?.diff === "removed" ? { selectable: false } : {}),
        interactionWidth: 18,
        data: { element, geometry, editable: editable && mark?.diff !== "removed", editing, mark },
      };
      this.edges.set(element.id, { edge, element, geometry, selected, editable, editing, mark });
      edges.push(edge);
    }

    for (const id of this.nodes.keys()) if (!seenNodes.has(id)) (this.nodes.delete(id), this.rects.delete(id), (nodesChanged = true));
    for (const id of this.edges.keys()) if (!seenEdges.has(id)) (this.edges.delete(id), this.routes.delete(id), (edgesChanged = true));

    // Same content, same array: React Flow then skips its own pass over a thousand nodes.
    if (nodesChanged || nodes.length !== this.lastNodes.length) this.lastNodes = nodes;
    if (edgesChanged || edges.length !== this.lastEdges.length) this.lastEdges = edges;
    return { nodes: this.lastNodes, edges: this.lastEdges };
  }
}
