// The selection toolbar: align, distribute, group and ungroup, shown above a selection of two
// or more boxes (or a group) in screen space, so it stays the same size at any zoom. It steps
// aside while the selection is being dragged or a label typed, and never leaves the canvas.
import { useStore as useFlowStore } from "@xyflow/react";
import { Group, Ungroup } from "lucide";
import { useLayoutEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { Icon } from "../ui/Icon";
import { MIN_ALIGN, MIN_DISTRIBUTE } from "./arrange";
import { ARRANGE_ACTIONS, keysOf } from "./arrangeCatalog";
import { useArranging, useBoard, useUi } from "./context";
import { groupOf, unitsOf } from "./groups";
import { bounds } from "./snap";
import { MOD } from "./Toolbar";

const GAP = 12;
const MARGIN = 8;

export function ArrangeBar() {
  const arranging = useArranging();
  const elements = useBoard((b) => b.elements);
  const { selected, busy } = useUi(useShallow((s) => ({ selected: s.selected, busy: s.local.size > 0 || s.editing !== null })));
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const area = useFlowStore(useShallow((s) => ({ w: s.width, h: s.height })));
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    const node = ref.current;
    if (node && (node.offsetWidth !== size.w || node.offsetHeight !== size.h)) setSize({ w: node.offsetWidth, h: node.offsetHeight });
  });

  const units = unitsOf(selected, elements);
  const grouped = [...units.values()].some((u) => u.members.some((id) => groupOf(elements.get(id)) !== null));
  const box = bounds([...units.values()].map((u) => u.rect));
  if (busy || !box || (units.size < MIN_ALIGN && !grouped)) return null;

  const screen = { x: box.x * zoom + tx, y: box.y * zoom + ty, w: box.w * zoom, h: box.h * zoom };
  const above = screen.y - GAP - size.h;
  const y = above >= MARGIN ? above : Math.min(screen.y + screen.h + GAP, area.h - size.h - MARGIN);
  const x = Math.max(MARGIN, Math.min(screen.x + screen.w / 2 - size.w / 2, area.w - size.w - MARGIN));
  const canGroup = units.size >= 2;

  return (
    <div
      ref={ref}
      className="bs-arrange nodrag nopan"
      role="toolbar"
      aria-label="Arrange the selection"
      data-testid="arrange-bar"
      style={{ left: x, top: y, opacity: size.w ? 1 : 0 }}
    >
      {ARRANGE_ACTIONS.map((action, i) => {
        const disabled = units.size < (action.distribute ? MIN_DISTRIBUTE : MIN_ALIGN);
        return (
          <span key={action.testId} className="bs-arrange__item">
            {i === 6 ? <span className="bs-toolbar__sep" /> : null}
            <button
              type="button"
              className="bs-icon-button"
              disabled={disabled}
              aria-label={action.name}
              title={`${action.name} (${keysOf(action)})${disabled && action.distribute ? ": select three or more" : ""}`}
              data-testid={action.testId}
              onClick={() => (action.align ? arranging.align(action.align) : action.distribute && arranging.distribute(action.distribute))}
            >
              <Icon icon={action.icon} size={16} />
            </button>
          </span>
        );
      })}
      <span className="bs-toolbar__sep" />
      {canGroup ? (
        <button type="button" className="bs-icon-button" aria-label="Group" title={`Group: move them as one (${MOD}G)`} data-testid="group" onClick={() => arranging.group()} disabled={!arranging.canGroup()}>
          <Icon icon={Group} size={16} />
        </button>
      ) : null}
      {grouped ? (
        <button type="button" className="bs-icon-button" aria-label="Ungroup" title={`Ungroup (${MOD}Shift+G)`} data-testid="ungroup" onClick={() => arranging.ungroup()}>
          <Icon icon={Ungroup} size={16} />
        </button>
      ) : null}
    </div>
  );
}
