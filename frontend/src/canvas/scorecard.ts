// The interview scorecard and the signals that inform it (docs/protocol.md,
// "Scorecards" and "Signals"): their shapes over REST, and what the panel
// derives from them. Pure. Scorecards are never on the socket: only the
// scorecard panel, shown to the owner and interviewers alone, fetches them.
import type { Annotation, Board, Element, Elements, Participant, LedgerEntry } from "../sync";
import { describeElement } from "./catalog";

export const DIMENSIONS = ["ambiguity_handling", "trade_off_awareness", "failure_mode_thinking", "communication_clarity"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const RATINGS = [1, 2, 3, 4] as const;
export type Rating = (typeof RATINGS)[number];

export const HIRE = ["strong_no", "no", "yes", "strong_yes"] as const;
export type Hire = (typeof HIRE)[number];

export const HIRE_NAMES: Readonly<Record<Hire, string>> = {
  strong_no: "Strong no",
  no: "No",
  yes: "Yes",
  strong_yes: "Strong yes",
};

export const MAX_EVIDENCE = 50;

/** What a rating, a note or a signal points at: something on the board at a seq, or a moment. */
export type EvidenceLink =
  | { readonly type: "annotation" | "requirement" | "element"; readonly id: string; readonly seq?: number }
  | { readonly type: "seq"; readonly seq: number };

export interface DimensionScore {
  readonly rating: Rating | null;
  readonly notes: string;
  readonly evidence: readonly EvidenceLink[];
}

/** What the interviewer writes (PUT /scorecards/mine/). */
export interface Draft {
  readonly dimensions: Readonly<Record<Dimension, DimensionScore>>;
  readonly hire: Hire | "";
  readonly notes: string;
}

export interface Scorecard extends Draft {
  readonly author: string;
  readonly author_name: string;
  readonly submitted_at: string | null;
  readonly updated_at: string | null;
}

export interface Rubric {
  readonly label: string;
  /** "1" to "4": what each rating means. */
  readonly anchors: Readonly<Record<string, string>>;
}

/** GET /scorecards/: the rubric, my card, and the others' once mine is submitted. */
export interface Scorecards {
  readonly rubric: Readonly<Record<Dimension, Rubric>>;
  readonly mine: Scorecard;
  readonly others: readonly Scorecard[];
  readonly others_submitted: number;
}

const EMPTY_SCORE: DimensionScore = { rating: null, notes: "", evidence: [] };

export function draftOf(card: Draft): Draft {
  const dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...EMPTY_SCORE, ...card.dimensions[d] }])) as Record<Dimension, DimensionScore>;
  return { dimensions, hire: card.hire, notes: card.notes };
}

/** What still stops a submit: unrated dimensions (by label) and the hire decision. */
export function missing(draft: Draft, rubric: Scorecards["rubric"]): string[] {
  const out: string[] = DIMENSIONS.filter((d) => draft.dimensions[d].rating === null).map((d) => rubric[d]?.label ?? d);
  if (!draft.hire) out.push("a hire recommendation");
  return out;
}

function sameLink(a: EvidenceLink, b: EvidenceLink): boolean {
  return a.type === b.type && a.seq === b.seq && (a.type === "seq" || (b.type !== "seq" && a.id === b.id));
}

/** Add a link unless it is already there (or the list is full). */
export function withLink(list: readonly EvidenceLink[], link: EvidenceLink): EvidenceLink[] {
  if (list.some((l) => sameLink(l, link)) || list.length >= MAX_EVIDENCE) return [...list];
  return [...list, link];
}

export function withoutLink(list: readonly EvidenceLink[], link: EvidenceLink): EvidenceLink[] {
  return list.filter((l) => !sameLink(l, link));
}

const clip = (text: string, n = 60) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function elementName(element: Element | undefined, elements: Elements): string {
  if (!element) return "an element";
  if (element.kind === "arrow") {
    const from = elements.get(element.source);
    const to = elements.get(element.target);
    return element.label ? `“${clip(element.label, 40)}”` : `${from ? describeElement(from) : "?"} → ${to ? describeElement(to) : "?"}`;
  }
  return describeElement(element);
}

/** A link in words, from the board as it stands (what it names may since have changed). */
export function describeLink(link: EvidenceLink, board: Pick<Board, "elements" | "annotations" | "requirements">): string {
  switch (link.type) {
    case "seq":
      return "The board at that moment";
    case "element":
      return board.elements.has(link.id) ? elementName(board.elements.get(link.id), board.elements) : `Element ${link.id}`;
    case "annotation": {
      const annotation: Annotation | undefined = board.annotations.get(link.id);
      return annotation ? `“${clip(annotation.text)}”` : `Annotation ${link.id}`;
    }
    case "requirement": {
      const entry: LedgerEntry | undefined = board.requirements.get(link.id);
      return entry ? `“${clip(entry.text)}”` : `Entry ${link.id}`;
    }
  }
}

// ---- Signals -----------------------------------------------------------------------------

/** GET /signals/: numbers (nested by group) and, per signal, the links it was computed from. */
export interface Signals {
  readonly evidence: Readonly<Record<string, readonly EvidenceLink[]>>;
  readonly [name: string]: unknown;
}

export interface SignalInfo {
  /** The key in `evidence` (`group.name` for nested ones). */
  readonly key: string;
  readonly label: string;
  readonly format: (value: unknown) => string;
}

