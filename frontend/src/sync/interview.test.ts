import { describe, expect, it } from "vitest";

import type { Actor } from "./annotations";
import { applyLocalBatch, applyServerBatch, type Board, EMPTY_BOARD } from "./batch";
import { IDLE_SESSION, parseInterviewOp, remainingSeconds, requirementList, transition, usedSeconds } from "./interview";
import { applyOps, OpError } from "./ops";
import type { Role, Session, StoredOp } from "./protocol";
import { box } from "./testing";

const T0 = "2026-11-23T20:30:00.000Z";
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const who = (role: Role, participant: string = role, mode: Actor["mode"] = "interview"): Actor => ({ participant, role, mode });
const ivan = who("interviewer", "ivan");
const olga = who("owner", "olga");
const casey = who("candidate", "casey");
const rita = who("reviewer", "rita");
const otto = who("observer", "otto");

function board(): Board {
  const elements = applyOps(new Map(), [
    { op: "add", element: box("api", { label: "API" }) },
    { op: "add", element: box("db", { label: "DB", type: "database" }) },
  ]).state;
  return { ...EMPTY_BOARD, elements };
}

/** Apply a local batch as `actor` at `seconds` after T0, made against public head `head`. */
function run(state: Board, actor: Actor, ops: unknown[], seconds = 0, head = 4) {
  return applyLocalBatch(state, ops, actor, { at: at(seconds), head });
}

