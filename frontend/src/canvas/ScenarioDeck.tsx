// Playing scenario cards (owner and interviewers): the question's deck, each card one click
// from everyone's screen, and a card typed on the spot. Once played a card is public; the
// deck itself stays private (it arrives only with the question's private part).
import { Shuffle } from "lucide";
import { useEffect, useRef, useState } from "react";

import { LIMITS } from "../sync";
import { Icon } from "../ui/Icon";
import type { Card } from "./question";
import { useQuestion } from "./questionContext";
import { useScenarios, useScenarioStore } from "./scenarioContext";
import { typedCardId } from "./scenarioStore";

/** The deck with a Play button per card, and the form for a card typed on the spot. */
export function ScenarioDeck({ deck, onPlayed }: { deck: readonly Card[]; onPlayed?: () => void }) {
  const store = useScenarioStore();
  const cards = useScenarios((v) => v.cards);
  const busy = useScenarios((v) => v.busy);
  const error = useScenarios((v) => v.error);
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  if (!store) return null;
  const played = new Map(cards.map((card) => [card.id, card]));
  const play = async (card: { id: string; text: string; title?: string }) => {
    if (await store.play(card)) onPlayed?.();
    return true;
  };
  return (
    <div className="bs-scenario-deck" data-testid="scenario-deck">
      {deck.length ? (
        <ul className="bs-question__cards">
          {deck.map((card) => {
            const done = played.get(card.id);
            return (
              <li key={card.id} className="bs-question__card bs-scenario-deck__card" data-testid="scenario-card" data-card={card.id}>
                <div>
                  <strong>{card.title}</strong>
                  <p>{card.text}</p>
                </div>
                {done ? (
                  <span className="bs-muted" data-testid="scenario-played">
                    Played (seq {done.seq})
                  </span>
                ) : (
                  <button type="button" className="bs-button bs-button--primary bs-button--small" data-testid="scenario-play" disabled={busy} onClick={() => void play(card)}>
                    Play
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
      <form
        className="bs-scenario-deck__typed"
        onSubmit={(event) => {
          event.preventDefault();
          if (!text.trim()) return;
          void play({ id: typedCardId(), text: text.trim(), ...(title.trim() ? { title: title.trim() } : {}) }).then(() => {
            setTitle("");
            setText("");
          });
        }}
      >
        <label>
          <span>Title (optional)</span>
          <input value={title} maxLength={LIMITS.label} placeholder="Traffic grows 10×" data-testid="scenario-title" onChange={(e) => setTitle(e.target.value)} onKeyDown={(e) => e.stopPropagation()} />
        </label>
        <label>
          <span>Card</span>
          <textarea
            value={text}
            maxLength={LIMITS.text}
            rows={2}
            placeholder="Traffic grows ten times over the next month."
            data-testid="scenario-text"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.stopPropagation()}
          />
        </label>
        <button type="submit" className="bs-button bs-button--small" data-testid="scenario-play-typed" disabled={busy || !text.trim()}>
          Play this card
        </button>
      </form>
      {error ? <p className="bs-error" role="alert">{error}</p> : null}
    </div>
  );
}

/** The session bar's "Card" button: the deck (when the board has a question) and a typed card, in a popover. */
export function ScenarioButton() {
  const deck = useQuestion((v) => v?.data?.question?.cards ?? null);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => root.current?.contains(event.target as Node) || setOpen(false);
    const escape = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("pointerdown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
  return (
    <div className="bs-scenario-button" ref={root}>
      <button
        type="button"
        className="bs-button bs-button--small"
        title="Play a scenario card: everyone sees it"
        aria-expanded={open}
        data-testid="scenario-open"
        onClick={() => setOpen((v) => !v)}
      >
        <Icon icon={Shuffle} size={13} /> Card
      </button>
      {open ? (
        <div className="bs-popover bs-scenario-button__popover" role="dialog" aria-label="Play a scenario card">
          <p className="bs-scenario-button__hint">Everyone on the board sees the card you play.</p>
          <ScenarioDeck deck={deck ?? []} onPlayed={() => setOpen(false)} />
        </div>
      ) : null}
    </div>
  );
}
