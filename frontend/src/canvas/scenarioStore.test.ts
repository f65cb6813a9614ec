import { describe, expect, it } from "vitest";

import type { PlayedCard, SyncEvent } from "../sync";
import { bannerCard, cardsIn, mergeCards, ScenarioStore, typedCardId } from "./scenarioStore";

const card = (id: string, seq: number): PlayedCard => ({ id, title: "", text: `card ${id}`, seq, at: "2026-12-04T20:00:00Z", author: "i" });

describe("scenario cards", () => {
  it("takes the cards a batch plays, stamped with the batch", () => {
    const batch = {
      seq: 7,
      at: "2026-12-04T20:01:00Z",
      participant: "p1",
      ops: [{ op: "add", element: { id: "x" } }, { op: "scenario", card: { id: "viral", text: "10x", title: "Viral" } }],
    } as never;
    expect(cardsIn(batch)).toEqual([{ id: "viral", title: "Viral", text: "10x", seq: 7, at: "2026-12-04T20:01:00Z", author: "p1" }]);
  });

  it("keeps each card once, in seq order, whichever way it arrived first", () => {
    const merged = mergeCards([card("b", 5)], [card("a", 2), card("b", 9)]);
    expect(merged.map((c) => [c.id, c.seq])).toEqual([
      ["a", 2],
      ["b", 5],
    ]);
    const same = [card("a", 2)];
    expect(mergeCards(same, [card("a", 2)])).toBe(same);
  });

  it("shows the last card played (up to a replayed seq) unless it was closed", () => {
    const cards = [card("a", 2), card("b", 5)];
    expect(bannerCard(cards, new Set())?.id).toBe("b");
    expect(bannerCard(cards, new Set(["b"]))).toBeNull();
    expect(bannerCard(cards, new Set(), 4)?.id).toBe("a");
    expect(bannerCard(cards, new Set(), 1)).toBeNull();
  });

  it("makes ids a protocol id may be", () => {
    const id = typedCardId(1_700_000_000_000);
    expect(id).toMatch(/^typed-[a-z0-9]+-[a-z0-9]{1,4}$/);
    expect(id.length).toBeLessThanOrEqual(64);
  });

  it("adds a card from a remote batch and shows it again after an earlier one was closed", async () => {
    let listener: ((event: SyncEvent) => void) | null = null;
    const client = { onEvent: (l: (event: SyncEvent) => void) => ((listener = l), () => undefined) };
    const api = { get: async <T,>() => ({ scenarios: [card("a", 2)] }) as T, post: async <T,>() => ({}) as T };
    const store = new ScenarioStore(api, "b1", client);
    store.start();
    await Promise.resolve();
    await Promise.resolve();
    store.dismiss("a");
    expect(bannerCard(store.getSnapshot().cards, store.getSnapshot().dismissed)).toBeNull();
    listener!({ type: "remote", batch: { type: "batch", seq: 3, id: "x", participant: "i", at: "2026-12-04T20:02:00Z", ops: [{ op: "scenario", card: { id: "c", text: "Region down" } }] } as never });
    expect(bannerCard(store.getSnapshot().cards, store.getSnapshot().dismissed)?.id).toBe("c");
  });
});
