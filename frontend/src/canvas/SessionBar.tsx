// The interview session in the top bar: the time left and the phase, for
// everyone; the clock and phase controls for the owner and interviewers only.
// The clock runs on the server's time (the welcome's `now` corrects ours).
import { ChevronDown, Lock, Pause, Play, RotateCcw, Square, Timer, X } from "lucide";
import { useEffect, useId, useRef, useState } from "react";

import { canKeepClock, PHASES, type Phase, remainingSeconds, SESSION_LIMITS, type Session } from "../sync";
import { Icon } from "../ui/Icon";
import { useCore, useInterviewSession, useReplaying, useSync } from "./context";
import { clockTone, formatClock, PHASE_INFO, spokenClock, STATUS_NAMES } from "./interviewCatalog";
import { ScenarioButton } from "./ScenarioDeck";

/** The server's now, ticking twice a second while the clock runs (only then does the face change). */
function useServerNow(running: boolean): number {
  const core = useCore();
  const [now, setNow] = useState(() => core.client.serverNow());
  useEffect(() => {
    setNow(core.client.serverNow());
    if (!running) return;
    const timer = setInterval(() => setNow(core.client.serverNow()), 500);
    return () => clearInterval(timer);
  }, [core, running]);
  return now;
}

function Clock({ session }: { session: Session }) {
  const now = useServerNow(session.status === "running");
  const remaining = remainingSeconds(session, now);
  const tone = clockTone(session.status, remaining);
  // Pause stops the clock only: nobody's editing stops with it, and the face says so.
  const state = session.status === "running" ? null : session.status === "paused" ? "Clock paused" : STATUS_NAMES[session.status];
  const note = session.status === "paused" ? "board stays editable" : null;
  return (
    <span
      className={`bs-clock bs-clock--${tone}${session.status === "paused" ? " is-paused" : ""}`}
      role="timer"
      aria-label={`${spokenClock(remaining)}${state ? `, ${state.toLowerCase()}` : ""}${note ? `; the ${note}` : ""}`}
      title={`${session.minutes}-minute interview${state ? ` · ${state}` : ""}${note ? `: pausing stops the clock only, the ${note}` : ""}`}
    >
      <Icon icon={Timer} size={15} />
      <span className="bs-clock__time" data-testid="session-clock" data-status={session.status} data-tone={tone} aria-hidden="true">
        {formatClock(remaining)}
      </span>
      {state ? (
        <span className="bs-clock__state" aria-hidden="true">
          <span data-testid="session-status">{state}</span>
          {note ? <span className="bs-clock__note">{note}</span> : null}
        </span>
      ) : null}
    </span>
  );
}

