// The board's scenario cards for React: the store lives beside the board's features
// (BoardApp creates it); components read slices of it.
import { createContext, useContext, useSyncExternalStore } from "react";

import type { ScenarioStore, ScenarioView } from "./scenarioStore";

export const ScenarioContext = createContext<ScenarioStore | null>(null);

export function useScenarioStore(): ScenarioStore | null {
  return useContext(ScenarioContext);
}

const EMPTY: ScenarioView = { cards: [], dismissed: new Set(), busy: false, error: null };
const noSubscribe = () => () => undefined;

/** A slice of the cards' state; the empty state outside a board (tests of lone components). */
export function useScenarios<T>(selector: (view: ScenarioView) => T): T {
  const store = useContext(ScenarioContext);
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, () => selector(store ? store.getSnapshot() : EMPTY));
}
