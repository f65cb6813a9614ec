// The board page: top bar, palette, canvas, properties; one SyncClient (and one Board of features) for its lifetime.
import { ReactFlowProvider } from "@xyflow/react";
import { CircleAlert, LoaderCircle } from "lucide";
import { useEffect, useState } from "react";

import { Api } from "../api/http";
import { type BoardConfig, socketUrl } from "../app/config";
import { type Mode, type PendingBatch, type ReplayState, SyncClient, type Timeline } from "../sync";
import { Icon } from "../ui/Icon";
import { Canvas } from "./Canvas";
import { ComposerPopover } from "./Composer";
import { FeaturesContext, useCanEdit, useCore, useReplaying, useReview, useSync, useUi } from "./context";
import { Board } from "./features/board";
import { InviteDialog } from "./Invite";
import { useBoardKeys } from "./keyboard";
import { Palette } from "./Palette";
import { PracticeBar } from "./PracticeBar";
import { PracticeStore } from "./practiceStore";
import { loadPrefs, persistPrefs } from "./prefs";
import { ReplayBanner, ReplayBar } from "./ReplayBar";
import { DrillPanel } from "./DrillPanel";
import { DrillStore } from "./drillStore";
import { IncidentPanel } from "./IncidentPanel";
import { IncidentStore } from "./incidentStore";
import { DecisionContext } from "./decisionContext";
import { DecisionStore } from "./features/decisions";
import { QuestionContext } from "./questionContext";
import { QuestionStore } from "./questionStore";
import { ReplayPlayer } from "./replayPlayer";
import { SubmitReviewDialog, VersionBanner } from "./ReviewBar";
import { ReviewStore } from "./reviewStore";
import { HindsightPrompt } from "./HindsightPrompt";
import { ScenarioBanner } from "./ScenarioBanner";
import { ScenarioContext } from "./scenarioContext";
import { ScenarioStore } from "./scenarioStore";
import { ScorecardStore } from "./scorecardStore";
import { ClosedBanner } from "./SessionBar";
import { ShortcutsDialog } from "./Shortcuts";
import { Sidebar } from "./Sidebar";
import { createUiStore } from "./store";
import { ThreadPopover } from "./Thread";
import { Toasts } from "./Toasts";
import { Toolbar } from "./Toolbar";
import { FollowBanner } from "./FollowBanner";
import { TopBar } from "./TopBar";

/** Unsent batches survive a reload of the tab (same ids, so a resend is harmless). */
function pendingStore(key: string) {
  return {
    load(): PendingBatch[] {
      try {
        const value = JSON.parse(window.localStorage.getItem(key) ?? "[]") as unknown;
        return Array.isArray(value) ? (value as PendingBatch[]) : [];
      } catch {
        return [];
      }
    },
    save(pending: readonly PendingBatch[]): void {
      try {
        if (pending.length) window.localStorage.setItem(key, JSON.stringify(pending));
        else window.localStorage.removeItem(key);
      } catch {
        // Storage full or disabled: the in-memory queue still works.
      }
    },
  };
}

interface Created {
  readonly board: Board;
  readonly api: Api;
  readonly scorecards: ScorecardStore;
  readonly question: QuestionStore;
  readonly incident: IncidentStore;
  readonly scenarios: ScenarioStore;
  readonly practice: PracticeStore;
  readonly decisions: DecisionStore;
}

function createBoard(config: BoardConfig): Created {
  const api = new Api(config.api, config.csrf);
  const replay = new ReplayPlayer({
    timeline: () => api.get<Timeline>(`boards/${config.board}/timeline/`),
    state: (seq) => api.get<ReplayState>(`boards/${config.board}/state/?at=${seq}`),
  });
  const client = new SyncClient({
    socketUrl: socketUrl(config.socket),
    opsUrl: api.url(`boards/${config.board}/ops/`),
    boardUrl: api.url(`boards/${config.board}/`),
    you: { participant: config.participant, name: config.name, role: config.role },
    pendingStore: pendingStore(`bothsides:pending:${config.board}:${config.participant}`),
  });
  const review = new ReviewStore(api, config.board, client);
  const drill = new DrillStore(api, config.board, client);
  const board = new Board(client, createUiStore(loadPrefs(config.board, config.participant)), replay, review, drill);
  // Fetched only when the scorecard panel first shows, which only the owner and interviewers get.
  const scorecards = new ScorecardStore(api, config.board);
  // The board's question: its type for everyone, the rest for those the server lets read it.
  const question = new QuestionStore(api, config.board, client);
  // An incident board's drill (the panel shows only on incident boards).
  const incident = new IncidentStore(api, config.board, client);
  // The scenario cards played, for everyone's banner and the interviewers' deck.
  const scenarios = new ScenarioStore(api, config.board, client);
  // A practice board's coach (the bar shows only on practice boards).
  const practice = new PracticeStore(api, config.board, client);
  // Decision records: public, on the component they are about and in the Details panel.
  const decisions = new DecisionStore(api, config.board, client);
  return { board, api, scorecards, question, incident, scenarios, practice, decisions };
}

