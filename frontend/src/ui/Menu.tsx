// A small dropdown menu: a button that opens a list of actions, keyboard friendly.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface MenuItem {
  readonly label: string;
  readonly hint?: string;
  readonly icon?: ReactNode;
  readonly onSelect: () => void;
  readonly danger?: boolean;
  readonly testId?: string;
}

interface Props {
  readonly label: ReactNode;
  readonly items: readonly MenuItem[];
  readonly buttonClass?: string;
  readonly ariaLabel?: string;
  readonly align?: "left" | "right";
  readonly testId?: string;
}

export function Menu({ label, items, buttonClass = "bs-button", ariaLabel, align = "right", testId }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener("pointerdown", close);
    root.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    return () => window.removeEventListener("pointerdown", close);
  }, [open]);
  const move = (event: React.KeyboardEvent) => {
    const buttons = [...(root.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "ArrowDown") buttons[(index + 1) % buttons.length]?.focus();
    else if (event.key === "ArrowUp") buttons[(index - 1 + buttons.length) % buttons.length]?.focus();
    else if (event.key === "Escape") {
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>("button")?.focus();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <div className="bs-menu" ref={root} onKeyDown={move}>
      <button
        type="button"
        className={buttonClass}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={ariaLabel}
        data-testid={testId}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
      </button>
      {open ? (
        <div className={`bs-menu__list bs-menu__list--${align}`} role="menu" id={id}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className={`bs-menu__item${item.danger ? " is-danger" : ""}`}
              data-testid={item.testId}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              {item.icon}
              <span className="bs-menu__text">
                <span>{item.label}</span>
                {item.hint ? <small>{item.hint}</small> : null}
              </span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
