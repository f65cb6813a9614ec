// The node kinds on the canvas (components, notes, frames). All are memo'd and
// registered once at module scope (nodeTypes), so React Flow never remounts them.
import {
  Handle,
  type NodeProps,
  NodeResizer,
  type NodeTypes,
  Position,
  type ResizeParams,
  useStore,
  useUpdateNodeInternals,
} from "@xyflow/react";
import { type CSSProperties, memo, useEffect, useState } from "react";

import { CREDIT_INFO } from "../sync";
import { Icon } from "../ui/Icon";
import { FRAME, TYPE_INFO } from "./catalog";
import { useEditing } from "./context";
import { useDecisionCount } from "./decisionContext";
import type { ComponentNode, FrameNode, NoteNode } from "./flow";
import { InlineEditor } from "./InlineEditor";
import { fieldName } from "./diff";
import type { Mark } from "./overlay";
import { NodeMarks } from "./ResilienceMarks";

/** The attributes a diff or a drill puts on a node (for styles and tests), and its title. */
function markAttributes(mark: Mark | null) {
  if (!mark) return {};
  return {
    ...(mark.diff ? { "data-diff": mark.diff } : {}),
    ...(mark.drill ? { "data-drill": mark.drill } : {}),
    ...(mark.spof ? { "data-spof": mark.spof } : {}),
  };
}

/** What the overlay says of a node, in words, on its corner. */
function MarkTag({ mark }: { mark: Mark | null }) {
  if (!mark) return null;
  return (
    <>
      {mark.diff === "changed" && mark.fields?.length ? (
        <span className="bs-node__diff" data-testid="diff-fields">
          Changed: {mark.fields.map(fieldName).join(", ")}
        </span>
      ) : null}
      {mark.diff === "added" ? <span className="bs-node__diff">Added</span> : null}
      {mark.diff === "removed" ? <span className="bs-node__diff">Removed</span> : null}
      {mark.drill === "failed" ? <span className="bs-node__drill">Down</span> : null}
      {mark.spof ? (
        <span className="bs-node__spof" data-testid="spof-badge" title={`Single point of failure, #${mark.spof} by impact`}>
          SPOF #{mark.spof}
        </span>
      ) : null}
    </>
  );
}

const SIDES = [
  ["t", Position.Top],
  ["r", Position.Right],
  ["b", Position.Bottom],
  ["l", Position.Left],
] as const;

function useResize(id: string) {
  const edit = useEditing();
  const toOverride = (p: ResizeParams) => ({ x: p.x, y: p.y, w: p.width, h: p.height });
  return {
    onResize: (_: unknown, p: ResizeParams) => edit.setLocal([id], toOverride(p), true),
    onResizeEnd: (_: unknown, p: ResizeParams) => edit.commitGeometry(new Map([[id, toOverride(p)]])),
  };
}

export const ComponentNodeView = memo(function ComponentNodeView({ id, data, selected }: NodeProps<ComponentNode>) {
  const { element, editable, editing, remote, mark } = data;
  const edit = useEditing();
  const resize = useResize(id);
  const info = TYPE_INFO[element.type];
  const decisions = useDecisionCount(element.id);
  // Handles show only where someone can use them: under the pointer, on the selection, or
  // while a connection drags out of this box. Otherwise they are display:none, which a big
  // board paints and hit-tests for free; React Flow re-measures them when they appear.
  const [hover, setHover] = useState(false);
  const connectingFromHere = useStore((s) => s.connection.inProgress && s.connection.fromNode.id === id);
  const showHandles = editable && (hover || selected || connectingFromHere);
  const updateInternals = useUpdateNodeInternals();
  useEffect(() => {
    if (showHandles) updateInternals(id);
  }, [showHandles, id, updateInternals]);
  const style = { "--type": info.color, ...(remote ? { "--remote": remote } : {}) } as CSSProperties;
  const classes = [
    "bs-node",
    selected ? "is-selected" : "",
    remote ? "is-remote-selected" : "",
    element.type === "external" ? "is-external" : "",
    element.replicas > 1 ? "is-replicated" : "",
  ].join(" ");
  return (
    <div
      className={classes}
      style={style}
      data-type={element.type}
      data-testid="component-node"
      data-id={element.id}
      {...markAttributes(mark)}
      onPointerEnter={editable ? () => setHover(true) : undefined}
      onPointerLeave={editable ? () => setHover(false) : undefined}
      onDoubleClick={(event) => {
        if (!editable) return;
        event.stopPropagation();
        edit.startEditing(id);
      }}
    >
      {editable && selected && !editing ? (
        <NodeResizer minWidth={96} minHeight={48} color="var(--accent)" handleClassName="bs-resize-handle" lineClassName="bs-resize-line" {...resize} />
      ) : null}
      <div className="bs-node__icon" aria-hidden="true">
        <Icon icon={info.icon} size={18} />
      </div>
      <div className="bs-node__body">
        {editing ? (
          <InlineEditor id={id} field="label" value={element.label} placeholder={`Name this ${info.name.toLowerCase()}`} />
        ) : (
          <div className={`bs-node__label${element.label ? "" : " is-empty"}`} data-testid="node-label">
            {element.label || `Untitled ${info.name.toLowerCase()}`}
          </div>
        )}
        <div className="bs-node__meta">
          {info.name}
          {element.tech ? <span className="bs-node__tech"> · {element.tech}</span> : null}
        </div>
        <NodeMarks element={element} decisions={decisions} />
      </div>
      <MarkTag mark={mark} />
      {element.credit ? (
        <span
          className={`bs-node__credit is-${element.credit}`}
          data-testid="node-credit"
          data-credit={element.credit}
          title={`Built by ${CREDIT_INFO[element.credit].label}`}
          aria-label={`Built by ${CREDIT_INFO[element.credit].label}`}
        >
          {CREDIT_INFO[element.credit].mark}
        </span>
      ) : null}
      {element.replicas > 1 ? (
        <span className="bs-node__replicas" title={`${element.replicas} replicas`}>
          ×{element.replicas}
        </span>
      ) : null}
      {SIDES.map(([handleId, position]) => (
        <Handle
          key={handleId}
          id={handleId}
          type="source"
          position={position}
          isConnectable={editable}
          className={showHandles ? "bs-handle" : "bs-handle is-idle"}
        />
      ))}
    </div>
  );
});

