// The `?` cheat sheet.
import { defaultLayer } from "../sync";
import { Dialog } from "../ui/Dialog";
import { KINDS } from "./annotationCatalog";
import { ARRANGE_ACTIONS, keysOf } from "./arrangeCatalog";
import { NOTE, TYPES } from "./catalog";
import { useActor } from "./context";
import { MOD } from "./Toolbar";

type Group = readonly [string, readonly (readonly [string, string])[]];

/** F, T, S, C on the selection: a challenge for most, the candidate's own note for the candidate. */
function annotateGroup(notes: boolean): Group {
  return [
    notes ? "Note on the selected component or arrow" : "Challenge the selected component or arrow",
    [
      ...KINDS.flatMap((info) => (info.key ? [[info.key.toUpperCase(), info.name] as const] : [])),
      ["Enter", notes ? "Save the note" : "Send the challenge"],
      ["Shift+Enter", "New line"],
      ["Esc", "Cancel, or close the thread"],
    ],
  ];
}

const GROUPS: readonly Group[] = [
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
    "Arrange the selection",
    [
      [`${MOD}G`, "Group: the boxes move as one"],
      [`${MOD}Shift+G`, "Ungroup"],
      ...ARRANGE_ACTIONS.map((a) => [keysOf(a), a.name] as const),
      ["Alt while dragging", "Move freely, without snapping to other boxes"],
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
  const actor = useActor();
  const layer = actor && defaultLayer(actor.role, actor.mode);
  const groups = layer ? [...GROUPS, annotateGroup(layer === "notes")] : GROUPS;
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} wide testId="shortcuts-dialog">
      <div className="bs-shortcuts">
        {groups.map(([title, rows]) => (
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
