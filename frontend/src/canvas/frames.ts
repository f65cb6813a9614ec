// Frames and the boxes in them. Membership is stored in a box's `frame` (docs/protocol.md,
// "Membership is stored"), so the drill, the exports and a replay agree on it; these rules
// decide what the editor stores: a box dropped, added or pasted with its centre in a frame
// belongs to the smallest such frame, one dragged out belongs to none, and a frame moved
// carries its members by the same offset. Pure.
import type { CanvasOp, ComponentElement, Element, ElementProps, Elements, FrameElement, NoteElement } from "../sync";
import type { Override } from "./store";

export type Box = ComponentElement | NoteElement;
type Rect = { readonly x: number; readonly y: number; readonly w: number; readonly h: number };

export const isBox = (element: Element | undefined): element is Box => element?.kind === "component" || element?.kind === "note";

function holdsCentre(frame: Rect, box: Rect): boolean {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  return cx >= frame.x && cx <= frame.x + frame.w && cy >= frame.y && cy <= frame.y + frame.h;
}

export function framesOf(elements: Iterable<Element>): FrameElement[] {
  const out: FrameElement[] = [];
  for (const e of elements) if (e.kind === "frame") out.push(e);
  return out;
}

/** The frame a box at `box` lies in: the smallest holding its centre (ties: the later one, drawn on top); null for none. */
export function frameAt(frames: readonly FrameElement[], box: Rect): string | null {
  let best: FrameElement | null = null;
  for (const frame of frames) {
    if (holdsCentre(frame, box) && (!best || frame.w * frame.h <= best.w * best.h)) best = frame;
  }
  return best?.id ?? null;
}

/** The boxes whose `frame` names this frame, by id. */
export function membersOf(elements: Elements, frameId: string): string[] {
  const out: string[] = [];
  for (const e of elements.values()) if (isBox(e) && e.frame === frameId) out.push(e.id);
  return out.sort();
}

const isMove = (o: Override) => o.w === undefined && o.h === undefined;

/**
 * The geometry changes plus the members of every frame they move (not resize), by the frame's
 * offset from where it is stored; a member moving itself (selected with its frame) keeps its own.
 */
export function carry(elements: Elements, changes: ReadonlyMap<string, Override>): ReadonlyMap<string, Override> {
  let out: Map<string, Override> | null = null;
  for (const [id, o] of changes) {
    const frame = elements.get(id);
    if (frame?.kind !== "frame" || !isMove(o) || o.x === undefined || o.y === undefined) continue;
    const dx = o.x - frame.x;
    const dy = o.y - frame.y;
    if (!dx && !dy) continue;
    for (const member of membersOf(elements, id)) {
      const box = elements.get(member);
      if (!box || !isBox(box) || changes.has(member)) continue;
      out ??= new Map(changes);
      out.set(member, { x: box.x + dx, y: box.y + dy });
    }
  }
  return out ?? changes;
}

/**
 * The `frame` each box should have after these changes, where it differs from what is stored:
 * a box moved lands in the frame under its centre (or none); a box whose frame moves with it
 * stays; a frame resized takes in, or lets go of, the boxes its old or new rectangle holds.
 */
export function membership(elements: Elements, changes: ReadonlyMap<string, Override>): ReadonlyMap<string, ElementProps> {
  const after = <T extends Element>(e: T): T => ({ ...e, ...changes.get(e.id) });
  const frames = framesOf(elements.values()).map(after);
  const resized = framesOf(elements.values()).filter((f) => {
    const o = changes.get(f.id);
    return o !== undefined && !isMove(o);
  });
  const out = new Map<string, ElementProps>();
  for (const e of elements.values()) {
    if (!isBox(e)) continue;
    const moved = changes.has(e.id);
    if (moved && e.frame && changes.has(e.frame) && isMove(changes.get(e.frame) as Override)) continue;
    const box = after(e);
    if (!moved && !resized.some((f) => holdsCentre(f, box) || holdsCentre(after(f), box))) continue;
    const want = frameAt(frames, box) ?? "";
    if (want !== (e.frame ?? "")) out.set(e.id, { frame: want });
  }
  return out;
}

/**
 * Adds as the board should store them: frames first (a box may name a frame added with it), and
 * each box added in the frame under its centre, among the board's frames and the ones added.
 */
export function placeAdds(elements: Elements, ops: readonly CanvasOp[]): CanvasOp[] {
  const added = ops.flatMap((op) => (op.op === "add" && op.element.kind === "frame" ? [op.element] : []));
  const frames = [...framesOf(elements.values()), ...added];
  const placed = ops.map((op): CanvasOp => {
    if (op.op !== "add" || !isBox(op.element)) return op;
    const element = op.element;
    // Stored even when "" (in no frame), so a frame drawn over the box later does not claim it in the exports.
    return { op: "add", element: { ...element, frame: frameAt(frames, element) ?? "" } };
  });
  const rank = (op: CanvasOp) => (op.op === "add" && op.element.kind === "frame" ? 0 : 1);
  return placed.map((op, i) => [op, i] as const).sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j).map(([op]) => op);
}
