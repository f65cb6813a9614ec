import { describe, expect, it } from "vitest";

import {
  type Actor,
  annotationsFrom,
  applyAnnotationOps,
  changesSince,
  defaultLayer,
  isOrphaned,
  isOutdated,
  isUnanswered,
  layersFor,
  SNAPSHOT_FIELDS,
  snapshotOf,
} from "./annotations";
import { applyLocalBatch, applyServerBatch, type Board, EMPTY_BOARD } from "./batch";
import { applyOps, OpError } from "./ops";
import type { Annotation, Layer, Role, StoredOp } from "./protocol";
import { arrow, box } from "./testing";

const AT = "2026-11-23T20:31:05.123Z";
const LATER = "2026-11-23T20:35:00.000Z";

const who = (role: Role, participant: string = role, mode: Actor["mode"] = "interview"): Actor => ({ participant, role, mode });
const ivan = who("interviewer", "ivan");
const casey = who("candidate", "casey");
const rita = who("reviewer", "rita");
const olga = who("owner", "olga");
const otto = who("observer", "otto");

function start(): Board {
  const elements = applyOps(new Map(), [
    { op: "add", element: box("api", { label: "API" }) },
    { op: "add", element: box("db", { label: "DB", type: "database" }) },
    { op: "add", element: arrow("api-db", "api", "db") },
    { op: "add", element: { id: "memo", kind: "note", x: 0, y: 0 } },
  ]).state;
  return { ...EMPTY_BOARD, elements };
}

/** Apply a local batch, or return the OpError the server would answer with. */
function run(board: Board, actor: Actor, ops: unknown[], head = 7, at = AT) {
  return applyLocalBatch(board, ops, actor, { at, head });
}

