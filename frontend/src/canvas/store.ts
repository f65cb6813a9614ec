// UI state of one open board (selection, drags in progress, others' cursors),
// in a zustand store as React Flow recommends. Board content lives in the
// SyncClient; this store never holds a copy of it.
import { createStore } from "zustand/vanilla";

import type { AnnotationKind, ComponentType, Layer } from "../sync";

export interface Override {
  readonly x?: number;
  readonly y?: number;
  readonly w?: number;
  readonly h?: number;
}

export interface RemotePreview extends Override {
  readonly participant: string;
  readonly at: number;
}

export interface Cursor {
  readonly x: number;
  readonly y: number;
  readonly at: number;
}

export type ToastKind = "info" | "error" | "success";

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly title: string;
  readonly detail?: string;
}

export type Dialog = "invite" | "shortcuts" | "submit-review" | null;

export type SidebarTab = "details" | "annotations" | "requirements" | "question" | "scorecard" | "review";

/** An annotation being written: raised on an element (or the board) with a kind, in a layer. */
export interface Composer {
  readonly target: string | null;
  readonly kind: AnnotationKind;
  readonly layer: Layer;
}

/** Which layers show (on the canvas and in the list); kept per board in localStorage. */
export type LayerVisibility = Readonly<Record<Layer, boolean>>;

export const ALL_LAYERS: LayerVisibility = { challenges: true, notes: true, private: true };

export interface UiState {
  readonly selected: ReadonlySet<string>;
  /** The element whose label (or note text) is being typed into on the canvas. */
  readonly editing: string | null;
  /** My drags and resizes in progress, over the board's positions. */
  readonly local: ReadonlyMap<string, Override>;
  /** Others' drags in progress (from `preview`). */
  readonly remote: ReadonlyMap<string, RemotePreview>;
  readonly cursors: ReadonlyMap<string, Cursor>;
  readonly remoteSelections: ReadonlyMap<string, readonly string[]>;
  readonly toasts: readonly Toast[];
  readonly dialog: Dialog;
  /** What double-click and the add shortcut create. */
  readonly lastType: ComponentType;
  readonly panels: { readonly palette: boolean; readonly inspector: boolean };
  /** What the right-hand side panel shows. */
  readonly sidebar: SidebarTab;
  /** The ledger entry to bring into view (a click on evidence or a timeline marker). */
  readonly entry: string | null;
  readonly composer: Composer | null;
  /** The annotation whose thread is open next to its target. */
  readonly thread: string | null;
  readonly layers: LayerVisibility;
  /** When I last opened each thread (its updated_at then): newer challenges pulse until I look. */
  readonly seen: ReadonlyMap<string, string>;
}

export type UiStore = ReturnType<typeof createUiStore>;

export function createUiStore(saved: Partial<Pick<UiState, "layers" | "seen">> = {}) {
  return createStore<UiState>(() => ({
    selected: new Set(),
    editing: null,
    local: new Map(),
    remote: new Map(),
    cursors: new Map(),
    remoteSelections: new Map(),
    toasts: [],
    dialog: null,
    lastType: "service",
    panels: { palette: true, inspector: true },
    sidebar: "details",
    entry: null,
    composer: null,
    thread: null,
    layers: saved.layers ?? ALL_LAYERS,
    seen: saved.seen ?? new Map(),
  }));
}

/** A copy of `map` with `key` set (or deleted when value is undefined). */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V | undefined): Map<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}
