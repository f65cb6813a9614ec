// Small marks for what a box or an arrow says about the unhappy path and the candidate's
// honesty: a timeout clock and a retry count on an arrow (inside its label pill, so they never
// cover more of the arrow than its label does), and inside a box a row for a dead-letter queue,
// a backup, the candidate's familiarity and the count of decisions on it. Inside the box, never
// over an arrow or another label.
import { DatabaseBackup, Inbox, RotateCw, Scale, Timer } from "lucide";

import { type ArrowElement, type ComponentElement, FAMILIARITY_INFO, fieldApplies } from "../sync";
import { Icon } from "../ui/Icon";

/** "800 ms", "2 s", "1.5 s", "2 min". */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

export function hasEdgeMarks(element: ArrowElement): boolean {
  return Boolean(element.timeout_ms) || Boolean(element.retries);
}

export function EdgeMarks({ element }: { element: ArrowElement }) {
  if (!hasEdgeMarks(element)) return null;
  const retries = element.retries ?? 0;
  const retryTitle = `Retries up to ${retries} time${retries === 1 ? "" : "s"}${element.idempotent ? " (idempotent)" : " (not marked idempotent)"}`;
  return (
    <span className="bs-edge-marks" data-testid="edge-marks">
      {element.timeout_ms ? (
        <span className="bs-edge-mark" data-testid="edge-timeout" title={`Times out after ${formatTimeout(element.timeout_ms)}`}>
          <Icon icon={Timer} size={11} label="Timeout" />
          {formatTimeout(element.timeout_ms)}
        </span>
      ) : null}
      {retries ? (
        <span className={`bs-edge-mark${element.idempotent ? "" : " is-warning"}`} data-testid="edge-retries" title={retryTitle}>
          <Icon icon={RotateCw} size={11} label="Retries" />
          {retries}
        </span>
      ) : null}
    </span>
  );
}

export function NodeMarks({ element, decisions }: { element: ComponentElement; decisions: number }) {
  const deadLetter = element.dead_letter === true && fieldApplies("dead_letter", element.type);
  const backup = element.backup === true && fieldApplies("backup", element.type);
  const familiarity = element.familiarity ? FAMILIARITY_INFO[element.familiarity] : null;
  if (!deadLetter && !backup && !familiarity && !decisions) return null;
  return (
    <div className="bs-node__marks" data-testid="node-marks">
      {decisions ? (
        <span className="bs-node-mark is-decision" data-testid="node-decisions" title={`${decisions} decision${decisions === 1 ? "" : "s"} recorded`}>
          <Icon icon={Scale} size={10} label="Decisions" />
          {decisions}
        </span>
      ) : null}
      {deadLetter ? (
        <span className="bs-node-mark" data-testid="node-dead-letter" title="Has a dead-letter queue">
          <Icon icon={Inbox} size={10} label="Dead-letter queue" />
          DLQ
        </span>
      ) : null}
      {backup ? (
        <span className="bs-node-mark" data-testid="node-backup" title="Backed up">
          <Icon icon={DatabaseBackup} size={10} label="Backed up" />
        </span>
      ) : null}
      {familiarity && element.familiarity ? (
        <span
          className={`bs-node-mark is-familiarity is-${element.familiarity}`}
          data-testid="node-familiarity"
          data-familiarity={element.familiarity}
          title={`The candidate: ${familiarity.label}`}
          aria-label={`Familiarity: ${familiarity.label}`}
        >
          {familiarity.mark}
        </span>
      ) : null}
    </div>
  );
}
