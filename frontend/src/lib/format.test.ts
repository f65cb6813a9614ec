import { describe, expect, it } from "vitest";

import { relativeTime } from "./format";

const NOW = Date.parse("2026-12-04T12:00:00Z");
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
const DAY = 86_400;

describe("relativeTime", () => {
  it("says the same for two invites created a second apart (7 days left, give or take a second)", () => {
    expect(relativeTime(at(7 * DAY - 1), NOW)).toBe("in 1 week");
    expect(relativeTime(at(7 * DAY), NOW)).toBe("in 1 week");
    expect(relativeTime(at(7 * DAY + 1), NOW)).toBe("in 1 week");
  });

  it("rounds before choosing the unit at every boundary", () => {
    expect(relativeTime(at(-59.6), NOW)).toBe("1 minute ago");
    expect(relativeTime(at(-(60 * 60 - 10)), NOW)).toBe("1 hour ago");
    expect(relativeTime(at(-(DAY - 60)), NOW)).toBe("1 day ago");
    expect(relativeTime(at(6 * DAY), NOW)).toBe("in 6 days");
    expect(relativeTime(at(14 * DAY), NOW)).toBe("in 2 weeks");
    expect(relativeTime(at(-400 * DAY), NOW)).toBe("1 year ago");
  });

  it("keeps the short words for now and bad input", () => {
    expect(relativeTime(at(-5), NOW)).toBe("just now");
    expect(relativeTime(at(20), NOW)).toBe("in a moment");
    expect(relativeTime("not a date", NOW)).toBe("");
  });
});
