// A chat-style text box: Enter sends, Shift+Enter is a new line, Escape cancels.
// It grows with its text up to a few lines.
import { useEffect, useRef } from "react";

interface Props {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onSubmit: () => void;
  readonly onCancel?: () => void;
  readonly label: string;
  readonly placeholder?: string;
  readonly maxLength: number;
  /** Focus on mount, with the caret at the end (so a prefilled text can be sent or continued). */
  readonly autoFocus?: boolean;
  readonly disabled?: boolean;
  readonly testId?: string;
}

export function MessageInput({ value, onChange, onSubmit, onCancel, label, placeholder, maxLength, autoFocus, disabled, testId }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const input = ref.current;
    if (!autoFocus || !input) return;
    input.focus({ preventScroll: true });
    input.setSelectionRange(input.value.length, input.value.length);
  }, [autoFocus]);
  const lines = value.split("\n").length + Math.floor(value.length / 46);
  return (
    <textarea
      ref={ref}
      className="bs-message-input nodrag nopan nowheel"
      value={value}
      rows={Math.min(8, Math.max(2, lines))}
      maxLength={maxLength}
      aria-label={label}
      placeholder={placeholder}
      disabled={disabled}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        // The board's shortcuts never see what is typed here.
        event.stopPropagation();
        if (event.key === "Escape" && onCancel) {
          event.preventDefault();
          onCancel();
        } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
          event.preventDefault();
          onSubmit();
        }
      }}
    />
  );
}
