// Arrows: the route is computed in flow.ts when an end or a box near it moves; this only draws it.
// Only the stroke takes clicks, through an invisible wider stroke along the same path; the
// label sits on the path where it covers no box (flow.ts places it).
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo } from "react";

import { useCore, useEditing } from "./context";
import { type ArrowEdge, pointsAttr } from "./flow";
import { InlineEditor } from "./InlineEditor";
import { EdgeMarks, hasEdgeMarks } from "./ResilienceMarks";

export const ArrowEdgeView = memo(function ArrowEdgeView({ id, data, selected }: EdgeProps<ArrowEdge>) {
  const core = useCore();
  const edit = useEditing();
  if (!data) return null;
  const { element, geometry, editable, editing, mark } = data;
  const async = element.style === "async";
  const diff = mark?.diff;
  return (
    <>
      <BaseEdge
        id={id}
        path={geometry.path}
        className={`bs-edge${async ? " is-async" : ""}${selected ? " is-selected" : ""}${diff ? ` is-diff-${diff}` : ""}`}
        data-diff={diff}
        data-arrow={element.id}
        data-points={pointsAttr(geometry.points)}
        markerEnd={selected ? "url(#bs-arrowhead-selected)" : "url(#bs-arrowhead)"}
        interactionWidth={18}
      />
      {element.label || editing || hasEdgeMarks(element) ? (
        <EdgeLabelRenderer>
          <div
            className={`bs-edge-label nodrag nopan${selected ? " is-selected" : ""}${async ? " is-async" : ""}${diff ? ` is-diff-${diff}` : ""}`}
            style={{ transform: `translate(-50%, -50%) translate(${geometry.labelX}px, ${geometry.labelY}px)` }}
            data-testid="edge-label"
            onClick={() => core.select([id])}
            onDoubleClick={(event) => {
              if (!editable) return;
              event.stopPropagation();
              edit.startEditing(id);
            }}
          >
            {editing ? <InlineEditor id={id} field="label" value={element.label} placeholder="Label" /> : <span className="bs-edge-label__text">{element.label}</span>}
            {editing ? null : <EdgeMarks element={element} />}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const edgeTypes = { arrow: ArrowEdgeView } satisfies EdgeTypes;
