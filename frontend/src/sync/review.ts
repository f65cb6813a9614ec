// The review state of a board, as on a pull request, with the server's rules
// (reviews/verdicts.py board_state, review_services._commit_verdict): a `verdict`
// op in a public batch records the sender's review of a version. Pure and never mutates.

import type { Review, ReviewState, ReviewStateName, VerdictOp } from "./protocol";

export const NO_REVIEW: ReviewState = { state: "none", reviews: [] };

/**
 * `none`, `in_review`, `changes_requested` or `approved` from each reviewer's latest review:
 * a reviewer who requested changes holds the board until they approve a later version; it is
 * approved once every reviewer's latest review approves. (Reviews of one version keep their order.)
 */
export function boardState(reviews: readonly Pick<Review, "reviewer" | "version" | "verdict">[]): ReviewStateName {
  const latest = new Map<string, string>();
  const blocking = new Set<string>();
  // A stable sort by version, as Python's sorted() is.
  const ordered = reviews.map((review, index) => ({ review, index })).sort((a, b) => a.review.version - b.review.version || a.index - b.index);
  for (const { review } of ordered) {
    latest.set(review.reviewer, review.verdict);
    if (review.verdict === "request_changes") blocking.add(review.reviewer);
    else if (review.verdict === "approve") blocking.delete(review.reviewer);
  }
  if (!latest.size) return "none";
  if (blocking.size) return "changes_requested";
  if ([...latest.values()].every((verdict) => verdict === "approve")) return "approved";
  return "in_review";
}

export function isVerdictOp(op: { readonly op: string }): op is VerdictOp {
  return op.op === "verdict";
}

/**
 * Apply the verdict ops of a stored batch: the sender's review of that version gets the verdict,
 * the summary and the batch's time and seq (created if it was not requested; its name then comes
 * from the participants list, so it is left empty here); their unsubmitted requests of older
 * versions are superseded and dropped; the board state is recomputed.
 */
export function applyVerdicts(
  state: ReviewState,
  ops: readonly { readonly op: string }[],
  batch: { readonly participant: string; readonly at: string; readonly seq: number },
): ReviewState {
  const verdicts = ops.filter(isVerdictOp);
  if (!verdicts.length) return state;
  let reviews = state.reviews;
  for (const op of verdicts) {
    const mine = (r: Review) => r.reviewer === batch.participant;
    const existing = reviews.find((r) => mine(r) && r.version === op.version);
    const review: Review = {
      reviewer: batch.participant,
      reviewer_name: existing?.reviewer_name ?? reviews.find(mine)?.reviewer_name ?? "",
      version: op.version,
      verdict: op.verdict,
      summary: op.summary,
      submitted_at: batch.at,
      submitted_seq: batch.seq,
    };
    const superseded = (r: Review) => mine(r) && r.submitted_at === null && r.version < op.version;
    reviews = existing
      ? reviews.filter((r) => !superseded(r)).map((r) => (r === existing ? review : r))
      : [...reviews.filter((r) => !superseded(r)), review];
  }
  return { state: boardState(reviews), reviews };
}

/** Each reviewer's newest review (the one that counts for the board state), newest version last. */
export function latestReviews(state: ReviewState): Review[] {
  const latest = new Map<string, Review>();
  for (const review of state.reviews) {
    const current = latest.get(review.reviewer);
    if (!current || review.version >= current.version) latest.set(review.reviewer, review);
  }
  return [...latest.values()];
}
