// Level of detail: zoomed far out on a big board, one SVG draws every box and
// arrow instead of a thousand interactive DOM nodes (the same trade maps and
// design tools make). It pans and zooms with the canvas; zoom in to edit.
import { memo } from "react";

import { TYPE_INFO } from "./catalog";
import type { ArrowEdge, BoardNode } from "./flow";

/** Below this zoom, boards with at least OVERVIEW_MIN boxes switch to the overview. */
export const OVERVIEW_ZOOM = 0.4;
export const OVERVIEW_MIN = 120;

const Box = memo(function Box({ node }: { node: BoardNode }) {
  const { x, y } = node.position;
  const w = node.width ?? 0;
  const h = node.height ?? 0;
  if (node.type === "note") {
    return <rect x={x} y={y} width={w} height={h} rx={6} fill="#fef3c7" stroke="#f2c94c" strokeWidth={2} />;
  }
  if (node.type === "frame") {
    return <rect x={x} y={y} width={w} height={h} rx={12} fill="rgba(148, 163, 184, 0.08)" stroke="#94a3b8" strokeWidth={3} strokeDasharray="14 10" />;
  }
  const element = node.data.element;
  const color = TYPE_INFO[element.type].color;
  const label = element.label || TYPE_INFO[element.type].name;
  return (
    <g>
      <rect
        x={x}
        y={y}
        width={w}
        height={h}
        rx={10}
        fill={node.selected ? "#eff4ff" : "#ffffff"}
        stroke={node.selected ? "#2563eb" : "#c3ccd8"}
        strokeWidth={node.selected ? 4 : 2}
        strokeDasharray={element.type === "external" ? "10 8" : undefined}
      />
      <rect x={x + 10} y={y + h / 2 - 17} width={34} height={34} rx={8} fill={color} opacity={0.85} />
      <text x={x + 54} y={y + h / 2 + 8} fontSize={22} fontWeight={600} fill="#1e293b" className="bs-overview__label">
        {label.length > 9 ? `${label.slice(0, 8)}…` : label}
      </text>
    </g>
  );
});

const Arrow = memo(function Arrow({ edge }: { edge: ArrowEdge }) {
  if (!edge.data) return null;
  return (
    <path
      d={edge.data.geometry.path}
      fill="none"
      stroke={edge.selected ? "#2563eb" : "#8796ab"}
      strokeWidth={3}
      strokeDasharray={edge.data.element.style === "async" ? "10 8" : undefined}
    />
  );
});

export const Overview = memo(function Overview({ nodes, edges }: { nodes: BoardNode[]; edges: ArrowEdge[] }) {
  const notes = nodes.filter((n) => n.type === "note");
  const boxes = nodes.filter((n) => n.type !== "note");
  return (
    <svg className="bs-overview" width={1} height={1} aria-label="Board overview: zoom in to edit" role="img" data-testid="overview">
      {notes.map((n) => (
        <Box key={n.id} node={n} />
      ))}
      <g>
        {edges.map((e) => (
          <Arrow key={e.id} edge={e} />
        ))}
      </g>
      {boxes.map((n) => (
        <Box key={n.id} node={n} />
      ))}
    </svg>
  );
});
