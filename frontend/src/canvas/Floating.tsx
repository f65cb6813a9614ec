// A panel next to an element on the canvas. It lives in screen space, so it stays
// readable at any zoom; it sits beside its element where there is room, follows it
// while the view pans, and never leaves the canvas. Without an element (a
// board-level thread, or one whose element was deleted) it docks top right.
// Until measured it is transparent, not hidden: what it holds can take focus.
import { useStore as useFlowStore } from "@xyflow/react";
import { type ReactNode, type RefObject, useLayoutEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { anchorOf } from "./anchors";
import { useBoard, useUi } from "./context";
import type { Rect } from "./geometry";

const GAP = 14;
const MARGIN = 10;

/** The element's box on screen (relative to the canvas), or null when it is not on the board. */
function useScreenRect(target: string | null): Rect | null {
  const elements = useBoard((b) => b.elements);
  const drags = useUi(useShallow((s) => ({ local: s.local, remote: s.remote })));
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const rect = target === null ? null : anchorOf(target, elements, drags);
  if (!rect) return null;
  return { x: rect.x * zoom + tx, y: rect.y * zoom + ty, w: rect.w * zoom, h: rect.h * zoom };
}

function place(anchor: Rect | null, size: { w: number; h: number }, area: { w: number; h: number }): { x: number; y: number } {
  const clampY = (y: number) => Math.max(MARGIN, Math.min(y, area.h - size.h - MARGIN));
  if (!anchor) return { x: Math.max(MARGIN, area.w - size.w - MARGIN * 2), y: MARGIN * 2 };
  let x = anchor.x + anchor.w + GAP;
  if (x + size.w > area.w - MARGIN) x = anchor.x - GAP - size.w; // no room on the right: the left
  if (x < MARGIN) x = Math.max(MARGIN, Math.min(anchor.x, area.w - size.w - MARGIN)); // neither: over it
  return { x, y: clampY(anchor.y - 6) };
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
  const anchor = useScreenRect(target);
  const area = useFlowStore(useShallow((s) => ({ w: s.width, h: s.height })));
  const size = useSize(ref);
  const { x, y } = place(anchor, size, area);
  return (
    <div ref={ref} className={`bs-floating ${className}`} style={{ left: x, top: y, opacity: size.w ? 1 : 0 }}>
      {children}
    </div>
  );
}
