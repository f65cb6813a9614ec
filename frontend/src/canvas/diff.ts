// A semantic diff between two versions (GET /api/boards/{id}/diff/?from=&to=), and how it
// shows on the canvas: added green, changed amber with the fields listed, removed red and
// ghosted (drawn from the old version, never part of the board). Pure.
import type { Element, Elements, Kind } from "../sync";
import type { Mark, Marks } from "./overlay";

export interface ChangedElement {
  readonly id: string;
  readonly kind: Kind;
  readonly fields: readonly string[];
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
}

export interface Diff {
  readonly added: readonly Element[];
  readonly removed: readonly Element[];
  readonly changed: readonly ChangedElement[];
}

/** One end of a comparison: a version number, or the live board. */
export type VersionRef = number | "now";

/** A ghost's id: element ids never hold a colon, so it cannot clash with a real one. */
const GHOST_PREFIX = "removed:";

export function ghostId(id: string): string {
  return `${GHOST_PREFIX}${id}`;
}

export function isGhost(id: string): boolean {
  return id.startsWith(GHOST_PREFIX);
}

/**
 * The board a comparison shows: the newer side's elements plus a ghost of every removed
 * element (arrows among ghosts point at the ghosts), and a mark per node or arrow.
 */
export function diffOverlay(elements: Elements, diff: Diff): { readonly elements: Elements; readonly marks: Marks } {
  const marks = new Map<string, Mark>();
  for (const element of diff.added) marks.set(element.id, { diff: "added" });
  for (const change of diff.changed) marks.set(change.id, { diff: "changed", fields: change.fields });
  if (!diff.removed.length) return { elements, marks };
  const shown = new Map(elements);
  // A removed component is gone from the newer side (or its id now names another kind of thing).
  const removedBoxes = new Set(diff.removed.filter((e) => e.kind !== "arrow").map((e) => e.id));
  const end = (id: string) => (removedBoxes.has(id) ? ghostId(id) : id);
  for (const element of diff.removed) {
    const id = ghostId(element.id);
    const ghost: Element = element.kind === "arrow" ? { ...element, id, source: end(element.source), target: end(element.target) } : { ...element, id };
    shown.set(id, ghost);
    marks.set(id, { diff: "removed" });
  }
  return { elements: shown, marks };
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  label: "label",
  type: "type",
  tech: "technology",
  replicas: "replicas",
  notes: "notes",
  connections: "connections",
  source: "from",
  target: "to",
  style: "call style",
  text: "text",
};

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

/** A field's value as a short text (ids in connections named by the lookup). */
export function describeValue(value: unknown, name: (id: string) => string = (id) => id): string {
  if (Array.isArray(value)) return value.length ? value.map((v) => name(String(v))).join(", ") : "none";
  if (typeof value === "string") return value ? `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”` : "nothing";
  return String(value);
}

/** How many changes in all, for a heading. */
export function diffSize(diff: Diff): number {
  return diff.added.length + diff.removed.length + diff.changed.length;
}
