import { describe, expect, it } from "vitest";

import { clockTone, formatClock, formatUsed, spokenClock } from "./interviewCatalog";

describe("the clock's face", () => {
  it("shows mm:ss of the time left, rounding towards the deadline", () => {
    expect(formatClock(45 * 60)).toBe("45:00");
    expect(formatClock(125.2)).toBe("02:06");
    expect(formatClock(0.4)).toBe("00:01");
    expect(formatClock(0)).toBe("00:00");
    expect(formatClock(480 * 60)).toBe("480:00");
  });

  it("counts up with a minus once over time", () => {
    expect(formatClock(-0.5)).toBe("00:00");
    expect(formatClock(-61.9)).toBe("-01:01");
  });

  it("turns amber under five minutes and red when over; idle is neither", () => {
    expect(clockTone("running", 5 * 60)).toBe("ok");
    expect(clockTone("running", 5 * 60 - 1)).toBe("warning");
    expect(clockTone("paused", 10)).toBe("warning");
    expect(clockTone("running", -1)).toBe("over");
    expect(clockTone("ended", -100)).toBe("over");
    expect(clockTone("idle", 60)).toBe("idle");
  });

  it("says it in words for screen readers", () => {
    expect(spokenClock(45 * 60)).toBe("45 minutes left");
    expect(spokenClock(61)).toBe("1 minute 1 second left");
    expect(spokenClock(-130)).toBe("2 minutes 10 seconds over");
    expect(spokenClock(0)).toBe("0 seconds left");
  });

  it("shows interview time used as m:ss", () => {
    expect(formatUsed(724.9)).toBe("12:04");
    expect(formatUsed(-3)).toBe("0:00");
  });
});
