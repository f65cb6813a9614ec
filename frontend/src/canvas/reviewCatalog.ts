// The review vocabulary: verdicts and board states, named once. Same words as the protocol.
import type { ReviewStateName, Verdict } from "../sync";

export interface VerdictInfo {
  readonly verdict: Verdict;
  readonly name: string;
  readonly hint: string;
}

export const VERDICT_LIST: readonly VerdictInfo[] = [
  { verdict: "comment", name: "Comment", hint: "Feedback without a decision." },
  { verdict: "approve", name: "Approve", hint: "The design is good to go." },
  { verdict: "request_changes", name: "Request changes", hint: "The design needs changes before it is approved." },
];

export const VERDICT_INFO: Readonly<Record<Verdict, VerdictInfo>> = Object.fromEntries(VERDICT_LIST.map((v) => [v.verdict, v])) as Record<
  Verdict,
  VerdictInfo
>;

/** The badge in the top bar; `none` shows nothing. */
export const STATE_INFO: Readonly<Record<ReviewStateName, { readonly name: string; readonly tone: string }>> = {
  none: { name: "Not in review", tone: "idle" },
  in_review: { name: "In review", tone: "open" },
  changes_requested: { name: "Changes requested", tone: "changes" },
  approved: { name: "Approved", tone: "approved" },
};

/** A requested review not submitted yet. */
export const AWAITING = "Awaiting review";