export const NoteNodeView = memo(function NoteNodeView({ id, data, selected }: NodeProps<NoteNode>) {
  const { element, editable, editing, remote, mark } = data;
  const edit = useEditing();
  const resize = useResize(id);
  const style = (remote ? { "--remote": remote } : {}) as CSSProperties;
  return (
    <div
      className={`bs-note${selected ? " is-selected" : ""}${remote ? " is-remote-selected" : ""}`}
      style={style}
      data-testid="note-node"
      {...markAttributes(mark)}
      onDoubleClick={(event) => {
        if (!editable) return;
        event.stopPropagation();
        edit.startEditing(id);
      }}
    >
      {editable && selected && !editing ? (
        <NodeResizer minWidth={80} minHeight={48} color="var(--accent)" handleClassName="bs-resize-handle" lineClassName="bs-resize-line" {...resize} />
      ) : null}
      {editing ? (
        <InlineEditor id={id} field="text" value={element.text} placeholder="Write a note…" multiline />
      ) : (
        <div className={`bs-note__text${element.text ? "" : " is-empty"}`} data-testid="note-text">
          {element.text || "Empty note"}
        </div>
      )}
      <MarkTag mark={mark} />
    </div>
  );
});

/**
 * A frame: a labelled region behind the boxes. Only its title tab and its rim take the pointer
 * (select, drag, double-click the title to rename); its inside lets clicks through to the boxes
 * and the canvas under it, so a frame never gets in the way of what it holds, even when selected.
 */
export const FrameNodeView = memo(function FrameNodeView({ id, data, selected }: NodeProps<FrameNode>) {
  const { element, editable, editing, remote, mark } = data;
  const edit = useEditing();
  const resize = useResize(id);
  const style = (remote ? { "--remote": remote } : {}) as CSSProperties;
  const rename = (event: React.MouseEvent) => {
    if (!editable) return;
    event.stopPropagation();
    edit.startEditing(id);
  };
  return (
    <div
      className={`bs-frame${selected ? " is-selected" : ""}${remote ? " is-remote-selected" : ""}`}
      style={style}
      data-testid="frame-node"
      data-id={element.id}
      {...markAttributes(mark)}
    >
      {editable && selected && !editing ? (
        <NodeResizer minWidth={120} minHeight={80} color="var(--accent)" handleClassName="bs-resize-handle" lineClassName="bs-resize-line" {...resize} />
      ) : null}
      {(["top", "right", "bottom", "left"] as const).map((side) => (
        <div key={side} className={`bs-frame__rim is-${side}`} aria-hidden="true" onDoubleClick={rename} />
      ))}
      <div className="bs-frame__title" onDoubleClick={rename} title={editable ? "Drag to move; double-click to rename" : undefined}>
        <Icon icon={FRAME.icon} size={13} />
        {editing ? (
          <InlineEditor id={id} field="label" value={element.label} placeholder="Name this frame" />
        ) : (
          <span className={`bs-frame__label${element.label ? "" : " is-empty"}`} data-testid="frame-label">
            {element.label || "Untitled frame"}
          </span>
        )}
      </div>
      <MarkTag mark={mark} />
    </div>
  );
});

export const nodeTypes = { component: ComponentNodeView, note: NoteNodeView, frame: FrameNodeView } satisfies NodeTypes;
