import { describe, expect, it } from "vitest";

import { applyServerBatch, EMPTY_BOARD } from "./batch";
import { parseFlowOp } from "./flows";
import { OpError } from "./ops";
import { frameFrom } from "./replay";
import { IDLE_SESSION } from "./interview";

const flow = (id: string, title = "Checkout") => ({ op: "flow", flow: { id, title, steps: [{ element: "api", text: "The API answers." }] } });

function refusal(raw: unknown): OpError {
  try {
    parseFlowOp(raw, "ops[0]");
  } catch (error) {
    if (error instanceof OpError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("flow ops", () => {
  it("are checked field by field with the server's paths", () => {
    expect(refusal({ op: "flow", flow: { id: "f", title: "", steps: [{ element: "api", text: "x" }] } }).path).toBe("ops[0].flow.title");
    expect(refusal({ op: "flow", flow: { id: "f", title: "T", steps: [] } }).path).toBe("ops[0].flow.steps");
    expect(refusal({ op: "flow", flow: { id: "f", title: "T", steps: [{ element: "api", text: "\u202e" }] } }).path).toBe("ops[0].flow.steps[0].text");
    expect(refusal({ op: "flow", flow: { id: "f", title: "T", steps: [{ element: 3, text: "x" }] } }).path).toBe("ops[0].flow.steps[0].element");
    expect(refusal({ op: "delete_flow", id: "a b" }).path).toBe("ops[0].id");
  });

  it("fold from stored batches: an edit keeps its place, a delete removes it", () => {
    let board = applyServerBatch(EMPTY_BOARD, [flow("a"), flow("b")], { participant: "casey", at: "", seq: 4 });
    board = applyServerBatch(board, [flow("a", "Edited")], { participant: "ivan", at: "", seq: 5 });
    expect([...(board.flows?.values() ?? [])].map((f) => [f.id, f.title, f.author, f.seq])).toEqual([
      ["a", "Edited", "ivan", 5],
      ["b", "Checkout", "casey", 4],
    ]);
    board = applyServerBatch(board, [{ op: "delete_flow", id: "a" } as { readonly op: string }], { participant: "ivan", at: "", seq: 6 });
    expect([...(board.flows?.keys() ?? [])]).toEqual(["b"]);
  });

  it("reach a replayed frame", () => {
    const stored = { id: "f", title: "T", steps: [{ element: "api", text: "x" }], author: "casey", seq: 2 };
    const frame = frameFrom({ seq: 2, at: null, elements: [], annotations: [], requirements: [], flows: [stored], session: { ...IDLE_SESSION, now: null } });
    expect(frame.flows?.get("f")).toEqual(stored);
  });
});
