import { describe, expect, it } from "vitest";

import { changesOf, History, merge, revert } from "./history";
import { applyOps, type Elements } from "./ops";
import type { Op } from "./protocol";
import { arrow, box } from "./testing";

/** Apply ops and return the undo entry they make. */
function step(state: Elements, ops: Op[] | unknown[]) {
  const applied = applyOps(state, ops);
  return { state: applied.state, changes: changesOf(state, applied.state, applied.touched) };
}

describe("revert", () => {
  it("undoes my add with a delete, and redoes it with the same element", () => {
    const mine = step(new Map(), [{ op: "add", element: box("a", { label: "A" }) }]);
    const undo = revert(mine.changes, mine.state, "undo");
    expect(undo.ops).toEqual([{ op: "delete", id: "a" }]);
    const after = applyOps(mine.state, undo.ops).state;
    expect(revert(mine.changes, after, "redo").ops).toEqual([{ op: "add", element: mine.state.get("a") }]);
  });

  it("restores only the properties that still hold my values", () => {
    const start = applyOps(new Map(), [{ op: "add", element: box("a", { label: "A", x: 0 }) }]).state;
    const mine = step(start, [{ op: "update", id: "a", props: { label: "Mine", x: 100 } }]);
    // Someone else moved it after me: undoing my change must not move it back.
    const theirs = applyOps(mine.state, [{ op: "update", id: "a", props: { x: 500 } }]).state;
    expect(revert(mine.changes, theirs, "undo").ops).toEqual([{ op: "update", id: "a", props: { label: "A" } }]);
  });

  it("does nothing when others have since changed everything I changed", () => {
    const start = applyOps(new Map(), [{ op: "add", element: box("a") }]).state;
    const mine = step(start, [{ op: "update", id: "a", props: { label: "Mine" } }]);
    const theirs = applyOps(mine.state, [{ op: "update", id: "a", props: { label: "Theirs" } }]).state;
    expect(revert(mine.changes, theirs, "undo").ops).toEqual([]);
  });

  it("re-adds what I deleted, components before their arrows", () => {
    const start = applyOps(new Map(), [
      { op: "add", element: box("a") },
      { op: "add", element: box("b") },
      { op: "add", element: arrow("ab", "a", "b") },
    ]).state;
    const mine = step(start, [{ op: "delete", id: "a" }]);
    const undo = revert(mine.changes, mine.state, "undo");
    expect(undo.ops.map((op) => (op.op === "add" ? op.element.id : op.op))).toEqual(["a", "ab"]);
    expect(applyOps(mine.state, undo.ops).state).toEqual(start);
  });

  it("refuses to undo an add that someone else has since connected to", () => {
    const mine = step(new Map(), [{ op: "add", element: box("a", { label: "Cache" }) }]);
    const theirs = applyOps(mine.state, [
      { op: "add", element: box("b") },
      { op: "add", element: arrow("ba", "b", "a") },
    ]).state;
    const undo = revert(mine.changes, theirs, "undo");
    expect(undo.ops).toEqual([]);
    expect(undo.blocked).toMatch(/“Cache”.*connected/);
  });

  it("leaves out an arrow whose end someone else deleted", () => {
    const start = applyOps(new Map(), [
      { op: "add", element: box("a") },
      { op: "add", element: box("b") },
    ]).state;
    const mine = step(start, [{ op: "add", element: arrow("ab", "a", "b") }]);
    const undone = applyOps(mine.state, revert(mine.changes, mine.state, "undo").ops).state;
    const theirs = applyOps(undone, [{ op: "delete", id: "b" }]).state;
    expect(revert(mine.changes, theirs, "redo").ops).toEqual([]);
  });
});

describe("History", () => {
  const entry = (id: string, key?: string) => ({
    changes: new Map([[id, { before: null, after: box(id) as never }]]),
    batchIds: [id],
    ...(key ? { key } : {}),
  });

  it("merges consecutive entries with the same key (typing into one field)", () => {
    const history = new History();
    history.record(entry("a", "label:a"));
    history.record(entry("b", "label:a"));
    history.record(entry("c"));
    expect(history.takeUndo()?.batchIds).toEqual(["c"]);
    expect(history.takeUndo()?.batchIds).toEqual(["a", "b"]);
    expect(history.canUndo).toBe(false);
  });

  it("keeps the first before and the last after when merging", () => {
    const first = { changes: new Map([["a", { before: null, after: box("a", { label: "1" }) as never }]]), batchIds: ["1"] };
    const second = {
      changes: new Map([["a", { before: box("a", { label: "1" }) as never, after: box("a", { label: "2" }) as never }]]),
      batchIds: ["2"],
    };
    expect(merge(first, second).changes.get("a")).toEqual({ before: null, after: box("a", { label: "2" }) });
  });

  it("drops redo on a new change and forgets refused batches", () => {
    const history = new History();
    history.record(entry("a"));
    history.pushRedo(entry("b"));
    history.record(entry("c"));
    expect(history.canRedo).toBe(false);
    history.forget("c");
    expect(history.takeUndo()?.batchIds).toEqual(["a"]);
  });
});

describe("undo, redo, undo again", () => {
  it("each stack holds batches that happened, and stepping always reverts one", () => {
    const history = new History();
    let state: Elements = new Map();
    const apply = (ops: Op[]) => {
      const applied = applyOps(state, ops);
      const changes = changesOf(state, applied.state, applied.touched);
      state = applied.state;
      return changes;
    };
    history.record({ changes: apply([{ op: "add", element: box("a", { label: "A" }) }]), batchIds: ["1"], key: "new:a" });
    history.record({ changes: apply([{ op: "update", id: "a", props: { label: "AA" } }]), batchIds: ["2"], key: "new:a" });
    expect(history.topKey).toBe("new:a");

    const undo = history.takeUndo()!;
    history.pushRedo({ changes: apply(revert(undo.changes, state, "undo").ops), batchIds: ["3"] });
    expect(state.size).toBe(0); // the add and its first label were one step

    const redo = history.takeRedo()!;
    history.pushUndo({ changes: apply(revert(redo.changes, state, "undo").ops), batchIds: ["4"] });
    expect(state.get("a")).toMatchObject({ label: "AA" });

    const again = history.takeUndo()!;
    apply(revert(again.changes, state, "undo").ops);
    expect(state.size).toBe(0);
  });
});
