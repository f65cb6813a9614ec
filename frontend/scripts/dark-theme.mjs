// Derives the dark theme's overrides for every literal colour in src/styles.css (the variables
// are tuned by hand in src/theme-dark.css) into src/theme-dark.gen.css: light tints used as
// backgrounds and borders become dark tints of the same hue, dark text becomes light text of
// the same hue, and colours already right for a dark page (saturated fills, white on them)
// stay. Every rule is scoped by :where(:root[data-theme="dark"]), which adds no specificity, so
// each override ties with the rule it comes from and wins by coming later.
// The output is gitignored and rewritten by every build, lint and test, so it cannot go stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../src/styles.css", import.meta.url));
const target = fileURLToPath(new URL("../src/theme-dark.gen.css", import.meta.url));
const SCOPE = ':where(:root[data-theme="dark"])';

// ---- Colours ------------------------------------------------------------------------------

function parseHex(hex) {
  let h = hex.slice(1);
  if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join("");
  const n = (i) => parseInt(h.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
}

function toHsl({ r, g, b }) {
  const [R, G, B] = [r / 255, g / 255, b / 255];
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === R ? (G - B) / d + (G < B ? 6 : 0) : max === G ? (B - R) / d + 2 : (R - G) / d + 4;
  return { h: h * 60, s, l };
}

function fmt({ h, s, l }, a) {
  const hsl = `${Math.round(h)} ${Math.round(s * 100)}% ${Math.round(l * 100)}%`;
  return a < 1 ? `hsl(${hsl} / ${+a.toFixed(3)})` : `hsl(${hsl})`;
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** A colour for `role` ("fg" text, "bg" fills and borders) on a dark page, or null to keep it. */
function darken(rgb, role) {
  const hsl = toHsl(rgb);
  // Greys get the page's slate hue, so a white card turns into the same blue-grey as the surfaces.
  const neutral = hsl.s < 0.12;
  const h = neutral ? 222 : hsl.h;
  if (role === "fg") {
    if (hsl.l >= 0.55) return null;
    const s = neutral ? 0.14 : clamp(hsl.s, 0, 0.85);
    return fmt({ h, s, l: clamp(1.08 - hsl.l, 0.68, 0.9) }, rgb.a);
  }
  if (hsl.l <= 0.62) return null;
  const s = neutral ? 0.22 : clamp(hsl.s * 0.55, 0, 0.5);
  // 0.97 (a pale tint) -> 0.15, 1.0 (white) -> 0.13, 0.8 (a light border) -> 0.3.
  return fmt({ h, s, l: clamp(0.13 + (1 - hsl.l) * 0.75, 0.12, 0.36) }, rgb.a);
}

const COLOUR = /#[0-9a-fA-F]{3,8}\b|rgba?\(\s*[\d.]+\s*,\s*[\d.]+\s*,\s*[\d.]+\s*(?:,\s*[\d.]+\s*)?\)|\bwhite\b/g;

function parseColour(text) {
  if (text === "white") return { r: 255, g: 255, b: 255, a: 1 };
  if (text.startsWith("#")) return parseHex(text);
  const [r, g, b, a] = text.match(/[\d.]+/g).map(Number);
  return { r, g, b, a: a ?? 1 };
}

/** Which colours of a declaration are text (fg) and which are fills/borders (bg). */
function roleOf(property, name) {
  if (property === "box-shadow" || property === "text-shadow") return null; // shadows stay dark
  if (["color", "caret-color", "text-decoration-color", "-webkit-text-fill-color"].includes(property)) return "fg";
  if (property === "fill" || property === "stroke") return "bg";
  if (property.startsWith("--")) {
    if (/bg|soft|border|surface|tint|fill|mask/.test(name)) return "bg";
    if (/solid|accent/.test(name)) return null; // saturated fills with white on them
    return "fg";
  }
  if (/background|border|outline|column-rule/.test(property)) return "bg";
  return null;
}

function convert(property, value) {
  const role = roleOf(property, property);
  if (!role) return null;
  let changed = false;
  const out = value.replace(COLOUR, (match) => {
    const mapped = darken(parseColour(match), role);
    if (mapped === null) return match;
    changed = true;
    return mapped;
  });
  return changed ? out : null;
}

// ---- CSS (the subset styles.css uses: rules, @media, @keyframes) ----------------------------

function strip(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, "");
}

/** Split a block's body into [prelude, body] pairs and loose declarations. */
function blocks(css) {
  const items = [];
  let depth = 0;
  let start = 0;
  let prelude = "";
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === "{") {
      if (depth === 0) {
        prelude = css.slice(start, i).trim();
        start = i + 1;
      }
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0) {
        items.push([prelude, css.slice(start, i)]);
        start = i + 1;
      }
    } else if (c === ";" && depth === 0) {
      start = i + 1; // a top-level statement (@import, @charset): not ours
    }
  }
  return items;
}

function scoped(selector) {
  return selector
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s === ":root" || s === "html" ? SCOPE : /^(html|body)\b/.test(s) ? `${SCOPE} ${s.replace(/^html\b\s*/, "")}` : `${SCOPE} ${s}`))
    .join(",\n");
}

function rules(css) {
  const out = [];
  for (const [prelude, body] of blocks(css)) {
    if (prelude.startsWith("@keyframes")) continue;
    if (prelude.startsWith("@media") || prelude.startsWith("@supports")) {
      const inner = rules(body);
      if (inner.length) out.push(`${prelude} {\n${inner.join("\n")}\n}`);
      continue;
    }
    if (prelude.startsWith("@")) continue;
    // :root's variables are set by hand in theme-dark.css.
    if (prelude === ":root") continue;
    const declarations = [];
    for (const raw of body.split(";")) {
      const colon = raw.indexOf(":");
      if (colon < 0) continue;
      const property = raw.slice(0, colon).trim();
      const value = raw.slice(colon + 1).trim();
      const converted = convert(property, value);
      if (converted !== null) declarations.push(`  ${property}: ${converted};`);
    }
    if (declarations.length) out.push(`${scoped(prelude)} {\n${declarations.join("\n")}\n}`);
  }
  return out;
}

const text = [
  "/* Generated from src/styles.css by scripts/dark-theme.mjs: edit those, not this file. */",
  ...rules(strip(readFileSync(source, "utf8"))),
  "",
].join("\n");

let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  // first run
}
if (current !== text) writeFileSync(target, text);
