// The board's decision records for React: the store lives beside the board's features
// (BoardApp creates it); components read slices of it.
// While a replay shows a past seq, they are the decisions as they were then (read only).
import { createContext, useContext, useMemo, useSyncExternalStore } from "react";

import type { Decision } from "../sync";
import { useReplay } from "./context";
import type { DecisionStore, DecisionView } from "./features/decisions";

export const DecisionContext = createContext<DecisionStore | null>(null);

export function useDecisionStore(): DecisionStore | null {
  return useContext(DecisionContext);
}

const EMPTY: DecisionView = { decisions: new Map(), error: null, busy: false };
const noSubscribe = () => () => undefined;

/** The decisions a replay shows, or null when the live board shows. */
function useReplayed(): readonly Decision[] | null {
  return useReplay((v) => (v.open && v.frame ? v.frame.decisions : null));
}

/** The decisions view; an empty one outside a board (tests of lone components). */
export function useDecisions(): DecisionView {
  const store = useContext(DecisionContext);
  const live = useSyncExternalStore(store?.subscribe ?? noSubscribe, () => (store ? store.getSnapshot() : EMPTY));
  const replayed = useReplayed();
  return useMemo(
    () => (replayed ? { decisions: new Map(replayed.map((d) => [d.id, d])), error: null, busy: false } : live),
    [replayed, live],
  );
}

/** How many decisions are about one component (a number, so a box re-renders only when its count changes). */
export function useDecisionCount(target: string): number {
  const store = useContext(DecisionContext);
  const replayed = useReplayed();
  const live = useSyncExternalStore(store?.subscribe ?? noSubscribe, () => {
    if (!store) return 0;
    let n = 0;
    for (const decision of store.getSnapshot().decisions.values()) if (decision.target === target) n += 1;
    return n;
  });
  return replayed ? replayed.filter((d) => d.target === target).length : live;
}
