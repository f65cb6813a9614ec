// Everything a person can do to the board, as plain methods over the SyncClient
// (content) and the UI store (selection, drags, cursors). React components call
// these; nothing here renders. Tests reach it as window.__bothsides.controller.
import {
  type AnnotationKind,
  type AnnotationOp,
  type Annotations,
  type ArrowElement,
  type BatchMessage,
  type Board,
  type CanvasOp,
  type ComponentElement,
  type ComponentType,
  type Element,
  type ElementProps,
  type Elements,
  History,
  type Layer,
  LIMITS,
  OpError,
  type Point,
  PRIVATE_PREFIX,
  type SetStatus,
  type Submitted,
  type SyncClient,
  type Verdict,
  type SyncEvent,
  changesOf,
  defaultLayer,
  canAnswer,
  canKeepClock,
  type InterviewOp,
  isAnnotationOp,
  isCanvasOp,
  isChallengedSide,
  isInterviewOp,
  type Phase,
  randomId,
  type RequirementKind,
  revert,
  SESSION_LIMITS,
} from "../sync";
import { ApiError } from "../api/http";
import { KIND_INFO } from "./annotationCatalog";
import type { VersionRef } from "./diff";
import { drillChallengeText, type Probe } from "./drill";
import type { DrillStore } from "./drillStore";
import type { ReviewStore } from "./reviewStore";
import { VERDICT_INFO } from "./reviewCatalog";
import { versionBoard } from "./version";
import { ENTRY_KIND_INFO, PHASE_INFO } from "./interviewCatalog";
import type { ReplayPlayer } from "./replayPlayer";
import type { EvidenceLink } from "./scorecard";
import { type Override, type RemotePreview, type ToastKind, type UiStore, withEntry } from "./store";

/** What the canvas lends the controller once React Flow is mounted. */
export interface Viewport {
  /** The flow point at the middle of the visible canvas. */
  center(): Point;
  /** The last pointer position over the canvas, if the pointer is there. */
  pointer(): Point | null;
  fitView(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomTo(level: number): void;
  /** Put a flow point in the middle of the view (at a zoom level, or the current one). */
  centerOn(point: Point, zoom?: number): void;
  focus(): void;
}

const CLIPBOARD_MARK = "bothsides/elements";
const PASTE_OFFSET = 32;
const PREVIEW_STALE_MS = 3000;
const TOAST_MS = { info: 4000, success: 3000, error: 8000 } as const;

export interface ClipboardData {
  readonly format: typeof CLIPBOARD_MARK;
  readonly elements: readonly Element[];
}

export function newId(prefix: string): string {
  return `${prefix}-${randomId(8)}`;
}

const sameValue = (element: Element, key: string, value: unknown) => (element as unknown as Record<string, unknown>)[key] === value;

export class BoardController {
  readonly history = new History();
  private viewport: Viewport | null = null;
  private clipboard: readonly Element[] = [];
  private pasteCount = 0;
  private toastId = 0;
  private cursor: Point | null = null;
  private lastRejection = { text: "", at: 0 };
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;
  private unwatch: (() => void) | null = null;

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

  /** Listen to the board (idempotent; undone by dispose). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.client.onEvent((event) => this.onSyncEvent(event));
    // The board turning read-only (the session ended, a replay opened) ends what was being written.
    const settle = () => this.settleWriting();
    const stopClient = this.client.subscribe(settle);
    const stopReplay = this.replay.subscribe(settle);
    const stopReview = this.reviewStore.subscribe(settle);
    this.reviewStore.start();
    this.drillStore.start();
    this.unwatch = () => {
      stopClient();
      stopReplay();
      stopReview();
      this.reviewStore.dispose();
      this.drillStore.dispose();
    };
    this.sweeper = setInterval(() => this.sweepPreviews(), 1000);
  }

  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unwatch?.();
    this.unwatch = null;
    this.replay.close();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  attachViewport(viewport: Viewport | null): void {
    this.viewport = viewport;
  }

  get view(): Viewport | null {
    return this.viewport;
  }

  get elements(): Elements {
    return this.client.getSnapshot().elements;
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

  get annotations(): Annotations {
    return this.client.getSnapshot().annotations;
  }

  /** The board on screen: the replayed one while a replay shows, else the live one. */
  get shown(): Board {
    const { open, frame } = this.replay.getSnapshot();
    if (open && frame) return frame;
    const live = this.client.getSnapshot();
    const version = this.reviewStore.getSnapshot().shown;
    return version ? versionBoard(version.elements, live.annotations, version.version.id) : live;
  }

