import { CircleAlert, CircleCheck, Info, X } from "lucide";
import type { ReactNode } from "react";

import { Icon } from "../ui/Icon";
import { useCore, useUi } from "./context";

const ICONS = { error: CircleAlert, info: Info, success: CircleCheck } as const;

/** The notifications corner; `children` (a played card, a prompt) stay above the passing toasts. */
export function Toasts({ children }: { children?: ReactNode }) {
  const core = useCore();
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="bs-toasts" aria-live="polite">
      {children}
      {toasts.map((toast) => (
        <div key={toast.id} className={`bs-toast bs-toast--${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"} data-testid="toast">
          <Icon icon={ICONS[toast.kind]} size={18} className="bs-toast__icon" />
          <div className="bs-toast__text">
            <strong>{toast.title}</strong>
            {toast.detail ? <span>{toast.detail}</span> : null}
          </div>
          <button type="button" className="bs-icon-button" aria-label="Dismiss" onClick={() => core.dismissToast(toast.id)}>
            <Icon icon={X} size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
