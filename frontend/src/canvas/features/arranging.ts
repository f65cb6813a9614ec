// Arranging a multi-selection: align, distribute, group and ungroup. Each action is one batch
// of `update` ops, submitted through editing (board.ts lends its submit), so it syncs as one
// change and undoes as one step. Groups move as one unit here as everywhere. No React.
import type { CanvasOp, Submitted } from "../../sync";
import { type Alignment, align, type Axis, distribute, MIN_ALIGN, MIN_DISTRIBUTE, type Shift } from "../arrange";
import { groupOf, unitsOf } from "../groups";
import { type BoardCore, newId } from "./core";

type Submit = (ops: CanvasOp[], key?: string) => Submitted | null;

export class Arranging {
  constructor(
    private readonly core: BoardCore,
    private readonly submit: Submit,
  ) {}

  /** How many units (lone boxes or whole groups) the selection holds: what align and distribute work on. */
  unitCount(): number {
    return unitsOf(this.core.ui.getState().selected, this.core.elements).size;
  }

  align(how: Alignment): boolean {
    const units = unitsOf(this.core.ui.getState().selected, this.core.elements);
    if (units.size < MIN_ALIGN) return false;
    return this.shift(units, align(new Map([...units].map(([key, unit]) => [key, unit.rect])), how));
  }

  distribute(axis: Axis): boolean {
    const units = unitsOf(this.core.ui.getState().selected, this.core.elements);
    if (units.size < MIN_DISTRIBUTE) {
      this.core.toast("info", "Select three or more to distribute", "Distributing spaces three or more boxes (or groups) evenly.");
      return false;
    }
    return this.shift(units, distribute(new Map([...units].map(([key, unit]) => [key, unit.rect])), axis));
  }

  /** Move every member of each shifted unit by its shift, in one batch. */
  private shift(units: ReturnType<typeof unitsOf>, shifts: ReadonlyMap<string, Shift>): boolean {
    if (!this.core.canEdit) return false;
    const ops: CanvasOp[] = [];
    for (const [key, { dx, dy }] of shifts) {
      for (const id of units.get(key)?.members ?? []) {
        const e = this.core.elements.get(id);
        if (!e || e.kind === "arrow") continue;
        ops.push({ op: "update", id, props: { ...(dx ? { x: e.x + dx } : {}), ...(dy ? { y: e.y + dy } : {}) } });
      }
    }
    return ops.length > 0 && this.submit(ops) !== null;
  }

  /** True when the selection can be grouped: two or more boxes not already exactly one group. */
  canGroup(): boolean {
    const boxes = this.selectedBoxes();
    return boxes.length >= 2 && new Set(boxes.map((id) => groupOf(this.core.elements.get(id)) ?? `:${id}`)).size > 1;
  }

  canUngroup(): boolean {
    return this.selectedBoxes().some((id) => groupOf(this.core.elements.get(id)) !== null);
  }

  /** Put the selected boxes (whole groups among them) into one new group; groups do not nest. */
  group(): string | null {
    if (!this.core.canEdit || !this.canGroup()) return null;
    const group = newId("group");
    const ops: CanvasOp[] = this.selectedBoxes().map((id) => ({ op: "update", id, props: { group } }));
    return this.submit(ops) ? group : null;
  }

  /** Take the selected boxes out of their groups (they stay selected, now each on its own). */
  ungroup(): boolean {
    if (!this.core.canEdit) return false;
    const ops: CanvasOp[] = this.selectedBoxes()
      .filter((id) => groupOf(this.core.elements.get(id)) !== null)
      .map((id) => ({ op: "update", id, props: { group: "" } }));
    return ops.length > 0 && this.submit(ops) !== null;
  }

  /** The selected boxes, with every member of a group any of them is in. */
  private selectedBoxes(): string[] {
    const units = unitsOf(this.core.ui.getState().selected, this.core.elements);
    return [...units.values()].flatMap((unit) => unit.members);
  }
}