  /** Tell why nothing changes: the board on screen is the past. */
  private refusePast(): boolean {
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

  // ---- Changing the board -----------------------------------------------------

  /** Submit ops as one batch and remember it for undo; shows why if it cannot apply. */
  submit(ops: CanvasOp[], key?: string): Submitted | null {
    if (!ops.length) return null;
    if (this.refusePast()) return null;
    try {
      const submitted = this.client.submit(ops);
      this.history.record({
        changes: changesOf(submitted.before, submitted.after, submitted.touched),
        batchIds: [submitted.id],
        ...(key === undefined ? {} : { key }),
      });
      return submitted;
    } catch (error) {
      if (error instanceof OpError) this.toast("error", "That change cannot be made", error.message);
      else throw error;
      return null;
    }
  }

  /** Where a new element goes: under the pointer if it is on the canvas, else the middle of the view. */
  placement(at?: Point): Point {
    return at ?? this.viewport?.pointer() ?? this.viewport?.center() ?? { x: 0, y: 0 };
  }

  /** The nearest spot to `centre` where a w×h box overlaps nothing (for adds without an explicit point). */
  freeSpot(centre: Point, w: number, h: number): Point {
    const margin = 24;
    const boxes = [...this.elements.values()].filter((e) => e.kind !== "arrow");
    const clear = (x: number, y: number) =>
      boxes.every(
        (b) =>
          x - w / 2 >= b.x + b.w + margin ||
          x + w / 2 <= b.x - margin ||
          y - h / 2 >= b.y + b.h + margin ||
          y + h / 2 <= b.y - margin,
      );
    for (let ring = 0; ring < 12; ring++) {
      const step = 48;
      for (let i = -ring; i <= ring; i++) {
        for (const [dx, dy] of [
          [i, ring],
          [i, -ring],
          [ring, i],
          [-ring, i],
        ] as const) {
          const x = centre.x + dx * step * 2;
          const y = centre.y + dy * step;
          if (clear(x, y)) return { x, y };
        }
      }
    }
    return centre;
  }

  addComponent(type: ComponentType, at?: Point, edit = true): string | null {
    const centre = at ?? this.freeSpot(this.placement(), 160, 72);
    const element = {
      id: newId(type.replace("_", "")),
      kind: "component" as const,
      type,
      label: "",
      x: Math.round(centre.x - 80),
      y: Math.round(centre.y - 36),
      w: 160,
      h: 72,
      tech: "",
      replicas: 1,
      notes: "",
    };
    if (!this.submit([{ op: "add", element }], `new:${element.id}`)) return null;
    this.ui.setState({ lastType: type });
    this.select([element.id]);
    if (edit) this.startEditing(element.id);
    return element.id;
  }

  addNote(at?: Point, edit = true, text = ""): string | null {
    const centre = at ?? this.freeSpot(this.placement(), 200, 120);
    const element = {
      id: newId("note"),
      kind: "note" as const,
      x: Math.round(centre.x - 100),
      y: Math.round(centre.y - 60),
      w: 200,
      h: 120,
      text,
    };
    if (!this.submit([{ op: "add", element }], `new:${element.id}`)) return null;
    this.select([element.id]);
    if (edit) this.startEditing(element.id);
    return element.id;
  }

  /**
   * The undo key for a new editing session: typing the first label of a box
   * just added is part of adding it (one undo step), later edits are their own.
   */
  editKey(id: string, field: string, session: number): string {
    return this.history.topKey === `new:${id}` ? `new:${id}` : `edit:${id}:${field}:${session}`;
  }

  connect(source: string, target: string): string | null {
    if (source === target) return null;
    const elements = this.elements;
    if (elements.get(source)?.kind !== "component" || elements.get(target)?.kind !== "component") return null;
    for (const e of elements.values()) {
      if (e.kind === "arrow" && e.source === source && e.target === target) {
        this.select([e.id]);
        return e.id;
      }
    }
    const element: ArrowElement = { id: newId("arrow"), kind: "arrow", source, target, label: "", style: "sync" };
    if (!this.submit([{ op: "add", element }])) return null;
    this.select([element.id]);
    return element.id;
  }

  /** Change some properties of one element; only those that differ are sent. */
  update(id: string, props: ElementProps, key?: string): void {
    const current = this.elements.get(id);
    if (!current) return;
    const changed = Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== undefined && !sameValue(current, k, v)));
    if (Object.keys(changed).length) this.submit([{ op: "update", id, props: changed as ElementProps }], key);
  }

  /** Commit positions (and sizes) after a drag, a resize or a nudge, as one batch. */
  commitGeometry(changes: ReadonlyMap<string, Override>, key?: string): void {
    const ops: CanvasOp[] = [];
    for (const [id, override] of changes) {
      const current = this.elements.get(id);
      if (!current || current.kind === "arrow") continue;
      const props: Record<string, number> = {};
      for (const name of ["x", "y", "w", "h"] as const) {
        const value = override[name];
        if (value === undefined) continue;
        const rounded = Math.round(Math.max(-LIMITS.coord, Math.min(LIMITS.coord, value)));
        if (current[name] !== rounded) props[name] = rounded;
      }
      if (Object.keys(props).length) ops.push({ op: "update", id, props });
    }
    this.client.cancelPreviews(changes.keys());
    if (ops.length) this.submit(ops, key);
    this.setLocal(changes.keys(), undefined);
  }

