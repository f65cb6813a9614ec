// Changing the canvas: add, connect, update, move and resize, delete, nudge, copy and paste,
// the inline label editor, and undo/redo of my own canvas batches (never annotations or the
// session). Every change is one batch through the SyncClient, recorded in History. No React.
import {
  type ArrowElement,
  type ArrowSide,
  type CanvasOp,
  changesOf,
  type ComponentType,
  type Element,
  type ElementProps,
  History,
  LIMITS,
  OpError,
  type Point,
  revert,
  type Submitted,
} from "../../sync";
import { carry, isBox, membership, placeAdds } from "../frames";
import { type Override, withEntry } from "../store";
import { type BoardCore, newId } from "./core";

const CLIPBOARD_MARK = "bothsides/elements";
const PASTE_OFFSET = 32;

export interface ClipboardData {
  readonly format: typeof CLIPBOARD_MARK;
  readonly elements: readonly Element[];
}

/** The elements in text put on the clipboard by copySelection (ours), or null for any other text. */
export function parseClipboard(text: string): readonly Element[] | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardData>;
    return value && value.format === CLIPBOARD_MARK && Array.isArray(value.elements) ? value.elements : null;
  } catch {
    return null;
  }
}

const sameValue = (element: Element, key: string, value: unknown) => (element as unknown as Record<string, unknown>)[key] === value;

export class Editing {
  readonly history = new History();
  private clipboard: readonly Element[] = [];
  private pasteCount = 0;

  constructor(private readonly core: BoardCore) {}

  /** Follow the board (until the returned function is called): a rejected batch leaves the undo stack. */
  start(): () => void {
    return this.core.client.onEvent((event) => {
      if (event.type === "rejected" && event.batchId) this.history.forget(event.batchId);
    });
  }

  /** Submit ops as one batch and remember it for undo; shows why if it cannot apply. */
  submit(ops: CanvasOp[], key?: string): Submitted | null {
    if (!ops.length) return null;
    if (this.core.refusePast()) return null;
    try {
      const submitted = this.core.client.submit(ops);
      this.history.record({
        changes: changesOf(submitted.before, submitted.after, submitted.touched),
        batchIds: [submitted.id],
        ...(key === undefined ? {} : { key }),
      });
      return submitted;
    } catch (error) {
      if (error instanceof OpError) this.core.toast("error", "That change cannot be made", error.message);
      else throw error;
      return null;
    }
  }

  /**
   * Where a w×h box added without an explicit point goes (its centre): next to the selection
   * (to its right, top-aligned, so repeated adds make a tidy row), else the middle of the view
   * (or under the pointer for a key press), and never on another box. Spots are tried in a fixed
   * order, nearest first and rightwards before downwards, so the result is predictable.
   */
  freeSpot(centre: Point, w: number, h: number): Point {
    const gap = 40;
    const boxes = [...this.core.elements.values()].filter((e) => e.kind !== "arrow");
    const clear = (x: number, y: number) =>
      boxes.every(
        (b) =>
          x - w / 2 >= b.x + b.w + gap / 2 ||
          x + w / 2 <= b.x - gap / 2 ||
          y - h / 2 >= b.y + b.h + gap / 2 ||
          y + h / 2 <= b.y - gap / 2,
      );
    const selected = [...this.core.ui.getState().selected]
      .map((id) => this.core.elements.get(id))
      .filter((e): e is Extract<NonNullable<typeof e>, { x: number }> => e !== undefined && e.kind !== "arrow");
    const anchor = selected[selected.length - 1];
    // Next to the selection: right of it, its top edge; else centred where asked.
    const start = anchor ? { x: anchor.x + anchor.w + gap + w / 2, y: anchor.y + h / 2 } : centre;
    const stepX = w + gap;
    const stepY = h + gap;
    for (let ring = 0; ring <= 8; ring++) {
      // Within a ring: the row first (right, then left), then rows below, then above.
      const spots: [number, number][] = [];
      for (let dy = 0; dy <= ring; dy++) {
        for (const sy of dy === 0 ? [0] : [dy, -dy]) {
          const dxs = Math.abs(sy) === ring ? range(-ring, ring) : [ring, -ring];
          for (const dx of dxs.sort((a, b) => Math.abs(a) - Math.abs(b) || b - a)) spots.push([dx, sy]);
        }
      }
      for (const [dx, dy] of spots) {
        const x = start.x + dx * stepX;
        const y = start.y + dy * stepY;
        if (clear(x, y)) return { x, y };
      }
    }
    return start;
  }

  addComponent(type: ComponentType, at?: Point, edit = true): string | null {
    const centre = at ?? this.freeSpot(this.core.placement(), 160, 72);
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
    if (!this.submit(placeAdds(this.core.elements, [{ op: "add", element }]), `new:${element.id}`)) return null;
    this.core.ui.setState({ lastType: type });
    this.core.select([element.id]);
    if (edit) this.startEditing(element.id);
    return element.id;
  }

