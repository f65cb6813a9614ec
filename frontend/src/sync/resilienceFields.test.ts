import { describe, expect, it } from "vitest";

import { applyOps, elementsFrom, OpError } from "./ops";
import type { Element } from "./protocol";

const BOARD = elementsFrom([
  { id: "api", kind: "component", type: "service", label: "", x: 0, y: 0, w: 160, h: 72, tech: "", replicas: 1, notes: "" },
  { id: "q", kind: "component", type: "queue", label: "", x: 0, y: 0, w: 160, h: 72, tech: "", replicas: 1, notes: "", dead_letter: true },
  { id: "a", kind: "arrow", source: "api", target: "q", label: "", style: "sync" },
] as Element[]);

function refused(ops: unknown[]): [string, string | undefined] {
  try {
    applyOps(BOARD, ops);
  } catch (error) {
    if (error instanceof OpError) return [error.code, error.path];
    throw error;
  }
  throw new Error("accepted");
}

describe("the unhappy path's fields, as the server checks them", () => {
  it("keeps a timeout, retries and idempotence on an arrow; null clears the timeout", () => {
    const state = applyOps(BOARD, [{ op: "update", id: "a", props: { timeout_ms: 800, retries: 3, idempotent: false } }]).state;
    expect(state.get("a")).toMatchObject({ timeout_ms: 800, retries: 3, idempotent: false });
    expect(applyOps(state, [{ op: "update", id: "a", props: { timeout_ms: null } }]).state.get("a")).toMatchObject({ timeout_ms: null });
  });

  it.each([
    [{ timeout_ms: 0 }, "ops[0].props.timeout_ms"],
    [{ timeout_ms: 1.5 }, "ops[0].props.timeout_ms"],
    [{ timeout_ms: 3600001 }, "ops[0].props.timeout_ms"],
    [{ retries: 11 }, "ops[0].props.retries"],
    [{ retries: -1 }, "ops[0].props.retries"],
    [{ idempotent: "yes" }, "ops[0].props.idempotent"],
  ])("refuses %o on an arrow at its path", (props, path) => {
    expect(refused([{ op: "update", id: "a", props }])).toEqual(["validation_error", path]);
  });

  it("allows a dead letter only on a queue and a backup only on a data store", () => {
    expect(refused([{ op: "update", id: "api", props: { dead_letter: true } }])).toEqual(["validation_error", "ops[0].props.dead_letter"]);
    expect(refused([{ op: "update", id: "api", props: { backup: true } }])).toEqual(["validation_error", "ops[0].props.backup"]);
    expect(refused([{ op: "update", id: "q", props: { type: "service" } }])).toEqual(["validation_error", "ops[0].props.type"]);
    const changed = applyOps(BOARD, [{ op: "update", id: "q", props: { type: "service", dead_letter: false } }]).state;
    expect(changed.get("q")).toMatchObject({ type: "service", dead_letter: false });
  });

  it("takes a familiarity from the vocabulary, or empty to clear it", () => {
    expect(applyOps(BOARD, [{ op: "update", id: "api", props: { familiarity: "unknown" } }]).state.get("api")).toMatchObject({ familiarity: "unknown" });
    expect(refused([{ op: "update", id: "api", props: { familiarity: "guru" } }])).toEqual(["validation_error", "ops[0].props.familiarity"]);
  });
});
