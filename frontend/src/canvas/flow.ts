// Board elements -> React Flow nodes and edges, incrementally.
//
// Every render of a 1,000-element board rebuilds the arrays, but an element
// whose inputs did not change keeps the very same node (and edge) object, so
// React Flow skips it and its memoised component does not re-render. Arrow
// geometry is computed here, once per change of either end, not per frame.
import { type Edge, type Node, Position } from "@xyflow/react";

import type { ArrowElement, ComponentElement, Element, Elements, FrameElement, NoteElement } from "../sync";
import { arrowPath, type ArrowPath, type Rect } from "./geometry";
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

interface CachedEdge {
  readonly edge: ArrowEdge;
  readonly element: ArrowElement;
  readonly source: Rect;
  readonly target: Rect;
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

/** The current box of a component or note: the board's, under any drag in progress (mine win). */
export function liveRect(element: BoxElement, local: Override | undefined, remote: Override | undefined): Rect {
  return {
    x: local?.x ?? remote?.x ?? element.x,
    y: local?.y ?? remote?.y ?? element.y,
    w: local?.w ?? remote?.w ?? element.w,
    h: local?.h ?? remote?.h ?? element.h,
  };
}

export class FlowBuilder {
  private nodes = new Map<string, CachedNode>();
  private rects = new Map<string, CachedRect>();
  private edges = new Map<string, CachedEdge>();
  private lastNodes: BoardNode[] = [];
  private lastEdges: ArrowEdge[] = [];

  /** The boxes as last built (for the Overview, which draws them itself). */
  rect(id: string): Rect | undefined {
    return this.rects.get(id)?.rect;
  }

  /** The arrow geometry as last built. */
  arrow(id: string): ArrowPath | undefined {
    return this.edges.get(id)?.edge.data?.geometry;
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
      rects.set(element.id, rect);
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

    for (const element of elements.values()) {
      if (element.kind !== "arrow") continue;
      const source = rects.get(element.source);
      const target = rects.get(element.target);
      if (!source || !target) continue;
      seenEdges.add(element.id);
      const selected = ui.selected.has(element.id);
      const editing = ui.editing === element.id;
      const mark = marks.get(element.id) ?? null;
      const cached = this.edges.get(element.id);
      if (
        cached &&
        cached.element === element &&
        cached.source === source &&
        cached.target === target &&
        cached.selected === selected &&
        cached.editable === editable &&
        cached.editing === editing &&
        cached.mark === mark
      ) {
        edges.push(cached.edge);
        continue;
      }
      edgesChanged = true;
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
        data: { element, geometry: arrowPath(source, target), editable: editable && mark?.diff !== "removed", editing, mark },
      };
      this.edges.set(element.id, { edge, element, source, target, selected, editable, editing, mark });
      edges.push(edge);
    }

    for (const id of this.nodes.keys()) if (!seenNodes.has(id)) (this.nodes.delete(id), this.rects.delete(id), (nodesChanged = true));
    for (const id of this.edges.keys()) if (!seenEdges.has(id)) (this.edges.delete(id), (edgesChanged = true));

    // Same content, same array: React Flow then skips its own pass over a thousand nodes.
    if (nodesChanged || nodes.length !== this.lastNodes.length) this.lastNodes = nodes;
    if (edgesChanged || edges.length !== this.lastEdges.length) this.lastEdges = edges;
    return { nodes: this.lastNodes, edges: this.lastEdges };
  }
}
