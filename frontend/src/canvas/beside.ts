// A card floating over the canvas (the failure drill, the incident panel) must not hide what it
// talks about. When it covers a box or an arrow label, the board is fitted into the largest free
// area beside the card (right of it, above or below it, clear of the toolbar, the minimap and the
// banners along the top), never
// zoomed in past the current zoom. It looks again when the card changes size or `trigger` changes,
// not on every edit, so it never fights a person panning. When the card shrinks back and nobody has
// moved the view since the refit, the view from before it comes back (where it covers nothing),
// rather than leaving the board small after a section was unfolded and folded again.
import { getViewportForBounds, type Rect, useReactFlow, type Viewport } from "@xyflow/react";
import { type RefObject, useEffect, useRef } from "react";

/** A screen rectangle by its edges. */
export interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const GAP = 12;
const MIN_ZOOM = 0.15;

/** The areas of `pane` not under `card`, the chrome in `below` (toolbar, minimap) nor the banners in `above`. */
export function freeAreas(pane: Area, card: Area, below: readonly Area[], above: readonly Area[] = []): Area[] {
  const floor = Math.min(pane.bottom - 8, ...below.map((b) => b.top - 8));
  const ceiling = Math.max(pane.top + 8, ...above.map((b) => b.bottom + 8));
  return [
    { left: card.right + GAP, top: ceiling, right: pane.right - 8, bottom: floor },
    { left: pane.left + 8, top: ceiling, right: pane.right - 8, bottom: card.top - GAP },
    { left: pane.left + 8, top: card.bottom + GAP, right: pane.right - 8, bottom: floor },
  ].filter((a) => a.right - a.left > 80 && a.bottom - a.top > 80);
}

/** The viewport that shows `bounds` (flow coordinates) biggest in one of `areas`, relative to `pane`. */
export function fitBeside(bounds: Rect, pane: Area, areas: readonly Area[], maxZoom: number): Viewport | null {
  let best: Viewport | null = null;
  for (const a of areas) {
    const fit = getViewportForBounds(bounds, a.right - a.left, a.bottom - a.top, MIN_ZOOM, maxZoom, 0.04);
    if (best && fit.zoom <= best.zoom) continue;
    best = { x: fit.x + a.left - pane.left, y: fit.y + a.top - pane.top, zoom: fit.zoom };
  }
  return best && best.zoom > MIN_ZOOM ? best : null;
}

function overlaps(a: Area, b: Area): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function same(a: Viewport, b: Viewport): boolean {
  return Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.zoom - b.zoom) < 0.001;
}

/** Where `part` (on screen while the view is `now`) would be on screen under the view `then`. */
export function moved(part: Area, pane: Area, now: Viewport, then: Viewport): Area {
  const at = (screen: number, origin: number, offset: number, to: number) => origin + ((screen - origin - offset) / now.zoom) * then.zoom + to;
  return {
    left: at(part.left, pane.left, now.x, then.x),
    right: at(part.right, pane.left, now.x, then.x),
    top: at(part.top, pane.top, now.y, then.y),
    bottom: at(part.bottom, pane.top, now.y, then.y),
  };
}

/** A refit this hook made: the view before and after it, and the card's height that called for it. */
interface Refit {
  readonly before: Viewport;
  readonly after: Viewport;
  readonly height: number;
}

/** Keep the board's boxes and arrow labels out from under the card in `card`. */
export function useBoardBeside(card: RefObject<HTMLElement | null>, trigger: unknown): void {
  const flow = useReactFlow();
  const refit = useRef<Refit | null>(null);
  useEffect(() => {
    const element = card.current;
    if (!element) return;
    let frame = 0;
    const check = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const canvas = document.querySelector<HTMLElement>("[data-testid=canvas]");
        if (!canvas || !element.isConnected) return;
        const rect = element.getBoundingClientRect();
        const now = flow.getViewport();
        if (refit.current && !same(now, refit.current.after)) refit.current = null; // the person moved the view
        const parts = [...canvas.querySelectorAll(".react-flow__node, [data-testid=edge-label]")].map((p) => p.getBoundingClientRect());
        const pane = canvas.getBoundingClientRect();
        if (!parts.some((p) => overlaps(p, rect))) {
          const back = refit.current;
          if (back && rect.height < back.height && !parts.some((p) => overlaps(moved(p, pane, now, back.before), rect))) {
            refit.current = null;
            void flow.setViewport(back.before, { duration: 250 });
          }
          return;
        }
        const chrome = [...document.querySelectorAll(".bs-minimap, [role=toolbar][aria-label='View and history']")]
          .map((c) => c.getBoundingClientRect())
          .filter((c) => c.width > 0);
        // Banners across the top of the canvas (ended, replay, version, follow, a presented step).
        const banners = [...document.querySelectorAll(".bs-banners > *, [data-testid=follow-banner], [data-testid=present-caption]")]
          .map((b) => b.getBoundingClientRect())
          .filter((b) => b.height > 0 && b.top < pane.top + pane.height / 3);
        const nodes = flow.getNodes();
        if (!nodes.length) return;
        const view = fitBeside(flow.getNodesBounds(nodes), pane, freeAreas(pane, rect, chrome, banners), flow.getZoom());
        if (!view) return;
        refit.current = { before: refit.current?.before ?? now, after: view, height: rect.height };
        void flow.setViewport(view, { duration: 250 });
      });
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [card, flow, trigger]);
}
