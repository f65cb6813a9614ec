// A flow on the canvas: numbered badges just left of its components' lower-left corners (clear of
// the box, its label and selection handles, and of the arrows, which meet the sides' middles), and, in present
// mode, a ring round the current step's component. For the presenter and whoever follows them.
import { useStore as useFlowStore, ViewportPortal } from "@xyflow/react";
import { useStore } from "zustand";

import type { StoredFlow } from "../sync";
import { useBoard, useFeatures } from "./context";
import { badgesOf } from "./features/flows";

/** The flow and step the screen presents: mine, or the one of the person I follow. */
export function usePresented(): { flow: StoredFlow; step: number; presenter: string | null } | null {
  const features = useFeatures();
  const flows = useBoard((b) => b.flows);
  const mine = useStore(features.flows.store, (s) => s.presenting);
  const followed = useStore(features.follow.store, (s) => (s.following ? (s.views.get(s.following)?.flow ?? null) : null));
  const following = useStore(features.follow.store, (s) => s.following);
  const at = mine ?? followed;
  const flow = at ? flows?.get(at.id) : undefined;
  if (!at || !flow) return null;
  return { flow, step: Math.min(at.step, flow.steps.length - 1), presenter: mine ? null : following };
}

export function FlowLayer() {
  const features = useFeatures();
  const elements = useBoard((b) => b.elements);
  const flows = useBoard((b) => b.flows);
  const { open, shown, draft } = useStore(features.flows.store);
  const presented = usePresented();
  const zoom = useFlowStore((s) => s.transform[2]);
  const flow = presented?.flow ?? (draft ? { steps: draft.steps } : open && shown ? flows?.get(shown) : undefined);
  if (!flow || !flow.steps.length) return null;
  const current = presented ? presented.flow.steps[presented.step]?.element : undefined;
  const scale = Math.min(1.6, Math.max(0.8, 1 / zoom));
  return (
    <ViewportPortal>
      <div className="bs-flow-layer" data-testid="flow-layer">
        {current
          ? (() => {
              const box = elements.get(current);
              if (!box || box.kind !== "component") return null;
              return (
                <div
                  className="bs-flow-focus"
                  data-testid="flow-focus"
                  data-element={current}
                  style={{ transform: `translate(${box.x - 5}px, ${box.y - 5}px)`, width: box.w + 10, height: box.h + 10 }}
                />
              );
            })()
          : null}
        {badgesOf(flow).map(({ element, numbers }) => {
          const box = elements.get(element);
          if (!box || box.kind !== "component") return null;
          const active = presented ? numbers.includes(presented.step + 1) : false;
          return (
            <span
              key={element}
              className={`bs-flow-badge${active ? " is-current" : ""}`}
              data-testid="flow-badge"
              data-element={element}
              title={`Step ${numbers.join(", ")}`}
              style={{ transform: `translate(${box.x - 26}px, ${box.y + box.h - 22}px) scale(${scale})` }}
            >
              {numbers.join(" · ")}
            </span>
          );
        })}
      </div>
    </ViewportPortal>
  );
}
