// Undo and redo of the user's own changes, as inverse batches.
//
// An entry remembers, for each element a local batch touched, what it was
// before and after. Undoing computes ops against the board as it is *now*:
//   - a property is restored only if it still holds the value we gave it
//     (someone else changed it since: theirs stays);
//   - an element we added is deleted, unless someone else's arrow now hangs
//     on it (that would delete their work: the undo is refused);
//   - an element we deleted is re-added with the same id, if nobody re-used it.
// Undo never reverts other people's work; it only ever writes ops, so it syncs
// like any other change. It covers the canvas only: annotations are not canvas
// state, so a candidate's undo never touches an interviewer's challenge.

import { type Elements, FIELDS } from "./ops";
import type { CanvasOp, Element, ElementProps } from "./protocol";

export interface Change {
  readonly before: Element | null;
  readonly after: Element | null;
}

export interface Entry {
  readonly changes: ReadonlyMap<string, Change>;
  /** Entries with the same key in a row merge (typing into one field). */
  readonly key?: string;
  readonly batchIds: readonly string[];
}

export interface Revert {
  readonly ops: CanvasOp[];
  /** Why the entry cannot be reverted without touching others' work, if so. */
  readonly blocked?: string;
}

const FIXED = new Set(["id", "kind"]);

/**
 * An optional field absent on the side we go back to (a `credit` or `group` first set by the
 * change) can only be cleared, with "", where its field takes "": an update cannot remove a key.
 */
function clears(kind: Element["kind"], key: string): boolean {
  const check = (FIELDS[kind] as Readonly<Record<string, (value: unknown, path: string) => unknown>>)[key];
  if (!check) return false;
  try {
    check("", key);
    return true;
  } catch {
    return false;
  }
}

export function changesOf(before: Elements, after: Elements, touched: Iterable<string>): Map<string, Change> {
  const changes = new Map<string, Change>();
  for (const id of touched) {
    const was = before.get(id) ?? null;
    const now = after.get(id) ?? null;
    if (was !== now) changes.set(id, { before: was, after: now });
  }
  return changes;
}

function same(a: unknown, b: unknown): boolean {
  return a === b;
}

function describe(element: Element): string {
  const label = element.kind === "note" ? element.text : element.label;
  const name = label.trim() ? `“${label.trim().slice(0, 40)}”` : `this ${element.kind}`;
  return name;
}

/**
 * Ops that take `current` from the `from` side of the changes back to the `to` side,
 * touching only what still holds our values.
 */
export function revert(changes: ReadonlyMap<string, Change>, current: Elements, direction: "undo" | "redo"): Revert {
  const adds: Element[] = [];
  const updates: CanvasOp[] = [];
  const deletes: string[] = [];
  for (const [id, change] of changes) {
    const from = direction === "undo" ? change.after : change.before;
    const to = direction === "undo" ? change.before : change.after;
    const now = current.get(id);
    if (from && !to) {
      if (now) deletes.push(id);
    } else if (!from && to) {
      if (!now) adds.push(to);
    } else if (from && to && now && now.kind === to.kind) {
      const props: Record<string, unknown> = {};
      const fromRecord = from as unknown as Record<string, unknown>;
      const toRecord = to as unknown as Record<string, unknown>;
      const nowRecord = now as unknown as Record<string, unknown>;
      for (const key of Object.keys(toRecord)) {
        if (FIXED.has(key) || same(fromRecord[key], toRecord[key])) continue;
        if (same(nowRecord[key], fromRecord[key])) props[key] = toRecord[key];
      }
      for (const key of Object.keys(fromRecord)) {
        if (key in toRecord || fromRecord[key] === "" || !same(nowRecord[key], fromRecord[key])) continue;
        if (clears(to.kind, key)) props[key] = "";
      }
      if (Object.keys(props).length) updates.push({ op: "update", id, props: props as ElementProps });
    }
  }

  // Deleting a component deletes the arrows on it: refuse if any of those is not ours to delete.
  const deleting = new Set(deletes);
  for (const id of deletes) {
    const element = current.get(id);
    if (element?.kind !== "component") continue;
    for (const other of current.values()) {
      if (other.kind === "arrow" && (other.source === id || other.target === id) && !deleting.has(other.id)) {
        return {
          ops: [],
          blocked: `Cannot undo adding ${describe(element)}: someone else has connected to it since.`,
        };
      }
    }
  }

  // Frames before the boxes in them, components before the arrows that need them; an arrow whose end is gone is left out.
  const exists = (id: string) => (current.has(id) && !deleting.has(id)) || adds.some((e) => e.id === id);
  const ordered = [
    ...adds.filter((e) => e.kind === "frame"),
    ...adds.filter((e) => e.kind !== "arrow" && e.kind !== "frame"),
    ...adds.filter((e) => e.kind === "arrow" && exists(e.source) && exists(e.target)),
  ];
  const arrowsFirst = deletes.sort((a, b) => Number(current.get(b)?.kind === "arrow") - Number(current.get(a)?.kind === "arrow"));
  return {
    ops: [
      ...ordered.map((element): CanvasOp => ({ op: "add", element })),
      ...updates,
      ...arrowsFirst.map((id): CanvasOp => ({ op: "delete", id })),
    ],
  };
}

export class History {
  private undoStack: Entry[] = [];
  private redoStack: Entry[] = [];

  constructor(private readonly limit = 200) {}

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** The merge key of the entry undo would take next. */
  get topKey(): string | undefined {
    return this.undoStack[this.undoStack.length - 1]?.key;
  }

  /** A new local change: it can be undone, and whatever was undone can no longer be redone. */
  record(entry: Entry): void {
    if (!entry.changes.size) return;
    this.redoStack = [];
    this.push(this.undoStack, entry);
  }

  /** The entry to undo next (removed from the stack). */
  takeUndo(): Entry | undefined {
    return this.undoStack.pop();
  }

  takeRedo(): Entry | undefined {
    return this.redoStack.pop();
  }

  /** The batch that undid an entry: redo can replay it. */
  pushRedo(entry: Entry): void {
    if (entry.changes.size) this.redoStack.push(entry);
  }

  /** The batch that redid an entry: undo can revert it again. */
  pushUndo(entry: Entry): void {
    this.push(this.undoStack, entry);
  }

  /** The server refused a batch: nothing of it happened, so there is nothing to undo. */
  forget(batchId: string): void {
    const keep = (entry: Entry) => !entry.batchIds.includes(batchId);
    this.undoStack = this.undoStack.filter(keep);
    this.redoStack = this.redoStack.filter(keep);
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  private push(stack: Entry[], entry: Entry): void {
    const top = stack[stack.length - 1];
    if (top && entry.key !== undefined && top.key === entry.key) {
      stack[stack.length - 1] = merge(top, entry);
    } else {
      stack.push(entry);
      if (stack.length > this.limit) stack.shift();
    }
  }
}

/** One entry for two consecutive ones: the earlier `before`, the later `after`. */
export function merge(first: Entry, second: Entry): Entry {
  const changes = new Map(first.changes);
  for (const [id, change] of second.changes) {
    const earlier = changes.get(id);
    changes.set(id, earlier ? { before: earlier.before, after: change.after } : change);
  }
  return {
    changes,
    batchIds: [...first.batchIds, ...second.batchIds],
    ...(second.key === undefined ? {} : { key: second.key }),
  };
}
