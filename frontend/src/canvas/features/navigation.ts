// Taking the user to something on the board on screen (live, replayed or a version): centre
// and select an element, open an annotation's thread (which counts as seeing it), open the
// ledger at an entry, follow a scorecard's evidence link into the replay. No React.
import type { Element, Elements, Point } from "../../sync";
import type { EvidenceLink } from "../scorecard";
import type { BoardCore } from "./core";

export class Navigation {
  constructor(private readonly core: BoardCore) {}

  /** Centre the view on an element of the board on screen and select it; false if it is not there. */
  focusElement(id: string): boolean {
    const elements = this.core.shown.elements;
    const element = elements.get(id);
    if (!element) return false;
    this.core.view?.centerOn(this.centreOf(element, elements));
    this.core.select([element.id]);
    return true;
  }

  private centreOf(element: Element, elements: Elements): Point {
    if (element.kind !== "arrow") return { x: element.x + element.w / 2, y: element.y + element.h / 2 };
    const source = elements.get(element.source);
    const target = elements.get(element.target);
    if (!source || !target) return this.core.placement();
    const [a, b] = [this.centreOf(source, elements), this.centreOf(target, elements)];
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }

  /** Show a thread next to its target (null closes it); opening it counts as having seen it. */
  openThread(id: string | null): void {
    this.core.ui.setState({ thread: id, composer: null });
    if (id !== null) this.markSeen(id);
  }

  /** Remember the thread as I last saw it, so it stops pulsing until something changes. */
  markSeen(id: string): void {
    const annotation = this.core.annotations.get(id);
    const seen = this.core.ui.getState().seen;
    if (!annotation || seen.get(id) === annotation.updated_at) return;
    const next = new Map(seen);
    next.delete(id); // newest last: storage keeps the most recent ones
    next.set(id, annotation.updated_at);
    this.core.ui.setState({ seen: next });
  }

  /** Centre the view on an annotation's target (or a pending challenge's), select it, and open the thread. */
  jumpTo(id: string): void {
    const pending = this.core.reviewStore.getSnapshot().pending.find((p) => p.id === id);
    const annotation = this.core.shown.annotations.get(id) ?? (pending ? { target: pending.target } : undefined);
    if (!annotation) return;
    if (annotation.target !== null) this.focusElement(annotation.target);
    this.openThread(id);
  }

  /** Open the ledger at an entry (and select what it is linked to). */
  showRequirement(id: string): void {
    const entry = this.core.shown.requirements.get(id);
    this.core.ui.setState({ sidebar: "requirements", entry: id });
    if (entry?.links.length) this.core.select(entry.links.filter((link) => this.core.shown.elements.has(link)));
  }

  /**
   * Follow an evidence link: the replay jumps to its seq (when it has one) and what it points at
   * is selected and centred: an element, an annotation's thread, a ledger entry.
   */
  async showEvidence(link: EvidenceLink): Promise<void> {
    const replay = this.core.replay;
    if (link.seq !== undefined) {
      const frame = replay.isOpen ? await replay.seek(link.seq, true) : await replay.open(link.seq);
      if (!frame) return;
    }
    if (link.type === "element") {
      if (!this.focusElement(link.id)) this.core.toast("info", "Not on the board at that moment", "The element was added later or deleted.");
    } else if (link.type === "annotation") {
      if (this.core.shown.annotations.has(link.id)) this.jumpTo(link.id);
      else this.core.toast("info", "Not on the board at that moment", "The annotation is not there (or not visible to you).");
    } else if (link.type === "requirement") {
      this.showRequirement(link.id);
    }
  }
}
