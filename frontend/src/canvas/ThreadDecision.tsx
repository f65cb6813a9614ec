// "Why Kafka and not SQS?" answered with a decision record: from a trade-off challenge (or any
// challenge asking "why not"), the thread offers the challenged side (the candidate; a review's
// author) the decision form for its component (`answersWithDecision`); saving
// records the decision and replies with a line that names it, so the thread and the record
// point at each other.
import { Scale } from "lucide";
import { useState } from "react";

import type { Annotation } from "../sync";
import { Icon } from "../ui/Icon";
import { useAnnotating, useBoard, useCanEdit } from "./context";
import { DecisionForm } from "./DecisionsSection";
import { decisionLine } from "./features/decisions";

export { answersWithDecision } from "./features/decisions";

export function AnswerWithDecision({ annotation }: { annotation: Annotation }) {
  const annotating = useAnnotating();
  const editable = useCanEdit();
  const elements = useBoard((b) => b.elements);
  const [open, setOpen] = useState(false);
  const target = annotation.target;
  if (!editable || target === null) return null;
  const component = elements.get(target);
  const suggestion = component?.kind === "component" ? component.tech : "";
  if (!open) {
    return (
      <div className="bs-thread__decide">
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setOpen(true)} data-testid="answer-with-decision">
          <Icon icon={Scale} size={14} /> Answer with a decision
        </button>
      </div>
    );
  }
  return (
    <div className="bs-thread__decide">
      <DecisionForm
        target={target}
        suggestion={suggestion}
        submitLabel="Record and reply"
        compact
        onCancel={() => setOpen(false)}
        onSaved={(id, input) => {
          annotating.reply(annotation.id, `Decided: ${decisionLine(input)} (decision ${id})`);
          setOpen(false);
        }}
      />
    </div>
  );
}
