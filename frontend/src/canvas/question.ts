// The board's question as REST gives it (GET /api/boards/{id}/question/): the public
// part for everyone on the board, and for the owner and interviewers of a board an
// interviewer made, the fact sheet, reference design, follow-ups, scenario cards,
// rubric and the facts suggested for each open clarifying question. Pure helpers.
import { type Element, type Phase, QUESTION_TOPICS, type QuestionType, SHORTCUTS } from "../sync";

export interface Fact {
  readonly id: string;
  readonly topic: string;
  readonly answer: string;
  readonly words: readonly string[];
}

export interface Card {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export interface Reference {
  readonly elements: readonly Element[];
  readonly shows: string;
}

export interface Question {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly question_type: QuestionType;
  readonly prompt: string;
  readonly facts?: readonly Fact[];
  readonly reference?: Reference | null;
  readonly follow_ups?: Readonly<Partial<Record<Phase, readonly string[]>>>;
  readonly cards?: readonly Card[];
  readonly rubric?: string;
}

export interface Suggestion {
  readonly fact: string;
  readonly score: number;
  readonly matched: readonly string[];
}

export interface BoardQuestion {
  readonly question: Question | null;
  readonly full: boolean;
  /** Ledger entry id -> the facts it seems to ask about, best first (only when `full`). */
  readonly suggestions?: Readonly<Record<string, readonly Suggestion[]>>;
}

export interface Named {
  readonly id: string;
  readonly kind: "component" | "arrow";
  readonly type: string | null;
  readonly name: string;
}

export interface Comparison {
  readonly shows: string;
  readonly matched: readonly { reference: string; reference_name: string; candidate: string; candidate_name: string }[];
  readonly missing: readonly Named[];
  readonly extra: readonly Named[];
  readonly changed: readonly { candidate: string; reference: string | null; kind: string; fields: readonly string[] }[];
}

export const TYPE_NAMES: Readonly<Record<QuestionType, string>> = {
  design: "System design",
  walkthrough: "Project walkthrough",
  incident: "Incident",
};

/** A topic as a heading: the vocabulary's name, capitalised ("Users and scale"). */
export function topicName(topic: string): string {
  const name = QUESTION_TOPICS[topic] ?? topic.replace(/_/g, " ");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Facts grouped by topic, in the order the sheet first names each topic. */
export function factsByTopic(facts: readonly Fact[]): [string, Fact[]][] {
  const groups = new Map<string, Fact[]>();
  for (const fact of facts) {
    const list = groups.get(fact.topic);
    if (list) list.push(fact);
    else groups.set(fact.topic, [fact]);
  }
  return [...groups];
}

/** The suggested facts for one ledger entry, resolved against the sheet (unknown ids dropped). */
export function suggestedFacts(data: BoardQuestion | null, entry: string): Fact[] {
  const facts = data?.question?.facts ?? [];
  return (data?.suggestions?.[entry] ?? []).flatMap((s) => facts.filter((f) => f.id === s.fact));
}

export interface Shortcut {
  readonly label: string;
  readonly kind: string;
  readonly text: string;
}

/** The challenge shortcuts a board of this question type offers, with the target named. */
export function shortcutsFor(type: QuestionType | null | undefined, target: string): Shortcut[] {
  if (!type) return [];
  return (SHORTCUTS[type] ?? []).map((s) => ({ label: s.label, kind: s.kind, text: s.question.replace(/\{target\}/g, target) }));
}
