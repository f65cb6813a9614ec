import { describe, expect, it } from "vitest";

import type { Rect } from "./geometry";
import { MARGIN, placeCard, type Point, type Size } from "./placement";

const canvas = { w: 1000, h: 700 };
const card = { w: 300, h: 160 };

function overlaps(at: Point, size: Size, r: Rect): boolean {
  return at.x < r.x + r.w && r.x < at.x + size.w && at.y < r.y + r.h && r.y < at.y + size.h;
}

describe("placeCard", () => {
  it("goes right of its element when the right is free", () => {
    const anchor = { x: 100, y: 200, w: 160, h: 60 };
    const at = placeCard(anchor, card, canvas, [{ x: 100, y: 400, w: 160, h: 60 }]);
    expect(at.x).toBeGreaterThanOrEqual(anchor.x + anchor.w);
    expect(at.y).toBeLessThanOrEqual(anchor.y);
  });

  it("goes below an element at the right edge when a box is on its left", () => {
    const anchor = { x: 800, y: 150, w: 160, h: 60 };
    const left = { x: 520, y: 140, w: 160, h: 80 };
    const at = placeCard(anchor, card, canvas, [left]);
    expect(at.y).toBeGreaterThanOrEqual(anchor.y + anchor.h);
    expect(overlaps(at, card, left)).toBe(false);
    expect(overlaps(at, card, anchor)).toBe(false);
    expect(at.x + card.w).toBeLessThanOrEqual(canvas.w - MARGIN);
  });

  it("covers as little as it can when nothing is free", () => {
    const anchor = { x: 400, y: 300, w: 160, h: 60 };
    // Boxes right, left and above, each larger where a card beside it would go; below is only grazed.
    const others = [
      { x: 580, y: 250, w: 400, h: 160 },
      { x: 20, y: 250, w: 360, h: 160 },
      { x: 250, y: 20, w: 500, h: 250 },
    ];
    const at = placeCard(anchor, card, canvas, others);
    expect(at.y).toBeGreaterThanOrEqual(anchor.y + anchor.h);
    expect(overlaps(at, card, anchor)).toBe(false);
  });

  it("never sits over its element while any spot avoids it, however crowded the rest", () => {
    // A small canvas: only above fits beside the element; it is full of boxes, the element's spot is not.
    const small = { w: 400, h: 400 };
    const anchor = { x: 20, y: 230, w: 360, h: 150 };
    const crowd = [{ x: 0, y: 0, w: 400, h: 220 }];
    const at = placeCard(anchor, { w: 300, h: 180 }, small, crowd);
    expect(overlaps(at, { w: 300, h: 180 }, anchor)).toBe(false);
  });

  it("moves further off when every spot next to its element covers something", () => {
    const anchor = { x: 400, y: 450, w: 160, h: 60 };
    // Boxes hug the element on every side; the top of the canvas is free.
    const others = [
      { x: 580, y: 330, w: 410, h: 360 },
      { x: 10, y: 330, w: 370, h: 360 },
      { x: 380, y: 340, w: 200, h: 90 },
      { x: 380, y: 530, w: 200, h: 160 },
    ];
    const at = placeCard(anchor, card, canvas, others);
    for (const other of others) expect(overlaps(at, card, other)).toBe(false);
    expect(overlaps(at, card, anchor)).toBe(false);
  });

  it("covers what costs less when it must cover something", () => {
    const anchor = { x: 400, y: 300, w: 160, h: 60 };
    const canvasTight = { w: 900, h: 520 };
    // The right and the left are both taken by boxes of the same size; the left one is a card that costs less.
    const right = { x: 570, y: 200, w: 320, h: 300 };
    const left = { x: 10, y: 200, w: 380, h: 300, weight: 0.25 };
    const above = { x: 200, y: 10, w: 600, h: 280 };
    const below = { x: 200, y: 370, w: 600, h: 140 };
    const at = placeCard(anchor, card, canvasTight, [right, left, above, below]);
    expect(at.x + card.w).toBeLessThanOrEqual(anchor.x);
  });

  it("stays off an arrow's label, whose anchor is a point", () => {
    const label = { x: 500, y: 300, w: 0, h: 0 };
    const at = placeCard(label, card, canvas, []);
    expect(overlaps(at, card, { x: 490, y: 290, w: 20, h: 20 })).toBe(false);
  });

  it("keeps the card inside the canvas", () => {
    const anchor = { x: 900, y: 650, w: 90, h: 40 };
    const at = placeCard(anchor, card, canvas, []);
    expect(at.x).toBeGreaterThanOrEqual(MARGIN);
    expect(at.y).toBeGreaterThanOrEqual(MARGIN);
    expect(at.x + card.w).toBeLessThanOrEqual(canvas.w - MARGIN);
    expect(at.y + card.h).toBeLessThanOrEqual(canvas.h - MARGIN);
  });
});
