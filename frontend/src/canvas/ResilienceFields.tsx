// The Details panel's fields for the unhappy path and the candidate's honesty: an arrow's
// timeout, retries and idempotence; a queue's dead letter, a data store's backup, and how well
// the candidate knows the component's technology. Each is one update, like every field.
import { useEffect, useId, useState } from "react";

import {
  type ArrowElement,
  type ComponentElement,
  type ComponentType,
  type ElementProps,
  FAMILIARITIES,
  FAMILIARITY_INFO,
  fieldApplies,
  LIMITS,
  TYPED_FIELDS,
  type TypedField,
} from "../sync";
import { useEditing } from "./context";

/** The props of a type change: a type-bound field left true would be refused, so it is cleared in the same update. */
export function typeChange(element: ComponentElement, type: ComponentType): ElementProps {
  const props: ElementProps = { type };
  for (const field of Object.keys(TYPED_FIELDS) as TypedField[]) {
    if (element[field] === true && !fieldApplies(field, type)) props[field] = false;
  }
  return props;
}

function TimeoutField({ element, readOnly }: { element: ArrowElement; readOnly: boolean }) {
  const editing = useEditing();
  const id = useId();
  const current = element.timeout_ms ?? null;
  const [draft, setDraft] = useState(current === null ? "" : String(current));
  useEffect(() => setDraft(current === null ? "" : String(current)), [current]);
  const parsed = (text: string): number | null | undefined => {
    if (!text.trim()) return null;
    const n = Number(text);
    return Number.isInteger(n) && n >= 1 && n <= LIMITS.timeoutMs ? n : undefined;
  };
  const commit = () => {
    const value = parsed(draft);
    if (value === undefined) setDraft(current === null ? "" : String(current));
    else if (value !== current) editing.update(element.id, { timeout_ms: value });
  };
  return (
    <div className="bs-field bs-field--narrow">
      <label htmlFor={id}>Timeout (ms)</label>
      <input
        id={id}
        type="number"
        min={1}
        max={LIMITS.timeoutMs}
        step={1}
        placeholder="none"
        value={draft}
        readOnly={readOnly}
        aria-invalid={parsed(draft) === undefined}
        data-testid="field-timeout"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
      />
    </div>
  );
}

export function ArrowResilience({ element, readOnly }: { element: ArrowElement; readOnly: boolean }) {
  const editing = useEditing();
  const retriesId = useId();
  const retries = element.retries ?? 0;
  return (
    <div className="bs-resilience" data-testid="arrow-resilience">
      <h3>When the callee is slow or failing</h3>
      <div className="bs-field-row">
        <TimeoutField element={element} readOnly={readOnly} />
        <div className="bs-field bs-field--narrow">
          <label htmlFor={retriesId}>Retries</label>
          <select
            id={retriesId}
            value={retries}
            disabled={readOnly}
            data-testid="field-retries"
            onChange={(e) => editing.update(element.id, { retries: Number(e.target.value) })}
          >
            {Array.from({ length: LIMITS.retries + 1 }, (_, n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label className="bs-check">
        <input
          type="checkbox"
          checked={element.idempotent === true}
          disabled={readOnly}
          data-testid="field-idempotent"
          onChange={(e) => editing.update(element.id, { idempotent: e.target.checked })}
        />
        Idempotent: safe to repeat
      </label>
      {retries > 0 && element.idempotent !== true ? (
        <p className="bs-hint" data-testid="retry-warning">
          Retries into a call that is not idempotent can duplicate writes.
        </p>
      ) : null}
    </div>
  );
}

export function ComponentResilience({ element, readOnly }: { element: ComponentElement; readOnly: boolean }) {
  const editing = useEditing();
  const familiarityId = useId();
  const deadLetter = fieldApplies("dead_letter", element.type);
  const backup = fieldApplies("backup", element.type);
  return (
    <div className="bs-resilience" data-testid="component-resilience">
      {deadLetter ? (
        <label className="bs-check">
          <input
            type="checkbox"
            checked={element.dead_letter === true}
            disabled={readOnly}
            data-testid="field-dead-letter"
            onChange={(e) => editing.update(element.id, { dead_letter: e.target.checked })}
          />
          Dead-letter queue for messages that keep failing
        </label>
      ) : null}
      {backup ? (
        <label className="bs-check">
          <input
            type="checkbox"
            checked={element.backup === true}
            disabled={readOnly}
            data-testid="field-backup"
            onChange={(e) => editing.update(element.id, { backup: e.target.checked })}
          />
          Backed up
        </label>
      ) : null}
      <div className="bs-field">
        <label htmlFor={familiarityId}>How well the candidate knows it</label>
        <select
          id={familiarityId}
          value={element.familiarity ?? ""}
          disabled={readOnly}
          data-testid="field-familiarity"
          onChange={(e) => editing.update(element.id, { familiarity: e.target.value as ComponentElement["familiarity"] })}
        >
          <option value="">Not said</option>
          {FAMILIARITIES.map((value) => (
            <option key={value} value={value}>
              {FAMILIARITY_INFO[value].label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
