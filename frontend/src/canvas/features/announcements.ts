// Telling the user, in toasts, what happened that they did not do: a batch the server refused
// (once per burst), and what others did that waits for them: a challenge raised or reopened
// (for the challenged side), an answer to their challenge or ledger entry, a verdict, the
// clock and the phase moving, a new ledger entry (for those who answer). No React.
import {
  type BatchMessage,
  canAnswer,
  canKeepClock,
  type InterviewOp,
  isAnnotationOp,
  isChallengedSide,
  isInterviewOp,
  SESSION_LIMITS,
} from "../../sync";
import { KIND_INFO } from "../annotationCatalog";
import { ENTRY_KIND_INFO, PHASE_INFO } from "../interviewCatalog";
import { VERDICT_INFO } from "../reviewCatalog";
import type { BoardCore } from "./core";

export class Announcements {
  constructor(private readonly core: BoardCore) {}

  /** Follow the board (until the returned function is called). */
  start(): () => void {
    return this.core.client.onEvent((event) => {
      if (event.type === "rejected") {
        if (event.retryable) {
          this.core.toastOnce("info", "The server is busy", `${event.message} Your change will be sent again.`);
        } else if (event.ops) {
          this.core.toastOnce("error", "Change rolled back", event.message);
        } else {
          this.core.toastOnce("error", "The server refused a message", event.message);
        }
      } else if (event.type === "remote") {
        // The client tells us before it recomputes the board: look once it has.
        queueMicrotask(() => this.announce(event.batch));
      }
    });
  }

  /**
   * Say what others did that waits for me: a challenge raised (or reopened) for the challenged
   * side, whose badge pulses too; an answer to a challenge I raised.
   */
  private announce(batch: BatchMessage): void {
    const actor = this.core.client.actor;
    // My own batches can arrive as remote ones when the server wrote them for me (a review
    // submitted over REST); what I did myself is not news.
    if (!actor || batch.participant === actor.participant) return;
    const challenged = isChallengedSide(actor.role, actor.mode);
    const who = this.core.client.getSnapshot().participants.get(batch.participant)?.name ?? "Someone";
    const toast = this.core.toast.bind(this.core);
    for (const op of batch.ops) {
      if (isInterviewOp(op)) {
        this.announceInterview(op, who, batch.participant);
        continue;
      }
      if (op.op === "verdict") {
        toast(op.verdict === "request_changes" ? "error" : "info", `${who}: ${VERDICT_INFO[op.verdict].name}`, op.summary || `Review of version ${op.version}`);
        continue;
      }
      const annotation = isAnnotationOp(op) && op.op !== "annotate" ? this.core.annotations.get(op.annotation) : undefined;
      if (challenged && op.op === "annotate" && op.annotation.layer === "challenges") {
        toast("info", `${who} asks: ${KIND_INFO[op.annotation.kind].name}`, op.annotation.text);
      } else if (challenged && op.op === "set_status" && op.status === "reopened" && annotation?.layer === "challenges") {
        toast("info", `${who} reopened a challenge`, annotation.text);
      } else if (op.op === "reply" && annotation?.author === actor.participant && annotation.answered_seq === op.reply.seq) {
        // This reply is the one that turned my challenge answered.
        toast("info", `${who} answered`, op.reply.text);
      }
    }
  }

  /** Someone else moved the clock or the phase, asked something, or answered what I asked. */
  private announceInterview(op: InterviewOp, who: string, author: string): void {
    const actor = this.core.client.actor;
    if (!actor) return;
    const keeper = canKeepClock(actor.role);
    const toast = this.core.toast.bind(this.core);
    switch (op.op) {
      case "session": {
        if (op.action === "start") {
          toast("info", `${who} started the interview`, `${op.minutes ?? SESSION_LIMITS.defaultMinutes} minutes, beginning with requirements.`);
        } else if (op.action === "pause") toast("info", `${who} paused the clock`, "Only the time stops: the board stays editable.");
        else if (op.action === "end") {
          toast("info", "The interview has ended", keeper ? "The board is closed to the candidate until you reopen it." : "The board is now read-only.");
        } else toast("info", `${who} resumed the interview`, keeper ? undefined : "The clock is running.");
        return;
      }
      case "phase":
        toast("info", `Phase: ${PHASE_INFO[op.phase].name}`, PHASE_INFO[op.phase].hint);
        return;
      case "requirement":
        if (canAnswer(actor.role) && author !== actor.participant) {
          const kind = ENTRY_KIND_INFO[op.entry.kind].name.toLowerCase();
          toast("info", `${who} added ${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`, op.entry.text);
        }
        return;
      case "answer_requirement": {
        const entry = this.core.client.getSnapshot().requirements.get(op.entry);
        if (entry?.author === actor.participant) toast("info", `${who} answered`, op.text);
        return;
      }
      case "link_requirement":
        return;
    }
  }
}
