import { describe, expect, it } from "vitest";

import { isOrphaned } from "./annotations";
import { applyLocalBatch, type Board, EMPTY_BOARD } from "./batch";
import { changesOf, History, merge, revert } from "./history";
import { applyOps, type Elements } from "./ops";
import type { CanvasOp } from "./protocol";
import { arrow, box } from "./testing";

/** Apply ops and return the undo entry they make. */
function step(state: Elements, ops: CanvasOp[] | unknown[]) {
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
    const apply = (ops: CanvasOp[]) => {
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

describe("annotations", () => {
  it("are never undone: undoing a component leaves the challenge on it, orphaned, and redo brings it back", () => {
    const ivan = { participant: "ivan", role: "interviewer" as const, mode: "interview" as const };
    const casey = { participant: "casey", role: "candidate" as const, mode: "interview" as const };
    const stamp = { at: "2026-11-23T20:31:05.123Z", head: 0 };
    let board: Board = EMPTY_BOARD;
    // Casey adds a cache and notes a failure mode on it in the same batch.
    const mine = applyLocalBatch(
      board,
      [
        { op: "add", element: box("cache", { label: "Cache" }) },
        { op: "annotate", annotation: { id: "n1", layer: "notes", target: "cache", kind: "failure_mode", text: "If it dies, we hit the DB." } },
      ],
      casey,
      stamp,
    );
    const changes = changesOf(board.elements, mine.board.elements, mine.touched);
    board = mine.board;
    // Ivan challenges it.
    const challenge = { op: "annotate", annotation: { id: "a1", layer: "challenges", target: "cache", kind: "scaling", text: "At 10×?" } };
    board = applyLocalBatch(board, [challenge], ivan, stamp).board;

    const undo = revert(changes, board.elements, "undo");
    expect(undo.ops).toEqual([{ op: "delete", id: "cache" }]);
    board = applyLocalBatch(board, undo.ops, casey, stamp).board;
    expect([...board.annotations.keys()]).toEqual(["n1", "a1"]);
    expect(isOrphaned(board.annotations.get("a1")!, board.elements)).toBe(true);

    board = applyLocalBatch(board, revert(changes, board.elements, "redo").ops, casey, stamp).board;
    expect(isOrphaned(board.annotations.get("a1")!, board.elements)).toBe(false);
  });
});
