// Writing a new annotation: opened by F, T, S or C on the selection (or a
// button), prefilled with the kind's default text so that Enter sends it.
// Next to its element on the canvas, or in the side panel for the whole board.
import { useState } from "react";

import { type AnnotationKind, type Layer, layersFor, LIMITS } from "../sync";
import { Icon } from "../ui/Icon";
import { MessageInput } from "../ui/MessageInput";
import { defaultText, KIND_INFO, KINDS, LAYER_INFO, targetName } from "./annotationCatalog";
import { useActor, useAnnotating, useSync, useUi } from "./context";
import { Floating } from "./Floating";
import { shortcutsFor } from "./question";
import { useQuestionType } from "./questionContext";
import type { Composer } from "./store";

/** The composer for an element, floating next to it. */
export function ComposerPopover() {
  const composer = useUi((s) => s.composer);
  if (!composer || composer.target === null) return null;
  return (
    <Floating target={composer.target} className="bs-composer-pop">
      <ComposerForm key={`${composer.target}:${composer.kind}:${composer.layer}`} composer={composer} />
    </Floating>
  );
}

export function ComposerForm({ composer }: { composer: Composer }) {
  const annotating = useAnnotating();
  const actor = useActor();
  const elements = useSync((s) => s.elements);
  const [kind, setKind] = useState(composer.kind);
  const [layer, setLayer] = useState(composer.layer);
  const name = targetName(composer.target === null ? undefined : elements.get(composer.target), elements);
  const [text, setText] = useState(() => defaultText(kind, layer, name));
  const layers = actor ? layersFor(actor.role) : [];
  // A walkthrough's challenges have their own shortcuts ("Constraints?", "Who did what?", …).
  const shortcuts = shortcutsFor(useQuestionType(), name);
  // A note's default is the start of a sentence: sending it unfinished says nothing.
  const unfinished = !text.trim() || (layer === "notes" && text === defaultText(kind, layer, name));

  /** Switch kind or layer; text still at the old default follows to the new one. */
  const change = (nextKind: AnnotationKind, nextLayer: Layer) => {
    if (text === defaultText(kind, layer, name)) setText(defaultText(nextKind, nextLayer, name));
    setKind(nextKind);
    setLayer(nextLayer);
  };
  const send = () => {
    if (unfinished) return;
    if (annotating.annotate({ target: composer.target, kind, text, layer })) annotating.closeComposer();
  };

  return (
    <form
      className="bs-composer"
      role="dialog"
      aria-label="New annotation"
      data-layer={layer}
      data-testid="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <header className="bs-composer__header">
        <span className="bs-composer__title">
          {LAYER_INFO[layer].one} on {name}
        </span>
      </header>
      <div className="bs-composer__kinds" role="radiogroup" aria-label="Kind">
        {KINDS.map((info) => (
          <button
            key={info.kind}
            type="button"
            role="radio"
            aria-checked={info.kind === kind}
            className="bs-composer__kind"
            title={info.key ? `${info.name} (${info.key.toUpperCase()})` : info.name}
            onClick={() => change(info.kind, layer)}
          >
            <Icon icon={info.icon} size={13} />
            {info.name}
          </button>
        ))}
      </div>
      {shortcuts.length && layer !== "notes" ? (
        <div className="bs-composer__shortcuts" aria-label="Shortcuts" data-testid="composer-shortcuts">
          {shortcuts.map((shortcut) => (
            <button
              key={shortcut.label}
              type="button"
              className={`bs-composer__shortcut${text === shortcut.text ? " is-on" : ""}`}
              data-testid="composer-shortcut"
              onClick={() => {
                setKind(shortcut.kind as AnnotationKind);
                setText(shortcut.text);
              }}
            >
              {shortcut.label}
            </button>
          ))}
        </div>
      ) : null}
      {layers.length > 1 ? (
        <div className="bs-composer__layers" role="radiogroup" aria-label="Layer">
          {layers.map((option) => (
            <label key={option} className={option === layer ? "is-on" : ""} title={LAYER_INFO[option].hint}>
              <input type="radio" name="layer" value={option} checked={option === layer} onChange={() => change(kind, option)} />
              <Icon icon={LAYER_INFO[option].icon} size={13} />
              {LAYER_INFO[option].one}
            </label>
          ))}
        </div>
      ) : null}
      <MessageInput
        value={text}
        onChange={setText}
        onSubmit={send}
        onCancel={() => annotating.closeComposer()}
        label="Annotation text"
        placeholder={KIND_INFO[kind].name}
        maxLength={LIMITS.text}
        autoFocus
        testId="composer-text"
      />
      {layer === "private" ? <p className="bs-composer__private">Only the owner and interviewers will see this.</p> : null}
      {actor?.role === "reviewer" ? (
        <p className="bs-composer__private" data-testid="composer-pending">
          Pending: only you see it until you submit your review.
        </p>
      ) : null}
      <footer className="bs-row-end">
        <span className="bs-hint">Enter to send · Esc to cancel</span>
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => annotating.closeComposer()}>
          Cancel
        </button>
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={unfinished}>
          Send
        </button>
      </footer>
    </form>
  );
}
