// Typing a label (or a note) straight onto the canvas. Text syncs while you type
// (a pause of 300 ms sends it) and all of one editing session is one undo step.
import { useEffect, useRef, useState } from "react";

import { LIMITS } from "../sync";
import { useCore, useEditing } from "./context";

interface Props {
  readonly id: string;
  readonly field: "label" | "text";
  readonly value: string;
  readonly placeholder: string;
  readonly multiline?: boolean;
  readonly className?: string;
}

const SYNC_AFTER_MS = 300;
let sessions = 0;

export function InlineEditor({ id, field, value, placeholder, multiline, className }: Props) {
  const editing = useEditing();
  const core = useCore();
  const [draft, setDraft] = useState(value);
  const draftRef = useRef(value);
  const [session] = useState(() => ({ current: editing.editKey(id, field, ++sessions) }));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    editing.update(id, { [field]: draftRef.current }, session.current);
  };

  useEffect(() => {
    const input = ref.current;
    input?.focus({ preventScroll: true });
    input?.select();
    return () => {
      // Leaving the editor any way at all (blur, Escape, a click elsewhere) keeps what was typed.
      if (timer.current) clearTimeout(timer.current);
      editing.update(id, { [field]: draftRef.current }, session.current);
    };
  }, [editing, id, field]);

  const change = (text: string) => {
    setDraft(text);
    draftRef.current = text;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, SYNC_AFTER_MS);
  };

  const props = {
    ref,
    value: draft,
    placeholder,
    "aria-label": field === "label" ? "Label" : "Note text",
    maxLength: field === "label" ? LIMITS.label : LIMITS.text,
    className: `bs-inline-editor nodrag nopan nowheel ${className ?? ""}`,
    onBlur: () => core.stopEditing(),
    onPointerDown: (event: React.PointerEvent) => event.stopPropagation(),
    onDoubleClick: (event: React.MouseEvent) => event.stopPropagation(),
    onKeyDown: (event: React.KeyboardEvent) => {
      event.stopPropagation();
      if (event.key === "Escape" || (event.key === "Enter" && (!multiline || event.metaKey || event.ctrlKey))) {
        event.preventDefault();
        core.stopEditing();
      }
    },
  };
  return multiline ? (
    <textarea {...props} onChange={(e) => change(e.target.value)} />
  ) : (
    <input {...props} type="text" onChange={(e) => change(e.target.value)} />
  );
}
