// The flows of the board: show one's badges, present it, edit or delete it, or write a new one
// by clicking components in order (each joined to the last by an arrow) and saying what
// happens at each in one plain sentence.
import { useStore } from "zustand";

import { useBoard, useCanEdit, useFeatures, usePastShown } from "./context";

export function FlowPanel() {
  const flowsFeature = useFeatures().flows;
  const { open, shown, draft } = useStore(flowsFeature.store);
  const flows = useBoard((b) => b.flows);
  const elements = useBoard((b) => b.elements);
  const editable = useCanEdit();
  const past = usePastShown();
  if (!open) return null;
  const name = (id: string) => {
    const e = elements.get(id);
    return e && e.kind === "component" ? e.label || id : `${id} (gone)`;
  };
  const list = [...(flows?.values() ?? [])];
  return (
    <section className="bs-flow-panel" aria-label="Flows" data-testid="flow-panel">
      <header className="bs-flow-panel__head">
        <h2>Flows</h2>
        <button type="button" className="bs-icon-button" aria-label="Close flows" onClick={() => flowsFeature.toggle(false)}>
          ×
        </button>
      </header>
      {draft ? (
        <div className="bs-flow-draft" data-testid="flow-draft">
          <label className="bs-field">
            <span>Title</span>
            <input value={draft.title} maxLength={200} placeholder="A checkout, start to finish" onChange={(e) => flowsFeature.setTitle(e.target.value)} data-testid="flow-title" />
          </label>
          <p className="bs-muted">
            {draft.steps.length ? "Click the next box along an arrow." : "Click the box where it starts."} Say what happens at each step in one plain sentence.
          </p>
          <ol className="bs-flow-draft__steps">
            {draft.steps.map((step, i) => (
              <li key={i}>
                <span className="bs-flow-draft__element">{name(step.element)}</span>
                <input
                  value={step.text}
                  maxLength={4000}
                  placeholder="What happens here, in plain words"
                  aria-label={`Step ${i + 1}: ${name(step.element)}`}
                  onChange={(e) => flowsFeature.setText(i, e.target.value)}
                  data-testid="flow-step-text"
                />
              </li>
            ))}
          </ol>
          <div className="bs-flow-draft__actions">
            <button type="button" className="bs-button" onClick={() => flowsFeature.removeLast()} disabled={!draft.steps.length}>
              Undo step
            </button>
            <button type="button" className="bs-button" onClick={() => flowsFeature.cancel()}>
              Cancel
            </button>
            <button type="button" className="bs-button bs-button--primary" onClick={() => flowsFeature.save()} disabled={!draft.steps.length} data-testid="flow-save">
              Save flow
            </button>
          </div>
        </div>
      ) : (
        <>
          {list.length ? (
            <ul className="bs-flow-list">
              {list.map((flow) => (
                <li key={flow.id} className={flow.id === shown ? "is-shown" : ""} data-testid="flow-item">
                  <button type="button" className="bs-flow-list__title" onClick={() => flowsFeature.show(flow.id)} aria-pressed={flow.id === shown}>
                    {flow.title}
                    <span className="bs-muted"> · {flow.steps.length} steps</span>
                  </button>
                  <div className="bs-flow-list__actions">
                    <button type="button" className="bs-button bs-button--small" onClick={() => flowsFeature.present(flow.id)} disabled={past} data-testid="flow-present">
                      Present
                    </button>
                    {editable ? (
                      <>
                        <button type="button" className="bs-button bs-button--small" onClick={() => flowsFeature.edit(flow.id)}>
                          Edit
                        </button>
                        <button type="button" className="bs-button bs-button--small" onClick={() => flowsFeature.remove(flow.id)} aria-label={`Delete ${flow.title}`}>
                          Delete
                        </button>
                      </>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="bs-muted">No flows yet. A flow walks through the diagram one box at a time, in plain words.</p>
          )}
          {editable ? (
            <button type="button" className="bs-button bs-button--primary" onClick={() => flowsFeature.newDraft()} data-testid="flow-new">
              New flow
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
