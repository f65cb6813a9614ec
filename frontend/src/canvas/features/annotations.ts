// Writing annotations: the composer (F/T/S/C on the selection, or the whole design), raising,
// replying, resolving and reopening, editing, deleting. Each is its own batch, never part of
// undo. A reviewer's challenge goes to the review's pending list (REST) instead, until the
// review is submitted. No React.
import { type AnnotationKind, type AnnotationOp, defaultLayer, type Layer, PRIVATE_PREFIX, type SetStatus } from "../../sync";
import { type BoardCore, newId } from "./core";

export interface AnnotationInput {
  readonly target: string | null;
  readonly kind: AnnotationKind;
  readonly text: string;
  readonly layer?: Layer;
}

export class Annotating {
  constructor(private readonly core: BoardCore) {}

  /**
   * Open the composer for a kind on the selection (or on `target`; null for the whole board),
   * in the layer the role writes by default. False when the role may not annotate or nothing
   * annotatable is selected.
   */
  raise(kind: AnnotationKind, target?: string | null): boolean {
    const actor = this.core.client.actor;
    const layer = actor && defaultLayer(actor.role, actor.mode);
    if (!layer || !this.core.writable) return false;
    const on = target === undefined ? this.annotatableSelection() : target;
    if (on === undefined) {
      this.core.toast("info", "Select a component or an arrow first", "Then press F, T, S or C to annotate it.");
      return false;
    }
    this.core.stopEditing();
    this.core.ui.setState({ composer: { target: on, kind, layer }, thread: null });
    return true;
  }

  closeComposer(): void {
    if (this.core.ui.getState().composer) this.core.ui.setState({ composer: null });
    this.core.view?.focus();
  }

  /** The one selected component or arrow, if that is what is selected. */
  private annotatableSelection(): string | undefined {
    const selected = [...this.core.ui.getState().selected];
    const element = selected.length === 1 && selected[0] !== undefined ? this.core.elements.get(selected[0]) : undefined;
    return element && element.kind !== "note" ? element.id : undefined;
  }

  /** Raise an annotation (in the role's default layer unless given); returns its id, or null if refused. */
  annotate(input: AnnotationInput): string | null {
    const actor = this.core.client.actor;
    const layer = input.layer ?? (actor && defaultLayer(actor.role, actor.mode));
    if (!layer) {
      this.core.toast("error", "That cannot be done", "Your role cannot annotate this board.");
      return null;
    }
    // A reviewer's challenge waits, unseen by anyone else, until the review is submitted.
    if (actor?.role === "reviewer" && layer === "challenges") {
      if (this.core.refusePast()) return null;
      const id = newId("a");
      void this.addPending({ id, target: input.target, kind: input.kind, text: input.text });
      return id;
    }
    // The id says the stream: private ids start with p-, and only they do.
    const id = layer === "private" ? `${PRIVATE_PREFIX}${newId("a")}` : newId("a");
    const annotation = { id, layer, target: input.target, kind: input.kind, text: input.text.trim() };
    return this.core.sendUnrecorded([{ op: "annotate", annotation }]) ? id : null;
  }

  reply(annotation: string, text: string): string | null {
    const id = newId("r");
    return this.core.sendUnrecorded([{ op: "reply", annotation, reply: { id, text: text.trim() } }]) ? id : null;
  }

  setStatus(annotation: string, status: SetStatus): boolean {
    return this.core.sendUnrecorded([{ op: "set_status", annotation, status }]);
  }

  /** Edit an annotation's own text, or (with `reply`) one of its replies. */
  editText(annotation: string, text: string, reply?: string): boolean {
    if (this.isPendingId(annotation)) {
      void this.editPending(annotation, text);
      return true;
    }
    const op: AnnotationOp =
      reply === undefined ? { op: "edit_text", annotation, text: text.trim() } : { op: "edit_text", annotation, reply, text: text.trim() };
    return this.core.sendUnrecorded([op]);
  }

  deleteAnnotation(annotation: string): boolean {
    if (this.isPendingId(annotation)) {
      void this.deletePending(annotation);
      if (this.core.ui.getState().thread === annotation) this.core.ui.setState({ thread: null });
      return true;
    }
    if (!this.core.sendUnrecorded([{ op: "delete_annotation", annotation }])) return false;
    if (this.core.ui.getState().thread === annotation) this.core.ui.setState({ thread: null });
    return true;
  }

  // ---- A reviewer's pending challenges (REST, out of the log until the review is submitted) ----

  private isPendingId(id: string): boolean {
    return !this.core.annotations.has(id) && this.core.reviewStore.getSnapshot().pending.some((p) => p.id === id);
  }

  /** Draft a pending challenge (a reviewer): shown to me alone until I submit my review. Its id, or null. */
  async addPending(input: { target: string | null; kind: AnnotationKind; text: string; id?: string }): Promise<string | null> {
    const id = input.id ?? newId("a");
    const text = input.text.trim();
    const done = await this.core.rest("The challenge was not saved", () =>
      this.core.reviewStore.addPending({ id, target: input.target, kind: input.kind, text }),
    );
    return done ? done.id : null;
  }

  async editPending(id: string, text: string): Promise<boolean> {
    return (await this.core.rest("The challenge was not changed", () => this.core.reviewStore.editPending(id, text.trim()))) !== null;
  }

  async deletePending(id: string): Promise<boolean> {
    return (await this.core.rest("The challenge was not deleted", async () => (await this.core.reviewStore.removePending(id), true))) !== null;
  }
}
