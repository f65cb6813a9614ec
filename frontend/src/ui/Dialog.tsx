// A modal on the native <dialog> element: focus is trapped, Escape closes, the page behind is inert.
import { type ReactNode, useEffect, useRef } from "react";

import { X } from "lucide";
import { Icon } from "./Icon";

interface Props {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
  readonly wide?: boolean;
  readonly testId?: string;
}

export function Dialog({ title, onClose, children, footer, wide, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Escape closes it even when focus fell out of it (the focused button was removed).
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) closeRef.current();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      dialog?.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`bs-dialog${wide ? " bs-dialog--wide" : ""}`}
      aria-labelledby="bs-dialog-title"
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClose={() => onClose()}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="bs-dialog__panel">
        <header className="bs-dialog__header">
          <h2 id="bs-dialog-title">{title}</h2>
          <button type="button" className="bs-icon-button" onClick={onClose} aria-label="Close">
            <Icon icon={X} size={18} />
          </button>
        </header>
        <div className="bs-dialog__body">{children}</div>
        {footer ? <footer className="bs-dialog__footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}