  addNote(at?: Point, edit = true, text = ""): string | null {
    const centre = at ?? this.freeSpot(this.core.placement(), 200, 120);
    const element = {
      id: newId("note"),
      kind: "note" as const,
      x: Math.round(centre.x - 100),
      y: Math.round(centre.y - 60),
      w: 200,
      h: 120,
      text,
    };
    if (!this.submit(placeAdds(this.core.elements, [{ op: "add", element }]), `new:${element.id}`)) return null;
    this.core.select([element.id]);
    if (edit) this.startEditing(element.id);
    return element.id;
  }

  /**
   * A frame: around the selected boxes (with room for its title) when some are selected, or else
   * a 480 x 320 region at `at` or the middle of the view. Its label is typed at once, like a box's.
   */
  addFrame(at?: Point, edit = true): string | null {
    const elements = this.core.client.getSnapshot().elements;
    const boxes = at ? [] : [...this.core.ui.getState().selected].map((id) => elements.get(id)).filter((e) => e !== undefined && e.kind !== "arrow");
    let box: { x: number; y: number; w: number; h: number };
    if (boxes.length) {
      const left = Math.min(...boxes.map((e) => e.x));
      const top = Math.min(...boxes.map((e) => e.y));
      const right = Math.max(...boxes.map((e) => e.x + e.w));
      const bottom = Math.max(...boxes.map((e) => e.y + e.h));
      box = { x: Math.round(left - 32), y: Math.round(top - 56), w: Math.round(right - left + 64), h: Math.round(bottom - top + 88) };
    } else {
      const centre = at ?? this.core.placement();
      box = { x: Math.round(centre.x - 240), y: Math.round(centre.y - 160), w: 480, h: 320 };
    }
    const element = { id: newId("frame"), kind: "frame" as const, label: "", ...box };
    const join = boxes.filter(isBox).map((e): CanvasOp => ({ op: "update", id: e.id, props: { frame: element.id } }));
    if (!this.submit([{ op: "add", element }, ...join], `new:${element.id}`)) return null;
    this.core.select([element.id]);
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

  /**
   * Draw an arrow, from the side the user dragged from to the side dropped on when known
   * (absent: the arrow leaves from the side facing the other end). Connecting the same two
   * boxes again selects the arrow, and moves its ends to the sides given.
   */
  connect(source: string, target: string, sides: { source?: ArrowSide | null; target?: ArrowSide | null } = {}): string | null {
    if (source === target) return null;
    const elements = this.core.elements;
    if (elements.get(source)?.kind !== "component" || elements.get(target)?.kind !== "component") return null;
    const placed = {
      ...(sides.source ? { source_side: sides.source } : {}),
      ...(sides.target ? { target_side: sides.target } : {}),
    };
    for (const e of elements.values()) {
      if (e.kind === "arrow" && e.source === source && e.target === target) {
        if (Object.keys(placed).length) this.update(e.id, placed);
        this.core.select([e.id]);
        return e.id;
      }
    }
    const element: ArrowElement = { id: newId("arrow"), kind: "arrow", source, target, label: "", style: "sync", ...placed };
    if (!this.submit([{ op: "add", element }])) return null;
    this.core.select([element.id]);
    return element.id;
  }

  /** Change some properties of one element; only those that differ are sent. */
  update(id: string, props: ElementProps, key?: string): void {
    const current = this.core.elements.get(id);
    if (!current) return;
    const changed = Object.fromEntries(Object.entries(props).filter(([k, v]) => v !== undefined && !sameValue(current, k, v)));
    if (Object.keys(changed).length) this.submit([{ op: "update", id, props: changed as ElementProps }], key);
  }

  /**
   * Commit positions (and sizes) after a drag, a resize or a nudge, as one batch: a frame's
   * members move with it, and a box dropped in or out of a frame joins or leaves it (../frames).
   */
  commitGeometry(moved: ReadonlyMap<string, Override>, key?: string): void {
    const changes = carry(this.core.elements, moved);
    const frames = membership(this.core.elements, changes);
    const ops: CanvasOp[] = [];
    for (const [id, override] of changes) {
      const current = this.core.elements.get(id);
      if (!current || current.kind === "arrow") continue;
      const props: ElementProps = { ...frames.get(id) };
      for (const name of ["x", "y", "w", "h"] as const) {
        const value = override[name];
        if (value === undefined) continue;
        const rounded = Math.round(Math.max(-LIMITS.coord, Math.min(LIMITS.coord, value)));
        if (current[name] !== rounded) props[name] = rounded;
      }
      if (Object.keys(props).length) ops.push({ op: "update", id, props });
    }
    for (const [id, props] of frames) if (!changes.has(id)) ops.push({ op: "update", id, props });
    this.core.client.cancelPreviews(changes.keys());
    if (ops.length) this.submit(ops, key);
    this.setLocal(changes.keys(), undefined);
  }

  deleteSelection(): void {
    const elements = this.core.elements;
    const ids = [...this.core.ui.getState().selected].filter((id) => elements.has(id));
    if (!ids.length) return;
    // Arrows first: a component's delete would take them anyway, and must not find them gone.
    const kinds = (id: string) => (elements.get(id)?.kind === "arrow" ? 0 : 1);
    const deleting = new Set(ids);
    const ops: CanvasOp[] = ids
      .filter((id) => {
        const e = elements.get(id);
        return !(e?.kind === "arrow" && (deleting.has(e.source) || deleting.has(e.target)));
      })
      .sort((a, b) => kinds(a) - kinds(b))
      .map((id) => ({ op: "delete", id }));
    if (this.submit(ops)) this.core.select([]);
  }

  nudge(dx: number, dy: number): void {
    const moves = new Map<string, Override>();
    for (const id of this.core.ui.getState().selected) {
      const e = this.core.elements.get(id);
      if (e && e.kind !== "arrow") moves.set(id, { x: e.x + dx, y: e.y + dy });
    }
    if (moves.size) this.commitGeometry(moves, `nudge:${[...moves.keys()].sort().join(",")}`);
  }

  // ---- The inline editor and drags in progress -------------------------------------------

  startEditing(id: string): void {
    const element = this.core.elements.get(id);
    if (!element || !this.core.canEdit) return;
    this.core.ui.setState({ editing: id });
  }

  setLocal(ids: Iterable<string>, override: Override | undefined, preview = false): void {
    let local = this.core.ui.getState().local;
    for (const id of ids) {
      local = withEntry(local, id, override);
      if (preview && override) this.core.client.sendPreview(id, override as Record<"x" | "y" | "w" | "h", number>);
    }
    this.core.ui.setState({ local });
  }

  /** Several drags at once (a multi-selection moving, a frame with its members), with previews for others. */
  setLocalMany(moving: ReadonlyMap<string, Override>, preview: boolean): void {
    const local = new Map(this.core.ui.getState().local);
    for (const [id, override] of carry(this.core.elements, moving)) {
      local.set(id, override);
      if (preview) this.core.client.sendPreview(id, override as Record<"x" | "y" | "w" | "h", number>);
    }
    this.core.ui.setState({ local });
  }

  // ---- Clipboard ----------------------------------------------------------------

  /** The selection (and the arrows between selected components) as clipboard data. */
  copySelection(): ClipboardData | null {
    const selected = this.core.ui.getState().selected;
    const picked: Element[] = [];
    for (const e of this.core.elements.values()) {
      if (e.kind === "arrow") {
        if (selected.has(e.source) && selected.has(e.target)) picked.push(e);
      } else if (selected.has(e.id)) picked.push(e);
    }
    if (!picked.length) return null;
    this.clipboard = picked;
    this.pasteCount = 0;
    return { format: CLIPBOARD_MARK, elements: picked };
  }

  /** Paste copies with new ids, offset a little more each time; arrows follow their components. */
  paste(from?: readonly Element[]): void {
    const source = from ?? this.clipboard;
    if (!source.length) return;
    if (from) this.clipboard = from;
    this.pasteCount += 1;
    const offset = PASTE_OFFSET * this.pasteCount;
    const ids = new Map<string, string>();
    // Copies of a group form a new group of their own: they must not move with the originals.
    const groups = new Map<string, string>();
    const regroup = (group: string | undefined) => {
      if (!group) return {};
      if (!groups.has(group)) groups.set(group, newId("group"));
      return { group: groups.get(group) as string };
    };
    const ops: CanvasOp[] = [];
    for (const e of source) {
      if (e.kind === "arrow") continue;
      const id = newId(e.kind === "component" ? e.type.replace("_", "") : e.kind);
      ids.set(e.id, id);
      ops.push({ op: "add", element: { ...e, id, x: e.x + offset, y: e.y + offset, ...regroup(e.group) } });
    }
    for (const e of source) {
      if (e.kind !== "arrow") continue;
      const s = ids.get(e.source);
      const t = ids.get(e.target);
      if (s && t) ops.push({ op: "add", element: { ...e, id: newId("arrow"), source: s, target: t } });
    }
    if (ops.length > LIMITS.maxOpsPerBatch) {
      this.core.toast("error", "Too much to paste at once", `At most ${LIMITS.maxOpsPerBatch} elements per paste.`);
      return;
    }
    if (this.submit(placeAdds(this.core.elements, ops))) this.core.select([...ids.values()]);
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
    if (!this.core.canEdit) return;
    this.core.stopEditing();
    for (;;) {
      const entry = direction === "undo" ? this.history.takeUndo() : this.history.takeRedo();
      if (!entry) return;
      // Each stack holds batches that happened (mine, or my undos): stepping reverts one.
      const result = revert(entry.changes, this.core.elements, "undo");
      if (result.blocked) {
        this.core.toast("info", direction === "undo" ? "Nothing undone" : "Nothing redone", result.blocked);
        return;
      }
      if (!result.ops.length) continue; // others have since replaced all of it: go further back
      try {
        const submitted = this.core.client.submit(result.ops);
        const next = { changes: changesOf(submitted.before, submitted.after, submitted.touched), batchIds: [submitted.id] };
        if (direction === "undo") this.history.pushRedo(next);
        else this.history.pushUndo(next);
        const alive = [...entry.changes.keys()].filter((id) => submitted.after.has(id));
        this.core.select(alive);
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
        this.core.toast("info", "Cannot " + direction, error.message);
      }
      return;
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
