// At wrap-up the candidate is asked what they would do differently: a hindsight entry in the
// ledger, in the notifications corner (never over the diagram). It goes once they wrote one,
// or closed it; the Ledger tab takes hindsight any time.
import { History, X } from "lucide";
import { useState } from "react";

import { isChallengedSide, LIMITS } from "../sync";
import { Icon } from "../ui/Icon";
import { useBoard, useCore, useInterviewSession, useReplaying, useSync } from "./context";

export function HindsightPrompt() {
  const core = useCore();
  const session = useInterviewSession();
  const me = useSync((s) => s.you);
  const mode = useSync((s) => s.board?.mode ?? "interview");
  const closed = useSync((s) => s.closed);
  const phase = useBoard((b) => b.session.phase);
  const requirements = useBoard((b) => b.requirements);
  const replaying = useReplaying();
  const [dismissed, setDismissed] = useState(false);
  const [text, setText] = useState("");
  if (!me || mode !== "interview" || !isChallengedSide(me.role, mode) || phase !== "wrap_up" || closed || replaying || dismissed) return null;
  for (const entry of requirements.values()) if (entry.kind === "hindsight" && entry.author === me.participant) return null;
  return (
    <form
      className="bs-hindsight-prompt"
      role="dialog"
      aria-labelledby="bs-hindsight-title"
      data-testid="hindsight-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() && session.addRequirement({ kind: "hindsight", text: text.trim() })) core.toast("success", "Added to the ledger", "Hindsight");
      }}
    >
      <div className="bs-hindsight-prompt__head">
        <Icon icon={History} size={16} />
        <strong id="bs-hindsight-title">What would you do differently?</strong>
        <button type="button" className="bs-icon-button" aria-label="Not now" data-testid="hindsight-dismiss" onClick={() => setDismissed(true)}>
          <Icon icon={X} size={14} />
        </button>
      </div>
      <textarea
        value={text}
        rows={3}
        maxLength={LIMITS.text}
        placeholder="With hindsight, I would have…"
        aria-labelledby="bs-hindsight-title"
        data-testid="hindsight-text"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.stopPropagation()}
      />
      <button type="submit" className="bs-button bs-button--primary bs-button--small" data-testid="hindsight-add" disabled={!text.trim()}>
        Add to the ledger
      </button>
    </form>
  );
}
