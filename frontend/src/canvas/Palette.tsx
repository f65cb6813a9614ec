// The component palette: drag onto the canvas, or click (or press the key) to add at the centre.
import { Icon } from "../ui/Icon";
import { FRAME, NOTE, TYPES } from "./catalog";
import { PALETTE_MIME } from "./Canvas";
import { useEditing, useUi } from "./context";

export function Palette() {
  const editing = useEditing();
  // What a double-click on the canvas adds: shown on its palette item and in the tip.
  const lastType = useUi((s) => s.lastType);
  const lastName = TYPES.find((t) => t.type === lastType)?.name ?? lastType;
  const item = (kind: string, name: string, key: string, hint: string, color: string, icon: typeof NOTE.icon, add: () => void) => (
    <li key={kind}>
      <button
        type="button"
        className={`bs-palette__item${kind === lastType ? " is-last-used" : ""}`}
        data-last-used={kind === lastType ? "true" : undefined}
        draggable
        style={{ "--type": color } as React.CSSProperties}
        title={`${name}: ${hint}. Drag onto the canvas or click to add${key ? ` (key ${key.toUpperCase()})` : ""}.${kind === lastType ? " Double-clicking the canvas adds this." : ""}`}
        data-testid={`palette-${kind}`}
        onDragStart={(event) => {
          event.dataTransfer.setData(PALETTE_MIME, kind);
          event.dataTransfer.effectAllowed = "copy";
        }}
        onClick={add}
      >
        <span className="bs-palette__icon" aria-hidden="true">
          <Icon icon={icon} size={16} />
        </span>
        <span className="bs-palette__name">{name}</span>
        {kind === lastType ? (
          <span className="bs-palette__last" aria-hidden="true" title="Double-click the canvas to add this">
            2×
          </span>
        ) : null}
        {key ? <kbd className="bs-palette__key">{key.toUpperCase()}</kbd> : null}
      </button>
    </li>
  );
  return (
    <nav className="bs-palette" aria-label="Components">
      <h2 className="bs-panel-title">Components</h2>
      <ul>
        {TYPES.map((t) =>
          item(t.type, t.name, t.key, t.hint, t.color, t.icon, () => editing.addComponent(t.type)),
        )}
      </ul>
      <h2 className="bs-panel-title">Annotate</h2>
      <ul>
        {item("note", NOTE.name, NOTE.key, NOTE.hint, NOTE.color, NOTE.icon, () => editing.addNote())}
        {item("frame", FRAME.name, FRAME.key, `${FRAME.hint}; with boxes selected, it goes around them`, FRAME.color, FRAME.icon, () => editing.addFrame())}
      </ul>
      <p className="bs-palette__tip">
        Double-click the canvas to add a{/^[AEIOU]/.test(lastName) ? "n" : ""}{" "}
        <strong data-testid="dblclick-type">{lastName}</strong> (marked 2×; the last type you added). Drag from a box's edge onto another to connect them. Select a box and press{" "}
        <kbd>F</kbd> <kbd>T</kbd> <kbd>S</kbd> or <kbd>C</kbd> to annotate it. Press <kbd>?</kbd> for shortcuts.
      </p>
    </nav>
  );
}
