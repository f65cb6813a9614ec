import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { type Analysis, type Drill, drillOverlay } from "../drill";
import { FailureDrill, type ChallengeWriter } from "./failureDrill";
import { arrowBetween, component, harness } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const DB_DOWN: Drill = {
  failed: "db",
  failed_components: ["db"],
  lost: ["api"],
  degraded: [],
  unreachable: [],
  entry_points_cut: [],
  stores_cut: ["db"],
  single_point_of_failure: true,
  summary: "Everything stops.",
};
const analysis = (drill?: Drill): Analysis => ({ seq: 1, entry_points: [], data_stores: ["db"], spofs: [], lints: [], probes: [], ...(drill ? { drill } : {}) });

function board() {
  return harness({
    you: { participant: "ivy", name: "Ivy", role: "interviewer" },
    elements: [component("api"), component("db", { type: "database" }), arrowBetween("ad", "api", "db")],
    routes: { "GET analysis/": () => analysis(), "GET analysis/?fail=db": () => analysis(DB_DOWN) },
  });
}

describe("the failure drill", () => {
  it("fails a component: drill mode on, the analysis of it, the replay closed", async () => {
    const h = board();
    h.board.replay.openReplay();
    await h.settle();
    const result = await h.board.drill.drill("db");
    expect(result?.drill).toEqual(DB_DOWN);
    expect(h.board.core.drillStore.getSnapshot()).toMatchObject({ on: true, failed: "db" });
    expect(h.board.core.replay.isOpen).toBe(false);
  });

  it("only fails components and frames", async () => {
    const h = board();
    expect(await h.board.drill.drill("ad")).toBeNull();
    expect(h.api.calls).toEqual([]);
    expect(h.toasts()).toEqual(["Fail a component or a frame: Arrows and sticky notes cannot go down."]);
  });

  it("fails a frame: every component in it marked failed, and raised as a challenge on the whole design", async () => {
    const zone: Drill = { ...DB_DOWN, failed: "zone", failed_components: ["api", "db"], lost: [], summary: "If us-east-1 goes down…" };
    const h = harness({
      you: { participant: "ivy", name: "Ivy", role: "interviewer" },
      elements: [{ id: "zone", kind: "frame", label: "us-east-1", x: 0, y: 0, w: 480, h: 320 }, component("api", { frame: "zone" }), component("db", { frame: "zone" })],
      routes: { "GET analysis/?fail=zone": () => analysis(zone) },
    });
    expect((await h.board.drill.drill("zone"))?.drill).toEqual(zone);
    const marks = drillOverlay(zone, null);
    expect(["zone", "api", "db"].map((id) => marks.get(id)?.drill)).toEqual(["failed", "failed", "failed"]);
    const id = h.board.drill.raiseDrill();
    expect(h.board.annotations.get(id!)).toMatchObject({ target: null, kind: "failure_mode" });
    expect(h.board.annotations.get(id!)?.text).toContain("How does the design cope when us-east-1 goes down?");
  });

  it("says why when the analysis fails", async () => {
    const h = board();
    await h.board.drill.drill("api");
    expect(h.toasts()).toEqual(["The drill failed: No route for GET boards/b1/analysis/?fail=api"]);
  });

  it("toggles, and showing SPOFs turns it on", async () => {
    const h = board();
    h.board.drill.showSpofs(true);
    expect(h.board.core.drillStore.getSnapshot()).toMatchObject({ on: true, spofs: true });
    h.board.drill.toggleDrill();
    expect(h.board.core.drillStore.getSnapshot()).toMatchObject({ on: false, spofs: false });
  });

  it("raises the drill on screen as a failure-mode challenge on the failed component", async () => {
    const h = board();
    expect(h.board.drill.raiseDrill()).toBeNull();
    await h.board.drill.drill("db");
    const id = h.board.drill.raiseDrill();
    expect(h.board.annotations.get(id!)).toMatchObject({ target: "db", kind: "failure_mode", layer: "challenges" });
    expect(h.board.annotations.get(id!)?.text).toContain("Everything stops.");
  });

  it("raises a probe on its target, or on the whole design when the target is gone", () => {
    const h = board();
    const written: unknown[] = [];
    const writer: ChallengeWriter = { annotate: (input) => (written.push(input), "a-1") };
    const drill = new FailureDrill(h.board.core, writer);
    drill.raiseProbe({ target: "api", kind: "scaling", text: "At 10x?" });
    drill.raiseProbe({ target: "gone", kind: "security", text: "Auth?" });
    expect(written).toEqual([
      { target: "api", kind: "scaling", text: "At 10x?", layer: "challenges" },
      { target: null, kind: "security", text: "Auth?", layer: "challenges" },
    ]);
  });
});
