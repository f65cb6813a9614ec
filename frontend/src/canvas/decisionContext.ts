// The board's decision records for React: the store lives beside the board's features
// (BoardApp creates it); components read slices of it.
import { createContext, useContext, useSyncExternalStore } from "react";

import type { DecisionStore, DecisionView } from "./features/decisions";

export const DecisionContext = createContext<DecisionStore | null>(null);

export function useDecisionStore(): DecisionStore | null {
  return useContext(DecisionContext);
}

const EMPTY: DecisionView = { decisions: new Map(), error: null, busy: false };
const noSubscribe = () => () => undefined;

/** The decisions view; an empty one outside a board (tests of lone components). */
export function useDecisions(): DecisionView {
  const store = useContext(DecisionContext);
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, () => (store ? store.getSnapshot() : EMPTY));
}

/** How many decisions are about one component (a number, so a box re-renders only when its count changes). */
export function useDecisionCount(target: string): number {
  const store = useContext(DecisionContext);
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, () => {
    if (!store) return 0;
    let n = 0;
    for (const decision of store.getSnapshot().decisions.values()) if (decision.target === target) n += 1;
    return n;
  });
}
