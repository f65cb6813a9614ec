// Board-wide keyboard shortcuts (the `?` cheat sheet lists them) and the clipboard.
import { useEffect } from "react";

import { COMPONENT_TYPES } from "../sync";
import { KIND_KEYS } from "./annotationCatalog";
import { actionFor } from "./arrangeCatalog";
import { NOTE, TYPES } from "./catalog";
import type { Board } from "./features/board";
import { parseClipboard } from "./features/editing";

const ADD_KEYS = new Map<string, string>([...TYPES.map((t) => [t.key, t.type] as const), [NOTE.key, "note"]]);

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.closest("dialog[open]") !== null;
}

export function useBoardKeys(board: Board): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A modal dialog owns the keyboard while it is open.
      if (event.defaultPrevented || typing(event.target) || document.querySelector("dialog[open]")) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key;
      const lower = key.toLowerCase();
      const ui = board.core.ui.getState();
      const editable = board.core.canEdit;
      const handled = () => event.preventDefault();

      if (key === "?" || (event.shiftKey && key === "/")) {
        board.core.ui.setState({ dialog: "shortcuts" });
        return handled();
      }
      if (mod && lower === "z") {
        if (event.shiftKey) board.editing.redo();
        else board.editing.undo();
        return handled();
      }
      if (mod && lower === "y") {
        board.editing.redo();
        return handled();
      }
      if (mod && lower === "a") {
        board.core.selectAll();
        return handled();
      }
      if (mod && lower === "g") {
        if (editable) {
          if (event.shiftKey) board.arranging.ungroup();
          else board.arranging.group();
        }
        return handled();
      }
      const arrange = editable ? actionFor(event) : null;
      if (arrange) {
        if (arrange.align) board.arranging.align(arrange.align);
        else if (arrange.distribute) board.arranging.distribute(arrange.distribute);
        return handled();
      }
      if (mod && lower === "d") {
        if (editable) board.editing.duplicate();
        return handled();
      }
      if (mod) return; // copy, cut and paste arrive as clipboard events
      // Present mode: the arrow keys step through the flow; Esc leaves present mode, then following, then the laser.
      const presenting = board.flows.state.presenting !== null;
      if (presenting && (key === "ArrowRight" || key === "ArrowDown" || key === " ")) {
        board.flows.next();
        return handled();
      }
      if (presenting && (key === "ArrowLeft" || key === "ArrowUp")) {
        board.flows.previous();
        return handled();
      }
      if (key === "Escape" && presenting) {
        board.flows.stopPresenting();
        return handled();
      }
      if (key === "Escape" && board.follow.state.following !== null) {
        board.follow.stop();
        return handled();
      }
      if (key === "Escape" && board.laser.state.on) {
        board.laser.toggle(false);
        return handled();
      }
      if (lower === "l" && !event.shiftKey && !event.altKey) {
        board.laser.toggle();
        return handled();
      }
      if (key === "Escape") {
        if (ui.thread !== null) board.navigation.openThread(null);
        else if (ui.composer) board.annotating.closeComposer();
        else if (ui.editing) board.core.stopEditing();
        else board.core.select([]);
        return handled();
      }
      if ((key === "Delete" || key === "Backspace") && editable) {
        board.editing.deleteSelection();
        return handled();
      }
      // A focused button (a badge, a panel entry) answers Enter itself.
      if ((key === "Enter" || key === "F2") && editable && ui.selected.size === 1 && (event.target as HTMLElement).tagName !== "BUTTON") {
        const [id] = ui.selected;
        if (id) board.editing.startEditing(id);
        return handled();
      }
      if (key.startsWith("Arrow") && editable && ui.selected.size) {
        // A focused node moves itself (React Flow's own keyboard support); elsewhere we nudge.
        if ((event.target as HTMLElement).closest?.(".react-flow__node")) return;
        const step = event.shiftKey ? 10 : 1;
        const dx = key === "ArrowLeft" ? -step : key === "ArrowRight" ? step : 0;
        const dy = key === "ArrowUp" ? -step : key === "ArrowDown" ? step : 0;
        board.editing.nudge(dx, dy);
        return handled();
      }
      if (event.shiftKey && (key === "!" || event.code === "Digit1")) {
        void board.core.view?.fitView();
        return handled();
      }
      if (event.shiftKey && (key === ")" || event.code === "Digit0")) {
        board.core.view?.zoomTo(1);
        return handled();
      }
      if (key === "+" || key === "=") {
        board.core.view?.zoomIn();
        return handled();
      }
      if (key === "-" || key === "_") {
        board.core.view?.zoomOut();
        return handled();
      }
      // F, T, S, C: annotate the selection (a challenge, or the candidate's own note), Enter sends.
      const kind = KIND_KEYS.get(lower);
      if (!event.shiftKey && !event.altKey && kind) {
        if (board.annotating.raise(kind)) handled();
        return;
      }
      if (!event.shiftKey && !event.altKey && editable && ADD_KEYS.has(lower)) {
        const kind = ADD_KEYS.get(lower);
        if (kind === "note") board.editing.addNote();
        else if (kind && (COMPONENT_TYPES as readonly string[]).includes(kind)) board.editing.addComponent(kind as (typeof COMPONENT_TYPES)[number]);
        return handled();
      }
    };

    const onCopy = (event: ClipboardEvent) => {
      if (typing(event.target) || window.getSelection()?.toString()) return;
      const data = board.editing.copySelection();
      if (!data) return;
      event.clipboardData?.setData("text/plain", JSON.stringify(data));
      event.preventDefault();
    };
    const onCut = (event: ClipboardEvent) => {
      if (typing(event.target) || !board.core.canEdit) return;
      onCopy(event);
      if (event.defaultPrevented) board.editing.deleteSelection();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (typing(event.target) || !board.core.canEdit) return;
      const text = event.clipboardData?.getData("text/plain") ?? "";
      const elements = parseClipboard(text);
      event.preventDefault();
      if (elements) board.editing.paste(elements);
      else if (text.trim()) board.editing.addNote(undefined, false, text.trim().slice(0, 4000));
      else board.editing.paste();
    };

    window.addEventListener("keydown", onKey);
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
    };
  }, [board]);
}
