// The interview vocabulary: phases, ledger entry kinds, session states, replay
// markers, and the clock's face. Same words as the protocol.
import { CircleQuestionMark, Flag, History, type IconNode, Lightbulb, MessageCircleQuestionMark, MessageSquareReply, Ruler, Shuffle, Signpost, Target, Timer, TriangleAlert } from "lucide";

import type { LedgerKind, MarkerType, Phase, SessionStatus } from "../sync";

export const PHASE_INFO: Readonly<Record<Phase, { readonly name: string; readonly hint: string }>> = {
  requirements: { name: "Requirements", hint: "Scope, users, scale and constraints" },
  high_level: { name: "High-level design", hint: "The main components and how data flows" },
  deep_dive: { name: "Deep dive", hint: "One or two parts in depth: failure, scaling, trade-offs" },
  wrap_up: { name: "Wrap-up", hint: "What is missing, what comes next" },
};

export interface EntryKindInfo {
  readonly kind: LedgerKind;
  readonly name: string;
  readonly icon: IconNode;
  /** What the new-entry box suggests. */
  readonly placeholder: string;
  /** What the answer box suggests to the interviewer. */
  readonly answerHint: string;
}

export const ENTRY_KINDS: readonly EntryKindInfo[] = [
  {
    kind: "question",
    name: "Question",
    icon: MessageCircleQuestionMark,
    placeholder: "How many daily active users?",
    answerHint: "Answer the question…",
  },
  {
    kind: "assumption",
    name: "Assumption",
    icon: Lightbulb,
    placeholder: "Reads outnumber writes 100 to 1",
    answerHint: "Confirm or correct it…",
  },
  {
    kind: "constraint",
    name: "Constraint",
    icon: Ruler,
    placeholder: "p99 latency under 200 ms",
    answerHint: "Confirm or correct it…",
  },
  {
    kind: "decision",
    name: "Decision",
    icon: Signpost,
    placeholder: "We chose Postgres over DynamoDB because…",
    answerHint: "Ask about it or note it…",
  },
  {
    kind: "outcome",
    name: "Outcome",
    icon: Target,
    placeholder: "Checkout p99 went from 2 s to 300 ms",
    answerHint: "Ask about it or note it…",
  },
  {
    kind: "hindsight",
    name: "Hindsight",
    icon: History,
    placeholder: "I would have split the queue per tenant from day one",
    answerHint: "Ask about it or note it…",
  },
  {
    kind: "unknown",
    name: "Don't know",
    icon: CircleQuestionMark,
    placeholder: "I haven't used Kafka at scale; I'd check its throughput per partition",
    answerHint: "Add what would settle it…",
  },
];

/** The kinds a design interview's ledger offers (what you don't know is welcome in any); a walkthrough offers them all. */
export const DESIGN_ENTRY_KINDS: readonly LedgerKind[] = ["question", "assumption", "constraint", "unknown"];

export const ENTRY_KIND_INFO: Readonly<Record<LedgerKind, EntryKindInfo>> = Object.fromEntries(
  ENTRY_KINDS.map((info) => [info.kind, info]),
) as Record<LedgerKind, EntryKindInfo>;

export const STATUS_NAMES: Readonly<Record<SessionStatus, string>> = {
  idle: "Not started",
  running: "Running",
  paused: "Paused",
  ended: "Ended",
};

export const MARKER_INFO: Readonly<Record<MarkerType, { readonly name: string; readonly icon: IconNode }>> = {
  session: { name: "Session", icon: Timer },
  phase: { name: "Phase", icon: Flag },
  question: { name: "Question", icon: MessageCircleQuestionMark },
  challenge: { name: "Challenge", icon: TriangleAlert },
  answer: { name: "Answer", icon: MessageSquareReply },
  scenario: { name: "Scenario card", icon: Shuffle },
};

/** Under five minutes left the clock turns amber; over time, red. */
const WARN_SECONDS = 5 * 60;

export type ClockTone = "idle" | "ok" | "warning" | "over";

export function clockTone(status: SessionStatus, remaining: number): ClockTone {
  if (status === "idle") return "idle";
  if (remaining < 0) return "over";
  return remaining < WARN_SECONDS ? "warning" : "ok";
}

/** mm:ss of the time left, "-mm:ss" once over (whole seconds, rounded towards the deadline). */
export function formatClock(remaining: number): string {
  const over = remaining < 0;
  const total = over ? Math.floor(-remaining) : Math.ceil(remaining);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${over && total > 0 ? "-" : ""}${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/** "12 minutes 5 seconds left", "3 minutes over": for screen readers. */
export function spokenClock(remaining: number): string {
  const over = remaining < 0;
  const total = over ? Math.floor(-remaining) : Math.ceil(remaining);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [minutes ? `${minutes} minute${minutes === 1 ? "" : "s"}` : "", seconds || !minutes ? `${seconds} second${seconds === 1 ? "" : "s"}` : ""];
  return `${parts.filter(Boolean).join(" ")} ${over ? "over" : "left"}`;
}

/** Interview time as m:ss into the session ("12:04 in"). */
export function formatUsed(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** A wall-clock time, to the second, in the viewer's locale. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
