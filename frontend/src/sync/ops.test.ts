import { describe, expect, it } from "vitest";

import { applyOps, fold, OpError, parseElement } from "./ops";
import { arrow, box } from "./testing";

const empty = new Map();

function error(fn: () => unknown): OpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OpError) return e;
    throw e;
  }
  throw new Error("expected an OpError");
}

describe("parseElement (the server's rules)", () => {
  it("fills defaults and normalises text to NFC", () => {
    expect(parseElement({ id: "a", kind: "component", type: "cache", x: 1, y: 2, label: "Cafe\u0301" })).toEqual({
      id: "a",
      kind: "component",
      type: "cache",
      x: 1,
      y: 2,
      label: "Caf\u00e9",
      w: 160,
      h: 72,
      tech: "",
      replicas: 1,
      notes: "",
    });
    expect(parseElement({ id: "n", kind: "note", x: 0, y: 0 })).toMatchObject({ text: "", w: 200, h: 120 });
    expect(parseElement(arrow("e", "a", "b"))).toMatchObject({ label: "", style: "sync" });
  });

  it.each([
    [{ id: "a b", kind: "note", x: 0, y: 0 }, "validation_error", "element.id"],
    [{ id: "a", kind: "box", x: 0, y: 0 }, "validation_error", "element.kind"],
    [{ id: "a", kind: "component", type: "service", x: 0 }, "validation_error", "element.y"],
    [{ id: "a", kind: "component", type: "mainframe", x: 0, y: 0 }, "validation_error", "element.type"],
    [{ id: "a", kind: "component", type: "service", x: 2e6, y: 0 }, "validation_error", "element.x"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, w: 0 }, "validation_error", "element.w"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, replicas: 1.5 }, "validation_error", "element.replicas"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, label: "x".repeat(201) }, "validation_error", "element.label"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, label: "\u202Eevil" }, "validation_error", "element.label"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, label: "\uD800" }, "validation_error", "element.label"],
    [{ id: "a", kind: "component", type: "service", x: 0, y: 0, colour: "red" }, "validation_error", "element.colour"],
    [{ id: "a", kind: "arrow", source: "b", target: "b" }, "validation_error", "element.target"],
  ])("refuses %j", (raw, code, path) => {
    const e = error(() => parseElement(raw));
    expect([e.code, e.path]).toEqual([code, path]);
  });

  it("counts text length in code points, like Python", () => {
    expect(() => parseElement({ id: "a", kind: "note", x: 0, y: 0, text: "😀".repeat(4000) })).not.toThrow();
  });
});

describe("applyOps", () => {
  it("applies in order, each op seeing the ones before it", () => {
    const { state } = applyOps(empty, [
      { op: "add", element: box("a") },
      { op: "add", element: box("b") },
      { op: "add", element: arrow("ab", "a", "b") },
      { op: "update", id: "a", props: { label: "A" } },
    ]);
    expect([...state.keys()]).toEqual(["a", "b", "ab"]);
    expect(state.get("a")).toMatchObject({ label: "A" });
  });

  it("is all or nothing and never mutates its input", () => {
    const start = applyOps(empty, [{ op: "add", element: box("a") }]).state;
    const e = error(() => applyOps(start, [{ op: "update", id: "a", props: { x: 5 } }, { op: "delete", id: "zz" }]));
    expect([e.code, e.path]).toEqual(["unknown_ref", "ops[1].id"]);
    expect(start.get("a")).toMatchObject({ x: 0 });
  });

  it("writes out the arrows a component delete takes with it, sorted, before the component", () => {
    const start = applyOps(empty, [
      { op: "add", element: box("a") },
      { op: "add", element: box("b") },
      { op: "add", element: arrow("z", "a", "b") },
      { op: "add", element: arrow("m", "b", "a") },
    ]).state;
    const applied = applyOps(start, [{ op: "delete", id: "a" }]);
    expect(applied.ops).toEqual([
      { op: "delete", id: "m" },
      { op: "delete", id: "z" },
      { op: "delete", id: "a" },
    ]);
    expect([...applied.state.keys()]).toEqual(["b"]);
  });

  it("refuses duplicates, arrows to notes, and properties of another kind", () => {
    const start = applyOps(empty, [
      { op: "add", element: box("a") },
      { op: "add", element: { id: "n", kind: "note", x: 0, y: 0 } },
    ]).state;
    expect(error(() => applyOps(start, [{ op: "add", element: box("a") }])).code).toBe("duplicate_id");
    expect(error(() => applyOps(start, [{ op: "add", element: arrow("e", "a", "n") }])).code).toBe("unknown_ref");
    expect(error(() => applyOps(start, [{ op: "update", id: "n", props: { label: "x" } }])).path).toBe("ops[0].props.label");
    expect(error(() => applyOps(start, [{ op: "update", id: "a", props: { id: "b" } }])).path).toBe("ops[0].props.id");
    expect(error(() => applyOps(start, [{ op: "paint", id: "a" }])).code).toBe("unknown_op");
  });

  it("re-uses a deleted id (undoing a delete re-adds the same element)", () => {
    const state = fold([[{ op: "add", element: box("a") }], [{ op: "delete", id: "a" }], [{ op: "add", element: box("a") }]]);
    expect([...state.keys()]).toEqual(["a"]);
  });

  it("caps a batch at 500 ops", () => {
    const ops = Array.from({ length: 501 }, (_, i) => ({ op: "add", element: box(`n${i}`) }));
    expect(error(() => applyOps(empty, ops)).code).toBe("too_large");
  });
});
