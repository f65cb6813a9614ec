import { describe, expect, it } from "vitest";

import { EMPTY_BOARD, IDLE_SESSION } from "../sync";
import { describeLink, type Draft, draftOf, type EvidenceLink, MAX_EVIDENCE, missing, readability, type Scorecards, SIGNALS, type Signals, signalValue, withLink, withoutLink } from "./scorecard";

const RUBRIC = {
  ambiguity_handling: { label: "Handling ambiguity", anchors: { "1": "a", "2": "b", "3": "c", "4": "d" } },
  trade_off_awareness: { label: "Trade-off awareness", anchors: {} },
  failure_mode_thinking: { label: "Failure-mode thinking", anchors: {} },
  communication_clarity: { label: "Communication clarity", anchors: {} },
} as Scorecards["rubric"];

const blank = (): Draft => draftOf({ dimensions: {} as Draft["dimensions"], hire: "", notes: "" });

describe("the scorecard", () => {
  it("fills in the dimensions a card leaves out", () => {
    expect(blank().dimensions.trade_off_awareness).toEqual({ rating: null, notes: "", evidence: [] });
  });

  it("says what still stops a submit", () => {
    const draft = blank();
    expect(missing(draft, RUBRIC)).toEqual(["Handling ambiguity", "Trade-off awareness", "Failure-mode thinking", "Communication clarity", "a hire recommendation"]);
    const rated: Draft = {
      ...draft,
      hire: "yes",
      dimensions: Object.fromEntries(Object.entries(draft.dimensions).map(([d, s]) => [d, { ...s, rating: 3 }])) as Draft["dimensions"],
    };
    expect(missing(rated, RUBRIC)).toEqual([]);
  });

  it("cites a link once, and at most fifty", () => {
    const link: EvidenceLink = { type: "element", id: "api", seq: 4 };
    const once = withLink(withLink([], link), { ...link });
    expect(once).toEqual([link]);
    expect(withLink(once, { type: "element", id: "api", seq: 5 })).toHaveLength(2);
    expect(withLink([{ type: "seq", seq: 3 }], { type: "seq", seq: 3 })).toHaveLength(1);
    const full = Array.from({ length: MAX_EVIDENCE }, (_, i): EvidenceLink => ({ type: "seq", seq: i }));
    expect(withLink(full, { type: "seq", seq: 999 })).toHaveLength(MAX_EVIDENCE);
    expect(withoutLink(once, link)).toEqual([]);
  });

  it("names a link from the board, or by its id when it is not there", () => {
    const board = {
      ...EMPTY_BOARD,
      session: IDLE_SESSION,
      requirements: new Map([["q1", { id: "q1", kind: "question" as const, text: "How many users?", links: [], author: "c", seq: 2, answer: null }]]),
    };
    expect(describeLink({ type: "requirement", id: "q1", seq: 2 }, board)).toBe("“How many users?”");
    expect(describeLink({ type: "element", id: "gone" }, board)).toBe("Element gone");
    expect(describeLink({ type: "seq", seq: 7 }, board)).toBe("The board at that moment");
  });

  it("reads nested signals by their dotted name", () => {
    const signals = { evidence: {}, questions: 2, failure_modes: { unprompted: 1, prompted: 3 } } as Signals;
    expect(signalValue(signals, "questions")).toBe(2);
    expect(signalValue(signals, "failure_modes.prompted")).toBe(3);
    expect(signalValue(signals, "trade_offs.prompted")).toBeUndefined();
  });

  it("suggests the thinking signals under the dimension each speaks to, and formats them", () => {
    const keys = (dimension: keyof typeof SIGNALS) => SIGNALS[dimension].map((info) => info.key);
    expect(keys("trade_off_awareness")).toEqual(expect.arrayContaining(["decisions.unexplained", "decisions.with_alternative", "recovery.recovered"]));
    expect(keys("failure_mode_thinking")).toEqual(expect.arrayContaining(["beyond_happy_path.external_calls_with_timeout", "beyond_happy_path.monitored"]));
    expect(keys("ambiguity_handling")).toEqual(expect.arrayContaining(["complexity.premature", "complexity.adapted"]));
    expect(keys("communication_clarity")).toEqual(expect.arrayContaining(["communication.readability", "communication.jargon_share"]));
    expect(readability({ flesch_reading_ease: 71.6, grade: 6.2 })).toBe("72 (grade 6)");
    expect(readability(null)).toBe("no text");
  });
});
