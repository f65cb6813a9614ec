// The floating toolbar: undo/redo of my changes, zoom and fit.
import { useStore as useFlowStore } from "@xyflow/react";
import { Crosshair, History, Maximize, Minus, MousePointer2, Plus, Redo2, Route, Undo2, Zap } from "lucide";
import { useSyncExternalStore } from "react";
import { useStore } from "zustand";

import { Icon } from "../ui/Icon";
import { useCanEdit, useCore, useDrill, useEditing, useFailureDrill, useFlows, useLaser, useReplay, useReplayControls } from "./context";

const MOD = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl+";

export function Toolbar() {
  const core = useCore();
  const editing = useEditing();
  const replayControls = useReplayControls();
  const drilling = useFailureDrill();
  const zoom = useFlowStore((s) => s.transform[2]);
  const editable = useCanEdit();
  const replayOpen = useReplay((v) => v.open);
  const drillOn = useDrill((v) => v.on);
  const spofs = useDrill((v) => v.spofs);
  const laser = useLaser();
  const laserOn = useStore(laser.store, (s) => s.on);
  const flows = useFlows();
  const flowsOpen = useStore(flows.store, (s) => s.open);
  // History lives outside React; re-read it whenever the board changes.
  useSyncExternalStore(core.client.subscribe, () => core.client.getSnapshot());
  return (
    <div className="bs-toolbar" role="toolbar" aria-label="View and history">
      {editable ? (
        <>
          <button type="button" className="bs-icon-button" onClick={() => editing.undo()} disabled={!editing.history.canUndo} aria-label="Undo my last change" title={`Undo my last change (${MOD}Z)`} data-testid="undo">
            <Icon icon={Undo2} size={17} />
          </button>
          <button type="button" className="bs-icon-button" onClick={() => editing.redo()} disabled={!editing.history.canRedo} aria-label="Redo" title={`Redo (${MOD}Shift+Z)`} data-testid="redo">
            <Icon icon={Redo2} size={17} />
          </button>
          <span className="bs-toolbar__sep" />
        </>
      ) : null}
      <button type="button" className="bs-icon-button" onClick={() => core.view?.zoomOut()} aria-label="Zoom out" title="Zoom out (−)">
        <Icon icon={Minus} size={17} />
      </button>
      <button type="button" className="bs-toolbar__zoom" onClick={() => core.view?.zoomTo(1)} title="Zoom to 100% (Shift+0)">
        {Math.round(zoom * 100)}%
      </button>
      <button type="button" className="bs-icon-button" onClick={() => core.view?.zoomIn()} aria-label="Zoom in" title="Zoom in (+)">
        <Icon icon={Plus} size={17} />
      </button>
      <button type="button" className="bs-icon-button" onClick={() => void core.view?.fitView()} aria-label="Fit the board in view" title="Fit view (Shift+1)" data-testid="fit-view">
        <Icon icon={Maximize} size={16} />
      </button>
      <span className="bs-toolbar__sep" />
      <button
        type="button"
        className={`bs-toolbar__replay${replayOpen ? " is-on" : ""}`}
        aria-pressed={replayOpen}
        title={replayOpen ? "Back to the live board" : "Replay the session: scrub or play it back"}
        data-testid="replay-toggle"
        onClick={() => (replayOpen ? replayControls.closeReplay() : replayControls.openReplay())}
      >
        <Icon icon={History} size={16} /> Replay
      </button>
      <button
        type="button"
        className={`bs-toolbar__replay bs-toolbar__drill${drillOn ? " is-on" : ""}`}
        aria-pressed={drillOn}
        title={drillOn ? "Leave the failure drill" : "Failure drill: click a component to see what its failure takes down"}
        data-testid="drill-toggle"
        onClick={() => drilling.toggleDrill()}
      >
        <Icon icon={Zap} size={16} /> Failure drill
      </button>
      <button
        type="button"
        className={`bs-toolbar__replay bs-toolbar__drill${spofs ? " is-on" : ""}`}
        aria-pressed={spofs}
        title="Highlight the single points of failure, worst first"
        data-testid="spofs-toggle"
        onClick={() => drilling.showSpofs()}
      >
        <Icon icon={Crosshair} size={16} /> Show SPOFs
      </button>
      <span className="bs-toolbar__sep" />
      <button
        type="button"
        className={`bs-toolbar__replay${flowsOpen ? " is-on" : ""}`}
        aria-pressed={flowsOpen}
        title="Flows: walk through the design one box at a time, in plain words, and present it"
        data-testid="flows-toggle"
        onClick={() => flows.toggle()}
      >
        <Icon icon={Route} size={16} /> Flows
      </button>
      {laser.allowed ? (
        <button
          type="button"
          className={`bs-icon-button${laserOn ? " is-on" : ""}`}
          aria-pressed={laserOn}
          aria-label="Laser pointer"
          title="Laser pointer (L): a fading trail the others see, never saved"
          data-testid="laser-toggle"
          onClick={() => laser.toggle()}
        >
          <Icon icon={MousePointer2} size={16} />
        </button>
      ) : null}
    </div>
  );
}

export { MOD };
