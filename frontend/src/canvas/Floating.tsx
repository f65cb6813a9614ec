// A panel next to an element on the canvas. It lives in screen space, so it stays
// readable at any zoom; it sits beside its element where it hides the least of the rest of
// the board and of the cards over it (./placement), follows it while the view pans, and never
// leaves the canvas.
// Without an element (a board-level thread, or one whose element was deleted) it docks top right.
// Until measured it is transparent, not hidden: what it holds can take focus.
import { useStore as useFlowStore } from "@xyflow/react";
import { type ReactNode, type RefObject, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import type { Elements } from "../sync";
import { anchorOf } from "./anchors";
import { useBoard, useUi } from "./context";
import type { Rect } from "./geometry";
import { MARGIN, type Obstacle, placeCard, type Point, type Size } from "./placement";
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

/** The cards and controls over the canvas that a panel should not cover either: the incident and drill
 * panels, the toolbar, the minimap, the banners; and, costing less, another floating panel already
 * open (an observation may give way to the thread being written, which is drawn over it). */
const CHROME = ".bs-incident, .bs-drill, .bs-minimap, [role=toolbar][aria-label='View and history'], .bs-banners > *, [data-testid=follow-banner]";
const FLOATING = ".bs-floating";
const FLOATING_WEIGHT = 0.25;

function sameRects(a: readonly Obstacle[], b: readonly Obstacle[]): boolean {
  return a.length === b.length && a.every((r, i) => r.x === b[i]?.x && r.y === b[i]?.y && r.w === b[i]?.w && r.h === b[i]?.h && r.weight === b[i]?.weight);
}

/** Where the canvas's cards and controls are (relative to the canvas). They do not move with the view,
 * so they are measured when the panel's element, size or the canvas changes, not on every pan. */
function useChrome(ref: RefObject<HTMLElement | null>, key: string): Obstacle[] {
  const [rects, setRects] = useState<Obstacle[]>([]);
  useLayoutEffect(() => {
    const node = ref.current;
    const stage = node?.offsetParent;
    if (!node || !stage) return;
    const origin = stage.getBoundingClientRect();
    const measure = (selector: string, weight: number) =>
      [...stage.querySelectorAll(selector)]
        .filter((c) => !node.contains(c))
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => ({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height, weight }));
    const found = [...measure(CHROME, 1), ...measure(FLOATING, FLOATING_WEIGHT)];
    setRects((old) => (sameRects(old, found) ? old : found));
  }, [ref, key]);
  return rects;
}

function place(rects: { anchor: Rect; others: Rect[] } | null, chrome: readonly Obstacle[], size: Size, area: Size): Point {
  if (!rects) return { x: Math.max(MARGIN, area.w - size.w - MARGIN * 2), y: MARGIN * 2 };
  return placeCard(rects.anchor, size, area, [...rects.others, ...chrome]);
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
  const chrome = useChrome(ref, `${target ?? ""}:${size.w}x${size.h}:${area.w}x${area.h}`);
  const { x, y } = place(rects, chrome, size, area);
  return (
    <div ref={ref} className={`bs-floating ${className}`} style={{ left: x, top: y, opacity: size.w ? 1 : 0 }}>
      {children}
    </div>
  );
}
