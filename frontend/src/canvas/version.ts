// A version open read-only: its canvas, and the review threads written on it. Pure.
import { type Annotations, type Board, type Elements, IDLE_SESSION } from "../sync";

const NO_REQUIREMENTS = new Map();

/** The threads written on version `n` (review comments carry the version they were written on). */
export function annotationsOn(annotations: Annotations, n: number): Annotations {
  return new Map([...annotations].filter(([, a]) => a.version === n));
}

/** The board a version shows: its canvas, its threads; no session or ledger (they are not versioned). */
export function versionBoard(elements: Elements, annotations: Annotations, n: number): Board {
  return { elements, annotations: annotationsOn(annotations, n), session: IDLE_SESSION, requirements: NO_REQUIREMENTS };
}
