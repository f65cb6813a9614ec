// What this browser remembers about a board between visits: which annotation
// layers show, and which threads I have opened (so only what is new pulses).
import { LAYERS } from "../sync";
import { ALL_LAYERS, type LayerVisibility, type UiState, type UiStore } from "./store";

const SEEN_LIMIT = 500;

function read(key: string): unknown {
  try {
    return JSON.parse(window.localStorage.getItem(key) ?? "null") as unknown;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the preference lasts until the tab closes.
  }
}

const keys = (board: string, participant: string) => ({
  layers: `bothsides:layers:${board}`,
  seen: `bothsides:seen:${board}:${participant}`,
});

export function loadPrefs(board: string, participant: string): Pick<UiState, "layers" | "seen"> {
  const key = keys(board, participant);
  const layers = read(key.layers) as Partial<Record<string, unknown>> | null;
  const seen = read(key.seen);
  return {
    layers: Object.fromEntries(
      LAYERS.map((layer) => [layer, typeof layers?.[layer] === "boolean" ? layers[layer] : ALL_LAYERS[layer]]),
    ) as unknown as LayerVisibility,
    seen: new Map(Array.isArray(seen) ? (seen.filter((e) => Array.isArray(e) && e.length === 2) as [string, string][]) : []),
  };
}

/** Save the preferences whenever they change; returns the unsubscribe. */
export function persistPrefs(ui: UiStore, board: string, participant: string): () => void {
  const key = keys(board, participant);
  return ui.subscribe((state, before) => {
    if (state.layers !== before.layers) write(key.layers, state.layers);
    // The newest entries are the ones that matter; a long-lived board must not grow storage forever.
    if (state.seen !== before.seen) write(key.seen, [...state.seen].slice(-SEEN_LIMIT));
  });
}
