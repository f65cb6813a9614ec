// The `?` cheat sheet.
import { Dialog } from "../ui/Dialog";
import { NOTE, TYPES } from "./catalog";
import { MOD } from "./Toolbar";

const GROUPS: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
  [
    "Editing",
    [
      [`${MOD}Z`, "Undo my last change"],
      [`${MOD}Shift+Z`, "Redo"],
      [`${MOD}C / ${MOD}X / ${MOD}V`, "Copy, cut, paste"],
      [`${MOD}D`, "Duplicate"],
      [`${MOD}A`, "Select everything"],
      ["Delete", "Delete the selection"],
      ["Enter / F2", "Edit the label of the selection"],
      ["Esc", "Stop editing, then clear the selection"],
      ["Arrow keys", "Nudge (Shift: ×10)"],
    ],
  ],
  [
    "Canvas",
    [
      ["Double-click", "Add a component where you click"],
      ["Drag a box edge", "Connect to another component"],
      ["Drag on empty canvas", "Select with a box"],
      ["Shift+click", "Add to the selection"],
      ["Space+drag, scroll", "Pan"],
      [`${MOD}scroll, +, −`, "Zoom"],
      ["Shift+1", "Fit the board in view"],
      ["Shift+0", "Zoom to 100%"],
      ["?", "This cheat sheet"],
    ],
  ],
  ["Add", [...TYPES.map((t) => [t.key.toUpperCase(), t.name] as const), [NOTE.key.toUpperCase(), NOTE.name] as const]],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} wide testId="shortcuts-dialog">
      <div className="bs-shortcuts">
        {GROUPS.map(([title, rows]) => (
          <section key={title}>
            <h3>{title}</h3>
            <dl>
              {rows.map(([keys, what]) => (
                <div key={keys + what}>
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
