// A comparison as a list: added, removed and changed elements (with each changed field,
// before → after). A click centres the canvas on it (a removed one on its ghost).
import { X } from "lucide";

import { plural } from "../lib/format";
import type { Element, Elements } from "../sync";
import { Icon } from "../ui/Icon";
import { describeElement } from "./catalog";
import { useBoard, useCore, useNavigation, useReviewing } from "./context";
import { type ChangedElement, describeValue, diffSize, fieldName } from "./diff";
import type { Comparison } from "./reviewStore";

const refName = (ref: number | "now") => (ref === "now" ? "now" : `v${ref}`);

function what(element: Element, elements: Elements): string {
  if (element.kind !== "arrow") return describeElement(element);
  const end = (id: string) => {
    const e = elements.get(id);
    return e ? describeElement(e) : id;
  };
  return `${element.label.trim() ? `${element.label.trim()}: ` : ""}${end(element.source)} → ${end(element.target)}`;
}

export function DiffList({ compare }: { compare: Comparison }) {
  const core = useCore();
  const reviewing = useReviewing();
  const navigation = useNavigation();
  const elements = useBoard((b) => b.elements);
  const { diff } = compare;
  // Removed arrows name their ends from the old side, which the diff carries for removed boxes.
  const old = new Map(elements);
  for (const e of diff.removed) if (!old.has(e.id)) old.set(e.id, e);
  const name = (id: string) => {
    const e = old.get(id);
    return e ? describeElement(e) : id;
  };
  const centre = (element: Element) => {
    if (element.kind === "arrow") return;
    core.view?.centerOn({ x: element.x + element.w / 2, y: element.y + element.h / 2 });
  };
  const total = diffSize(diff);
  return (
    <div className="bs-diff" data-testid="diff-list" data-from={compare.from} data-to={compare.to}>
      <header className="bs-diff__header">
        <strong>
          {refName(compare.from)} → {refName(compare.to)}
        </strong>
        <span className="bs-muted">{total ? plural(total, "change") : "No changes in meaning"}</span>
        <button type="button" className="bs-icon-button" aria-label="Close comparison" title="Close comparison" onClick={() => reviewing.closeCompare()}>
          <Icon icon={X} size={14} />
        </button>
      </header>
      {diff.added.length ? (
        <ul className="bs-diff__group" aria-label="Added">
          {diff.added.map((e) => (
            <li key={e.id} className="bs-diff__item is-added" data-testid="diff-item" data-diff="added" data-element={e.id}>
              <button type="button" onClick={() => (e.kind === "arrow" ? navigation.focusElement(e.id) : centre(e))}>
                <span className="bs-diff__sign">+</span> {what(e, old)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {diff.removed.length ? (
        <ul className="bs-diff__group" aria-label="Removed">
          {diff.removed.map((e) => (
            <li key={e.id} className="bs-diff__item is-removed" data-testid="diff-item" data-diff="removed" data-element={e.id}>
              <button type="button" onClick={() => centre(e)}>
                <span className="bs-diff__sign">−</span> {what(e, old)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {diff.changed.length ? (
        <ul className="bs-diff__group" aria-label="Changed">
          {diff.changed.map((c) => (
            <Changed key={c.id} change={c} elements={elements} name={name} onShow={() => navigation.focusElement(c.id)} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Changed({ change, elements, name, onShow }: { change: ChangedElement; elements: Elements; name: (id: string) => string; onShow: () => void }) {
  const element = elements.get(change.id);
  return (
    <li className="bs-diff__item is-changed" data-testid="diff-item" data-diff="changed" data-element={change.id}>
      <button type="button" onClick={onShow}>
        <span className="bs-diff__sign">~</span> {element ? what(element, elements) : change.id}
      </button>
      <ul className="bs-diff__fields">
        {change.fields.map((field) => {
          const ids = field === "connections" || field === "source" || field === "target";
          const show = (value: unknown) => (ids && typeof value === "string" ? name(value) : ids ? describeValue(value, name) : describeValue(value));
          return (
            <li key={field} data-field={field}>
              {fieldName(field)}: {show(change.before[field])} → {show(change.after[field])}
            </li>
          );
        })}
      </ul>
    </li>
  );
}
