// Following: "Following <name> — Stop (Esc)", always with the way out; and present mode's
// caption (the step's component and its sentence), with next/prev for the presenter.
import { useStore } from "zustand";

import { useBoard, useFeatures, useSync } from "./context";
import { usePresented } from "./FlowLayer";

export function FollowBanner() {
  const features = useFeatures();
  const following = useStore(features.follow.store, (s) => s.following);
  const leading = useStore(features.follow.store, (s) => s.leading);
  const presentingMine = useStore(features.flows.store, (s) => s.presenting !== null);
  const participants = useSync((s) => s.participants);
  const elements = useBoard((b) => b.elements);
  const presented = usePresented();
  const name = following ? (participants.get(following)?.name ?? "someone") : "";
  const step = presented ? presented.flow.steps[presented.step] : undefined;
  const box = step ? elements.get(step.element) : undefined;
  const label = box && box.kind === "component" ? box.label || step?.element : step?.element;
  return (
    <div className="bs-follow-area">
      {following ? (
        <div className="bs-follow-banner" role="status" data-testid="follow-banner">
          <span>
            Following <strong>{name}</strong>
          </span>
          <button type="button" className="bs-follow-banner__stop" onClick={() => features.follow.stop()} data-testid="follow-stop">
            Stop <kbd>Esc</kbd>
          </button>
        </div>
      ) : leading && !presentingMine ? (
        <div className="bs-follow-banner is-leading" role="status" data-testid="leading-banner">
          <span>Everyone is following you</span>
          <button type="button" className="bs-follow-banner__stop" onClick={() => features.follow.lead(false)} data-testid="lead-stop">
            Stop leading
          </button>
        </div>
      ) : null}
      {presented && step ? (
        <div className="bs-present-caption" role="status" aria-live="polite" data-testid="present-caption">
          <div className="bs-present-caption__head">
            <span className="bs-present-caption__title">{presented.flow.title}</span>
            <span className="bs-present-caption__count">
              Step {presented.step + 1} of {presented.flow.steps.length}
            </span>
          </div>
          <p className="bs-present-caption__text">
            <strong>{label}</strong>: <span data-testid="present-text">{step.text}</span>
          </p>
          {presented.presenter === null ? (
            <div className="bs-present-caption__controls">
              <button type="button" className="bs-button" onClick={() => features.flows.previous()} disabled={presented.step === 0} data-testid="present-prev">
                ← Previous
              </button>
              <button
                type="button"
                className="bs-button bs-button--primary"
                onClick={() => features.flows.next()}
                disabled={presented.step >= presented.flow.steps.length - 1}
                data-testid="present-next"
              >
                Next →
              </button>
              <button type="button" className="bs-button" onClick={() => features.flows.stopPresenting()} data-testid="present-stop">
                Stop presenting <kbd>Esc</kbd>
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
