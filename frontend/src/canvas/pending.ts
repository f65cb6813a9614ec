// A reviewer's pending challenges (GET/POST /api/boards/{id}/reviews/pending/): written on the
// newest version, stored outside the log and shown to their author alone until the review is
// submitted, when they land for everyone in one batch. On the board they show like the live
// threads, marked "Pending". Pure.
import type { Annotation, AnnotationKind, Annotations } from "../sync";

export interface PendingComment {
  readonly id: string;
  readonly layer: "challenges";
  readonly target: string | null;
  readonly kind: AnnotationKind;
  readonly text: string;
  /** The version it is written on. */
  readonly version: number;
  readonly created_at: string;
}

/** A pending comment in the shape of an annotation, so badges, lists and threads show it. */
export type PendingAnnotation = Annotation & { readonly pending: true };

export function isPending(annotation: Annotation): annotation is PendingAnnotation {
  return (annotation as Partial<PendingAnnotation>).pending === true;
}

function pendingAnnotation(comment: PendingComment, author: string): PendingAnnotation {
  return {
    id: comment.id,
    layer: "challenges",
    target: comment.target,
    kind: comment.kind,
    text: comment.text,
    author,
    prompted: true,
    status: "open",
    snapshot: null,
    // After everything live: it is not on the log yet.
    raised_seq: Number.MAX_SAFE_INTEGER,
    answered_seq: null,
    created_at: comment.created_at,
    updated_at: comment.created_at,
    replies: [],
    version: comment.version,
    pending: true,
  };
}

/**
 * The annotations I see: the live ones plus my pending ones. A pending comment whose id is
 * live already (the review just landed) is the live one now.
 */
export function withPending(annotations: Annotations, pending: readonly PendingComment[], author: string): Annotations {
  if (!pending.length) return annotations;
  const merged = new Map(annotations);
  for (const comment of pending) if (!merged.has(comment.id)) merged.set(comment.id, pendingAnnotation(comment, author));
  return merged;
}

/** My pending comments not yet released (those whose ids went live are gone from the draft). */
export function stillPending(pending: readonly PendingComment[], annotations: Annotations): PendingComment[] {
  return pending.filter((comment) => !annotations.has(comment.id));
}

/**
 * After my review is submitted: each pending comment under the id it was published with. A
 * draft id is mine alone, so the server publishes it as it is unless a thread on the board
 * already has it, when it picks a fresh one (`published`, by draft id).
 */
export function asPublished(pending: readonly PendingComment[], published: Readonly<Record<string, string>>): PendingComment[] {
  return pending.map((comment) => {
    const id = published[comment.id];
    return id === undefined || id === comment.id ? comment : { ...comment, id };
  });
}
