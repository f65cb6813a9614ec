// What the canvas paints over the board: a diff between versions (added, removed as
// ghosts, changed) or a failure drill (failed, lost, degraded, unreachable), and the
// single points of failure ranked. One mark per node or arrow id, attributes on the DOM.

export type DiffMark = "added" | "removed" | "changed";
export type DrillMark = "failed" | "lost" | "degraded" | "unreachable";

export interface Mark {
  readonly diff?: DiffMark;
  /** For a changed element: the fields that changed (label, type, tech, replicas, notes, connections…). */
  readonly fields?: readonly string[];
  readonly drill?: DrillMark;
  /** Rank among the single points of failure, 1 = worst. */
  readonly spof?: number;
}

export type Marks = ReadonlyMap<string, Mark>;

export const NO_MARKS: Marks = new Map();

/** Both overlays on one board: marks of the same id are merged (the drill's win on a clash). */
export function mergeMarks(a: Marks, b: Marks): Marks {
  if (!a.size) return b;
  if (!b.size) return a;
  const merged = new Map(a);
  for (const [id, mark] of b) merged.set(id, { ...a.get(id), ...mark });
  return merged;
}
