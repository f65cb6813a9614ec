// Groups on a board: which boxes share a `group` (absent or "" is none), and a selection seen
// as units (a lone box, or a whole group) for moving and arranging. Pure.
import type { Element, Elements } from "../sync";
import type { Rect } from "./geometry";
import { bounds } from "./snap";

/** The group a box is in, or null. */
export function groupOf(element: Element | undefined): string | null {
  if (!element || element.kind === "arrow") return null;
  return element.group ? element.group : null;
}

let cached: { elements: Elements; members: Map<string, string[]> } | null = null;

/**
 * Each group's member ids. Boards are immutable snapshots, so the last board's answer is kept:
 * a drag asks on every pointer move and pays for the scan once per change of the board.
 */
export function membersByGroup(elements: Elements): ReadonlyMap<string, readonly string[]> {
  if (cached?.elements === elements) return cached.members;
  const members = new Map<string, string[]>();
  for (const e of elements.values()) {
    const group = groupOf(e);
    if (group === null) continue;
    const list = members.get(group);
    if (list) list.push(e.id);
    else members.set(group, [e.id]);
  }
  cached = { elements, members };
  return members;
}

/** The ids grouped with `id` (itself included), or just `id` when it is in no group. */
export function withGroup(id: string, elements: Elements): readonly string[] {
  const group = groupOf(elements.get(id));
  return group === null ? [id] : (membersByGroup(elements).get(group) ?? [id]);
}

/**
 * A selection after a change, grown to whole groups: a box newly selected brings its group, and
 * a box newly deselected takes its group with it (a group is selected or not as one).
 */
export function wholeGroups(before: ReadonlySet<string>, after: ReadonlySet<string>, elements: Elements): Set<string> {
  const out = new Set(after);
  for (const id of before) if (!after.has(id)) for (const mate of withGroup(id, elements)) out.delete(mate);
  for (const id of after) if (!before.has(id)) for (const mate of withGroup(id, elements)) out.add(mate);
  return out;
}

/** A lone box or a whole group within the selection: its member ids and the box around them. */
export interface Unit {
  readonly members: readonly string[];
  readonly rect: Rect;
}

/** The selected boxes (arrows ignored) as units, keyed by the group id or the lone box's id. */
export function unitsOf(selected: Iterable<string>, elements: Elements): Map<string, Unit> {
  const units = new Map<string, Unit>();
  for (const id of selected) {
    const element = elements.get(id);
    if (!element || element.kind === "arrow") continue;
    const group = groupOf(element);
    const key = group === null ? id : `group:${group}`;
    if (units.has(key)) continue;
    const members = group === null ? [id] : withGroup(id, elements);
    const rect = bounds(members.flatMap((m) => {
      const e = elements.get(m);
      return e && e.kind !== "arrow" ? [{ x: e.x, y: e.y, w: e.w, h: e.h }] : [];
    }));
    if (rect) units.set(key, { members, rect });
  }
  return units;
}
