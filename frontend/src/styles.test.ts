// The stylesheet is plain, unnested CSS: a rule left open (as a merge once left
// `.bs-scenario-deck__typed .bs-button {` without its `}`) silently nests every rule after it
// under that selector, and the practice bar, decisions and drill card lost their styles.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("./styles.css", import.meta.url), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");

describe("styles.css", () => {
  it("closes every rule before the next one starts", () => {
    let depth = 0;
    const nested: string[] = [];
    for (const [n, line] of css.split("\n").entries()) {
      for (const c of line) {
        if (c === "{") {
          // Only at-rules (@media, @supports, @keyframes) hold rules inside them.
          if (depth > 0 && !/^\s*(@|from|to|\d+%)/.test(line) && !inAtRule(n)) nested.push(`${n + 1}: ${line.trim()}`);
          depth += 1;
        } else if (c === "}") depth -= 1;
      }
    }
    expect(depth).toBe(0);
    expect(nested).toEqual([]);
  });
});

/** Whether line `n` sits inside an at-rule block (its nearest open block starts with @). */
function inAtRule(n: number): boolean {
  const lines = css.split("\n").slice(0, n);
  let depth = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    for (const c of [...line].reverse()) {
      if (c === "}") depth += 1;
      else if (c === "{") {
        if (depth === 0) return line.trim().startsWith("@");
        depth -= 1;
      }
    }
  }
  return false;
}
