// Where annotations pin to an element: a box's rectangle, or an arrow's label point,
// following drags in progress so a badge moves with its box.
import type { ArrowElement, Elements } from "../sync";
import { liveRect } from "./flow";
import type { Rect } from "./geometry";
import { assignEnds, type BoardArrow, type Ends, placeLabel, route } from "./routing";
import type { UiState } from "./store";

type Drags = Pick<UiState, "local" | "remote">;

interface Layout {
  readonly elements: Elements;
  readonly local: Drags["local"];
  readonly remote: Drags["remote"];
  readonly rects: Map<string, Rect>;
  readonly ends: Map<string, Ends>;
}

let last: Layout | null = null;

/** The boxes where they are now and every arrow's sides, computed once per board state and drag. */
function layout(elements: Elements, drags: Drags): Layout {
  if (last && last.elements === elements && last.local === drags.local && last.remote === drags.remote) return last;
  const rects = new Map<string, Rect>();
  const arrows: ArrowElement[] = [];
  for (const e of elements.values()) {
    if (e.kind === "arrow") arrows.push(e);
    else rects.set(e.id, liveRect(e, drags.local.get(e.id), drags.remote.get(e.id)));
  }
  last = { elements, local: drags.local, remote: drags.remote, rects, ends: assignEnds(rects, arrows as readonly BoardArrow[]) };
  return last;
}

export function anchorOf(id: string, elements: Elements, drags: Drags): Rect | null {
  const element = elements.get(id);
  if (!element) return null;
  if (element.kind !== "arrow") return liveRect(element, drags.local.get(id), drags.remote.get(id));
  const { rects, ends } = layout(elements, drags);
  const source = rects.get(element.source);
  const target = rects.get(element.target);
  const end = ends.get(element.id);
  if (!source || !target || !end || elements.get(element.source)?.kind !== "component") return null;
  const others = [...rects].filter(([k]) => k !== element.source && k !== element.target).map(([, r]) => r);
  const { points } = route({ source, target, ...end }, others);
  // Where its label sits (ignoring other labels, which may have pushed it along a little).
  const [x, y] = placeLabel(points, element.label || " ", rects.values(), []);
  return { x, y, w: 0, h: 0 };
}
