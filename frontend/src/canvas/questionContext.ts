// The board's question for React: the store lives beside the board's features
// (BoardApp creates it); components read slices of it.
import { createContext, useContext, useSyncExternalStore } from "react";

import type { QuestionType } from "../sync";
import type { QuestionStore, QuestionView } from "./questionStore";

export const QuestionContext = createContext<QuestionStore | null>(null);

export function useQuestionStore(): QuestionStore | null {
  return useContext(QuestionContext);
}

/** A slice of the question's state; null outside a board (tests of lone components). */
export function useQuestion<T>(selector: (view: QuestionView | null) => T): T {
  const store = useContext(QuestionContext);
  return useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => selector(store ? store.getSnapshot() : null),
  );
}

const noSubscribe = () => () => undefined;

/** The board's question type: null while loading or when the board was made from none. */
export function useQuestionType(): QuestionType | null {
  return useQuestion((v) => v?.data?.question?.question_type ?? null);
}