function refusal(state: Board, actor: Actor, ops: unknown[]): { code: string; path?: string; message: string } {
  try {
    run(state, actor, ops);
  } catch (error) {
    if (error instanceof OpError) return { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  throw new Error("accepted");
}

const start = (minutes?: number) => (minutes === undefined ? { op: "session", action: "start" } : { op: "session", action: "start", minutes });
const action = (name: string) => ({ op: "session", action: name });
const phase = (name: string) => ({ op: "phase", phase: name });
const question = (id = "q1", text = "How many users?", links?: string[]) => ({
  op: "requirement",
  entry: links === undefined ? { id, kind: "question", text } : { id, kind: "question", text, links },
});

/** A running session started by Ivan at T0 (seq 5). */
const running = () => run(board(), ivan, [start(30)], 0, 4).board;

describe("parsing session and ledger ops", () => {
  it("normalises a requirement: links default to none, text to NFC", () => {
    expect(parseInterviewOp({ op: "requirement", entry: { id: "q1", kind: "question", text: "Cafe\u0301?" } })).toEqual({
      op: "requirement",
      entry: { id: "q1", kind: "question", text: "Café?", links: [] },
    });
  });

  it.each([
    [{ op: "session", action: "stop" }, "validation_error", "op.action"],
    [{ op: "session", action: "pause", minutes: 5 }, "validation_error", "op.minutes"],
    [{ op: "session", action: "start", minutes: 0 }, "validation_error", "op.minutes"],
    [{ op: "session", action: "start", minutes: 481 }, "validation_error", "op.minutes"],
    [{ op: "session", action: "start", minutes: 2.5 }, "validation_error", "op.minutes"],
    [{ op: "session", action: "start", minutes: true }, "validation_error", "op.minutes"],
    [{ op: "session" }, "validation_error", "op.action"],
    [{ op: "session", action: "start", at: 1 }, "validation_error", "op.at"],
    [{ op: "phase", phase: "coding" }, "validation_error", "op.phase"],
    [{ op: "requirement", entry: { id: "q1", kind: "wish", text: "x" } }, "validation_error", "op.entry.kind"],
    [{ op: "requirement", entry: { id: "q1", kind: "question", text: "   " } }, "validation_error", "op.entry.text"],
    [{ op: "requirement", entry: { id: "q1", kind: "question", text: "x", author: "me" } }, "validation_error", "op.entry.author"],
    [{ op: "requirement", entry: { id: "q1", kind: "question", text: "x", links: ["a", "a"] } }, "validation_error", "op.entry.links"],
    [{ op: "requirement", entry: { id: "q1", kind: "question", text: "x", links: ["bad id"] } }, "validation_error", "op.entry.links[0]"],
    [{ op: "requirement", entry: "q1" }, "bad_request", "op.entry"],
    [{ op: "answer_requirement", entry: "q1" }, "validation_error", "op.text"],
    [{ op: "answer_requirement", text: "x" }, "validation_error", "op.entry"],
    [{ op: "link_requirement", entry: "q1", links: "api" }, "validation_error", "op.links"],
  ])("refuses %j with %s at %s", (op, code, path) => {
    try {
      parseInterviewOp(op);
    } catch (error) {
      expect(error).toBeInstanceOf(OpError);
      expect({ code: (error as OpError).code, path: (error as OpError).path }).toEqual({ code, path });
      return;
    }
    throw new Error("accepted");
  });

  it("refuses more than 20 links", () => {
    const links = Array.from({ length: 21 }, (_, i) => `e${i}`);
    expect(() => parseInterviewOp({ op: "link_requirement", entry: "q1", links })).toThrow(/at most 20/);
  });
});

describe("the session's states", () => {
  it.each([
    ["idle", "start", "running"],
    ["running", "pause", "paused"],
    ["paused", "resume", "running"],
    ["ended", "resume", "running"],
    ["running", "end", "ended"],
    ["paused", "end", "ended"],
    ["idle", "pause", null],
    ["running", "start", null],
    ["running", "resume", null],
    ["ended", "end", null],
    ["ended", "pause", null],
  ] as const)("%s + %s -> %s", (from, act, to) => {
    expect(transition(from, act)).toBe(to);
  });

  it("starts in the requirements phase with the given length, at the batch's time and seq", () => {
    const applied = run(board(), ivan, [start(30)], 0, 4);
    expect(applied.stream).toBe("public");
    expect(applied.ops).toEqual([{ op: "session", action: "start", minutes: 30 }]);
    expect(applied.board.session).toEqual({
      status: "running",
      minutes: 30,
      elapsed: 0,
      running_since: T0,
      phase: "requirements",
      phases: [{ phase: "requirements", at: T0, seq: 5 }],
      started_at: T0,
      ended_at: null,
    });
  });

  it("defaults to 45 minutes", () => {
    expect(run(board(), olga, [start()]).board.session.minutes).toBe(45);
  });

  it("banks the time used on pause, and pauses do not count", () => {
    let state = running();
    state = run(state, ivan, [action("pause")], 600).board; // 10 min used
    expect(state.session).toMatchObject({ status: "paused", elapsed: 600, running_since: null });
    expect(usedSeconds(state.session, Date.parse(at(900)))).toBe(600);
    state = run(state, ivan, [action("resume")], 900).board; // 5 min paused
    expect(state.session).toMatchObject({ status: "running", elapsed: 600, running_since: at(900) });
    expect(usedSeconds(state.session, Date.parse(at(960)))).toBe(660);
    expect(remainingSeconds(state.session, Date.parse(at(960)))).toBe(30 * 60 - 660);
  });

  it("goes negative once over time", () => {
    expect(remainingSeconds(running().session, Date.parse(at(31 * 60)))).toBe(-60);
  });

  it("ends (closing the board) and reopens with the time it had", () => {
    let state = run(running(), ivan, [action("end")], 1200).board;
    expect(state.session).toMatchObject({ status: "ended", elapsed: 1200, ended_at: at(1200), running_since: null });
    state = run(state, ivan, [action("resume")], 5000).board;
    expect(state.session).toMatchObject({ status: "running", elapsed: 1200, ended_at: null, running_since: at(5000) });
  });

  it("records every phase change with its time and seq, in any order", () => {
    let state = running();
    state = run(state, ivan, [phase("deep_dive")], 60, 7).board;
    state = run(state, ivan, [phase("high_level")], 120, 9).board;
    expect(state.session.phase).toBe("high_level");
    expect(state.session.phases).toEqual([
      { phase: "requirements", at: T0, seq: 5 },
      { phase: "deep_dive", at: at(60), seq: 8 },
      { phase: "high_level", at: at(120), seq: 10 },
    ]);
  });

  it("refuses what the table does not allow, as the server words it", () => {
    expect(refusal(board(), ivan, [action("pause")])).toEqual({
      code: "validation_error",
      path: "ops[0].action",
      message: "A idle session cannot pause.",
    });
    expect(refusal(running(), ivan, [start()])).toMatchObject({ code: "validation_error", path: "ops[0].action" });
    expect(refusal(board(), ivan, [phase("high_level")])).toMatchObject({ code: "validation_error", path: "ops[0].phase" });
    expect(refusal(running(), ivan, [phase("requirements")])).toMatchObject({ code: "validation_error", path: "ops[0].phase" });
  });

  it("leaves the clock and the phases to the owner and interviewers", () => {
    for (const actor of [casey, rita]) {
      expect(refusal(board(), actor, [start()])).toMatchObject({ code: "forbidden", path: "ops[0]" });
      expect(refusal(running(), actor, [phase("deep_dive")])).toMatchObject({ code: "forbidden", path: "ops[0]" });
    }
    expect(refusal(board(), otto, [start()])).toMatchObject({ code: "forbidden" });
  });

  it("has no session on a review board", () => {
    expect(refusal(board(), who("owner", "olga", "review"), [start()])).toEqual({
      code: "validation_error",
      path: "ops[0].op",
      message: "Only interview and practice boards have a session.",
    });
  });

  it("has a session on a practice board, kept by the coach and not the candidate", () => {
    expect(run(board(), who("coach", "coach", "practice"), [start(35)]).board.session.status).toBe("running");
    expect(refusal(board(), who("candidate", "casey", "practice"), [start()]).code).toBe("forbidden");
  });

  it("applies several ops of one batch in order (start, then a phase)", () => {
    const state = run(board(), ivan, [start(), phase("high_level")], 0).board;
    expect(state.session.phases.map((p) => p.phase)).toEqual(["requirements", "high_level"]);
  });
});

describe("the closed board", () => {
  const closed = () => run(running(), ivan, [action("end")], 60).board;

  it("refuses every batch from the candidate once the session ended", () => {
    for (const ops of [[question()], [{ op: "update", id: "api", props: { label: "Edge" } }]]) {
      expect(refusal(closed(), casey, ops)).toEqual({ code: "forbidden", message: "This board is closed: the session has ended." });
    }
  });

  it("refuses a reviewer's challenge too, but not the owner's or interviewer's changes", () => {
    expect(refusal(closed(), rita, [{ op: "annotate", annotation: { id: "a1", layer: "challenges", target: "api", kind: "comment", text: "Hm" } }])).toMatchObject({
      code: "forbidden",
    });
    expect(run(closed(), olga, [{ op: "update", id: "api", props: { label: "Edge" } }]).board.elements.get("api")).toMatchObject({ label: "Edge" });
    expect(run(closed(), ivan, [action("resume")]).board.session.status).toBe("running");
  });

  it("opens again for the candidate once resumed", () => {
    const reopened = run(closed(), ivan, [action("resume")], 120).board;
    expect(run(reopened, casey, [question()]).board.requirements.has("q1")).toBe(true);
  });
});

describe("the requirements ledger", () => {
  it("takes an entry from the candidate, stamped with its author, seq and time", () => {
    const applied = run(board(), casey, [question("q1", "How many users?", ["api"])], 30, 4);
    expect(applied.ops).toEqual([{ op: "requirement", entry: { id: "q1", kind: "question", text: "How many users?", links: ["api"] } }]);
    expect(applied.board.requirements.get("q1")).toEqual({
      id: "q1",
      kind: "question",
      text: "How many users?",
      links: ["api"],
      author: "casey",
      seq: 5,
      created_at: at(30),
      answer: null,
    });
  });

  it("does not need a started session", () => {
    expect(run(board(), casey, [question()]).board.requirements.size).toBe(1);
  });

  it("lets the owner and interviewers write entries too, but not reviewers or observers", () => {
    expect(run(board(), ivan, [{ op: "requirement", entry: { id: "c1", kind: "constraint", text: "EU data stays in the EU" } }]).board.requirements.get("c1")).toMatchObject({
      kind: "constraint",
      author: "ivan",
    });
    expect(refusal(board(), rita, [question()])).toMatchObject({ code: "forbidden", path: "ops[0]" });
    expect(refusal(board(), otto, [question()])).toMatchObject({ code: "forbidden" });
  });

  it("refuses a duplicate id and links to elements that do not exist", () => {
    const asked = run(board(), casey, [question()]).board;
    expect(refusal(asked, casey, [question()])).toMatchObject({ code: "duplicate_id", path: "ops[0].entry.id" });
    expect(refusal(board(), casey, [question("q1", "x", ["api", "ghost"])])).toMatchObject({ code: "unknown_ref", path: "ops[0].entry.links[1]" });
    expect(refusal(board(), casey, [question("q1", "x"), question("q1", "y")])).toMatchObject({ code: "duplicate_id", path: "ops[1].entry.id" });
  });

  it("links to an element added earlier in the same batch (canvas ops apply first)", () => {
    const ops = [question("q1", "Cache it?", ["cache"]), { op: "add", element: box("cache") }];
    expect(run(board(), casey, ops).board.requirements.get("q1")?.links).toEqual(["cache"]);
  });

  it("is answered by the owner or an interviewer only, and an answer replaces the last", () => {
    let state = run(board(), casey, [question()], 10, 4).board;
    expect(refusal(state, casey, [{ op: "answer_requirement", entry: "q1", text: "Lots" }])).toMatchObject({ code: "forbidden", path: "ops[0]" });
    expect(refusal(state, ivan, [{ op: "answer_requirement", entry: "q9", text: "Lots" }])).toMatchObject({ code: "unknown_ref", path: "ops[0].entry" });
    state = run(state, ivan, [{ op: "answer_requirement", entry: "q1", text: "10M daily" }], 20, 5).board;
    expect(state.requirements.get("q1")?.answer).toEqual({ text: "10M daily", author: "ivan", seq: 6, at: at(20) });
    state = run(state, olga, [{ op: "answer_requirement", entry: "q1", text: "50M daily" }], 30, 6).board;
    expect(state.requirements.get("q1")?.answer).toMatchObject({ text: "50M daily", author: "olga", seq: 7 });
  });

  it("is linked by the entry's author, the owner or an interviewer", () => {
    const mine = run(board(), ivan, [{ op: "requirement", entry: { id: "a1", kind: "assumption", text: "Reads dominate" } }]).board;
    expect(refusal(mine, casey, [{ op: "link_requirement", entry: "a1", links: ["api"] }])).toMatchObject({ code: "forbidden", path: "ops[0]" });
    const theirs = run(board(), casey, [question()]).board;
    expect(run(theirs, casey, [{ op: "link_requirement", entry: "q1", links: ["api", "db"] }]).board.requirements.get("q1")?.links).toEqual(["api", "db"]);
    expect(run(theirs, ivan, [{ op: "link_requirement", entry: "q1", links: [] }]).board.requirements.get("q1")?.links).toEqual([]);
    expect(refusal(theirs, casey, [{ op: "link_requirement", entry: "q1", links: ["gone"] }])).toMatchObject({ code: "unknown_ref", path: "ops[0].links[0]" });
  });

  it("lists entries in the order written", () => {
    let state = run(board(), casey, [question("q2", "Second?")], 0, 8).board;
    state = run(state, casey, [question("q1", "First?")], 0, 9).board;
    expect(requirementList(state.requirements).map((e) => e.id)).toEqual(["q2", "q1"]);
  });

  it("keeps a private batch free of session and ledger ops", () => {
    const hint = { op: "annotate", annotation: { id: "p-1", layer: "private", target: null, kind: "comment", text: "Push on cost" } };
    expect(refusal(board(), ivan, [hint, question()])).toMatchObject({ code: "validation_error", path: "ops" });
  });
});

describe("applying stored batches (the server's fold)", () => {
  it("replays what the sender applied, to the same state", () => {
    let local = board();
    let replayed = board();
    const steps: [Actor, unknown[], number][] = [
      [ivan, [start(40)], 0],
      [casey, [question("q1", "Users?", ["api"])], 30],
      [ivan, [{ op: "answer_requirement", entry: "q1", text: "10M" }], 45],
      [ivan, [phase("high_level")], 300],
      [casey, [{ op: "link_requirement", entry: "q1", links: ["db"] }], 320],
      [ivan, [action("pause")], 600],
      [ivan, [action("resume")], 700],
      [ivan, [action("end")], 2500],
    ];
    steps.forEach(([actor, ops, seconds], i) => {
      const applied = run(local, actor, ops, seconds, i);
      local = applied.board;
      replayed = applyServerBatch(replayed, applied.ops as StoredOp[], { participant: actor.participant, at: at(seconds), seq: i + 1 });
    });
    expect(replayed).toEqual(local);
    expect(replayed.session).toMatchObject({ status: "ended", elapsed: 2400, phase: "high_level" });
  });

  it("skips what no longer applies instead of failing (the server's replay does the same)", () => {
    const ops = [
      { op: "session", action: "pause" },
      { op: "phase", phase: "deep_dive" },
      { op: "answer_requirement", entry: "nobody", text: "x" },
      { op: "link_requirement", entry: "nobody", links: [] },
    ] as StoredOp[];
    const after = applyServerBatch(board(), ops, { participant: "ivan", at: T0, seq: 3 });
    expect(after.session).toEqual(IDLE_SESSION);
    expect(after.requirements.size).toBe(0);
  });

  it("computes the clock from the batches' own times", () => {
    const stamp = (seq: number, seconds: number) => ({ participant: "ivan", at: at(seconds), seq });
    const startOp: StoredOp = { op: "session", action: "start", minutes: 45 };
    const pauseOp: StoredOp = { op: "session", action: "pause" };
    let state = applyServerBatch(board(), [startOp], stamp(1, 0));
    state = applyServerBatch(state, [pauseOp], stamp(2, 100.5));
    const session: Session = state.session;
    expect(session.elapsed).toBeCloseTo(100.5);
    expect(remainingSeconds(session, Date.parse(at(10_000)))).toBeCloseTo(45 * 60 - 100.5);
  });
});
