// Where annotations pin to an element: a box's rectangle, or an arrow's label point,
// following drags in progress so a badge moves with its box.
import type { Elements } from "../sync";
import { liveRect } from "./flow";
import { arrowPath, type Rect } from "./geometry";
import type { UiState } from "./store";

type Drags = Pick<UiState, "local" | "remote">;

export function anchorOf(id: string, elements: Elements, drags: Drags): Rect | null {
  const element = elements.get(id);
  if (!element) return null;
  if (element.kind !== "arrow") return liveRect(element, drags.local.get(id), drags.remote.get(id));
  const source = elements.get(element.source);
  const target = elements.get(element.target);
  if (!source || !target || source.kind === "arrow" || target.kind === "arrow") return null;
  const path = arrowPath(
    liveRect(source, drags.local.get(source.id), drags.remote.get(source.id)),
    liveRect(target, drags.local.get(target.id), drags.remote.get(target.id)),
  );
  return { x: path.labelX, y: path.labelY, w: 0, h: 0 };
}
