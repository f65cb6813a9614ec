// Project rules tsc cannot check (run by `npm run lint`):
//  1. src/sync/ is framework-free: no React, React DOM, React Flow or zustand, nothing from the UI layers.
//  2. User text is always rendered as text: no HTML-injection APIs anywhere in src/.
//  3. src/canvas/features/ is framework-free too, and a feature module reaches the others only
//     through the shared core (./core): board.ts (which composes them), testing.ts and tests excepted.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const FORBIDDEN_IN_SYNC = [/^react(-dom)?(\/|$)/, /^@xyflow\//, /^zustand/, /^\.\.\/(canvas|boards|ui|app)(\/|$)/];
const FORBIDDEN_IN_FEATURES = [/^react(-dom)?(\/|$)/, /^@xyflow\//, /^zustand(?!\/vanilla)/];
const FEATURE_COMPOSERS = /^canvas\/features\/(board|testing)\.ts$|\.test\.ts$/;
const HTML_SINKS = [/dangerouslySetInnerHTML/, /\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;

const problems = [];
for (const path of files(root)) {
  const text = readFileSync(path, "utf8");
  const name = relative(root, path);
  if (name.startsWith("sync/")) {
    for (const [, spec] of text.matchAll(IMPORT)) {
      if (FORBIDDEN_IN_SYNC.some((rule) => rule.test(spec))) problems.push(`${name}: src/sync/ may not import "${spec}"`);
    }
  }
  if (name.startsWith("canvas/features/")) {
    for (const [, spec] of text.matchAll(IMPORT)) {
      if (FORBIDDEN_IN_FEATURES.some((rule) => rule.test(spec))) problems.push(`${name}: src/canvas/features/ may not import "${spec}"`);
      const sibling = /^\.\/([^/]+)$/.exec(spec)?.[1];
      if (sibling && sibling !== "core" && !FEATURE_COMPOSERS.test(name)) {
        problems.push(`${name}: a feature module may not import another ("${spec}"); share it through ./core`);
      }
    }
  }
  for (const sink of HTML_SINKS) {
    if (sink.test(text)) problems.push(`${name}: ${sink.source} renders markup; render user text as text`);
  }
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`boundaries ok (${files(root).length} files)`);
