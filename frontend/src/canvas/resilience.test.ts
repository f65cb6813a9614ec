import { describe, expect, it } from "vitest";

import type { ComponentElement } from "../sync";
import { typeChange } from "./ResilienceFields";
import { formatTimeout } from "./ResilienceMarks";

const queue = { id: "q", kind: "component", type: "queue", label: "", x: 0, y: 0, w: 1, h: 1, tech: "", replicas: 1, notes: "", dead_letter: true } as ComponentElement;

describe("the unhappy path in the UI", () => {
  it("clears a dead letter in the same update that turns a queue into a service", () => {
    expect(typeChange(queue, "service")).toEqual({ type: "service", dead_letter: false });
    expect(typeChange(queue, "queue")).toEqual({ type: "queue" });
    expect(typeChange({ ...queue, dead_letter: false }, "service")).toEqual({ type: "service" });
  });

  it("reads a timeout the way people say it", () => {
    expect(formatTimeout(800)).toBe("800 ms");
    expect(formatTimeout(1500)).toBe("1.5 s");
    expect(formatTimeout(2000)).toBe("2 s");
    expect(formatTimeout(90_000)).toBe("1.5 min");
  });
});
