// The board canvas: React Flow bound to the SyncClient through the board's features (./features).
import {
  ConnectionMode,
  type EdgeChange,
  type FinalConnectionState,
  getViewportForBounds,
  MiniMap,
  type NodeChange,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  useStore as useFlowStore,
  ViewportPortal,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useStore } from "zustand";
import { useShallow } from "zustand/react/shallow";

import { shownTheme, subscribeTheme } from "../lib/theme";

import { type ArrowSide, type ComponentType, COMPONENT_TYPES } from "../sync";
import { ArrangeBar } from "./ArrangeBar";
import { AnnotationBadges } from "./Badges";
import { NOTE, personColor, TYPE_INFO } from "./catalog";
import { useBoard, useCanEdit, useCore, useDrill, useEditing, useFailureDrill, useFeatures, usePastShown, useReplaying, useReview, useSnapping, useSync, useUi } from "./context";
import { diffOverlay } from "./diff";
import { drillOverlay } from "./drill";
import { edgeTypes } from "./edges";
import { type ArrowEdge, type BoardNode, FlowBuilder } from "./flow";
import { wholeGroups } from "./groups";
import { Guides } from "./Guides";
import { nodeTypes } from "./nodes";
import { mergeMarks, NO_MARKS } from "./overlay";
import { Overview, OVERVIEW_MIN, OVERVIEW_ZOOM } from "./Overview";
import { FlowLayer, usePresented } from "./FlowLayer";
import { LaserLayer } from "./LaserLayer";
import { RemoteCursors } from "./Presence";
import type { Override, RemotePreview } from "./store";

export const PALETTE_MIME = "application/x-bothsides-type";
const NO_EDGES: ArrowEdge[] = [];
const NO_OVERRIDES = new Map<string, Override>();
const NO_PREVIEWS = new Map<string, RemotePreview>();
const NO_SELECTIONS = new Map<string, readonly string[]>();

const isType = (value: string): value is ComponentType => (COMPONENT_TYPES as readonly string[]).includes(value);

/** The side a handle sits on (see flow.ts's handles), kept on the arrow drawn from or to it. */
const HANDLE_SIDES: Readonly<Record<string, ArrowSide>> = { t: "top", r: "right", b: "bottom", l: "left" };
const sideOf = (handle: string | null | undefined): ArrowSide | null => (handle ? (HANDLE_SIDES[handle] ?? null) : null);

function minimapColor(node: BoardNode): string {
  if (node.type === "frame") return "rgba(148, 163, 184, 0.25)";
  return node.type === "component" ? TYPE_INFO[node.data.element.type].color : NOTE.color;
}

/** The level of detail for the zoom: each changes only when a threshold is crossed, never per frame. */
function useDetail(): { far: boolean; overviewZoom: boolean } {
  const far = useFlowStore((s) => s.transform[2] < 0.45);
  const overviewZoom = useFlowStore((s) => s.transform[2] < OVERVIEW_ZOOM);
  return { far, overviewZoom };
}

/** A board opens whole: fitted to the canvas, at most life size. */
const OPENING_FIT = { minZoom: 0.08, maxZoom: 1, padding: 0.12 } as const;

/** The blank canvas says how to start; to those who cannot draw it only says nothing is drawn yet. */
function EmptyState({ editable }: { editable: boolean }) {
  return (
    <div className="bs-empty-state" data-testid="empty-state" role="note">
      {editable ? (
        <>
          <strong>Start the design</strong>
          <span>
            Double-click the canvas to add a box, drag one from the palette, or press its key (<kbd>S</kbd> service, <kbd>D</kbd> database,{" "}
            <kbd>?</kbd> for every shortcut).
          </span>
        </>
      ) : (
        <>
          <strong>Nothing is drawn yet</strong>
          <span>The diagram appears here as it is drawn.</span>
        </>
      )}
    </div>
  );
}

function boxCount(elements: ReadonlyMap<string, { kind: string }>): number {
  let n = 0;
  for (const e of elements.values()) if (e.kind !== "arrow") n++;
  return n;
}

