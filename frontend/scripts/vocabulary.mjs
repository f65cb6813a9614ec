// Turns whiteboard/vocabulary.json (the protocol's one vocabulary, shared with Python) into
// src/sync/vocabulary.gen.ts as an `as const` literal, because TypeScript widens a JSON
// import's strings to `string` and the protocol's types need the literal unions.
// The output is gitignored and rewritten by every build, lint and test, so it cannot go stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../../whiteboard/vocabulary.json", import.meta.url));
const target = fileURLToPath(new URL("../src/sync/vocabulary.gen.ts", import.meta.url));

const vocabulary = JSON.parse(readFileSync(source, "utf8"));
const text = [
  "// Generated from whiteboard/vocabulary.json by scripts/vocabulary.mjs: edit the JSON, not this file.",
  `export const VOCABULARY = ${JSON.stringify(vocabulary, null, 2)} as const;`,
  "",
].join("\n");

let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  // first run
}
if (current !== text) writeFileSync(target, text);
