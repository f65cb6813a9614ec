// The right-hand side panel: the selection's details (or the prompt), the
// annotations, and on an interview board the requirements ledger and (for the
// owner and interviewers only) my scorecard, as tabs. A tab counts what waits
// for me.
import type { Api } from "../api/http";
import { canAnswer, canScore, hasSession, isChallengedSide } from "../sync";
import { unansweredCount } from "./annotationView";
import { AnnotationPanel } from "./AnnotationPanel";
import { useActor, useAnnotations, useBoard, useCore, useSync, useUi } from "./context";
import { FlowPanel } from "./FlowPanel";
import { Inspector } from "./Inspector";
import { LedgerPanel } from "./LedgerPanel";
import { QuestionPanel } from "./QuestionPanel";
import { useQuestion } from "./questionContext";
import { ReviewPanel } from "./ReviewPanel";
import { ScorecardPanel } from "./ScorecardPanel";
import type { ScorecardStore } from "./scorecardStore";
import type { SidebarTab } from "./store";

const NAMES: Readonly<Record<SidebarTab, string>> = {
  details: "Details",
  annotations: "Annotations",
  requirements: "Ledger",
  question: "Question",
  scorecard: "Scorecard",
  review: "Review",
};

function AnnotationCount() {
  const actor = useActor();
  const annotations = useAnnotations();
  // The challenged side sees its to-do list: challenges still waiting for an answer.
  if (actor && isChallengedSide(actor.role, actor.mode)) {
    const n = unansweredCount(annotations);
    return (
      <span className={`bs-count${n ? " is-alert" : ""}`} data-testid="unanswered-count" title={`${n} unanswered`}>
        {n}
      </span>
    );
  }
  return annotations.size ? (
    <span className="bs-count" data-testid="annotation-count">
      {annotations.size}
    </span>
  ) : null;
}

function RequirementCount() {
  const actor = useActor();
  const requirements = useBoard((b) => b.requirements);
  // Those who answer see what waits for them: questions not answered yet.
  if (actor && canAnswer(actor.role)) {
    let n = 0;
    for (const entry of requirements.values()) if (entry.kind === "question" && !entry.answer) n++;
    return n ? (
      <span className="bs-count is-alert" data-testid="requirements-count" title={`${n} unanswered`}>
        {n}
      </span>
    ) : null;
  }
  return requirements.size ? (
    <span className="bs-count" data-testid="requirements-count">
      {requirements.size}
    </span>
  ) : null;
}

/** Open questions with a suggested fact: answers one click away. */
function SuggestionCount() {
  const requirements = useBoard((b) => b.requirements);
  const suggestions = useQuestion((v) => v?.data?.suggestions);
  let n = 0;
  for (const entry of requirements.values()) if (entry.kind === "question" && !entry.answer && suggestions?.[entry.id]?.length) n++;
  return n ? (
    <span className="bs-count is-alert" data-testid="suggestion-count" title={`${n} with a suggested fact`}>
      {n}
    </span>
  ) : null;
}

export function Sidebar({ api, boardId, scorecards }: { api: Api; boardId: string; scorecards: ScorecardStore }) {
  const core = useCore();
  const chosen = useUi((s) => s.sidebar);
  // Interview and practice boards have a session, and so the ledger.
  const interview = useSync((s) => hasSession(s.board?.mode ?? "interview"));
  const scorer = useSync((s) => s.you !== null && canScore(s.you.role) && s.status !== "removed" && s.status !== "deleted");
  // Versions and reviews are a review board's; an interview board shows them once it has a version.
  const reviewing = useSync((s) => !interview || s.versions.length > 0);
  // The question's private side: only when the server sent it (owner and interviewers of an interviewer's board).
  const questioned = useQuestion((v) => v?.data?.full === true && v.data.question !== null);
  const tabs: SidebarTab[] = [
    "details",
    "annotations",
    ...(interview ? (["requirements"] as const) : []),
    ...(questioned ? (["question"] as const) : []),
    ...(interview && scorer ? (["scorecard"] as const) : []),
    ...(reviewing ? (["review"] as const) : []),
  ];
  // A tab that is not mine (the role changed, a review board) falls back to Details.
  const tab = tabs.includes(chosen) ? chosen : "details";
  return (
    <aside className={`bs-sidebar${interview ? " bs-sidebar--interview" : ""}`} aria-label="Side panel">
      <div className={`bs-sidebar__tabs${tabs.length > 4 ? " is-crowded" : ""}`} role="tablist" aria-label="What the side panel shows">
        {tabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`bs-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`bs-tabpanel-${id}`}
            className="bs-sidebar__tab"
            data-testid={`${id}-tab`}
            onClick={() => core.ui.setState({ sidebar: id })}
          >
            {NAMES[id]}
            {id === "annotations" ? <AnnotationCount /> : null}
            {id === "requirements" ? <RequirementCount /> : null}
            {id === "question" ? <SuggestionCount /> : null}
          </button>
        ))}
      </div>
      <div className="bs-sidebar__panel" role="tabpanel" id={`bs-tabpanel-${tab}`} aria-labelledby={`bs-tab-${tab}`}>
        {tab === "details" ? <Inspector api={api} boardId={boardId} /> : null}
        {tab === "annotations" ? <AnnotationPanel /> : null}
        {tab === "requirements" ? <LedgerPanel /> : null}
        {tab === "question" ? <QuestionPanel /> : null}
        {tab === "scorecard" ? <ScorecardPanel store={scorecards} boardId={boardId} /> : null}
        {tab === "review" ? <ReviewPanel /> : null}
      </div>
      {/* Writing or choosing a flow covers the side panel while open, never the diagram. */}
      <FlowPanel />
    </aside>
  );
}
