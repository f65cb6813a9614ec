// What the annotation UI derives from the board: which annotations show, in
// what order, grouped by target, and which are new to me. Pure.
import { type Actor, type Annotation, type Annotations, isChallengedSide, isUnanswered } from "../sync";
import type { LayerVisibility } from "./store";

/** The annotations in the layers that show, what needs attention first. */
export function visibleAnnotations(annotations: Annotations, layers: LayerVisibility): Annotation[] {
  return [...annotations.values()].filter((a) => layers[a.layer]).sort(byUrgency);
}

/** Challenges waiting for an answer, then answered ones, then notes and hints, resolved last. */
function rank(annotation: Annotation): number {
  if (annotation.status === "resolved") return 3;
  if (isUnanswered(annotation)) return 0;
  return annotation.layer === "challenges" ? 1 : 2;
}

/** By rank, then in the order raised. */
function byUrgency(a: Annotation, b: Annotation): number {
  return rank(a) - rank(b) || a.raised_seq - b.raised_seq || a.created_at.localeCompare(b.created_at);
}

export function byTarget(list: readonly Annotation[]): Map<string | null, Annotation[]> {
  const groups = new Map<string | null, Annotation[]>();
  for (const annotation of list) {
    const group = groups.get(annotation.target);
    if (group) group.push(annotation);
    else groups.set(annotation.target, [annotation]);
  }
  return groups;
}

/**
 * A challenge waiting for my answer that I have not opened since it last changed: it pulses.
 * Only the challenged side gets these (the candidate; a review board's owner).
 */
export function isNew(annotation: Annotation, actor: Actor | null, seen: ReadonlyMap<string, string>): boolean {
  return (
    actor !== null &&
    isChallengedSide(actor.role, actor.mode) &&
    isUnanswered(annotation) &&
    annotation.author !== actor.participant &&
    seen.get(annotation.id) !== annotation.updated_at
  );
}

/** Challenges waiting for the challenged side's answer (whatever layers show: it is their to-do list). */
export function unansweredCount(annotations: Annotations): number {
  let n = 0;
  for (const annotation of annotations.values()) if (isUnanswered(annotation)) n++;
  return n;
}
