import { describe, expect, it } from "vitest";

import { advance, frameFrom, type ReplayState, seqAt, skipIdle, type Timeline, timeMap, timeOf } from "./replay";

const T0 = Date.parse("2026-11-23T20:30:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** 20 batches: 1-10 in the first 90 s, nothing for ten minutes, 11-20 over the next 90 s. */
const TIMELINE: Timeline = {
  seq: 20,
  start: at(0),
  end: at(780),
  markers: [
    { seq: 1, at: at(0), type: "session", label: "Session started" },
    { seq: 4, at: at(30), type: "question", label: "How many users?", id: "q1" },
    { seq: 16, at: at(720), type: "challenge", label: "What happens when API goes down?", id: "a1" },
  ],
  gaps: [{ after_seq: 10, start: at(90), end: at(690), seconds: 600 }],
};

describe("the time map", () => {
  const map = timeMap(TIMELINE);

  it("knows the exact time of the markers, both ends of each gap and the last batch", () => {
    expect(timeOf(map, 1)).toBe(T0);
    expect(timeOf(map, 4)).toBe(T0 + 30_000);
    expect(timeOf(map, 10)).toBe(T0 + 90_000);
    expect(timeOf(map, 11)).toBe(T0 + 690_000);
    expect(timeOf(map, 16)).toBe(T0 + 720_000);
    expect(timeOf(map, 20)).toBe(T0 + 780_000);
  });

  it("spreads the seqs in between evenly, and puts seq 0 just before the first batch", () => {
    expect(timeOf(map, 7)).toBe(T0 + 60_000);
    expect(timeOf(map, 18)).toBe(T0 + 750_000);
    expect(timeOf(map, 0)).toBe(T0 - 1000);
    expect(timeOf(map, 99)).toBe(T0 + 780_000);
  });

  it("tells which seq a moment shows: the last that had happened", () => {
    expect(seqAt(map, T0 - 5000)).toBe(0);
    expect(seqAt(map, T0 - 1)).toBe(0);
    expect(seqAt(map, T0)).toBe(1);
    expect(seqAt(map, T0 + 30_000)).toBe(4);
    expect(seqAt(map, T0 + 39_999)).toBe(4);
    expect(seqAt(map, T0 + 400_000)).toBe(10);
    expect(seqAt(map, T0 + 10_000_000)).toBe(20);
  });

  it("skips idle gaps", () => {
    expect(skipIdle(map, T0 + 100_000)).toBe(T0 + 690_000);
    expect(skipIdle(map, T0 + 90_000)).toBe(T0 + 90_000);
    expect(advance(map, T0 + 89_000, 100, 16)).toBe(T0 + 690_000);
    expect(advance(map, T0, 1000, 4)).toBe(T0 + 4000);
  });

  it("copes with an empty board and a one-batch board", () => {
    const empty = timeMap({ seq: 0, start: null, end: null, markers: [], gaps: [] });
    expect(seqAt(empty, T0)).toBe(0);
    expect(timeOf(empty, 0)).toBeNaN();
    const one = timeMap({ seq: 1, start: at(0), end: at(0), markers: [], gaps: [] });
    expect(seqAt(one, T0 - 10)).toBe(0);
    expect(seqAt(one, T0)).toBe(1);
  });

  it("never goes back in time, even if stamps disagree", () => {
    const skewed = timeMap({ ...TIMELINE, markers: [...TIMELINE.markers, { seq: 5, at: at(10), type: "answer", label: "x" }] });
    for (let seq = 1; seq < 20; seq++) expect(timeOf(skewed, seq + 1)).toBeGreaterThanOrEqual(timeOf(skewed, seq));
  });
});

describe("a replayed state", () => {
  it("becomes a frame shaped like the live board", () => {
    const state: ReplayState = {
      seq: 3,
      at: at(30),
      elements: [{ id: "api", kind: "component", type: "service", label: "API", x: 0, y: 0, w: 160, h: 72, tech: "", replicas: 1, notes: "" }],
      annotations: [],
      requirements: [{ id: "q1", kind: "question", text: "Users?", links: [], author: "casey", seq: 2, answer: null }],
      session: {
        status: "running",
        minutes: 45,
        elapsed: 0,
        running_since: at(0),
        phase: "requirements",
        phases: [],
        started_at: at(0),
        ended_at: null,
        now: at(30),
      },
    };
    const frame = frameFrom(state);
    expect(frame.seq).toBe(3);
    expect(frame.elements.get("api")).toMatchObject({ label: "API" });
    expect(frame.requirements.get("q1")).toMatchObject({ text: "Users?" });
    expect(frame.session).not.toHaveProperty("now");
    expect(frame.at).toBe(at(30));
  });
});

describe("decision records in a replay", () => {
  const base = { seq: 3, at: null, elements: [], annotations: [], requirements: [], session: { status: "idle", minutes: 45, elapsed: 0, running_since: null, phase: null, phases: [], started_at: null, ended_at: null } } as const;

  it("shows the decisions as they were at the seq, and none from an older server", () => {
    const decision = { id: "d1", target: "q", choice: "Kafka", alternatives: ["SQS"], cost: "", why: "", revisit_when: "", author: "p", seq: 2 };
    expect(frameFrom({ ...base, decisions: [decision] }).decisions).toEqual([decision]);
    expect(frameFrom(base).decisions).toEqual([]);
  });
});