export function Canvas() {
  const core = useCore();
  const features = useFeatures();
  const editing = useEditing();
  const drilling = useFailureDrill();
  const snapping = useSnapping();
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const dragging = useRef(false);
  const fitted = useRef(false);
  const [builder] = useState(() => new FlowBuilder());
  const detail = useDetail();
  const farOut = detail.far;
  const [moving, setMoving] = useState(false);
  const laserOn = useStore(features.laser.store, (s) => s.on);
  // While a flow is presented the presenter drives everyone's view: the minimap would only cover
  // the canvas's corner, and the path's far end is often there.
  const presenting = usePresented() !== null;

  const board = useBoard((b) => b.elements);
  const seq = useSync((s) => s.seq);
  const editable = useCanEdit();
  const replaying = useReplaying();
  const past = usePastShown();
  // A comparison paints its diff (removed elements as ghosts); a drill its impact.
  const diff = useReview((v) => v.compare?.diff ?? null);
  const compared = useMemo(() => (diff ? diffOverlay(board, diff) : { elements: board, marks: NO_MARKS }), [board, diff]);
  const elements = compared.elements;
  const drillOn = useDrill((v) => v.on);
  const failed = useDrill((v) => v.failed);
  const analysis = useDrill((v) => v.analysis);
  const spofs = useDrill((v) => v.spofs);
  const drill = analysis?.drill && analysis.drill.failed === failed ? analysis.drill : null;
  const drillMarks = useMemo(() => (drillOn ? drillOverlay(drill, spofs ? (analysis?.spofs ?? null) : null) : NO_MARKS), [drillOn, drill, spofs, analysis]);
  const marks = useMemo(() => mergeMarks(compared.marks, drillMarks), [compared.marks, drillMarks]);
  const live = useUi(
    useShallow((s) => ({
      selected: s.selected,
      editing: s.editing,
      local: s.local,
      remote: s.remote,
      remoteSelections: s.remoteSelections,
    })),
  );
  // A replay shows the past: nobody's drag or selection in progress belongs on it.
  const ui = useMemo(() => (past ? { ...live, local: NO_OVERRIDES, remote: NO_PREVIEWS, remoteSelections: NO_SELECTIONS } : live), [live, past]);
  const boxes = boxCount(elements);
  const overview = detail.overviewZoom && boxes >= OVERVIEW_MIN;
  const theme = useSyncExternalStore(subscribeTheme, shownTheme);
  const { nodes, edges } = useMemo(
    () => builder.build({ elements, ui, editable, colorOf: personColor, overview, marks }),
    [builder, elements, ui, editable, overview, marks],
  );

  // Lend the board what it needs of the viewport.
  useEffect(() => {
    core.attachViewport({
      center: () => {
        const rect = wrapper.current?.getBoundingClientRect();
        if (!rect) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
      },
      pointer: () => pointer.current,
      fitView: () => flow.fitView({ padding: 0.15, duration: 250, maxZoom: 1.2, includeHiddenNodes: true }),
      zoomIn: () => void flow.zoomIn({ duration: 150 }),
      zoomOut: () => void flow.zoomOut({ duration: 150 }),
      zoomTo: (level) => void flow.zoomTo(level, { duration: 150 }),
      // setCenter without a zoom jumps to maxZoom: keep the current one unless asked.
      centerOn: (point, zoom) => void flow.setCenter(point.x, point.y, { zoom: zoom ?? flow.getZoom(), duration: 200 }),
      zoom: () => flow.getZoom(),
      jumpTo: (point, zoom) => void flow.setCenter(point.x, point.y, { zoom }),
      focus: () => wrapper.current?.focus({ preventScroll: true }),
    });
    return () => core.attachViewport(null);
  }, [core, flow]);

  // Open once, when the board first arrives: fitted, so every box shows (a board that fits at a
  // readable 75 % fits at that or more; one that does not opens smaller rather than cut off at the
  // palette or under the side panel). `opened` tells tests and screenshots the view is settled.
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (fitted.current || seq === null) return;
    fitted.current = true;
    requestAnimationFrame(() => {
      const rect = wrapper.current?.getBoundingClientRect();
      const all = flow.getNodes();
      if (rect && all.length) {
        const { minZoom, maxZoom, padding } = OPENING_FIT;
        void flow.setViewport(getViewportForBounds(flow.getNodesBounds(all), rect.width, rect.height, minZoom, maxZoom, padding));
      }
      setOpened(true);
    });
  }, [seq, flow]);

  /** The flow area on screen, for what a drag may snap to. */
  const visibleArea = useCallback(() => {
    const rect = wrapper.current?.getBoundingClientRect();
    if (!rect) return null;
    const a = flow.screenToFlowPosition({ x: rect.left, y: rect.top });
    const b = flow.screenToFlowPosition({ x: rect.right, y: rect.bottom });
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
  }, [flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BoardNode>[]) => {
      const resizing = new Set<string>();
      for (const c of changes) if (c.type === "dimensions" && c.resizing !== undefined) resizing.add(c.id);
      const moving = new Map<string, Override>();
      const done = new Map<string, Override>();
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === "position" && c.position && !resizing.has(c.id)) {
          (c.dragging ? moving : done).set(c.id, { x: c.position.x, y: c.position.y });
        } else if (c.type === "select") {
          selection ??= new Set(core.ui.getState().selected);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      // A drag brings the rest of each group along and snaps to other boxes (./features/snapping).
      if (moving.size) editing.setLocalMany(snapping.drag(moving, flow.getZoom(), visibleArea), true);
      if (done.size) {
        // A drag's end is its own undo step; arrow-key nudges of one selection merge.
        const key = dragging.current ? undefined : `nudge:${[...done.keys()].sort().join(",")}`;
        editing.commitGeometry(dragging.current ? snapping.drop(done, flow.getZoom(), visibleArea) : done, key);
      }
      // A group is selected, or not, as one.
      if (selection) core.select(wholeGroups(core.ui.getState().selected, selection, core.elements));
    },
    [core, editing, snapping, flow, visibleArea],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type !== "select") continue;
        selection ??= new Set(core.ui.getState().selected);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
      if (selection) core.select(selection);
    },
    [core],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      // Dropping anywhere on a component connects to it, not only on its small handles.
      if (state.isValid || !state.fromNode) return;
      const point = "changedTouches" in event ? event.changedTouches[0] : event;
      if (!point) return;
      const target = document.elementFromPoint(point.clientX, point.clientY)?.closest(".react-flow__node");
      const id = target?.getAttribute("data-id");
      if (id) editing.connect(state.fromNode.id, id, { source: sideOf(state.fromHandle?.id) });
    },
    [editing],
  );

  const toFlow = (event: { clientX: number; clientY: number }) =>
    flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });

  return (
    <div
      ref={wrapper}
      className={`bs-canvas${laserOn ? " is-laser" : ""}${farOut ? " is-far" : ""}${overview ? " is-overview" : ""}${moving ? " is-moving" : ""}${editable ? "" : " is-readonly"}${replaying ? " is-replaying" : ""}${past && !replaying ? " is-version" : ""}${diff ? " is-comparing" : ""}${drillOn ? " is-drill" : ""}${drill ? " is-drilling" : ""}`}
      tabIndex={-1}
      data-drill-mode={drillOn ? (drill ? "failed" : "on") : undefined}
      data-testid="canvas"
      data-opened={opened ? "" : undefined}
      onPointerMove={(event) => {
        const point = toFlow(event);
        pointer.current = point;
        core.pointerMoved({ x: Math.round(point.x), y: Math.round(point.y) });
        features.laser.pointerMoved(point);
      }}
      onPointerLeave={() => {
        pointer.current = null;
        core.pointerMoved(null);
      }}
      onDoubleClick={(event) => {
        if (!editable || !(event.target as HTMLElement).classList.contains("react-flow__pane")) return;
        editing.addComponent(core.ui.getState().lastType, toFlow(event));
      }}
      onDragOver={(event) => {
        if (!editable || !event.dataTransfer.types.includes(PALETTE_MIME)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      onDrop={(event) => {
        const kind = event.dataTransfer.getData(PALETTE_MIME);
        if (!editable || !kind) return;
        event.preventDefault();
        if (kind === "note") editing.addNote(toFlow(event));
        else if (kind === "frame") editing.addFrame(toFlow(event));
        else if (isType(kind)) editing.addComponent(kind, toFlow(event));
      }}
    >
      <svg className="bs-defs" aria-hidden="true" width="0" height="0">
        <defs>
          <marker id="bs-arrowhead" viewBox="0 0 12 12" refX="10" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
            <path d="M1,1.5 L10.5,6 L1,10.5 z" fill="#64748b" />
          </marker>
          <marker id="bs-arrowhead-selected" viewBox="0 0 12 12" refX="10" refY="6" markerWidth="12" markerHeight="12" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
            <path d="M1,1.5 L10.5,6 L1,10.5 z" fill="#2563eb" />
          </marker>
        </defs>
      </svg>
      <ReactFlow<BoardNode>
        nodes={nodes}
        edges={overview ? NO_EDGES : edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => (dragging.current = true)}
        onNodeDragStop={() => {
          dragging.current = false;
          snapping.end();
        }}
        onConnect={(connection) =>
          editing.connect(connection.source, connection.target, { source: sideOf(connection.sourceHandle), target: sideOf(connection.targetHandle) })
        }
        onConnectEnd={onConnectEnd}
        isValidConnection={(c) => c.source !== c.target}
        onEdgeDoubleClick={(_, edge) => editable && editing.startEditing(edge.id)}
        onNodeClick={(_, node) => {
          // Writing a flow, a click on a component is its next step.
          if (features.flows.state.draft && features.flows.pick(node.id)) return;
          // In drill mode a click fails the component, or a frame's title everything in it (a second click recovers).
          if (!drillOn || (node.type !== "component" && node.type !== "frame")) return;
          void drilling.drill(failed === node.id ? null : node.id);
        }}
        onPaneClick={() => core.ui.getState().editing && core.stopEditing()}
        onMoveStart={(event) => {
          setMoving(true);
          // A pan or zoom of my own (not one made for me while following) leaves the view I follow.
          if (event) features.follow.userMoved();
        }}
        onMove={() => features.follow.viewMoved()}
        onMoveEnd={() => setMoving(false)}
        connectionMode={ConnectionMode.Loose}
        connectionRadius={28}
        nodesDraggable={editable}
        nodesConnectable={editable}
        elementsSelectable
        selectionOnDrag
        selectionMode={SelectionMode.Partial}
        panOnDrag={[1, 2]}
        panOnScroll
        zoomOnDoubleClick={false}
        selectionKeyCode={null}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        deleteKeyCode={null}
        minZoom={0.08}
        maxZoom={2.5}
        onlyRenderVisibleElements
        elevateEdgesOnSelect
        proOptions={{ hideAttribution: false }}
        onError={() => undefined}
        aria-label="Board canvas"
        colorMode={theme}
      >
        <ViewportPortal>
          {/* The dot grid lives inside the viewport, so panning moves it with the composited
              layer instead of repainting a full-screen pattern every frame. */}
          {farOut ? null : <div className="bs-grid" aria-hidden="true" />}
          {overview ? <Overview nodes={nodes} edges={edges} /> : null}
          <Guides />
        </ViewportPortal>
        {overview || boxes === 0 || presenting ? null : (
        <MiniMap<BoardNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          nodeStrokeWidth={0}
          nodeBorderRadius={6}
          maskColor={theme === "dark" ? "rgba(15, 23, 42, 0.6)" : "rgba(241, 245, 249, 0.7)"}
          ariaLabel="Minimap"
          className="bs-minimap"
          style={{ width: 168, height: 112 }}
        />
        )}
        <AnnotationBadges />
        <FlowLayer />
        {editable && !past ? <ArrangeBar /> : null}
        {past ? null : <RemoteCursors />}
        {past ? null : <LaserLayer />}
      </ReactFlow>
      {boxes === 0 && !past ? <EmptyState editable={editable} /> : null}
    </div>
  );
}
