// The board every feature works on: the stores (the SyncClient for content, the UI store for
// selection, drags and toasts, the replay, the review and the drill stores), the viewport the
// canvas lends, what is on screen and whether it may change, toasts, selection (and where I am
// for the others), and the rule "one overlay at a time". Features (./editing, ./annotations…)
// hold a BoardCore and never each other (scripts/check-boundaries.mjs). No React.
import {
  type AnnotationOp,
  type Annotations,
  type Board,
  type Elements,
  type InterviewOp,
  OpError,
  type Point,
  randomId,
  type SyncClient,
} from "../../sync";
import { ApiError } from "../../api/http";
import type { DrillStore } from "../drillStore";
import type { ReplayPlayer } from "../replayPlayer";
import type { ReviewStore } from "../reviewStore";
import type { ToastKind, UiStore } from "../store";
import { versionBoard } from "../version";

/** What the canvas lends the board once React Flow is mounted. */
export interface Viewport {
  /** The flow point at the middle of the visible canvas. */
  center(): Point;
  /** The last pointer position over the canvas, if the pointer is there. */
  pointer(): Point | null;
  /** Settles once the view has arrived (after its animation), so a caller can measure it. */
  fitView(): Promise<unknown>;
  zoomIn(): void;
  zoomOut(): void;
  zoomTo(level: number): void;
  /** Put a flow point in the middle of the view (at a zoom level, or the current one). */
  centerOn(point: Point, zoom?: number): void;
  /** The zoom level now. */
  zoom(): number;
  /** Put a flow point in the middle at a zoom, at once (following someone: no animation to lag behind). */
  jumpTo(point: Point, zoom: number): void;
  focus(): void;
}

/** What may cover the live board; only one at a time. */
export type Overlay = "drill" | "version" | "replay";

const TOAST_MS = { info: 4000, success: 3000, error: 8000 } as const;

export function newId(prefix: string): string {
  return `${prefix}-${randomId(8)}`;
}

export class BoardCore {
  private viewport: Viewport | null = null;
  private toastId = 0;
  private cursor: Point | null = null;
  private lastToast = { text: "", at: 0 };

  constructor(
    readonly client: SyncClient,
    readonly ui: UiStore,
    /** The board's past: while it is open the canvas shows a replayed seq, read-only. */
    readonly replay: ReplayPlayer,
    /** Versions, comparisons, review requests and my pending challenges (REST). */
    readonly reviewStore: ReviewStore,
    /** The failure drill (REST analysis, refetched as the board changes). */
    readonly drillStore: DrillStore,
  ) {}

  /**
   * Follow the stores (until the returned function is called): the board turning read-only
   * (the session ended, a replay or a version opened) ends what was being written.
   */
  start(): () => void {
    const settle = () => this.settleWriting();
    const stops = [this.client.subscribe(settle), this.replay.subscribe(settle), this.reviewStore.subscribe(settle)];
    this.reviewStore.start();
    this.drillStore.start();
    return () => {
      for (const stop of stops) stop();
      this.reviewStore.dispose();
      this.drillStore.dispose();
    };
  }

  attachViewport(viewport: Viewport | null): void {
    this.viewport = viewport;
  }

  get view(): Viewport | null {
    return this.viewport;
  }

  // ---- What is on screen ------------------------------------------------------------

  get elements(): Elements {
    return this.client.getSnapshot().elements;
  }

  get annotations(): Annotations {
    return this.client.getSnapshot().annotations;
  }

  /** The board on screen is not the live one: a replay, or a version open read-only. */
  get pastShown(): boolean {
    return this.replay.isOpen || this.reviewStore.isShowingVersion;
  }

  /** May I change the canvas now (my role, the session, and the live board on screen). */
  get canEdit(): boolean {
    return this.client.canEdit && !this.pastShown;
  }

  /** May I send anything to the board now (canvas, annotations, the ledger). */
  get writable(): boolean {
    return this.client.canWrite && !this.pastShown;
  }

  /** The board on screen: the replayed one while a replay shows, a version's while one is open, else the live one. */
  get shown(): Board {
    const { open, frame } = this.replay.getSnapshot();
    if (open && frame) return frame;
    const live = this.client.getSnapshot();
    const version = this.reviewStore.getSnapshot().shown;
    return version ? versionBoard(version.elements, live.annotations, version.version.id) : live;
  }

