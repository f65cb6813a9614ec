// Decision records in the Details panel: the selected component's decisions (choice, the
// alternatives not taken, cost, why, when to revisit), and for those who may edit the canvas
// a form to add, edit or delete one. The form is also how a "trade-off?" thread is answered
// with a decision (Thread.tsx).
import { Pencil, Plus, Scale, Trash2 } from "lucide";
import { useId, useState } from "react";

import { type ComponentElement, LIMITS } from "../sync";
import { Icon } from "../ui/Icon";
import { useDecisions, useDecisionStore } from "./decisionContext";
import { alternativesFrom, type Decision, type DecisionInput, decisionsOn } from "./features/decisions";

interface FormProps {
  readonly target: string;
  readonly initial?: Decision;
  /** The choice a new decision starts from (the component's technology). */
  readonly suggestion?: string;
  readonly submitLabel?: string;
  /** Only the choice, the alternatives and why (in a thread); cost and revisit stay as they were. */
  readonly compact?: boolean;
  readonly onSaved: (id: string, input: DecisionInput) => void;
  readonly onCancel: () => void;
}

export function DecisionForm({ target, initial, suggestion = "", submitLabel = "Save decision", compact = false, onSaved, onCancel }: FormProps) {
  const store = useDecisionStore();
  const { busy, error } = useDecisions();
  const [choice, setChoice] = useState(initial?.choice ?? suggestion);
  const [alternatives, setAlternatives] = useState(initial?.alternatives.join(", ") ?? "");
  const [cost, setCost] = useState(initial?.cost ?? "");
  const [why, setWhy] = useState(initial?.why ?? "");
  const [revisit, setRevisit] = useState(initial?.revisit_when ?? "");
  const [tried, setTried] = useState(false);
  const ids = { choice: useId(), alternatives: useId(), cost: useId(), why: useId(), revisit: useId() };
  const save = async () => {
    if (!store || !choice.trim()) return;
    setTried(true);
    const input: DecisionInput = {
      ...(initial ? { id: initial.id } : {}),
      target,
      choice,
      alternatives: alternativesFrom(alternatives),
      cost,
      why,
      revisit_when: revisit,
    };
    const id = await store.decide(input);
    if (id !== null) onSaved(id, input);
  };
  return (
    <form
      className="bs-decision-form"
      data-testid="decision-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="bs-field">
        <label htmlFor={ids.choice}>Choice</label>
        <input id={ids.choice} type="text" value={choice} maxLength={LIMITS.label} placeholder="e.g. Kafka" data-testid="decision-choice" onChange={(e) => setChoice(e.target.value)} autoFocus />
      </div>
      <div className="bs-field">
        <label htmlFor={ids.alternatives}>Instead of (comma-separated)</label>
        <input id={ids.alternatives} type="text" value={alternatives} placeholder="e.g. SQS, RabbitMQ" data-testid="decision-alternatives" onChange={(e) => setAlternatives(e.target.value)} />
      </div>
      <div className="bs-field">
        <label htmlFor={ids.why}>Why</label>
        <textarea id={ids.why} rows={2} value={why} maxLength={LIMITS.text} placeholder="e.g. replay and throughput" data-testid="decision-why" onChange={(e) => setWhy(e.target.value)} />
      </div>
      {compact ? null : (
        <div className="bs-field">
          <label htmlFor={ids.cost}>What it costs</label>
          <input id={ids.cost} type="text" value={cost} maxLength={LIMITS.text} placeholder="e.g. more to operate" data-testid="decision-cost" onChange={(e) => setCost(e.target.value)} />
        </div>
      )}
      {compact ? null : (
        <div className="bs-field">
          <label htmlFor={ids.revisit}>Revisit when</label>
          <input id={ids.revisit} type="text" value={revisit} maxLength={LIMITS.text} placeholder="e.g. if we never need replay" data-testid="decision-revisit" onChange={(e) => setRevisit(e.target.value)} />
        </div>
      )}
      {compact ? <p className="bs-hint">Add its cost and when to revisit it in the Details panel.</p> : null}
      {tried && error ? (
        <p className="bs-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="bs-row-end">
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={busy || !choice.trim()} data-testid="decision-save">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function DecisionCard({ decision, readOnly, onEdit }: { decision: Decision; readOnly: boolean; onEdit: () => void }) {
  const store = useDecisionStore();
  const [confirming, setConfirming] = useState(false);
  const rows = [
    ["Why", decision.why],
    ["Cost", decision.cost],
    ["Revisit when", decision.revisit_when],
  ].filter(([, text]) => text);
  return (
    <li className="bs-decision" data-testid="decision" data-decision={decision.id}>
      <div>
        <span className="bs-decision__choice" data-testid="decision-card-choice">
          {decision.choice}
        </span>
        {decision.alternatives.length ? (
          <span className="bs-decision__not" data-testid="decision-card-alternatives">
            {" "}
            rather than {decision.alternatives.join(", ")}
          </span>
        ) : null}
      </div>
      {rows.length ? (
        <dl>
          {rows.map(([title, text]) => (
            <div key={title} style={{ display: "contents" }}>
              <dt>{title}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {!readOnly ? (
        <div className="bs-decision__actions">
          {confirming ? (
            <>
              <span className="bs-hint">Delete this decision?</span>
              <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setConfirming(false)}>
                Keep
              </button>
              <button type="button" className="bs-button bs-button--danger bs-button--small" data-testid="decision-delete-confirm" onClick={() => void store?.remove(decision.id)}>
                Delete
              </button>
            </>
          ) : (
            <>
              <button type="button" className="bs-icon-button" aria-label={`Edit the decision ${decision.choice}`} onClick={onEdit} data-testid="decision-edit">
                <Icon icon={Pencil} size={14} />
              </button>
              <button type="button" className="bs-icon-button" aria-label={`Delete the decision ${decision.choice}`} onClick={() => setConfirming(true)} data-testid="decision-delete">
                <Icon icon={Trash2} size={14} />
              </button>
            </>
          )}
        </div>
      ) : null}
    </li>
  );
}

export function DecisionsSection({ element, readOnly }: { element: ComponentElement; readOnly: boolean }) {
  const { decisions } = useDecisions();
  const here = decisionsOn(decisions, element.id);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  if (readOnly && !here.length) return null;
  return (
    <section className="bs-decisions" aria-label="Decisions" data-testid="decisions">
      <header className="bs-decisions__header">
        <h3>
          <Icon icon={Scale} size={13} /> Decisions
        </h3>
        {!readOnly && editing === null ? (
          <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setEditing("new")} data-testid="decision-add">
            <Icon icon={Plus} size={14} /> Record a decision
          </button>
        ) : null}
      </header>
      {!here.length && editing === null ? <p className="bs-hint">Why this and not something else? Record the choice, what you weighed it against and its cost.</p> : null}
      <ul>
        {here.map((decision) =>
          editing === decision.id ? (
            <li key={decision.id}>
              <DecisionForm target={element.id} initial={decision} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <DecisionCard key={decision.id} decision={decision} readOnly={readOnly} onEdit={() => setEditing(decision.id)} />
          ),
        )}
      </ul>
      {editing === "new" ? (
        <DecisionForm target={element.id} suggestion={element.tech} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
      ) : null}
    </section>
  );
}