function PhaseChip({ session, keeper }: { session: Session; keeper: boolean }) {
  const interview = useInterviewSession();
  const id = useId();
  const phase = session.phase;
  const name = phase ? PHASE_INFO[phase].name : "No phase yet";
  const chip = (
    <span className="bs-phase__name" data-testid="session-phase" data-phase={phase ?? ""}>
      {name}
    </span>
  );
  if (!keeper) {
    return (
      <span className="bs-phase" title={phase ? PHASE_INFO[phase].hint : "The interviewer starts the session"}>
        <span className="bs-visually-hidden">Phase: </span>
        {chip}
      </span>
    );
  }
  // A native select over the chip: the chip is what shows, the select is what works (keyboard, screen readers, tests).
  return (
    <label className={`bs-phase is-switchable${session.status === "idle" ? " is-disabled" : ""}`} htmlFor={id} title="Move to another phase">
      {chip}
      <Icon icon={ChevronDown} size={14} />
      <select
        id={id}
        className="bs-phase__select"
        aria-label="Phase"
        value={phase ?? ""}
        disabled={session.status === "idle"}
        onChange={(event) => interview.setPhase(event.target.value as Phase)}
      >
        {phase ? null : <option value="">No phase yet</option>}
        {PHASES.map((p, i) => (
          <option key={p} value={p}>
            {i + 1}. {PHASE_INFO[p].name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Ending is one click from Pause and hard to take back in the moment: it asks first, as Submit scorecard does. */
function EndSession() {
  const interview = useInterviewSession();
  const [confirming, setConfirming] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!confirming) return;
    const away = (event: PointerEvent) => root.current?.contains(event.target as Node) || setConfirming(false);
    const escape = (event: KeyboardEvent) => event.key === "Escape" && setConfirming(false);
    document.addEventListener("pointerdown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("pointerdown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [confirming]);
  return (
    <div className="bs-end-session" ref={root}>
      <button
        type="button"
        className="bs-button bs-button--danger-quiet bs-button--small"
        title="End the interview: the board becomes read-only for the candidate"
        aria-expanded={confirming}
        onClick={() => setConfirming((v) => !v)}
      >
        <Icon icon={Square} size={13} /> End session
      </button>
      {confirming ? (
        <div className="bs-popover bs-end-session__confirm" role="alertdialog" aria-labelledby="bs-end-title" aria-describedby="bs-end-text">
          <p id="bs-end-title">
            <strong>End the interview?</strong>
          </p>
          <p id="bs-end-text">The clock stops and the board becomes read-only for the candidate. You can reopen it afterwards.</p>
          <div className="bs-row-end">
            <button type="button" className="bs-button bs-button--quiet bs-button--small" autoFocus onClick={() => setConfirming(false)}>
              Keep going
            </button>
            <button
              type="button"
              className="bs-button bs-button--danger bs-button--small"
              onClick={() => {
                setConfirming(false);
                interview.endSession();
              }}
            >
              Yes, end the interview
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function Controls({ session }: { session: Session }) {
  const interview = useInterviewSession();
  const [minutes, setMinutes] = useState(String(SESSION_LIMITS.defaultMinutes));
  const value = Number(minutes);
  const valid = Number.isInteger(value) && value >= 1 && value <= SESSION_LIMITS.maxMinutes;
  switch (session.status) {
    case "idle":
      return (
        <form
          className="bs-session__controls"
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) interview.startSession(value);
          }}
        >
          <label className="bs-session__minutes" title="Length of the interview">
            <input
              type="number"
              min={1}
              max={SESSION_LIMITS.maxMinutes}
              step={1}
              value={minutes}
              aria-label="Session length in minutes"
              aria-invalid={!valid}
              onChange={(event) => setMinutes(event.target.value)}
              onKeyDown={(event) => event.stopPropagation()}
            />
            <span aria-hidden="true">min</span>
          </label>
          <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={!valid}>
            <Icon icon={Play} size={14} /> Start session
          </button>
        </form>
      );
    case "running":
    case "paused":
      return (
        <div className="bs-session__controls">
          {session.status === "running" ? (
            <button type="button" className="bs-button bs-button--small" onClick={() => interview.pauseSession()}>
              <Icon icon={Pause} size={14} /> Pause
            </button>
          ) : (
            <button type="button" className="bs-button bs-button--primary bs-button--small" onClick={() => interview.resumeSession()}>
              <Icon icon={Play} size={14} /> Resume
            </button>
          )}
          <ScenarioButton />
          <EndSession />
        </div>
      );
    case "ended":
      return (
        <div className="bs-session__controls">
          <button
            type="button"
            className="bs-button bs-button--small"
            title="Resume the interview: the candidate can change the board again"
            onClick={() => interview.resumeSession()}
          >
            <Icon icon={RotateCcw} size={14} /> Reopen
          </button>
        </div>
      );
  }
}

export function SessionBar() {
  const session = useSync((s) => s.session);
  const keeper = useSync((s) => s.you !== null && canKeepClock(s.you.role) && s.status !== "removed" && s.status !== "deleted");
  return (
    <div className="bs-session" role="group" aria-label="Interview session" data-testid="session-bar" data-status={session.status}>
      <Clock session={session} />
      <PhaseChip session={session} keeper={keeper} />
      {keeper ? <Controls session={session} /> : null}
    </div>
  );
}

/** Over the canvas once the session ended: the candidate's board is read-only until it is reopened. */
export function ClosedBanner() {
  const closed = useSync((s) => s.closed);
  const keeper = useSync((s) => s.you !== null && canKeepClock(s.you.role));
  const replaying = useReplaying();
  const practice = useSync((s) => s.board?.mode === "practice");
  // Dismissed for this closing only: a reopen and a new end show it again. The clock keeps saying "Ended".
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => setDismissed(false), [closed]);
  if (!closed || replaying || dismissed) return null;
  return (
    <div className="bs-banner bs-banner--closed" role="status" data-testid="closed-banner">
      <Icon icon={Lock} size={16} />
      <span className="bs-banner__text">
        <strong>{practice ? "The practice session has ended." : "The interview has ended."}</strong>
        {keeper
          ? " The board is closed to the candidate until you reopen the session."
          : practice
            ? " Your feedback is ready."
            : " The board is read-only."}
      </span>
      <button type="button" className="bs-icon-button" aria-label="Dismiss" title="Hide this; the clock still says Ended" onClick={() => setDismissed(true)}>
        <Icon icon={X} size={14} />
      </button>
    </div>
  );
}