  deleteSelection(): void {
    const ids = [...this.ui.getState().selected].filter((id) => this.elements.has(id));
    if (!ids.length) return;
    // Arrows first: a component's delete would take them anyway, and must not find them gone.
    const kinds = (id: string) => (this.elements.get(id)?.kind === "arrow" ? 0 : 1);
    const deleting = new Set(ids);
    const ops: CanvasOp[] = ids
      .filter((id) => {
        const e = this.elements.get(id);
        return !(e?.kind === "arrow" && (deleting.has(e.source) || deleting.has(e.target)));
      })
      .sort((a, b) => kinds(a) - kinds(b))
      .map((id) => ({ op: "delete", id }));
    if (this.submit(ops)) this.select([]);
  }

  nudge(dx: number, dy: number): void {
    const moves = new Map<string, Override>();
    for (const id of this.ui.getState().selected) {
      const e = this.elements.get(id);
      if (e && e.kind !== "arrow") moves.set(id, { x: e.x + dx, y: e.y + dy });
    }
    if (moves.size) this.commitGeometry(moves, `nudge:${[...moves.keys()].sort().join(",")}`);
  }

  // ---- Clipboard ----------------------------------------------------------------

  /** The selection (and the arrows between selected components) as clipboard data. */
  copySelection(): ClipboardData | null {
    const selected = this.ui.getState().selected;
    const elements = this.elements;
    const picked: Element[] = [];
    for (const e of elements.values()) {
      if (e.kind === "arrow") {
        if (selected.has(e.source) && selected.has(e.target)) picked.push(e);
      } else if (selected.has(e.id)) picked.push(e);
    }
    if (!picked.length) return null;
    this.clipboard = picked;
    this.pasteCount = 0;
    return { format: CLIPBOARD_MARK, elements: picked };
  }

  static parseClipboard(text: string): readonly Element[] | null {
    try {
      const value = JSON.parse(text) as Partial<ClipboardData>;
      return value && value.format === CLIPBOARD_MARK && Array.isArray(value.elements) ? value.elements : null;
    } catch {
      return null;
    }
  }

  /** Paste copies with new ids, offset a little more each time; arrows follow their components. */
  paste(from?: readonly Element[]): void {
    const source = from ?? this.clipboard;
    if (!source.length) return;
    if (from) this.clipboard = from;
    this.pasteCount += 1;
    const offset = PASTE_OFFSET * this.pasteCount;
    const ids = new Map<string, string>();
    const ops: CanvasOp[] = [];
    for (const e of source) {
      if (e.kind === "arrow") continue;
      const id = newId(e.kind === "note" ? "note" : e.type.replace("_", ""));
      ids.set(e.id, id);
      ops.push({ op: "add", element: { ...e, id, x: e.x + offset, y: e.y + offset } });
    }
    for (const e of source) {
      if (e.kind !== "arrow") continue;
      const s = ids.get(e.source);
      const t = ids.get(e.target);
      if (s && t) ops.push({ op: "add", element: { ...e, id: newId("arrow"), source: s, target: t } });
    }
    if (ops.length > LIMITS.maxOpsPerBatch) {
      this.toast("error", "Too much to paste at once", `At most ${LIMITS.maxOpsPerBatch} elements per paste.`);
      return;
    }
    if (this.submit(ops)) this.select([...ids.values()]);
  }

  duplicate(): void {
    const data = this.copySelection();
    if (data) this.paste();
  }

  // ---- Undo and redo (my own changes only) --------------------------------------------

  undo(): void {
    this.step("undo");
  }

  redo(): void {
    this.step("redo");
  }

  private step(direction: "undo" | "redo"): void {
    if (!this.canEdit) return;
    this.stopEditing();
    for (;;) {
      const entry = direction === "undo" ? this.history.takeUndo() : this.history.takeRedo();
      if (!entry) return;
      // Each stack holds batches that happened (mine, or my undos): stepping reverts one.
      const result = revert(entry.changes, this.elements, "undo");
      if (result.blocked) {
        this.toast("info", direction === "undo" ? "Nothing undone" : "Nothing redone", result.blocked);
        return;
      }
      if (!result.ops.length) continue; // others have since replaced all of it: go further back
      try {
        const submitted = this.client.submit(result.ops);
        const next = { changes: changesOf(submitted.before, submitted.after, submitted.touched), batchIds: [submitted.id] };
        if (direction === "undo") this.history.pushRedo(next);
        else this.history.pushUndo(next);
        const alive = [...entry.changes.keys()].filter((id) => submitted.after.has(id));
        this.select(alive);
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
        this.toast("info", "Cannot " + direction, error.message);
      }
      return;
    }
  }

  // ---- Annotations (their own batches, never part of undo) ------------------------------

