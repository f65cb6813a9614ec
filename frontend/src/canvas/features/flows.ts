// Flows on the canvas: write one (pick components in order by clicking, a plain sentence per
// step), show its numbered badges, and present it: step through it (next/prev, arrow keys)
// while everyone follows the presenter's view and reads the step's sentence. The op rules are
// ../../sync/flows.ts (the server's, reviews/flows.py). No React.
import { createStore } from "zustand/vanilla";

import { type Flow, type FlowOp, type FlowStep, joined, OpError, type StoredFlow } from "../../sync";
import { type BoardCore, newId } from "./core";

/** What present mode needs of following (lent by ./board.ts, which composes the features). */
export interface Leader {
  lead(on: boolean, presenting?: { readonly id: string; readonly step: number } | null): void;
}

/** A flow being written: its id (new or the one edited), title and steps so far. */
export interface Draft {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly FlowStep[];
  readonly editing: boolean;
}

export interface FlowsState {
  /** The panel is open. */
  readonly open: boolean;
  /** The flow whose badges show on the canvas. */
  readonly shown: string | null;
  readonly draft: Draft | null;
  /** Present mode: the flow and the step on screen. */
  readonly presenting: { readonly id: string; readonly step: number } | null;
}

/** A badge: the step's number at its element (several numbers when a flow passes twice). */
export interface Badge {
  readonly element: string;
  readonly numbers: readonly number[];
}

/** The badges of a flow, one per element it passes through, in the order first reached. */
export function badgesOf(flow: Pick<Flow, "steps">): Badge[] {
  const byElement = new Map<string, number[]>();
  flow.steps.forEach((step, i) => {
    const numbers = byElement.get(step.element) ?? [];
    numbers.push(i + 1);
    byElement.set(step.element, numbers);
  });
  return [...byElement].map(([element, numbers]) => ({ element, numbers }));
}

export class Flows {
  readonly store = createStore<FlowsState>(() => ({ open: false, shown: null, draft: null, presenting: null }));

  constructor(
    private readonly core: BoardCore,
    private readonly leader: Leader,
  ) {}

  get state(): FlowsState {
    return this.store.getState();
  }

  /** The flows on screen (the replayed ones during a replay). */
  get flows(): ReadonlyMap<string, StoredFlow> {
    return this.core.shown.flows ?? new Map();
  }

  toggle(open = !this.state.open): void {
    const shown = this.state.shown ?? [...this.flows.keys()][0] ?? null;
    this.store.setState({ open, shown, ...(open ? {} : { draft: null }) });
  }

  show(id: string | null): void {
    this.store.setState({ shown: id });
  }

  // ---- Writing ----------------------------------------------------------------------

  newDraft(): void {
    if (!this.core.canEdit) return;
    this.store.setState({ draft: { id: newId("flow"), title: "", steps: [], editing: false }, open: true });
  }

  edit(id: string): void {
    const flow = this.flows.get(id);
    if (!flow || !this.core.canEdit) return;
    this.store.setState({ draft: { id, title: flow.title, steps: flow.steps, editing: true }, shown: id });
  }

  /** A component clicked while writing: the next step (an arrow must join it to the last one). */
  pick(element: string): boolean {
    const draft = this.state.draft;
    const picked = this.core.elements.get(element);
    if (!draft || picked?.kind !== "component") return false;
    const last = draft.steps[draft.steps.length - 1];
    if (last && !joined(this.core.elements, last.element, element)) {
      this.core.toastOnce("info", "Follow the arrows", `No arrow joins ${this.name(last.element)} and ${this.name(element)}.`);
      return true;
    }
    this.store.setState({ draft: { ...draft, steps: [...draft.steps, { element, text: "" }] } });
    return true;
  }

  setTitle(title: string): void {
    const draft = this.state.draft;
    if (draft) this.store.setState({ draft: { ...draft, title } });
  }

  setText(index: number, text: string): void {
    const draft = this.state.draft;
    if (!draft) return;
    this.store.setState({ draft: { ...draft, steps: draft.steps.map((s, i) => (i === index ? { ...s, text } : s)) } });
  }

  removeLast(): void {
    const draft = this.state.draft;
    if (draft) this.store.setState({ draft: { ...draft, steps: draft.steps.slice(0, -1) } });
  }

  cancel(): void {
    this.store.setState({ draft: null });
  }

  /** Send the draft as a `flow` op; false (and a toast naming the problem) if it is refused. */
  save(): boolean {
    const draft = this.state.draft;
    if (!draft) return false;
    const op: FlowOp = { op: "flow", flow: { id: draft.id, title: draft.title.trim(), steps: draft.steps.map((s) => ({ ...s, text: s.text.trim() })) } };
    if (!this.send(op)) return false;
    this.store.setState({ draft: null, shown: draft.id });
    return true;
  }

  remove(id: string): void {
    if (this.state.presenting?.id === id) this.stopPresenting();
    if (this.send({ op: "delete_flow", id }) && this.state.shown === id) this.store.setState({ shown: null });
  }

  private send(op: FlowOp): boolean {
    if (this.core.refusePast()) return false;
    try {
      this.core.client.submit([op]);
      return true;
    } catch (error) {
      if (!(error instanceof OpError)) throw error;
      this.core.toast("error", "This flow cannot be saved", flowMessage(error));
      return false;
    }
  }

  // ---- Present mode -------------------------------------------------------------------

  present(id: string): void {
    const flow = this.flows.get(id);
    if (!flow || this.core.pastShown) return;
    this.store.setState({ shown: id, draft: null });
    this.core.select([]); // presenting is showing: no selection handles over the boxes
    this.goTo(0);
  }

  /** Move to a step (clamped): highlight it, bring it into view, tell the followers. */
  goTo(step: number): void {
    const id = this.state.presenting?.id ?? this.state.shown;
    const flow = id ? this.flows.get(id) : undefined;
    if (!flow || !id) return;
    const at = Math.max(0, Math.min(flow.steps.length - 1, step));
    this.store.setState({ presenting: { id, step: at } });
    const element = this.core.elements.get(flow.steps[at]!.element);
    if (element && element.kind === "component") {
      this.core.view?.centerOn({ x: element.x + element.w / 2, y: element.y + element.h / 2 });
    }
    this.leader.lead(true, { id, step: at });
    // The view moves for 200 ms: send where it ends up too.
    setTimeout(() => this.state.presenting && this.leader.lead(true, this.state.presenting), 260);
  }

  next(): void {
    if (this.state.presenting) this.goTo(this.state.presenting.step + 1);
  }

  previous(): void {
    if (this.state.presenting) this.goTo(this.state.presenting.step - 1);
  }

  stopPresenting(): void {
    if (!this.state.presenting) return;
    this.store.setState({ presenting: null });
    this.leader.lead(false);
  }

  private name(id: string): string {
    const element = this.core.elements.get(id);
    return element && element.kind === "component" && element.label ? element.label : id;
  }
}

/** The client's refusal in words, naming the step rather than the op's path. */
export function flowMessage(error: OpError): string {
  const step = /flow\.steps\[(\d+)\]\.(element|text)/.exec(error.path ?? "");
  if (!step) return error.message;
  return `Step ${Number(step[1]) + 1}: ${step[2] === "text" && error.message === "Text cannot be empty." ? "say what happens there in one plain sentence." : error.message}`;
}
