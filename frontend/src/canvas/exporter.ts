// Export the board: JSON (importable into a new board), SVG and PNG drawn from
// the same elements and geometry as the canvas. The SVG is built with DOM
// calls and text nodes, so user text can never become markup.
import type { IconNode } from "lucide";

import type { BoardMeta, ComponentElement, Element, Elements, FrameElement, NoteElement } from "../sync";
import { TYPE_INFO } from "./catalog";
import { bounds, type Rect } from "./geometry";
import { type BoardArrow, pathOf, routeBoard } from "./routing";

const SVG_NS = "http://www.w3.org/2000/svg";
const FONT = "Inter, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";
const PADDING = 48;

export interface ExportDocument {
  readonly format: "bothsides";
  readonly version: 1;
  readonly board: { readonly title: string; readonly prompt: string; readonly mode: BoardMeta["mode"] };
  readonly elements: readonly Element[];
}

/** Components and notes first, then arrows (which need them), as the importer expects. */
export function exportDocument(board: Pick<BoardMeta, "title" | "prompt" | "mode">, elements: Elements): ExportDocument {
  const all = [...elements.values()];
  return {
    format: "bothsides",
    version: 1,
    board: { title: board.title, prompt: board.prompt, mode: board.mode },
    elements: [...all.filter((e) => e.kind !== "arrow"), ...all.filter((e) => e.kind === "arrow")],
  };
}

let measureContext: CanvasRenderingContext2D | null = null;

function measure(text: string, font: string): number {
  measureContext ??= document.createElement("canvas").getContext("2d");
  if (!measureContext) return text.length * 7;
  measureContext.font = font;
  return measureContext.measureText(text).width;
}

/** Shorten text with an ellipsis to fit `width`. */
export function fit(text: string, font: string, width: number): string {
  if (measure(text, font) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join("")}…`, font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join("").trimEnd()}…`;
}

/** Break text into lines of at most `width`, at most `max` lines. */
function wrap(text: string, font: string, width: number, max: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/(\s+)/)) {
      const next = line + word;
      if (line && measure(next.trimEnd(), font) > width) {
        lines.push(line.trimEnd());
        line = word.trimStart();
      } else line = next;
    }
    lines.push(line.trimEnd());
    if (lines.length >= max) break;
  }
  if (lines.length > max) lines.length = max;
  return lines.map((l) => fit(l, font, width));
}

type Attrs = Record<string, string | number | undefined>;

function el(tag: string, attrs: Attrs = {}, parent?: SVGElement): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, String(value));
  parent?.appendChild(node);
  return node;
}

function text(parent: SVGElement, content: string, attrs: Attrs): SVGElement {
  const node = el("text", attrs, parent);
  node.textContent = content;
  return node;
}

function icon(parent: SVGElement, nodes: IconNode, x: number, y: number, size: number, color: string): void {
  const g = el(
    "g",
    {
      transform: `translate(${x} ${y}) scale(${size / 24})`,
      fill: "none",
      stroke: color,
      "stroke-width": 2,
      "stroke-linecap": "round",
      "stroke-linejoin": "round",
    },
    parent,
  );
  for (const [tag, attrs] of nodes) el(tag, attrs as Attrs, g);
}

