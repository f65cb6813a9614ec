import { describe, expect, it } from "vitest";

import { fitBeside, freeAreas, moved } from "./beside";

const pane = { left: 200, top: 50, right: 960, bottom: 800 };
const card = { left: 208, top: 450, right: 496, bottom: 734 };
const toolbar = { left: 210, top: 744, right: 900, bottom: 786 };
const banner = { left: 306, top: 64, right: 850, bottom: 112 };

describe("freeAreas", () => {
  it("leaves out the card, the chrome below and the banners above", () => {
    const areas = freeAreas(pane, card, [toolbar], [banner]);
    for (const a of areas) {
      expect(a.top).toBeGreaterThanOrEqual(banner.bottom);
      expect(a.bottom).toBeLessThanOrEqual(toolbar.top);
      const apart = a.left >= card.right || a.bottom <= card.top || a.top >= card.bottom;
      expect(apart).toBe(true);
    }
  });
});

describe("fitBeside", () => {
  it("shows a wide board above a low card, never zoomed in past the current zoom", () => {
    const bounds = { x: 0, y: 0, width: 1200, height: 400 };
    const view = fitBeside(bounds, pane, freeAreas(pane, card, [toolbar], [banner]), 0.56);
    expect(view).not.toBeNull();
    expect(view!.zoom).toBeLessThanOrEqual(0.56);
    const top = pane.top + view!.y;
    const bottom = top + bounds.height * view!.zoom;
    expect(top).toBeGreaterThanOrEqual(banner.bottom);
    expect(bottom).toBeLessThanOrEqual(card.top);
  });

  it("gives up rather than shrink the board to nothing", () => {
    const tiny = { left: 200, top: 50, right: 400, bottom: 200 };
    expect(fitBeside({ x: 0, y: 0, width: 5000, height: 5000 }, tiny, freeAreas(tiny, { ...tiny, right: 390 }, []), 1)).toBeNull();
  });
});

describe("moved", () => {
  it("puts a box where another view would show it", () => {
    const part = { left: 260, right: 310, top: 95, bottom: 120 }; // flow (100, 50) to (200, 100)
    const there = moved(part, pane, { x: 10, y: 20, zoom: 0.5 }, { x: -30, y: 5, zoom: 1 });
    expect(there).toEqual({ left: 270, right: 370, top: 105, bottom: 155 });
  });
});
