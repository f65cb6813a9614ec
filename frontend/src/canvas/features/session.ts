// The interview session and its requirements ledger: the clock (start, pause, resume or
// reopen, end), the phase, and ledger entries (write, answer, link). Each is its own batch,
// never part of undo. The clock and the phase are live controls that work while a replay
// shows; the ledger is part of the board and refuses a past one. No React.
import { type Phase, type LedgerKind, SESSION_LIMITS } from "../../sync";
import { type BoardCore, newId } from "./core";

export class InterviewSession {
  constructor(private readonly core: BoardCore) {}

  /** Start the clock (the owner and interviewers); the session begins in the requirements phase. */
  startSession(minutes: number = SESSION_LIMITS.defaultMinutes): boolean {
    return this.core.sendUnrecorded([{ op: "session", action: "start", minutes }], true);
  }

  pauseSession(): boolean {
    return this.core.sendUnrecorded([{ op: "session", action: "pause" }], true);
  }

  /** Resume a paused session, or reopen an ended one (the board opens to the candidate again). */
  resumeSession(): boolean {
    return this.core.sendUnrecorded([{ op: "session", action: "resume" }], true);
  }

  /** End the session: the board closes to everyone but the owner and interviewers. */
  endSession(): boolean {
    return this.core.sendUnrecorded([{ op: "session", action: "end" }], true);
  }

  setPhase(phase: Phase): boolean {
    return this.core.sendUnrecorded([{ op: "phase", phase }], true);
  }

  /** Write a ledger entry; returns its id, or null if refused. */
  addRequirement(input: { kind: LedgerKind; text: string; links?: readonly string[] }): string | null {
    const id = newId(input.kind.slice(0, 1));
    const entry = { id, kind: input.kind, text: input.text.trim(), ...(input.links?.length ? { links: [...input.links] } : {}) };
    return this.core.sendUnrecorded([{ op: "requirement", entry }]) ? id : null;
  }

  /** Answer (or re-answer) a ledger entry: the owner and interviewers. */
  answerRequirement(entry: string, text: string): boolean {
    return this.core.sendUnrecorded([{ op: "answer_requirement", entry, text: text.trim() }]);
  }

  /** Replace the elements an entry is linked to. */
  linkRequirement(entry: string, links: readonly string[]): boolean {
    return this.core.sendUnrecorded([{ op: "link_requirement", entry, links: [...links] }]);
  }
}
