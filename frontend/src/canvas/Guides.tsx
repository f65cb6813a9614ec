// The alignment guides of a drag in progress (./features/snapping): thin lines, in flow space
// inside the viewport, one screen pixel wide at any zoom. Gone when the drag ends.
import { useStore as useFlowStore } from "@xyflow/react";
import { useSyncExternalStore } from "react";

import { useSnapping } from "./context";

export function Guides() {
  const store = useSnapping().guides;
  const guides = useSyncExternalStore(store.subscribe, store.getState);
  const zoom = useFlowStore((s) => s.transform[2]);
  if (!guides.length) return null;
  const reach = 12 / zoom; // past both boxes a little, so the line reads as joining them
  return (
    <svg className="bs-guides" aria-hidden="true" data-testid="snap-guides" width="1" height="1">
      {guides.map((g) =>
        g.axis === "x" ? (
          <line key={`x${g.at}`} data-axis="x" data-at={g.at} x1={g.at} x2={g.at} y1={g.from - reach} y2={g.to + reach} strokeWidth={1 / zoom} />
        ) : (
          <line key={`y${g.at}`} data-axis="y" data-at={g.at} x1={g.from - reach} x2={g.to + reach} y1={g.at} y2={g.at} strokeWidth={1 / zoom} />
        ),
      )}
    </svg>
  );
}
