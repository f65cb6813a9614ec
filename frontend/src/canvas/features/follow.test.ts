import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { OpError } from "../../sync";
import { badgesOf } from "./flows";
import { fresh, TRAIL_MS } from "./laser";
import { arrowBetween, component, harness, THEM } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const view = (extra: object = {}) => ({ type: "viewport", participant: THEM, x: 100, y: 50, zoom: 1.5, lead: false, flow: null, ...extra });

describe("following", () => {
  it("moves my view with the person I follow, and stops when I pan", () => {
    const h = harness();
    h.board.follow.follow(THEM);
    h.socket().deliver(view());
    expect(h.viewport.jumps.at(-1)).toEqual({ x: 100, y: 50, zoom: 1.5 });
    h.board.follow.userMoved();
    expect(h.board.follow.state.following).toBeNull();
    h.socket().deliver(view({ x: 900 }));
    expect(h.viewport.jumps.at(-1)?.x).toBe(100);
  });

  it("follows a leader, is not pulled back after leaving, and follows their next lead", () => {
    const h = harness();
    h.socket().deliver(view({ lead: true }));
    expect(h.board.follow.state).toMatchObject({ following: THEM, because: "lead" });
    h.board.follow.stop();
    h.socket().deliver(view({ lead: true, x: 7 }));
    expect(h.board.follow.state.following).toBeNull();
    h.socket().deliver(view({ lead: false }));
    h.socket().deliver(view({ lead: true }));
    expect(h.board.follow.state.following).toBe(THEM);
    h.socket().deliver({ type: "left", participant: THEM });
    expect(h.board.follow.state.following).toBeNull();
  });
});

describe("the laser", () => {
  it("keeps only the last second of a trail", () => {
    const trail = [
      { x: 0, y: 0, at: 0 },
      { x: 1, y: 1, at: 500 },
    ];
    expect(fresh(trail, TRAIL_MS + 100)).toEqual([{ x: 1, y: 1, at: 500 }]);
    expect(fresh(trail, 2 * TRAIL_MS)).toEqual([]);
  });

  it("shows the others' trail and forgets it when they leave", () => {
    const h = harness();
    h.socket().deliver({ type: "laser", participant: THEM, points: [{ x: 1, y: 2 }] });
    expect(h.board.laser.state.trails.get(THEM)?.length).toBe(1);
    h.socket().deliver({ type: "left", participant: THEM });
    expect(h.board.laser.state.trails.has(THEM)).toBe(false);
  });
});

describe("flows", () => {
  const board = [component("web"), component("api"), component("db"), arrowBetween("web-api", "web", "api")];

  it("number each element of a flow, twice when it passes twice", () => {
    expect(badgesOf({ steps: [{ element: "a", text: "x" }, { element: "b", text: "y" }, { element: "a", text: "z" }] })).toEqual([
      { element: "a", numbers: [1, 3] },
      { element: "b", numbers: [2] },
    ]);
  });

  it("are refused locally when a step skips an arrow, naming the step", () => {
    const h = harness({ elements: board });
    const op = { op: "flow", flow: { id: "f", title: "T", steps: ["web", "api", "db"].map((element) => ({ element, text: "x" })) } };
    const error = (() => {
      try {
        h.board.client.submit([op]);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(OpError);
    expect((error as OpError).path).toBe("ops[0].flow.steps[2].element");
  });

  it("present mode leads everyone with the step, and stops leading on exit", () => {
    const h = harness({ elements: board });
    h.board.client.submit([{ op: "flow", flow: { id: "f", title: "T", steps: [{ element: "web", text: "a" }, { element: "api", text: "b" }] } }]);
    h.board.flows.present("f");
    expect(h.board.follow.state).toMatchObject({ leading: true, presenting: { id: "f", step: 0 } });
    h.board.flows.next();
    h.board.flows.next();
    expect(h.board.flows.state.presenting).toEqual({ id: "f", step: 1 });
    h.board.flows.stopPresenting();
    expect(h.board.follow.state.leading).toBe(false);
  });
});
