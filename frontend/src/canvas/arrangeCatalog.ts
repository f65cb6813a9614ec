// The arrange actions as the selection toolbar, the keyboard and the `?` cheat sheet show them:
// one list, so a shortcut is never offered in one place and missing from another.
import {
  AlignCenterHorizontal,
  AlignCenterVertical,
  AlignEndHorizontal,
  AlignEndVertical,
  AlignHorizontalDistributeCenter,
  AlignStartHorizontal,
  AlignStartVertical,
  AlignVerticalDistributeCenter,
  type IconNode,
} from "lucide";

import type { Alignment, Axis } from "./arrange";

export interface ArrangeAction {
  readonly name: string;
  readonly icon: IconNode;
  /** KeyboardEvent.code pressed with Alt (and Shift when `shift`): layout-independent, as Alt changes the key on a Mac. */
  readonly code: string;
  readonly shift: boolean;
  readonly testId: string;
  readonly align?: Alignment;
  readonly distribute?: Axis;
}

export const ARRANGE_ACTIONS: readonly ArrangeAction[] = [
  { name: "Align left edges", icon: AlignStartVertical, code: "KeyA", shift: false, testId: "align-left", align: "left" },
  { name: "Align centres", icon: AlignCenterVertical, code: "KeyH", shift: false, testId: "align-centre", align: "centre" },
  { name: "Align right edges", icon: AlignEndVertical, code: "KeyD", shift: false, testId: "align-right", align: "right" },
  { name: "Align top edges", icon: AlignStartHorizontal, code: "KeyW", shift: false, testId: "align-top", align: "top" },
  { name: "Align middles", icon: AlignCenterHorizontal, code: "KeyV", shift: false, testId: "align-middle", align: "middle" },
  { name: "Align bottom edges", icon: AlignEndHorizontal, code: "KeyS", shift: false, testId: "align-bottom", align: "bottom" },
  { name: "Distribute horizontally", icon: AlignHorizontalDistributeCenter, code: "KeyH", shift: true, testId: "distribute-horizontal", distribute: "horizontal" },
  { name: "Distribute vertically", icon: AlignVerticalDistributeCenter, code: "KeyV", shift: true, testId: "distribute-vertical", distribute: "vertical" },
];

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** The keys as people read them: Alt+A, Alt+Shift+H (⌥ on a Mac). */
export function keysOf(action: ArrangeAction): string {
  const letter = action.code.replace(/^Key/, "");
  return `${MAC ? "⌥" : "Alt+"}${action.shift ? "Shift+" : ""}${letter}`;
}

export function actionFor(event: { code: string; altKey: boolean; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ArrangeAction | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  return ARRANGE_ACTIONS.find((a) => a.code === event.code && a.shift === event.shiftKey) ?? null;
}
