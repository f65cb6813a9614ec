import { createContext, useContext, useMemo, useSyncExternalStore } from "react";
import { useStore } from "zustand";

import type { Actor, SyncSnapshot } from "../sync";
import type { BoardController } from "./controller";
import type { UiState } from "./store";

export const ControllerContext = createContext<BoardController | null>(null);

export function useController(): BoardController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error("useController outside a board");
  return controller;
}

/** A slice of the UI store; the selector must return a stable value (or use useShallow). */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useController().ui, selector);
}

/** A slice of the sync snapshot; the selector must return a value that is stable between changes. */
export function useSync<T>(selector: (snapshot: SyncSnapshot) => T): T {
  const client = useController().client;
  return useSyncExternalStore(client.subscribe, () => selector(client.getSnapshot()));
}

/** Who I am on what kind of board (the annotation rules need both); null once my access is gone. */
export function useActor(): Actor | null {
  const you = useSync((s) => s.you);
  const mode = useSync((s) => s.board?.mode ?? "interview");
  const gone = useSync((s) => s.status === "removed" || s.status === "deleted");
  return useMemo(() => (you && !gone ? { participant: you.participant, role: you.role, mode } : null), [you, mode, gone]);
}
