// A panel next to an element on the canvas. It lives in screen space, so it stays
// readable at any zoom; it sits beside its element where it hides the least of the rest of
// the board (./placement), follows it while the view pans, and never leaves the canvas.
// Without an element (a board-level thread, or one whose element was deleted) it docks top right.
// Until measured it is transparent, not hidden: what it holds can take focus.
import { useStore as useFlowStore } from "@xyflow/react";
import { type ReactNode, type RefObject, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import type { Elements } from "../sync";
import { anchorOf } from "./anchors";
import { useBoard, useUi } from "./context";
import type { Rect } from "./geometry";
import { MARGIN, placeCard, type Point, type Size } from "./placement";
import type { UiState } from "./store";

type Drags = Pick<UiState, "local" | "remote">;

/** An arrow label's rough box around its centre (flow units): 12px text, padded, at most 220px wide. */
function labelRect(x: number, y: number, label: string): Rect {
  const w = Math.min(220, label.length * 7 + 20);
  return { x: x - w / 2, y: y - 11, w, h: 22 };
}

/** What the panel should not cover, in flow coordinates: the boxes, notes and arrow labels other than
 * `target` (frames are background regions). Worked out once per board state and drag, not per pan. */
function obstaclesOf(target: string, elements: Elements, drags: Drags): Rect[] {
  const found: Rect[] = [];
  for (const e of elements.values()) {
    if (e.id === target || e.kind === "frame" || (e.kind === "arrow" && !e.label)) continue;
    const rect = anchorOf(e.id, elements, drags);
    if (rect) found.push(e.kind === "arrow" ? labelRect(rect.x, rect.y, e.label) : rect);
  }
  return found;
}

/** The element's box and the others' on screen (relative to the canvas); null when it is not on the board. */
function useScreenRects(target: string | null): { anchor: Rect; others: Rect[] } | null {
  const elements = useBoard((b) => b.elements);
  const drags = useUi(useShallow((s) => ({ local: s.local, remote: s.remote })));
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const { local, remote } = drags;
  const flow = useMemo(() => {
    if (target === null) return null;
    const anchor = anchorOf(target, elements, { local, remote });
    return anchor ? { anchor, others: obstaclesOf(target, elements, { local, remote }) } : null;
  }, [target, elements, local, remote]);
  if (!flow) return null;
  const screen = (r: Rect): Rect => ({ x: r.x * zoom + tx, y: r.y * zoom + ty, w: r.w * zoom, h: r.h * zoom });
  return { anchor: screen(flow.anchor), others: flow.others.map(screen) };
}

function place(rects: { anchor: Rect; others: Rect[] } | null, size: Size, area: Size): Point {
  if (!rects) return { x: Math.max(MARGIN, area.w - size.w - MARGIN * 2), y: MARGIN * 2 };
  return placeCard(rects.anchor, size, area, rects.others);
}

/** The panel's size, measured again whenever it changes: what it holds may grow without this re-rendering
 * (a thread opening a form), and a grown panel must still be placed inside the canvas. */
function useSize(ref: RefObject<HTMLElement | null>): { w: number; h: number } {
  const [size, setSize] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return undefined;
    const measure = () => setSize((s) => (s.w === node.offsetWidth && s.h === node.offsetHeight ? s : { w: node.offsetWidth, h: node.offsetHeight }));
    measure();
    if (typeof ResizeObserver === "undefined") return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

interface Props {
  readonly target: string | null;
  readonly className: string;
  readonly children: ReactNode;
  readonly panelRef?: RefObject<HTMLDivElement | null>;
}

export function Floating({ target, className, children, panelRef }: Props) {
  const own = useRef<HTMLDivElement>(null);
  const ref = panelRef ?? own;
  const rects = useScreenRects(target);
  const area = useFlowStore(useShallow((s) => ({ w: s.width, h: s.height })));
  const size = useSize(ref);
  const { x, y } = place(rects, size, area);
  return (
    <div ref={ref} className={`bs-floating ${className}`} style={{ left: x, top: y, opacity: size.w ? 1 : 0 }}>
      {children}
    </div>
  );
}