  /**
   * Open the composer for a kind on the selection (or on `target`; null for the whole board),
   * in the layer the role writes by default. False when the role may not annotate or nothing
   * annotatable is selected.
   */
  raise(kind: AnnotationKind, target?: string | null): boolean {
    const actor = this.client.actor;
    const layer = actor && defaultLayer(actor.role, actor.mode);
    if (!layer || !this.writable) return false;
    const on = target === undefined ? this.annotatableSelection() : target;
    if (on === undefined) {
      this.toast("info", "Select a component or an arrow first", "Then press F, T, S or C to annotate it.");
      return false;
    }
    this.stopEditing();
    this.ui.setState({ composer: { target: on, kind, layer }, thread: null });
    return true;
  }

  closeComposer(): void {
    if (this.ui.getState().composer) this.ui.setState({ composer: null });
    this.viewport?.focus();
  }

  /** The one selected component or arrow, if that is what is selected. */
  private annotatableSelection(): string | undefined {
    const selected = [...this.ui.getState().selected];
    const element = selected.length === 1 && selected[0] !== undefined ? this.elements.get(selected[0]) : undefined;
    return element && element.kind !== "note" ? element.id : undefined;
  }

  /** Raise an annotation (in the role's default layer unless given); returns its id, or null if refused. */
  annotate(input: { target: string | null; kind: AnnotationKind; text: string; layer?: Layer }): string | null {
    const actor = this.client.actor;
    const layer = input.layer ?? (actor && defaultLayer(actor.role, actor.mode));
    if (!layer) {
      this.toast("error", "That cannot be done", "Your role cannot annotate this board.");
      return null;
    }
    // A reviewer's challenge waits, unseen by anyone else, until the review is submitted.
    if (actor?.role === "reviewer" && layer === "challenges") {
      if (this.refusePast()) return null;
      const id = newId("a");
      void this.addPending({ id, target: input.target, kind: input.kind, text: input.text });
      return id;
    }
    // The id says the stream: private ids start with p-, and only they do.
    const id = layer === "private" ? `${PRIVATE_PREFIX}${newId("a")}` : newId("a");
    const annotation = { id, layer, target: input.target, kind: input.kind, text: input.text.trim() };
    return this.submitAnnotations([{ op: "annotate", annotation }]) ? id : null;
  }

  reply(annotation: string, text: string): string | null {
    const id = newId("r");
    return this.submitAnnotations([{ op: "reply", annotation, reply: { id, text: text.trim() } }]) ? id : null;
  }

  setStatus(annotation: string, status: SetStatus): boolean {
    return this.submitAnnotations([{ op: "set_status", annotation, status }]);
  }

  /** Edit an annotation's own text, or (with `reply`) one of its replies. */
  editText(annotation: string, text: string, reply?: string): boolean {
    if (this.isPendingId(annotation)) {
      void this.editPending(annotation, text);
      return true;
    }
    const op: AnnotationOp =
      reply === undefined ? { op: "edit_text", annotation, text: text.trim() } : { op: "edit_text", annotation, reply, text: text.trim() };
    return this.submitAnnotations([op]);
  }

  deleteAnnotation(annotation: string): boolean {
    if (this.isPendingId(annotation)) {
      void this.deletePending(annotation);
      if (this.ui.getState().thread === annotation) this.ui.setState({ thread: null });
      return true;
    }
    if (!this.submitAnnotations([{ op: "delete_annotation", annotation }])) return false;
    if (this.ui.getState().thread === annotation) this.ui.setState({ thread: null });
    return true;
  }

  /** Submit without recording anything for undo: undo covers the canvas only. */
  private submitAnnotations(ops: AnnotationOp[]): boolean {
    if (this.refusePast()) return false;
    try {
      this.client.submit(ops);
      return true;
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      this.toast("error", "That cannot be done", error.message);
      return false;
    }
  }

  /** Show a thread next to its target (null closes it); opening it counts as having seen it. */
  openThread(id: string | null): void {
    this.ui.setState({ thread: id, composer: null });
    if (id !== null) this.markSeen(id);
  }

  /** Remember the thread as I last saw it, so it stops pulsing until something changes. */
  markSeen(id: string): void {
    const annotation = this.annotations.get(id);
    const seen = this.ui.getState().seen;
    if (!annotation || seen.get(id) === annotation.updated_at) return;
    const next = new Map(seen);
    next.delete(id); // newest last: storage keeps the most recent ones
    next.set(id, annotation.updated_at);
    this.ui.setState({ seen: next });
  }

  /** Centre the view on an annotation's target, select it, and open the thread. */
  jumpTo(id: string): void {
    const annotation = this.shown.annotations.get(id) ?? this.pendingAnnotation(id);
    if (!annotation) return;
    if (annotation.target !== null) this.focusElement(annotation.target);
    this.openThread(id);
  }

