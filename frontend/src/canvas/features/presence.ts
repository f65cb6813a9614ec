// The others, live: their cursors and selections, their drags in progress (previews), who left,
// a drag whose owner went quiet; and what a batch of theirs means for my UI state (their
// finished drag drops its preview, what I selected or was typing into may be gone). Where I
// am for them is BoardCore.select/pointerMoved. No React.
import type { BatchMessage } from "../../sync";
import { isCanvasOp } from "../../sync";
import { type RemotePreview, type UiState, withEntry } from "../store";
import type { BoardCore } from "./core";

const PREVIEW_STALE_MS = 3000;
const SWEEP_MS = 1000;

export class Presence {
  constructor(private readonly core: BoardCore) {}

  /** Follow the others (until the returned function is called). */
  start(): () => void {
    const ui = this.core.ui;
    const stop = this.core.client.onEvent((event) => {
      const state = ui.getState();
      switch (event.type) {
        case "remote":
          // The client tells us before it recomputes the board: look once it has.
          queueMicrotask(() => this.afterRemote(event.batch));
          return;
        case "preview": {
          const current = state.remote.get(event.id);
          const preview: RemotePreview = { ...current, ...event.props, participant: event.participant, at: Date.now() };
          ui.setState({ remote: withEntry(state.remote, event.id, preview) });
          return;
        }
        case "presence": {
          const cursors = withEntry(state.cursors, event.participant, event.cursor ? { ...event.cursor, at: Date.now() } : undefined);
          const remoteSelections = withEntry(state.remoteSelections, event.participant, event.selection.length ? event.selection : undefined);
          ui.setState({ cursors, remoteSelections });
          return;
        }
        case "left": {
          const remote = new Map([...state.remote].filter(([, p]) => p.participant !== event.participant));
          ui.setState({
            remote,
            cursors: withEntry(state.cursors, event.participant, undefined),
            remoteSelections: withEntry(state.remoteSelections, event.participant, undefined),
          });
          return;
        }
        case "reset":
          ui.setState({ remote: new Map(), local: new Map() });
          return;
        default:
          return;
      }
    });
    const sweeper = setInterval(() => this.sweepPreviews(), SWEEP_MS);
    return () => {
      stop();
      clearInterval(sweeper);
    };
  }

  private afterRemote(batch: BatchMessage): void {
    const ui = this.core.ui.getState();
    // Their drag ended with an update: drop the preview, the board has the position now.
    const touched = new Set<string>();
    for (const op of batch.ops) if (isCanvasOp(op)) touched.add(op.op === "add" ? op.element.id : op.id);
    let remote = ui.remote;
    for (const id of touched) if (remote.has(id)) remote = withEntry(remote, id, undefined);
    const shown = this.core.shown.elements;
    const gone = [...ui.selected].filter((id) => !shown.has(id));
    const patch: { -readonly [K in keyof UiState]?: UiState[K] } = {};
    if (remote !== ui.remote) patch.remote = remote;
    if (gone.length) patch.selected = new Set([...ui.selected].filter((id) => shown.has(id)));
    if (ui.editing && !this.core.elements.has(ui.editing)) patch.editing = null;
    if (Object.keys(patch).length) this.core.ui.setState(patch);
  }

  /** A drag whose owner went quiet (closed the tab mid-drag) should not hang in the air. */
  private sweepPreviews(): void {
    const remote = this.core.ui.getState().remote;
    if (!remote.size) return;
    const now = Date.now();
    const fresh = new Map([...remote].filter(([, p]) => now - p.at < PREVIEW_STALE_MS));
    if (fresh.size !== remote.size) this.core.ui.setState({ remote: fresh });
  }
}