  /** Tell why nothing changes when the board on screen is the past; true if it is. */
  refusePast(): boolean {
    if (this.replay.isOpen) this.toast("info", "This is a replay", "Go back to the live board to change it.");
    else if (this.reviewStore.isShowingVersion) this.toast("info", "This is a published version", "Go back to the live board to change it.");
    else return false;
    return true;
  }

  /** Stop typing into what I may no longer change. */
  private settleWriting(): void {
    const ui = this.ui.getState();
    if (this.canEdit || (ui.editing === null && ui.local.size === 0 && (ui.composer === null || this.writable))) return;
    this.ui.setState({ editing: null, local: new Map(), ...(this.writable ? {} : { composer: null }) });
  }

  /**
   * Send annotation or interview ops as their own batch, recording nothing for undo (undo covers
   * the canvas only). With `live` false a past board on screen refuses it. False (and a toast) when refused.
   */
  sendUnrecorded(ops: readonly (AnnotationOp | InterviewOp)[], live = false): boolean {
    if (!live && this.refusePast()) return false;
    try {
      this.client.submit(ops);
      return true;
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      this.toast("error", "That cannot be done", error.message);
      return false;
    }
  }

  /** Run a REST action; a refusal is a toast with the server's message, and null. */
  async rest<T>(title: string, action: () => Promise<T>): Promise<T | null> {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof ApiError || error instanceof Error ? error.message : "Something went wrong.";
      this.toast("error", title, message);
      return null;
    }
  }

  // ---- Selection and where I am ---------------------------------------------------------

  select(ids: Iterable<string>): void {
    const selected = new Set(ids);
    const current = this.ui.getState().selected;
    if (selected.size === current.size && [...selected].every((id) => current.has(id))) return;
    this.ui.setState({ selected });
    this.sharePresence();
  }

  selectAll(): void {
    this.select(this.elements.keys());
  }

  pointerMoved(point: Point | null): void {
    this.cursor = point;
    this.sharePresence();
  }

  /** Where I am for the others: nowhere while I look at a replay (its board is not theirs). */
  private sharePresence(): void {
    if (this.pastShown) this.client.setPresence(null, []);
    else this.client.setPresence(this.cursor, [...this.ui.getState().selected]);
  }

  stopEditing(): void {
    if (this.ui.getState().editing !== null) this.ui.setState({ editing: null });
    this.viewport?.focus();
  }

  /** Where a new element goes: under the pointer if it is on the canvas, else the middle of the view. */
  placement(at?: Point): Point {
    return at ?? this.viewport?.pointer() ?? this.viewport?.center() ?? { x: 0, y: 0 };
  }

  /** One overlay at a time: a drill, a version (or comparison), a replay. */
  leaveOtherViews(keep: Overlay): void {
    if (keep !== "replay" && this.replay.isOpen) this.replay.close();
    if (keep !== "drill" && this.drillStore.getSnapshot().on) this.drillStore.toggle(false);
    if (keep !== "version" && this.reviewStore.getSnapshot().shown) this.reviewStore.closeCompare();
    if (keep !== "version" && this.reviewStore.getSnapshot().compare) this.reviewStore.closeCompare();
  }

  // ---- Feedback ---------------------------------------------------------------------

  toast(kind: ToastKind, title: string, detail?: string): void {
    const id = ++this.toastId;
    const toast = { id, kind, title, ...(detail ? { detail } : {}) };
    this.ui.setState((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
    setTimeout(() => this.dismissToast(id), TOAST_MS[kind]);
  }

  /** A toast, unless the same one showed in the last 3 s (a burst of rejections says it once). */
  toastOnce(kind: ToastKind, title: string, detail: string): void {
    const text = `${title}\n${detail}`;
    const now = Date.now();
    if (this.lastToast.text === text && now - this.lastToast.at < 3000) return;
    this.lastToast = { text, at: now };
    this.toast(kind, title, detail);
  }

  dismissToast(id: number): void {
    this.ui.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  }
}
