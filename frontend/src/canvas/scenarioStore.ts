// Scenario cards while the page is open (docs/protocol.md, "Scenario cards"): the cards
// played so far, fetched once and then taken from every batch as it arrives (a card is
// public once played, so every role sees it), the ones this person dismissed, and playing
// one (owner and interviewers) over REST as a batch of one. No React.
import type { BatchMessage, PlayedCard, SyncClient } from "../sync";
import { messageOf, ViewStore } from "./viewStore";

export interface ScenarioView {
  /** Played cards, oldest first. */
  readonly cards: readonly PlayedCard[];
  /** Card ids whose banner this person closed (this page only). */
  readonly dismissed: ReadonlySet<string>;
  readonly busy: boolean;
  readonly error: string | null;
}

export interface ScenarioApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** The cards a stored batch plays, stamped with its seq, time and author. */
export function cardsIn(batch: Pick<BatchMessage, "seq" | "at" | "participant" | "ops">): PlayedCard[] {
  const played: PlayedCard[] = [];
  for (const op of batch.ops as readonly { readonly op: string; readonly card?: { id: string; text: string; title?: string } }[]) {
    if (op.op !== "scenario" || !op.card) continue;
    played.push({ id: op.card.id, title: op.card.title ?? "", text: op.card.text, seq: batch.seq, at: batch.at, author: batch.participant });
  }
  return played;
}

/** `cards` with `more` added: each id once (the first seen wins, as the server plays an id once), by seq. */
export function mergeCards(cards: readonly PlayedCard[], more: readonly PlayedCard[]): readonly PlayedCard[] {
  const known = new Set(cards.map((card) => card.id));
  const added = more.filter((card) => !known.has(card.id) && known.add(card.id));
  return added.length ? [...cards, ...added].sort((a, b) => a.seq - b.seq) : cards;
}

/** The card a banner shows: the last one played (up to `seq` when given) that was not dismissed. */
export function bannerCard(cards: readonly PlayedCard[], dismissed: ReadonlySet<string>, seq?: number): PlayedCard | null {
  const shown = cards.filter((card) => seq === undefined || card.seq <= seq);
  const last = shown[shown.length - 1];
  return last && !dismissed.has(last.id) ? last : null;
}

/** An id for a card typed on the spot: unique on this board, safe as a protocol id. */
export function typedCardId(now: number = Date.now()): string {
  return `typed-${now.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

const INITIAL: ScenarioView = { cards: [], dismissed: new Set(), busy: false, error: null };

export class ScenarioStore extends ViewStore<ScenarioView> {
  constructor(
    private readonly api: ScenarioApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
  ) {
    super(INITIAL);
  }

  start(): void {
    // Listen first, then fetch: a card played in between arrives one way or the other.
    const started = this.follow(this.client, (event) => {
      if (event.type === "remote" || event.type === "ack") this.add(cardsIn(event.batch));
      else if (event.type === "reset") void this.load();
    });
    if (started) void this.load();
  }

  dismiss(id: string): void {
    this.set({ dismissed: new Set(this.view.dismissed).add(id) });
  }

  /** Play a card from the deck or typed on the spot; true once the server stored it. */
  play(card: { readonly id: string; readonly text: string; readonly title?: string }): Promise<boolean> {
    return this.whileBusy(async () => {
      await this.api.post(`boards/${this.board}/scenarios/`, { card });
      if (!this.view.cards.some((played) => played.id === card.id)) await this.load();
    });
  }

  private add(cards: readonly PlayedCard[]): void {
    if (!cards.length) return;
    // A new card shows its banner again, even to someone who closed an earlier one.
    this.set({ cards: mergeCards(this.view.cards, cards) });
  }

  private async load(): Promise<void> {
    try {
      const data = await this.api.get<{ scenarios: PlayedCard[] }>(`boards/${this.board}/scenarios/`);
      this.set({ cards: mergeCards(this.view.cards, data.scenarios) });
    } catch (error) {
      this.set({ error: messageOf(error) });
    }
  }
}
