import { createContext, useContext, useMemo, useSyncExternalStore } from "react";
import { useStore } from "zustand";

import { type Actor, type Annotations, type Board, canEditCanvas, canWrite, canWriteClosed, type SyncSnapshot } from "../sync";
import type { DrillView } from "./drillStore";
import type { Annotating } from "./features/annotations";
import type { Arranging } from "./features/arranging";
import type { Board as Features } from "./features/board";
import type { BoardCore } from "./features/core";
import type { Editing } from "./features/editing";
import type { FailureDrill } from "./features/failureDrill";
import type { Navigation } from "./features/navigation";
import type { ReplayControls } from "./features/replay";
import type { Reviewing } from "./features/review";
import type { InterviewSession } from "./features/session";
import type { Snapping } from "./features/snapping";
import { withPending } from "./pending";
import { versionBoard } from "./version";
import type { ReplayView } from "./replayPlayer";
import type { ReviewView } from "./reviewStore";
import type { UiState } from "./store";

/** The open board's features (./features/board.ts); components take the one they use. */
export const FeaturesContext = createContext<Features | null>(null);

export function useFeatures(): Features {
  const features = useContext(FeaturesContext);
  if (!features) throw new Error("useFeatures outside a board");
  return features;
}

/** The stores, the viewport, what is on screen, selection and toasts. */
export const useCore = (): BoardCore => useFeatures().core;
/** Changing the canvas, the clipboard, undo/redo. */
export const useEditing = (): Editing => useFeatures().editing;
/** Writing annotations (and a reviewer's pending challenges). */
export const useAnnotating = (): Annotating => useFeatures().annotating;
/** Going to an element, a thread, a ledger entry, a piece of evidence. */
export const useNavigation = (): Navigation => useFeatures().navigation;
/** The interview clock, the phase and the ledger. */
export const useInterviewSession = (): InterviewSession => useFeatures().session;
/** Versions, comparisons and reviews. */
export const useReviewing = (): Reviewing => useFeatures().review;
/** The failure drill. */
export const useFailureDrill = (): FailureDrill => useFeatures().drill;
/** Opening and closing the replay. */
export const useReplayControls = (): ReplayControls => useFeatures().replay;

/** Align, distribute, group and ungroup the selection. */
export const useArranging = (): Arranging => useFeatures().arranging;
/** Dragging: groups moving as one, snapping to other boxes, the guides. */
export const useSnapping = (): Snapping => useFeatures().snapping;

/** A slice of the UI store; the selector must return a stable value (or use useShallow). */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useCore().ui, selector);
}

/** A slice of the sync snapshot; the selector must return a value that is stable between changes. */
export function useSync<T>(selector: (snapshot: SyncSnapshot) => T): T {
  const client = useCore().client;
  return useSyncExternalStore(client.subscribe, () => selector(client.getSnapshot()));
}

/** A slice of the replay player's state; the selector must return a stable value. */
export function useReplay<T>(selector: (view: ReplayView) => T): T {
  const replay = useCore().replay;
  return useSyncExternalStore(replay.subscribe, () => selector(replay.getSnapshot()));
}

/** A slice of the review's state (versions shown, a comparison, my pending challenges). */
export function useReview<T>(selector: (view: ReviewView) => T): T {
  const review = useCore().reviewStore;
  return useSyncExternalStore(review.subscribe, () => selector(review.getSnapshot()));
}

/** A slice of the failure drill's state. */
export function useDrill<T>(selector: (view: DrillView) => T): T {
  const drill = useCore().drillStore;
  return useSyncExternalStore(drill.subscribe, () => selector(drill.getSnapshot()));
}

/** A version is open read-only (on its own or as the newer side of a comparison). */
export function useVersionShown(): boolean {
  return useReview((v) => v.shown !== null);
}

/** The board on screen is not the live one (a replay, or a version): nothing on it may change. */
export function usePastShown(): boolean {
  const replaying = useReplaying();
  const version = useVersionShown();
  return replaying || version;
}

/** The replay is open (and has something to show): the board on screen is the past, read-only. */
export function useReplaying(): boolean {
  return useReplay((v) => v.open && v.frame !== null);
}

/**
 * A slice of the board on screen: the live board, or the replayed one while the replay shows
 * a past seq. Canvas, annotations and ledger read through this; the selector must return a
 * value stable between changes (a field of the board).
 */
export function useBoard<T>(selector: (board: Board) => T): T {
  const live = useSync(selector);
  const frame = useReplay((v) => (v.open ? v.frame : null));
  const shown = useReview((v) => v.shown);
  const annotations = useSync((s) => s.annotations);
  const version = useMemo(() => (shown ? versionBoard(shown.elements, annotations, shown.version.id) : null), [shown, annotations]);
  return frame ? selector(frame) : version ? selector(version) : live;
}

/**
 * The annotations on screen: the board's (live, replayed or a version's) plus my pending
 * challenges as a reviewer (on the live board, or on the version they were written on).
 */
export function useAnnotations(): Annotations {
  const annotations = useBoard((b) => b.annotations);
  const pending = useReview((v) => v.pending);
  const shown = useReview((v) => v.shown);
  const replaying = useReplaying();
  const me = useSync((s) => s.you?.participant ?? "");
  return useMemo(() => {
    if (replaying || !pending.length) return annotations;
    const mine = shown ? pending.filter((p) => p.version === shown.version.id) : pending;
    return withPending(annotations, mine, me);
  }, [annotations, pending, shown, replaying, me]);
}

/**
 * May I send batches right now: my role writes, my access holds, the board is not closed to me
 * (an ended interview), and the board on screen is the live one.
 */
export function useWritable(): boolean {
  const writable = useSync(
    (s) =>
      s.you !== null &&
      canWrite(s.you.role) &&
      s.status !== "removed" &&
      s.status !== "deleted" &&
      (!s.closed || canWriteClosed(s.you.role)),
  );
  const past = usePastShown();
  return writable && !past;
}

/** May I change the canvas right now. */
export function useCanEdit(): boolean {
  const role = useSync((s) => s.you?.role ?? "observer");
  return useWritable() && canEditCanvas(role);
}

/** Who I am on what kind of board (the annotation rules need both); null once my access is gone. */
export function useActor(): Actor | null {
  const you = useSync((s) => s.you);
  const mode = useSync((s) => s.board?.mode ?? "interview");
  const gone = useSync((s) => s.status === "removed" || s.status === "deleted");
  return useMemo(() => (you && !gone ? { participant: you.participant, role: you.role, mode } : null), [you, mode, gone]);
}

/** The actor, only while I may write: what the write controls (composer, reply box, buttons) go by. */
export function useWriter(): Actor | null {
  const actor = useActor();
  return useWritable() ? actor : null;
}