  /** Centre the view on an element of the board on screen and select it; false if it is not there. */
  focusElement(id: string): boolean {
    const elements = this.shown.elements;
    const element = elements.get(id);
    if (!element) return false;
    this.viewport?.centerOn(this.centreOf(element, elements));
    this.select([element.id]);
    return true;
  }

  private centreOf(element: Element, elements: Elements): Point {
    if (element.kind !== "arrow") return { x: element.x + element.w / 2, y: element.y + element.h / 2 };
    const source = elements.get(element.source);
    const target = elements.get(element.target);
    if (!source || !target) return this.placement();
    const [a, b] = [this.centreOf(source, elements), this.centreOf(target, elements)];
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }

  // ---- Versions and reviews (REST; the verdict lands as an op) ------------------------------

  private isPendingId(id: string): boolean {
    return !this.annotations.has(id) && this.reviewStore.getSnapshot().pending.some((p) => p.id === id);
  }

  private pendingAnnotation(id: string) {
    const comment = this.reviewStore.getSnapshot().pending.find((p) => p.id === id);
    return comment ? { target: comment.target } : undefined;
  }

  /** Run a REST action; a refusal is a toast with the server's message, and null. */
  private async rest<T>(title: string, action: () => Promise<T>): Promise<T | null> {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof ApiError || error instanceof Error ? error.message : "Something went wrong.";
      this.toast("error", title, message);
      return null;
    }
  }

  /** Pin the canvas as it is now (the owner); the version's number. */
  async publishVersion(name: string, note = ""): Promise<number | null> {
    if (!name.trim()) {
      this.toast("error", "Name the version", "A version needs a name, such as “First draft”.");
      return null;
    }
    const version = await this.rest("The version was not published", () => this.reviewStore.publish(name, note));
    if (version) this.toast("success", `Published version ${version.id}`, version.name);
    return version?.id ?? null;
  }

  /** Show a version's canvas read-only (null: back to the live board). */
  async openVersion(n: number | null): Promise<boolean> {
    if (n !== null) this.leaveOtherViews("version");
    const shown = await this.rest("The version could not be opened", () => this.reviewStore.open(n));
    if (shown) this.select([]);
    return n === null || shown !== null;
  }

  /** Compare two versions, or a version and now ("now"); the diff shows on the canvas and as a list. */
  async compare(from: VersionRef, to: VersionRef = "now"): Promise<boolean> {
    this.leaveOtherViews("version");
    const done = await this.rest("The versions could not be compared", () => this.reviewStore.compare(from, to));
    if (done) this.select([]);
    return done !== null;
  }

  closeCompare(): void {
    this.reviewStore.closeCompare();
  }

  /** Make the canvas equal version `n` again, as a new batch (the owner); false when refused. */
  async restoreVersion(n: number): Promise<boolean> {
    const seq = await this.rest("The version was not restored", async () => ({ seq: await this.reviewStore.restore(n) }));
    if (!seq) return false;
    this.toast("success", seq.seq === null ? `The board already matches version ${n}` : `Restored version ${n}`, seq.seq === null ? undefined : "Undo is not needed: the old canvas stays in the history.");
    return true;
  }

  /** Ask users (by username) to review a version (the newest unless given). */
  async requestReview(usernames: readonly string[], version?: number): Promise<boolean> {
    const names = [...new Set(usernames.map((u) => u.trim()).filter(Boolean))];
    if (!names.length) {
      this.toast("error", "Who should review it?", "Give one or more usernames.");
      return false;
    }
    const done = await this.rest("The review was not requested", () => this.reviewStore.requestReview(names, version));
    if (done) this.toast("success", "Review requested", names.join(", "));
    return done !== null;
  }

  /** Draft a pending challenge (a reviewer): shown to me alone until I submit my review. Its id, or null. */
  async addPending(input: { target: string | null; kind: AnnotationKind; text: string; id?: string }): Promise<string | null> {
    const id = input.id ?? newId("a");
    const text = input.text.trim();
    const done = await this.rest("The challenge was not saved", () => this.reviewStore.addPending({ id, target: input.target, kind: input.kind, text }));
    return done ? done.id : null;
  }

  async editPending(id: string, text: string): Promise<boolean> {
    return (await this.rest("The challenge was not changed", () => this.reviewStore.editPending(id, text.trim()))) !== null;
  }

  async deletePending(id: string): Promise<boolean> {
    return (await this.rest("The challenge was not deleted", async () => (await this.reviewStore.removePending(id), true))) !== null;
  }

  /** Submit my review of the newest version: my pending challenges and the verdict land for everyone at once. */
  async submitReview(verdict: Verdict, summary = ""): Promise<boolean> {
    const done = await this.rest("The review was not submitted", async () => (await this.reviewStore.submit(verdict, summary), true));
    if (done) this.toast("success", "Review submitted", VERDICT_INFO[verdict].name);
    return done !== null;
  }

  // ---- The failure drill -------------------------------------------------------------------

  /** Drill mode on or off. */
  toggleDrill(on?: boolean): void {
    const next = on ?? !this.drillStore.getSnapshot().on;
    if (next) this.leaveOtherViews("drill");
    this.drillStore.toggle(next);
  }

  /** Fail a component (null: recover it); turns drill mode on. The analysis, or null. */
  async drill(id: string | null) {
    this.leaveOtherViews("drill");
    if (id !== null && this.elements.get(id)?.kind !== "component") {
      this.toast("info", "Fail a component", "Arrows and sticky notes cannot go down.");
      return null;
    }
    const analysis = await this.drillStore.fail(id);
    const error = this.drillStore.getSnapshot().error;
    if (error) this.toast("error", "The drill failed", error);
    return analysis;
  }

  showSpofs(on?: boolean): void {
    if (on ?? !this.drillStore.getSnapshot().spofs) this.leaveOtherViews("drill");
    this.drillStore.showSpofs(on);
  }

  /** The drill on screen as a failure-mode challenge on the failed component (a reviewer's is pending). */
  raiseDrill(): string | null {
    const drill = this.drillStore.getSnapshot().analysis?.drill;
    if (!drill) return null;
    return this.annotate({ target: drill.failed, kind: "failure_mode", text: drillChallengeText(drill, this.elements), layer: "challenges" });
  }

  /** A suggested probe as a real challenge. */
  raiseProbe(probe: Probe): string | null {
    const target = probe.target !== null && this.elements.has(probe.target) ? probe.target : null;
    return this.annotate({ target, kind: probe.kind, text: probe.text, layer: "challenges" });
  }

  /** Open the replay (the other overlays close). */
  openReplay(): void {
    this.leaveOtherViews("replay");
    void this.replay.open();
  }

  /** One overlay at a time: a drill, a version (or comparison), a replay. */
  private leaveOtherViews(keep: "drill" | "version" | "replay"): void {
    if (keep !== "replay" && this.replay.isOpen) this.replay.close();
    if (keep !== "drill" && this.drillStore.getSnapshot().on) this.drillStore.toggle(false);
    if (keep !== "version" && this.reviewStore.getSnapshot().shown) this.reviewStore.closeCompare();
    if (keep !== "version" && this.reviewStore.getSnapshot().compare) this.reviewStore.closeCompare();
  }

  // ---- The interview session and its ledger (their own batches, never part of undo) -----------

  /** Start the clock (the owner and interviewers); the session begins in the requirements phase. */
  startSession(minutes: number = SESSION_LIMITS.defaultMinutes): boolean {
    return this.submitInterview([{ op: "session", action: "start", minutes }]);
  }

  pauseSession(): boolean {
    return this.submitInterview([{ op: "session", action: "pause" }]);
  }

  /** Resume a paused session, or reopen an ended one (the board opens to the candidate again). */
  resumeSession(): boolean {
    return this.submitInterview([{ op: "session", action: "resume" }]);
  }

  /** End the session: the board closes to everyone but the owner and interviewers. */
  endSession(): boolean {
    return this.submitInterview([{ op: "session", action: "end" }]);
  }

  setPhase(phase: Phase): boolean {
    return this.submitInterview([{ op: "phase", phase }]);
  }

  /** Write a ledger entry; returns its id, or null if refused. */
  addRequirement(input: { kind: RequirementKind; text: string; links?: readonly string[] }): string | null {
    const id = newId(input.kind.slice(0, 1));
    const entry = { id, kind: input.kind, text: input.text.trim(), ...(input.links?.length ? { links: [...input.links] } : {}) };
    return this.submitInterview([{ op: "requirement", entry }], true) ? id : null;
  }

  /** Answer (or re-answer) a ledger entry: the owner and interviewers. */
  answerRequirement(entry: string, text: string): boolean {
    return this.submitInterview([{ op: "answer_requirement", entry, text: text.trim() }], true);
  }

  /** Replace the elements an entry is linked to. */
  linkRequirement(entry: string, links: readonly string[]): boolean {
    return this.submitInterview([{ op: "link_requirement", entry, links: [...links] }], true);
  }

  /** The session's clock and phase are live controls (they work during a replay); the ledger is the board. */
  private submitInterview(ops: InterviewOp[], ledger = false): boolean {
    if (ledger && this.refusePast()) return false;
    try {
      this.client.submit(ops);
      return true;
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      this.toast("error", "That cannot be done", error.message);
      return false;
    }
  }

  /** Open the ledger at an entry (and select what it is linked to). */
  showRequirement(id: string): void {
    const entry = this.shown.requirements.get(id);
    this.ui.setState({ sidebar: "requirements", entry: id });
    if (entry?.links.length) this.select(entry.links.filter((link) => this.shown.elements.has(link)));
  }

  /**
   * Follow an evidence link: the replay jumps to its seq (when it has one) and what it points at
   * is selected and centred: an element, an annotation's thread, a ledger entry.
   */
  async showEvidence(link: EvidenceLink): Promise<void> {
    if (link.seq !== undefined) {
      const frame = this.replay.isOpen ? await this.replay.seek(link.seq, true) : await this.replay.open(link.seq);
      if (!frame) return;
    }
    if (link.type === "element") {
      if (!this.focusElement(link.id)) this.toast("info", "Not on the board at that moment", "The element was added later or deleted.");
    } else if (link.type === "annotation") {
      if (this.shown.annotations.has(link.id)) this.jumpTo(link.id);
      else this.toast("info", "Not on the board at that moment", "The annotation is not there (or not visible to you).");
    } else if (link.type === "requirement") {
      this.showRequirement(link.id);
    }
  }

  // ---- Selection, editing, drags -------------------------------------------------------

  select(ids: Iterable<string>): void {
    const selected = new Set(ids);
    const current = this.ui.getState().selected;
    if (selected.size === current.size && [...selected].every((id) => current.has(id))) return;
    this.ui.setState({ selected });
    this.sharePresence();
  }

  /** Where I am for the others: nowhere while I look at a replay (its board is not theirs). */
  private sharePresence(): void {
    if (this.pastShown) this.client.setPresence(null, []);
    else this.client.setPresence(this.cursor, [...this.ui.getState().selected]);
  }

  selectAll(): void {
    this.select(this.elements.keys());
  }

  startEditing(id: string): void {
    const element = this.elements.get(id);
    if (!element || !this.canEdit) return;
    this.ui.setState({ editing: id });
  }

  stopEditing(): void {
    if (this.ui.getState().editing !== null) this.ui.setState({ editing: null });
    this.viewport?.focus();
  }

  setLocal(ids: Iterable<string>, override: Override | undefined, preview = false): void {
    let local = this.ui.getState().local;
    for (const id of ids) {
      local = withEntry(local, id, override);
      if (preview && override) this.client.sendPreview(id, override as Record<"x" | "y" | "w" | "h", number>);
    }
    this.ui.setState({ local });
  }

  /** Several drags at once (a multi-selection moving), with previews for others. */
  setLocalMany(overrides: ReadonlyMap<string, Override>, preview: boolean): void {
    const local = new Map(this.ui.getState().local);
    for (const [id, override] of overrides) {
      local.set(id, override);
      if (preview) this.client.sendPreview(id, override as Record<"x" | "y" | "w" | "h", number>);
    }
    this.ui.setState({ local });
  }

  pointerMoved(point: Point | null): void {
    this.cursor = point;
    this.sharePresence();
  }

  // ---- Feedback ---------------------------------------------------------------------

  toast(kind: ToastKind, title: string, detail?: string): void {
    const id = ++this.toastId;
    const toast = { id, kind, title, ...(detail ? { detail } : {}) };
    this.ui.setState((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
    setTimeout(() => this.dismissToast(id), TOAST_MS[kind]);
  }

  dismissToast(id: number): void {
    this.ui.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  }

  // ---- What others do -------------------------------------------------------------------

  private onSyncEvent(event: SyncEvent): void {
    const ui = this.ui.getState();
    switch (event.type) {
      case "rejected": {
        if (event.batchId) this.history.forget(event.batchId);
        if (event.retryable) {
          this.toastOnce("info", "The server is busy", `${event.message} Your change will be sent again.`);
        } else if (event.ops) {
          this.toastOnce("error", "Change rolled back", event.message);
        } else {
          this.toastOnce("error", "The server refused a message", event.message);
        }
        return;
      }
      case "remote":
        // The client tells us before it recomputes the board: look once it has.
        queueMicrotask(() => this.onRemote(event.batch));
        return;
      case "preview": {
        const current = ui.remote.get(event.id);
        const preview: RemotePreview = { ...current, ...event.props, participant: event.participant, at: Date.now() };
        this.ui.setState({ remote: withEntry(ui.remote, event.id, preview) });
        return;
      }
      case "presence": {
        const cursors = withEntry(ui.cursors, event.participant, event.cursor ? { ...event.cursor, at: Date.now() } : undefined);
        const remoteSelections = withEntry(ui.remoteSelections, event.participant, event.selection.length ? event.selection : undefined);
        this.ui.setState({ cursors, remoteSelections });
        return;
      }
      case "left": {
        const remote = new Map([...ui.remote].filter(([, p]) => p.participant !== event.participant));
        this.ui.setState({
          remote,
          cursors: withEntry(ui.cursors, event.participant, undefined),
          remoteSelections: withEntry(ui.remoteSelections, event.participant, undefined),
        });
        return;
      }
      case "reset":
        this.ui.setState({ remote: new Map(), local: new Map() });
        return;
      default:
        return;
    }
  }

  private onRemote(batch: BatchMessage): void {
    const ui = this.ui.getState();
    this.announce(batch);
    // Their drag ended with an update: drop the preview, the board has the position now.
    const touched = new Set<string>();
    for (const op of batch.ops) if (isCanvasOp(op)) touched.add(op.op === "add" ? op.element.id : op.id);
    let remote = ui.remote;
    for (const id of touched) if (remote.has(id)) remote = withEntry(remote, id, undefined);
    const shown = this.shown.elements;
    const gone = [...ui.selected].filter((id) => !shown.has(id));
    const patch: { -readonly [K in keyof typeof ui]?: (typeof ui)[K] } = {};
    if (remote !== ui.remote) patch.remote = remote;
    if (gone.length) patch.selected = new Set([...ui.selected].filter((id) => shown.has(id)));
    if (ui.editing && !this.elements.has(ui.editing)) patch.editing = null;
    if (Object.keys(patch).length) this.ui.setState(patch);
  }

  /**
   * Say what others did that waits for me: a challenge raised (or reopened) for the challenged
   * side, whose badge pulses too; an answer to a challenge I raised.
   */
  private announce(batch: BatchMessage): void {
    const actor = this.client.actor;
    // My own batches can arrive as remote ones when the server wrote them for me (a review
    // submitted over REST); what I did myself is not news.
    if (!actor || batch.participant === actor.participant) return;
    const challenged = isChallengedSide(actor.role, actor.mode);
    const who = this.client.getSnapshot().participants.get(batch.participant)?.name ?? "Someone";
    for (const op of batch.ops) {
      if (isInterviewOp(op)) {
        this.announceInterview(op, who, batch.participant);
        continue;
      }
      if (op.op === "verdict") {
        this.toast(op.verdict === "request_changes" ? "error" : "info", `${who}: ${VERDICT_INFO[op.verdict].name}`, op.summary || `Review of version ${op.version}`);
        continue;
      }
      const annotation = isAnnotationOp(op) && op.op !== "annotate" ? this.annotations.get(op.annotation) : undefined;
      if (challenged && op.op === "annotate" && op.annotation.layer === "challenges") {
        this.toast("info", `${who} asks: ${KIND_INFO[op.annotation.kind].name}`, op.annotation.text);
      } else if (challenged && op.op === "set_status" && op.status === "reopened" && annotation?.layer === "challenges") {
        this.toast("info", `${who} reopened a challenge`, annotation.text);
      } else if (op.op === "reply" && annotation?.author === actor.participant && annotation.answered_seq === op.reply.seq) {
        // This reply is the one that turned my challenge answered.
        this.toast("info", `${who} answered`, op.reply.text);
      }
    }
  }

  /** Someone else moved the clock or the phase, asked something, or answered what I asked. */
  private announceInterview(op: InterviewOp, who: string, author: string): void {
    const actor = this.client.actor;
    if (!actor) return;
    const keeper = canKeepClock(actor.role);
    switch (op.op) {
      case "session": {
        if (op.action === "start") {
          this.toast("info", `${who} started the interview`, `${op.minutes ?? SESSION_LIMITS.defaultMinutes} minutes, beginning with requirements.`);
        }
        else if (op.action === "pause") this.toast("info", `${who} paused the clock`);
        else if (op.action === "end") {
          this.toast("info", "The interview has ended", keeper ? "The board is closed to the candidate until you reopen it." : "The board is now read-only.");
        } else this.toast("info", `${who} resumed the interview`, keeper ? undefined : "The clock is running.");
        return;
      }
      case "phase":
        this.toast("info", `Phase: ${PHASE_INFO[op.phase].name}`, PHASE_INFO[op.phase].hint);
        return;
      case "requirement":
        if (canAnswer(actor.role) && author !== actor.participant) {
          const kind = ENTRY_KIND_INFO[op.entry.kind].name.toLowerCase();
          this.toast("info", `${who} added ${kind === "assumption" ? "an" : "a"} ${kind}`, op.entry.text);
        }
        return;
      case "answer_requirement": {
        const entry = this.client.getSnapshot().requirements.get(op.entry);
        if (entry?.author === actor.participant) this.toast("info", `${who} answered`, op.text);
        return;
      }
      case "link_requirement":
        return;
    }
  }

  private toastOnce(kind: ToastKind, title: string, detail: string): void {
    const text = `${title}\n${detail}`;
    const now = Date.now();
    if (this.lastRejection.text === text && now - this.lastRejection.at < 3000) return;
    this.lastRejection = { text, at: now };
    this.toast(kind, title, detail);
  }

  /** A drag whose owner went quiet (closed the tab mid-drag) should not hang in the air. */
  private sweepPreviews(): void {
    const remote = this.ui.getState().remote;
    if (!remote.size) return;
    const now = Date.now();
    const fresh = new Map([...remote].filter(([, p]) => now - p.at < PREVIEW_STALE_MS));
    if (fresh.size !== remote.size) this.ui.setState({ remote: fresh });
  }
}

export type { ComponentElement };
