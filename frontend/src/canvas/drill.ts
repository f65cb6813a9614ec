// The failure drill (GET /api/boards/{id}/analysis/?fail=): its shapes, and how it shows on
// the canvas: the failed component red, what loses function shaded red, what is degraded
// amber, what is no longer reached marked, the rest dimmed; single points of failure ranked.
// Pure.
import type { AnnotationKind, Elements } from "../sync";
import type { DrillMark, Mark, Marks } from "./overlay";

export interface Spof {
  readonly id: string;
  readonly entry_points_cut: number;
  readonly stores_cut: number;
  readonly components_lost: number;
}

export interface Lint {
  readonly code: string;
  readonly elements: readonly string[];
  readonly message: string;
}

export interface Probe {
  readonly target: string | null;
  readonly kind: AnnotationKind;
  readonly text: string;
}

export interface Drill {
  /** The component or frame failed. */
  readonly failed: string;
  /** What went down: the component, or every component in the frame (none for an empty frame). */
  readonly failed_components: readonly string[];
  readonly lost: readonly string[];
  readonly degraded: readonly string[];
  readonly unreachable: readonly string[];
  readonly entry_points_cut: readonly string[];
  readonly stores_cut: readonly string[];
  readonly single_point_of_failure: boolean;
  readonly summary: string;
}

export interface Analysis {
  /** The public seq of the board analysed. */
  readonly seq: number;
  readonly entry_points: readonly string[];
  readonly data_stores: readonly string[];
  readonly spofs: readonly Spof[];
  readonly lints: readonly Lint[];
  readonly probes: readonly Probe[];
  readonly drill?: Drill;
}

/** The marks of one drill (null: none), with the single points of failure ranked when asked. */
export function drillOverlay(drill: Drill | null | undefined, spofs: readonly Spof[] | null): Marks {
  const marks = new Map<string, Mark>();
  const mark = (ids: readonly string[], drillMark: DrillMark) => {
    for (const id of ids) marks.set(id, { drill: drillMark });
  };
  if (drill) {
    mark(drill.unreachable, "unreachable");
    mark(drill.degraded, "degraded");
    mark(drill.lost, "lost");
    mark(drill.failed_components, "failed");
    marks.set(drill.failed, { drill: "failed" });
  }
  spofs?.forEach((spof, i) => marks.set(spof.id, { ...marks.get(spof.id), spof: i + 1 }));
  return marks;
}

/** A component's (or a frame's) name as the drill's summary writes it: its label, or its id when unlabelled. */
export function componentName(elements: Elements, id: string): string {
  const element = elements.get(id);
  return element && (element.kind === "component" || element.kind === "frame") && element.label.trim() ? element.label.trim() : id;
}

/** Names of a list of ids, "A, B and C" (long lists end "and N others"). */
export function names(elements: Elements, ids: readonly string[], max = 6): string {
  const all = ids.map((id) => componentName(elements, id));
  const shown = all.length > max ? [...all.slice(0, max - 1), `${all.length - max + 1} others`] : all;
  if (shown.length < 2) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

const MAX_TEXT = 4000;

/** The challenge a drill becomes: the server's summary, then the question. */
export function drillChallengeText(drill: Drill, elements: Elements): string {
  const question = ` How does the design cope when ${componentName(elements, drill.failed)} goes down?`;
  const summary = drill.summary.length + question.length > MAX_TEXT ? `${drill.summary.slice(0, MAX_TEXT - question.length - 1)}…` : drill.summary;
  return `${summary}${question}`;
}