function tint(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function drawComponent(parent: SVGElement, c: ComponentElement): void {
  const info = TYPE_INFO[c.type];
  const g = el("g", { transform: `translate(${c.x} ${c.y})` }, parent);
  if (c.replicas > 1) {
    el("rect", { x: 6, y: 6, width: c.w, height: c.h, rx: 10, fill: "#ffffff", stroke: "#cfd6e0" }, g);
  }
  el(
    "rect",
    {
      width: c.w,
      height: c.h,
      rx: 10,
      fill: "#ffffff",
      stroke: "#cfd6e0",
      "stroke-width": 1.2,
      "stroke-dasharray": c.type === "external" ? "5 4" : undefined,
    },
    g,
  );
  el("rect", { x: 0, y: 10, width: 3, height: Math.max(0, c.h - 20), rx: 1.5, fill: info.color }, g);
  const tile = 34;
  const tileY = Math.max(8, (c.h - tile) / 2);
  el("rect", { x: 12, y: tileY, width: tile, height: tile, rx: 8, fill: tint(info.color, 0.12) }, g);
  icon(g, info.icon, 12 + (tile - 18) / 2, tileY + (tile - 18) / 2, 18, info.color);
  const textX = 12 + tile + 10;
  const width = c.w - textX - (c.replicas > 1 ? 34 : 10);
  const labelFont = `600 14px ${FONT}`;
  const metaFont = `12px ${FONT}`;
  const label = c.label || `Untitled ${info.name.toLowerCase()}`;
  // Like the canvas: the label takes up to two lines, the type and technology one below it.
  const lines = wrap(label, labelFont, width, c.h >= 64 ? 2 : 1);
  const lineHeight = 17;
  const top = c.h / 2 - ((lines.length - 1) * lineHeight) / 2 - 4;
  lines.forEach((line, i) =>
    text(g, line, {
      x: textX,
      y: top + i * lineHeight,
      "font-family": FONT,
      "font-size": 14,
      "font-weight": 600,
      fill: c.label ? "#0f172a" : "#94a3b8",
    }),
  );
  const meta = c.tech ? `${info.name} · ${c.tech}` : info.name;
  text(g, fit(meta, metaFont, width), {
    x: textX,
    y: top + (lines.length - 1) * lineHeight + 17,
    "font-family": FONT,
    "font-size": 12,
    fill: "#64748b",
  });
  if (c.replicas > 1) {
    el("rect", { x: c.w - 38, y: 8, width: 30, height: 18, rx: 9, fill: tint(info.color, 0.12) }, g);
    text(g, `×${c.replicas}`, {
      x: c.w - 23,
      y: 21,
      "text-anchor": "middle",
      "font-family": FONT,
      "font-size": 11,
      "font-weight": 600,
      fill: info.color,
    });
  }
}

/** A frame, as the canvas draws it: a dashed region with its title tab, behind everything. */
function drawFrame(parent: SVGElement, f: FrameElement): void {
  const g = el("g", { transform: `translate(${f.x} ${f.y})` }, parent);
  el("rect", { width: f.w, height: f.h, rx: 12, fill: "rgba(148, 163, 184, 0.07)", stroke: "#94a3b8", "stroke-width": 1.5, "stroke-dasharray": "6 4" }, g);
  const font = `600 12px ${FONT}`;
  const label = fit(f.label || "Untitled frame", font, Math.max(0, f.w - 40));
  const w = Math.min(f.w, measure(label, font) + 20);
  el("path", { d: `M0,12 a12,12 0 0 1 12,-12 H${w} v14 a8,8 0 0 1 -8,8 H0 z`, fill: "#e2e8f0" }, g);
  text(g, label, { x: 10, y: 16, "font-family": FONT, "font-size": 12, "font-weight": 600, fill: f.label ? "#334155" : "#64748b" });
}

function drawNote(parent: SVGElement, n: NoteElement): void {
  const g = el("g", { transform: `translate(${n.x} ${n.y})` }, parent);
  el("rect", { width: n.w, height: n.h, rx: 6, fill: "#fef3c7", stroke: "#f2c94c" }, g);
  const font = `13px ${FONT}`;
  const lines = wrap(n.text || "", font, n.w - 24, Math.max(1, Math.floor((n.h - 16) / 18)));
  lines.forEach((line, i) => text(g, line, { x: 12, y: 24 + i * 18, "font-family": FONT, "font-size": 13, fill: "#713f12" }));
}

/** The whole board as an SVG element (not attached to the page). */
export function buildSvg(elements: Elements, title: string): { svg: SVGSVGElement; width: number; height: number } {
  const rects = new Map<string, Rect>();
  for (const e of elements.values()) if (e.kind !== "arrow") rects.set(e.id, { x: e.x, y: e.y, w: e.w, h: e.h });
  const box = bounds(rects.values()) ?? { x: 0, y: 0, w: 320, h: 200 };
  const x = box.x - PADDING;
  const y = box.y - PADDING;
  const width = Math.ceil(box.w + PADDING * 2);
  const height = Math.ceil(box.h + PADDING * 2);
  const svg = el("svg", {
    xmlns: SVG_NS,
    width,
    height,
    viewBox: `${x} ${y} ${width} ${height}`,
    "font-family": FONT,
  }) as SVGSVGElement;
  const titleNode = el("title", {}, svg);
  titleNode.textContent = title;
  const defs = el("defs", {}, svg);
  const marker = el(
    "marker",
    { id: "arrowhead", viewBox: "0 0 12 12", refX: 10, refY: 6, markerWidth: 12, markerHeight: 12, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" },
    defs,
  );
  el("path", { d: "M1,1.5 L10.5,6 L1,10.5 z", fill: "#64748b" }, marker);
  el("rect", { x, y, width, height, fill: "#f8fafc" }, svg);

  const frames = el("g", {}, svg);
  const notes = el("g", {}, svg);
  const arrows = el("g", { fill: "none" }, svg);
  const nodes = el("g", {}, svg);
  const labels = el("g", {}, svg);
  const arrowList: BoardArrow[] = [];
  const byId = new Map<string, Element>();
  // Frames are not obstacles: arrows route round components and notes only, and may cross frames.
  const obstacles = new Map<string, Rect>();
  const regions = [...elements.values()].filter((e): e is FrameElement => e.kind === "frame");
  for (const f of regions.sort((a, b) => b.w * b.h - a.w * a.h)) drawFrame(frames, f);
  for (const e of elements.values()) {
    if (e.kind === "note") (drawNote(notes, e), obstacles.set(e.id, rects.get(e.id)!));
    else if (e.kind === "component") (drawComponent(nodes, e), obstacles.set(e.id, rects.get(e.id)!));
    else if (e.kind === "frame") continue; // drawn above, largest first
    else (arrowList.push(e), byId.set(e.id, e));
  }
  // The canvas's routes (the same router the canvas and the server draw with).
  for (const routed of routeBoard(obstacles, arrowList)) {
    const e = byId.get(routed.id);
    if (!e || e.kind !== "arrow") continue;
    el(
      "path",
      {
        d: pathOf(routed.points),
        stroke: "#64748b",
        "stroke-width": 1.6,
        "stroke-dasharray": e.style === "async" ? "6 5" : undefined,
        "marker-end": "url(#arrowhead)",
      },
      arrows,
    );
    if (e.label && routed.label) {
      const [lx, ly] = routed.label;
      const font = `500 12px ${FONT}`;
      const label = fit(e.label, font, 220);
      const w = measure(label, font) + 14;
      el("rect", { x: lx - w / 2, y: ly - 11, width: w, height: 22, rx: 11, fill: "#ffffff", stroke: "#dbe1ea" }, labels);
      text(labels, label, {
        x: lx,
        y: ly + 4,
        "text-anchor": "middle",
        "font-family": FONT,
        "font-size": 12,
        "font-weight": 500,
        fill: "#334155",
      });
    }
  }
  return { svg, width, height };
}

export function svgMarkup(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** Render SVG markup to a PNG at `scale` (2 = crisp on high-density screens). */
export async function svgToPng(markup: string, width: number, height: number, scale = 2): Promise<Blob> {
  const limit = 16000;
  const factor = Math.min(scale, limit / width, limit / height);
  const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.decoding = "async";
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("The image could not be drawn."));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.floor(width * factor));
    canvas.height = Math.max(1, Math.floor(height * factor));
    const context = canvas.getContext("2d");
    if (!context) throw new Error("This browser cannot draw images.");
    context.scale(factor, factor);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The image could not be encoded."))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