const count = (value: unknown) => (typeof value === "number" ? String(value) : "–");
const seconds = (value: unknown) => {
  if (typeof value !== "number") return "never";
  const total = Math.round(value);
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)} min ${total % 60} s`;
};
const yesNo = (value: unknown) => (value === true ? "yes" : value === false ? "no" : "–");
const percent = (value: unknown) => (typeof value === "number" ? `${Math.round(value * 100)}%` : "–");
/** A walkthrough's credit: who built the components, as shares ("me 40% · team 20% · others 40%"). */
export const credit = (value: unknown) => {
  if (typeof value !== "object" || value === null) return "–";
  const shares = value as Record<string, unknown>;
  if (!shares.components) return "no components";
  const parts = [["me", "me"], ["team", "team"], ["others", "others"], ["uncredited", "not said"]] as const;
  return parts.map(([key, name]) => `${name} ${percent(shares[key])}`).join(" · ");
};

/** Flesch reading ease with its grade: "72 (grade 6)"; higher reads easier. */
export const readability = (value: unknown) => {
  if (typeof value !== "object" || value === null) return "no text";
  const { flesch_reading_ease: ease, grade } = value as Record<string, unknown>;
  return typeof ease === "number" && typeof grade === "number" ? `${Math.round(ease)} (grade ${Math.round(grade)})` : "–";
};

/** Signals only a walkthrough board has; the panel shows them when the server sent them. */
export const isWalkthroughSignal = (key: string) => key.startsWith("walkthrough.");

/** Which signals speak to which dimension: suggestions next to each rating, never a score. */
export const SIGNALS: Readonly<Record<Dimension, readonly SignalInfo[]>> = {
  ambiguity_handling: [
    { key: "questions", label: "Questions asked", format: count },
    { key: "questions_before_first_component", label: "Questions before the first component", format: count },
    { key: "seconds_to_first_question", label: "Time to the first question", format: seconds },
    { key: "drew_before_asking", label: "Drew before asking", format: yesNo },
    { key: "complexity.premature", label: "Scale-out parts before any scale answer", format: count },
    { key: "complexity.adapted", label: "Scenario cards followed by a design change", format: count },
  ],
  trade_off_awareness: [
    { key: "trade_offs.unprompted", label: "Trade-offs raised unprompted", format: count },
    { key: "trade_offs.prompted", label: "Trade-off challenges answered", format: count },
    { key: "changed_after_feedback", label: "Changed the design after a challenge", format: count },
    { key: "decisions.explained", label: "Technologies with a decision", format: count },
    { key: "decisions.with_alternative", label: "Decisions naming an alternative", format: count },
    { key: "decisions.with_cost", label: "Decisions naming a cost", format: count },
    { key: "decisions.unexplained", label: "Technologies with no decision", format: count },
    { key: "recovery.recovered", label: "Challenges that led to a change", format: count },
    { key: "walkthrough.decisions", label: "Decisions named", format: count },
    { key: "walkthrough.decisions_with_reasons", label: "Decisions with a reason", format: count },
    { key: "walkthrough.hindsight", label: "Said what they would do differently", format: yesNo },
  ],
  failure_mode_thinking: [
    { key: "failure_modes.unprompted", label: "Failure modes raised unprompted", format: count },
    { key: "failure_modes.prompted", label: "Failure-mode challenges answered", format: count },
    { key: "components_without_failure_mode", label: "Components with no failure mode discussed", format: count },
    { key: "beyond_happy_path.external_calls_with_timeout", label: "External calls with a timeout", format: count },
    { key: "beyond_happy_path.queues_with_dead_letter", label: "Queues with a dead letter", format: count },
    { key: "beyond_happy_path.data_stores_protected", label: "Data stores replicated or backed up", format: count },
    { key: "beyond_happy_path.monitored", label: "Something monitors the system", format: yesNo },
    { key: "beyond_happy_path.error_handling", label: "Failure modes noted unprompted", format: count },
  ],
  communication_clarity: [
    { key: "challenges.answered", label: "Challenges answered", format: count },
    { key: "challenges.open", label: "Challenges still open", format: count },
    { key: "challenges.median_seconds_to_answer", label: "Median time to answer", format: seconds },
    { key: "components_without_labels", label: "Unlabelled components", format: count },
    { key: "arrows_without_labels", label: "Unlabelled arrows", format: count },
    { key: "communication.readability", label: "Reading ease of flows and answers", format: readability },
    { key: "communication.jargon_share", label: "Jargon in flows and answers", format: percent },
    { key: "walkthrough.constraints", label: "Constraints named", format: count },
    { key: "walkthrough.technologies", label: "Technologies named", format: count },
    { key: "walkthrough.outcomes", label: "Outcomes named", format: count },
    { key: "walkthrough.credit", label: "Who built what", format: credit },
  ],
};

/** A signal's value: `group.name` reads signals[group][name]. */
export function signalValue(signals: Signals, key: string): unknown {
  const [group, name] = key.split(".");
  const value = signals[group ?? ""];
  if (name === undefined) return value;
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** Who wrote a card, for the others' list. */
export function authorName(card: Scorecard, participants: ReadonlyMap<string, Participant>): string {
  return card.author_name || participants.get(card.author)?.name || "An interviewer";
}