function Overlay() {
  const status = useSync((s) => s.status);
  const seq = useSync((s) => s.seq);
  if (status === "outdated") {
    return (
      <div className="bs-overlay" role="alertdialog" aria-labelledby="bs-overlay-title" data-testid="outdated">
        <div className="bs-overlay__card">
          <Icon icon={CircleAlert} size={28} className="bs-overlay__icon" />
          <h2 id="bs-overlay-title">BothSides was updated: reloading…</h2>
          <p>This page was built for an older version. If it does not reload by itself, reload it.</p>
          <button type="button" className="bs-button bs-button--primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
  if (status === "removed" || status === "deleted") {
    return (
      <div className="bs-overlay" role="alertdialog" aria-labelledby="bs-overlay-title">
        <div className="bs-overlay__card">
          <Icon icon={CircleAlert} size={28} className="bs-overlay__icon" />
          <h2 id="bs-overlay-title">{status === "removed" ? "Your access to this board was removed" : "This board was deleted"}</h2>
          <p>{status === "removed" ? "The invite you joined with was revoked, or you were removed from the board." : "Its owner deleted it."}</p>
          <a className="bs-button bs-button--primary" href="/">
            Back to my boards
          </a>
        </div>
      </div>
    );
  }
  if (seq === null) {
    return (
      <div className="bs-overlay bs-overlay--soft" aria-live="polite">
        <div className="bs-overlay__card">
          <Icon icon={LoaderCircle} size={24} className="bs-spin" />
          <p>{status === "offline" ? "Cannot reach the server. Retrying…" : "Opening the board…"}</p>
        </div>
      </div>
    );
  }
  return null;
}

function Layout({
  api,
  config,
  scorecards,
  incident,
  practice,
}: {
  api: Api;
  config: BoardConfig;
  scorecards: ScorecardStore;
  incident: IncidentStore;
  practice: PracticeStore;
}) {
  const role = useSync((s) => s.you?.role ?? config.role);
  const dialog = useUi((s) => s.dialog);
  const mode = useSync((s) => s.board?.mode ?? "interview");
  const closed = useSync((s) => s.closed);
  const editable = useCanEdit();
  const replaying = useReplaying();
  const version = useReview((v) => v.shown?.version.id ?? null);
  return (
    <div
      className={`bs-board${editable ? "" : " is-readonly"}${replaying ? " is-replaying" : ""}${closed ? " is-closed" : ""}${version !== null ? " is-version" : ""}`}
      data-role={role}
      data-testid="board"
      data-closed={closed}
      data-replaying={replaying}
      data-version={version ?? undefined}
    >
      <TopBar api={api} boardId={config.board} />
      {mode === "practice" ? <PracticeBar store={practice} boardId={config.board} author={role === "candidate"} /> : null}
      <div className="bs-workspace">
        {editable ? <Palette /> : null}
        <div className="bs-stage-column">
          <main className="bs-stage" aria-label="Board">
            <Canvas />
            <FollowBanner />
            <div className="bs-banners">
              <ReplayBanner />
              <VersionBanner />
              <ClosedBanner />
            </div>
            <ThreadPopover />
            <ComposerPopover />
            <Toolbar />
            <DrillPanel />
            <IncidentPanel store={incident} />
            <Overlay />
          </main>
          <ReplayBar />
        </div>
        <Sidebar api={api} boardId={config.board} scorecards={scorecards} />
      </div>
      {/* In the bottom-right corner, over the side panel: never over the diagram. */}
      <Toasts>
        <ScenarioBanner />
        <HindsightPrompt />
      </Toasts>
      <Dialogs api={api} boardId={config.board} mode={mode} dialog={dialog} />
    </div>
  );
}

function Dialogs({ api, boardId, mode, dialog }: { api: Api; boardId: string; mode: Mode; dialog: string | null }) {
  const close = useCloseDialog();
  if (dialog === "invite") return <InviteDialog api={api} boardId={boardId} mode={mode} onClose={close} />;
  if (dialog === "shortcuts") return <ShortcutsDialog onClose={close} />;
  if (dialog === "submit-review") return <SubmitReviewDialog onClose={close} />;
  return null;
}

function useCloseDialog() {
  const core = useCore();
  return () => {
    core.ui.setState({ dialog: null });
    core.view?.focus();
  };
}

declare global {
  interface Window {
    /** For tests and benchmarks: the open board (its client, UI store and features). */
    __bothsides?: { board: Board };
  }
}

export function BoardApp({ config }: { config: BoardConfig }) {
  const [{ board, api, scorecards, question, incident, scenarios, practice, decisions }] = useState(() =>
    createBoard(config),
  );
  useBoardKeys(board);
  useEffect(() => persistPrefs(board.ui, config.board, config.participant), [board, config.board, config.participant]);
  useEffect(() => {
    const { client } = board;
    board.start();
    client.start();
    question.start();
    incident.start();
    scenarios.start();
    decisions.start();
    window.__bothsides = { board };
    // A link to a moment (`?seq=N`, from the practice feedback or a report) opens the replay there once the board is in.
    const moment = /^\d{1,18}$/.exec(new URLSearchParams(window.location.search).get("seq") ?? "");
    const stopWaiting = moment
      ? client.subscribe(() => {
          if (client.getSnapshot().seq === null) return;
          stopWaiting?.();
          board.replay.openReplay(Number(moment[0]));
        })
      : null;
    // A reviewer's pending challenges live on the server, out of the log: fetch them once.
    if (config.role === "reviewer") void board.core.reviewStore.loadPending().catch(() => undefined);
    const online = () => client.reconnectNow();
    const offline = () => client.markOffline();
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      stopWaiting?.();
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      client.stop();
      board.dispose();
      scorecards.dispose();
      question.dispose();
      incident.dispose();
      scenarios.dispose();
      decisions.dispose();
    };
  }, [board]);
  return (
    <FeaturesContext.Provider value={board}>
      <QuestionContext.Provider value={question}>
        <ScenarioContext.Provider value={scenarios}>
          <DecisionContext.Provider value={decisions}>
            <ReactFlowProvider>
              <Layout api={api} config={config} scorecards={scorecards} incident={incident} practice={practice} />
            </ReactFlowProvider>
          </DecisionContext.Provider>
        </ScenarioContext.Provider>
      </QuestionContext.Provider>
    </FeaturesContext.Provider>
  );
}
