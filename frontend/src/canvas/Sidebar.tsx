// The right-hand side panel: the selection's details (or the prompt), and the
// annotations, as two tabs. The annotations tab counts what waits for me.
import type { Api } from "../api/http";
import { isChallengedSide } from "../sync";
import { unansweredCount } from "./annotationView";
import { AnnotationPanel } from "./AnnotationPanel";
import { useActor, useController, useSync, useUi } from "./context";
import { Inspector } from "./Inspector";

const TABS = [
  ["details", "Details"],
  ["annotations", "Annotations"],
] as const;

function Count() {
  const actor = useActor();
  const annotations = useSync((s) => s.annotations);
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

export function Sidebar({ api, boardId }: { api: Api; boardId: string }) {
  const controller = useController();
  const tab = useUi((s) => s.sidebar);
  return (
    <aside className="bs-sidebar" aria-label="Side panel">
      <div className="bs-sidebar__tabs" role="tablist" aria-label="What the side panel shows">
        {TABS.map(([id, name]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`bs-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`bs-tabpanel-${id}`}
            className="bs-sidebar__tab"
            data-testid={`${id}-tab`}
            onClick={() => controller.ui.setState({ sidebar: id })}
          >
            {name}
            {id === "annotations" ? <Count /> : null}
          </button>
        ))}
      </div>
      <div className="bs-sidebar__panel" role="tabpanel" id={`bs-tabpanel-${tab}`} aria-labelledby={`bs-tab-${tab}`}>
        {tab === "details" ? <Inspector api={api} boardId={boardId} /> : <AnnotationPanel />}
      </div>
    </aside>
  );
}