function refusal(board: Board, actor: Actor, ops: unknown[]): { code: string; path?: string } {
  try {
    run(board, actor, ops);
  } catch (error) {
    if (error instanceof OpError) return { code: error.code, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  throw new Error("accepted");
}

const challenge = (id = "a1", target: string | null = "api", layer: Layer = "challenges") => ({
  op: "annotate",
  annotation: { id, layer, target, kind: "failure_mode", text: "What happens when API goes down?" },
});

function raised(actor: Actor = ivan, ops: unknown[] = [challenge()]): Board {
  return run(start(), actor, ops).board;
}

const get = (board: Board, id = "a1"): Annotation => {
  const annotation = board.annotations.get(id);
  if (!annotation) throw new Error(`no annotation ${id}`);
  return annotation;
};

describe("annotate", () => {
  it("creates an open annotation stamped like the server: author, snapshot, raised_seq, prompted", () => {
    const applied = run(start(), ivan, [challenge()], 7);
    expect(applied.stream).toBe("public");
    expect(applied.ops).toEqual([
      {
        op: "annotate",
        annotation: {
          id: "a1",
          layer: "challenges",
          target: "api",
          kind: "failure_mode",
          text: "What happens when API goes down?",
          prompted: true,
          snapshot: { kind: "component", type: "service", label: "API", tech: "", replicas: 1, notes: "" },
          raised_seq: 8,
        },
      },
    ]);
    expect(get(applied.board)).toMatchObject({
      author: "ivan",
      status: "open",
      answered_seq: null,
      created_at: AT,
      updated_at: AT,
      replies: [],
    });
  });

  it("records an arrow's meaning, and nothing for a board-level annotation", () => {
    const board = run(start(), ivan, [challenge("a1", "api-db"), challenge("a2", null)]).board;
    expect(get(board, "a1").snapshot).toEqual({ kind: "arrow", source: "api", target: "db", label: "", style: "sync" });
    expect(get(board, "a2").snapshot).toBeNull();
  });

  it("is unprompted outside the challenges layer, and stamps a private batch with the public head", () => {
    const note = run(start(), casey, [challenge("n1", "api", "notes")]);
    expect(get(note.board, "n1").prompted).toBe(false);
    const hint = run(start(), ivan, [challenge("p-h1", "api", "private")], 7);
    expect(hint.stream).toBe("private");
    expect(get(hint.board, "p-h1")).toMatchObject({ prompted: false, raised_seq: 7 });
  });

  it("refuses a missing target, a sticky note, a used id, and fields the server stamps", () => {
    expect(refusal(start(), ivan, [challenge("a1", "ghost")])).toEqual({ code: "unknown_ref", path: "ops[0].annotation.target" });
    expect(refusal(start(), ivan, [challenge("a1", "memo")])).toEqual({ code: "validation_error", path: "ops[0].annotation.target" });
    expect(refusal(raised(), ivan, [challenge()])).toEqual({ code: "duplicate_id", path: "ops[0].annotation.id" });
    const stamped = { op: "annotate", annotation: { ...challenge().annotation, prompted: true } };
    expect(refusal(start(), ivan, [stamped])).toEqual({ code: "validation_error", path: "ops[0].annotation.prompted" });
  });

  it("normalises text to NFC and refuses empty or blank text", () => {
    const op = { op: "annotate", annotation: { ...challenge().annotation, text: "Cafe\u0301?" } };
    expect(get(run(start(), ivan, [op]).board).text).toBe("Café?");
    for (const text of ["", "  \n "]) {
      const empty = { op: "annotate", annotation: { ...challenge().annotation, text } };
      expect(refusal(start(), ivan, [empty])).toEqual({ code: "validation_error", path: "ops[0].annotation.text" });
    }
  });

  it("takes a missing target for the whole board", () => {
    const { target: _, ...rest } = challenge().annotation;
    expect(get(run(start(), ivan, [{ op: "annotate", annotation: rest }]).board)).toMatchObject({ target: null, snapshot: null });
  });

  it("keeps private ids and only private ids starting with p-", () => {
    expect(refusal(start(), ivan, [challenge("p-a1")])).toMatchObject({ code: "validation_error", path: "ops[0].annotation.id" });
    expect(refusal(start(), ivan, [challenge("h1", "api", "private")])).toMatchObject({ code: "validation_error" });
  });
});

describe("who may do what", () => {
  const table: [Role, Layer, boolean][] = [
    ["owner", "challenges", true],
    ["interviewer", "challenges", true],
    ["candidate", "challenges", false],
    ["reviewer", "challenges", true],
    ["observer", "challenges", false],
    ["owner", "notes", true],
    ["interviewer", "notes", false],
    ["candidate", "notes", true],
    ["reviewer", "notes", false],
    ["observer", "notes", false],
    ["owner", "private", true],
    ["interviewer", "private", true],
    ["candidate", "private", false],
    ["reviewer", "private", false],
    ["observer", "private", false],
  ];
  it.each(table)("%s annotating in %s: %s", (role, layer, allowed) => {
    const op = challenge(layer === "private" ? "p-x" : "x", "api", layer);
    if (allowed) expect(get(run(start(), who(role), [op]).board, op.annotation.id).layer).toBe(layer);
    else expect(refusal(start(), who(role), [op]).code).toBe("forbidden");
    expect(layersFor(role).includes(layer)).toBe(allowed);
  });

  it("defaults the challenged side to notes and everyone else to challenges", () => {
    expect(defaultLayer("candidate", "interview")).toBe("notes");
    expect(defaultLayer("interviewer", "interview")).toBe("challenges");
    expect(defaultLayer("owner", "interview")).toBe("challenges");
    expect(defaultLayer("owner", "review")).toBe("notes");
    expect(defaultLayer("reviewer", "review")).toBe("challenges");
    expect(defaultLayer("observer", "interview")).toBeNull();
  });

  it("lets only owners, interviewers and a reviewer on their own annotations resolve", () => {
    const resolve = { op: "set_status", annotation: "a1", status: "resolved" };
    expect(get(run(raised(), olga, [resolve]).board).status).toBe("resolved");
    expect(refusal(raised(), casey, [resolve]).code).toBe("forbidden");
    expect(refusal(raised(), rita, [resolve]).code).toBe("forbidden");
    expect(get(run(raised(rita), rita, [resolve]).board).status).toBe("resolved");
    expect(refusal(raised(), otto, [resolve]).code).toBe("forbidden");
  });

  it("lets only the author edit a text", () => {
    const edit = { op: "edit_text", annotation: "a1", text: "What if the API is slow?" };
    expect(refusal(raised(), olga, [edit]).code).toBe("forbidden");
    const board = run(raised(), ivan, [edit], 8, LATER).board;
    expect(get(board)).toMatchObject({ text: "What if the API is slow?", updated_at: LATER });
  });

  it("lets candidates and reviewers delete only their own", () => {
    const remove = { op: "delete_annotation", annotation: "a1" };
    expect(refusal(raised(), casey, [remove]).code).toBe("forbidden");
    expect(refusal(raised(), rita, [remove]).code).toBe("forbidden");
    expect(run(raised(), olga, [remove]).board.annotations.size).toBe(0);
    const note = raised(casey, [challenge("n1", "api", "notes")]);
    expect(run(note, casey, [{ op: "delete_annotation", annotation: "n1" }]).board.annotations.size).toBe(0);
  });

  it("keeps observers out entirely", () => {
    expect(refusal(raised(), otto, [{ op: "reply", annotation: "a1", reply: { id: "r1", text: "hm" } }]).code).toBe("forbidden");
  });

  it("answers a private id one cannot see exactly like a missing one", () => {
    const hinted = run(start(), ivan, [challenge("p-h1", "api", "private")]).board;
    // The candidate's view never holds it.
    const theirs: Board = { ...hinted, annotations: new Map([...hinted.annotations].filter(([id]) => !id.startsWith("p-"))) };
    expect(refusal(theirs, casey, [{ op: "reply", annotation: "p-h1", reply: { id: "r1", text: "?" } }])).toEqual({
      code: "unknown_ref",
      path: "ops[0].annotation",
    });
  });
});

describe("replies and status", () => {
  const reply = (id: string, text = "Requests queue in SQS.") => ({ op: "reply", annotation: "a1", reply: { id, text } });

  it("turns answered on the challenged side's first reply, with answered_seq", () => {
    const applied = run(raised(), casey, [reply("r1")], 9, LATER);
    expect(applied.ops).toEqual([{ op: "reply", annotation: "a1", reply: { id: "r1", text: "Requests queue in SQS.", seq: 10 }, status: "answered" }]);
    expect(get(applied.board)).toMatchObject({
      status: "answered",
      answered_seq: 10,
      updated_at: LATER,
      replies: [{ id: "r1", author: "casey", text: "Requests queue in SQS.", seq: 10, created_at: LATER, edited_at: null }],
    });
  });

  it("answers only challenges: a reply on a note or a private hint keeps its status", () => {
    const note = raised(casey, [challenge("n1", "api", "notes")]);
    expect(get(run(note, casey, [{ op: "reply", annotation: "n1", reply: { id: "r1", text: "More." } }]).board, "n1").status).toBe("open");
  });

  it("keeps the status when the challenger replies, or when it is already resolved", () => {
    expect(get(run(raised(), ivan, [reply("r1")]).board).status).toBe("open");
    const resolved = run(raised(), ivan, [{ op: "set_status", annotation: "a1", status: "resolved" }]).board;
    expect(get(run(resolved, casey, [reply("r1")]).board).status).toBe("resolved");
  });

  it("answers a reopened challenge again, and on a review board the owner answers", () => {
    let board = run(raised(), casey, [reply("r1")], 9).board;
    board = run(board, ivan, [{ op: "set_status", annotation: "a1", status: "resolved" }]).board;
    board = run(board, ivan, [{ op: "set_status", annotation: "a1", status: "reopened" }]).board;
    expect(get(board).status).toBe("reopened");
    board = run(board, casey, [reply("r2")], 12).board;
    expect(get(board)).toMatchObject({ status: "answered", answered_seq: 13 });

    const review = run(start(), who("reviewer", "rita", "review"), [challenge()]).board;
    expect(get(run(review, who("owner", "olga", "review"), [reply("r1")]).board).status).toBe("answered");
  });

  it("refuses resolving twice, reopening what is not resolved, a used reply id and a missing one", () => {
    const resolved = run(raised(), ivan, [{ op: "set_status", annotation: "a1", status: "resolved" }]).board;
    expect(refusal(resolved, ivan, [{ op: "set_status", annotation: "a1", status: "resolved" }]).code).toBe("validation_error");
    expect(refusal(raised(), ivan, [{ op: "set_status", annotation: "a1", status: "reopened" }]).code).toBe("validation_error");
    expect(refusal(raised(), ivan, [{ op: "set_status", annotation: "a1", status: "open" }]).code).toBe("validation_error");
    const replied = run(raised(), casey, [reply("r1")]).board;
    expect(refusal(replied, ivan, [reply("r1")])).toEqual({ code: "duplicate_id", path: "ops[0].reply.id" });
    expect(refusal(replied, ivan, [reply("r1"), reply("r2")]).code).toBe("duplicate_id");
    expect(refusal(raised(), casey, [{ op: "edit_text", annotation: "a1", reply: "r9", text: "x" }]).code).toBe("unknown_ref");
  });

  it("edits a reply's text with edited_at, by its author only", () => {
    const replied = run(raised(), casey, [reply("r1")]).board;
    expect(refusal(replied, ivan, [{ op: "edit_text", annotation: "a1", reply: "r1", text: "x" }]).code).toBe("forbidden");
    const edited = run(replied, casey, [{ op: "edit_text", annotation: "a1", reply: "r1", text: "Requests queue in SQS, retried." }], 9, LATER);
    expect(get(edited.board).replies[0]).toMatchObject({ text: "Requests queue in SQS, retried.", edited_at: LATER });
    expect(get(edited.board).status).toBe("answered");
  });
});

describe("batches", () => {
  it("applies canvas ops first, so an annotation may target a component added later in the batch", () => {
    const applied = run(start(), who("owner", "olga"), [challenge("a1", "cache"), { op: "add", element: box("cache", { label: "Cache" }) }]);
    expect(applied.board.elements.has("cache")).toBe(true);
    expect(get(applied.board).snapshot).toMatchObject({ label: "Cache" });
    expect([...applied.touched]).toEqual(["cache"]);
  });

  it("reports errors at the op's place in the whole batch", () => {
    expect(refusal(start(), olga, [challenge(), { op: "update", id: "ghost", props: { x: 1 } }])).toEqual({ code: "unknown_ref", path: "ops[1].id" });
  });

  it("refuses canvas ops from a reviewer, and a private op mixed with anything else", () => {
    expect(refusal(start(), rita, [{ op: "add", element: box("x") }]).code).toBe("forbidden");
    expect(refusal(start(), ivan, [challenge("p-h1", "api", "private"), challenge("a1")])).toEqual({ code: "validation_error", path: "ops" });
    expect(refusal(start(), ivan, [challenge("p-h1", "api", "private"), { op: "add", element: box("x") }]).code).toBe("validation_error");
  });

  it("refuses an unknown op by name", () => {
    expect(refusal(start(), ivan, [{ op: "resolve", annotation: "a1" }])).toMatchObject({ code: "unknown_op", path: "ops[0].op" });
  });

  it("replays stored ops to exactly the state the checks produced", () => {
    let local = start();
    let replayed = start();
    const steps: [Actor, unknown[]][] = [
      [ivan, [challenge()]],
      [casey, [{ op: "reply", annotation: "a1", reply: { id: "r1", text: "SQS." } }]],
      [ivan, [{ op: "set_status", annotation: "a1", status: "resolved" }]],
      [casey, [challenge("n1", "db", "notes"), { op: "update", id: "db", props: { label: "Orders DB" } }]],
      [casey, [{ op: "delete_annotation", annotation: "n1" }]],
    ];
    for (const [actor, ops] of steps) {
      const applied = run(local, actor, ops);
      local = applied.board;
      replayed = applyServerBatch(replayed, applied.ops as StoredOp[], { participant: actor.participant, at: AT, seq: 8 });
    }
    expect(replayed).toEqual(local);
  });

  it("applies the interview session's ops beside them, and skips op kinds it does not know", () => {
    const stored: { op: string }[] = [
      { op: "session", action: "start" } as { op: string },
      { op: "hologram", colour: "teal" } as { op: string },
      { op: "delete_annotation", annotation: "a1" } as { op: string },
    ];
    const board = applyServerBatch(raised(), stored, { participant: "ivan", at: AT, seq: 9 });
    expect(board.annotations.size).toBe(0);
    expect(board.session.status).toBe("running");
  });

  it("refuses a stored op on an annotation it does not have (the client then starts over)", () => {
    expect(() => applyAnnotationOps(new Map(), [{ op: "delete_annotation", annotation: "a1" }], { participant: "x", at: AT })).toThrow(OpError);
  });
});

describe("derived state", () => {
  it("is orphaned while its target is gone, and recovers when it comes back", () => {
    const board = raised();
    const without = applyOps(board.elements, [{ op: "delete", id: "api" }]).state;
    expect(isOrphaned(get(board), without)).toBe(true);
    expect(isOutdated(get(board), without)).toBe(false);
    const back = applyOps(without, [{ op: "add", element: box("api", { label: "API" }) }]).state;
    expect(isOrphaned(get(board), back)).toBe(false);
    expect(isOutdated(get(board), back)).toBe(false);
  });

  it("is outdated when the target's meaning changed, not when it moved", () => {
    const board = raised();
    const moved = applyOps(board.elements, [{ op: "update", id: "api", props: { x: 500, w: 300 } }]).state;
    expect(isOutdated(get(board), moved)).toBe(false);
    const renamed = applyOps(board.elements, [{ op: "update", id: "api", props: { label: "Gateway", replicas: 3 } }]).state;
    expect(changesSince(get(board), renamed)).toEqual([
      { field: "label", was: "API", now: "Gateway" },
      { field: "replicas", was: 1, now: 3 },
    ]);
  });

  it("watches an arrow's ends and style", () => {
    const board = run(start(), ivan, [challenge("a1", "api-db")]).board;
    const async = applyOps(board.elements, [{ op: "update", id: "api-db", props: { style: "async" } }]).state;
    expect(changesSince(get(board), async)).toEqual([{ field: "style", was: "sync", now: "async" }]);
  });

  it("snapshots exactly the fields listed once in SNAPSHOT_FIELDS", () => {
    const [component, , line] = [...start().elements.values()];
    expect(Object.keys(snapshotOf(component!)!).sort()).toEqual(["kind", ...SNAPSHOT_FIELDS.component].sort());
    expect(Object.keys(snapshotOf(line!)!).sort()).toEqual(["kind", ...SNAPSHOT_FIELDS.arrow].sort());
  });

  it("counts open and reopened challenges as unanswered, and nothing else", () => {
    const board = run(start(), olga, [challenge("a1"), challenge("n1", "api", "notes")]).board;
    expect(isUnanswered(get(board))).toBe(true);
    expect(isUnanswered(get(board, "n1"))).toBe(false);
    const answered = run(board, casey, [{ op: "reply", annotation: "a1", reply: { id: "r1", text: "SQS." } }]).board;
    expect(isUnanswered(get(answered))).toBe(false);
  });
});

describe("annotations from a welcome", () => {
  it("reads a null version as none, so no challenge is marked as written on a version", () => {
    const fromServer = { id: "c1", layer: "challenges", target: null, kind: "comment", text: "?", author: "u", prompted: true, status: "open",
      snapshot: null, raised_seq: 1, answered_seq: null, created_at: "", updated_at: "", replies: [], version: null };
    const read = annotationsFrom([fromServer as unknown as Annotation]).get("c1");
    expect(read?.version).toBeUndefined();
    expect(read && "version" in read).toBe(false);
    expect(annotationsFrom([{ ...fromServer, version: 2 } as unknown as Annotation]).get("c1")?.version).toBe(2);
  });
});
