// The annotation vocabulary: one icon, name, shortcut and default text per kind,
// and how each layer and status looks. Same words as the protocol.
import {
  CircleQuestionMark,
  type IconNode,
  Lock,
  MessageSquare,
  NotebookPen,
  Scale,
  ShieldAlert,
  Swords,
  TrendingUp,
  TriangleAlert,
} from "lucide";

import type { Annotation, AnnotationKind, AnnotationStatus, Element, Elements, Layer } from "../sync";
import { describeElement } from "./catalog";

export interface KindInfo {
  readonly kind: AnnotationKind;
  /** As the protocol names it, a question: "Failure mode?" */
  readonly name: string;
  readonly icon: IconNode;
  /** The key that raises it on the selection (none for the rarer kinds: they are in the menu). */
  readonly key?: string;
  /** What the challenger asks by default. */
  readonly question: (target: string) => string;
  /** How the challenged side's own note starts by default. */
  readonly note: (target: string) => string;
}

export const KINDS: readonly KindInfo[] = [
  {
    kind: "failure_mode",
    name: "Failure mode?",
    icon: TriangleAlert,
    key: "f",
    question: (t) => `What happens when ${t} goes down?`,
    note: (t) => `If ${t} goes down, `,
  },
  {
    kind: "trade_off",
    name: "Trade-off?",
    icon: Scale,
    key: "t",
    question: (t) => `Why ${t}? What does it cost, and what would you pick instead?`,
    note: (t) => `I picked ${t} because `,
  },
  {
    kind: "scaling",
    name: "Scaling?",
    icon: TrendingUp,
    key: "s",
    question: (t) => `How does ${t} behave at 10× the load?`,
    note: (t) => `At 10× the load, ${t} `,
  },
  {
    kind: "clarify",
    name: "Clarify?",
    icon: CircleQuestionMark,
    key: "c",
    question: (t) => `What do you mean by ${t}?`,
    note: (t) => `By ${t} I mean `,
  },
  {
    kind: "security",
    name: "Security?",
    icon: ShieldAlert,
    question: (t) => `How is ${t} protected against abuse?`,
    note: (t) => `${t} is protected against abuse by `,
  },
  { kind: "comment", name: "Comment", icon: MessageSquare, question: () => "", note: () => "" },
];

export const KIND_INFO: Readonly<Record<AnnotationKind, KindInfo>> = Object.fromEntries(
  KINDS.map((info) => [info.kind, info]),
) as Record<AnnotationKind, KindInfo>;

/** The keys that raise an annotation on the selection: F, T, S, C. */
export const KIND_KEYS: ReadonlyMap<string, AnnotationKind> = new Map(
  KINDS.flatMap((info) => (info.key ? [[info.key, info.kind] as const] : [])),
);

export const LAYER_INFO: Readonly<Record<Layer, { readonly name: string; readonly one: string; readonly icon: IconNode; readonly hint: string }>> = {
  challenges: { name: "Challenges", one: "Challenge", icon: Swords, hint: "Questions to the candidate or author; everyone sees them." },
  notes: { name: "Notes", one: "Note", icon: NotebookPen, hint: "The candidate's or author's own remarks; everyone sees them." },
  private: { name: "Private", one: "Private note", icon: Lock, hint: "Only the owner and interviewers ever see these." },
};

export const STATUS_INFO: Readonly<Record<AnnotationStatus, { readonly name: string }>> = {
  open: { name: "Open" },
  answered: { name: "Answered" },
  resolved: { name: "Resolved" },
  reopened: { name: "Reopened" },
};

/**
 * How an annotation looks at a glance. A challenge shows its status (open and reopened
 * waiting, amber; answered, blue; resolved, green); notes and private hints have no one
 * to answer them, so they show their layer instead.
 */
export type Tone = "open" | "answered" | "resolved" | "notes" | "private";

export function toneOf(annotation: Annotation): Tone {
  if (annotation.layer !== "challenges") return annotation.layer;
  return annotation.status === "reopened" ? "open" : annotation.status;
}

/** Tones from the most pressing down: a badge on an element shows the first one it has. */
const URGENCY: readonly Tone[] = ["open", "answered", "resolved", "notes", "private"];

/** The most pressing tone among several (what a badge on an element shows). */
export function mostPressing(tones: Iterable<Tone>): Tone {
  let best = URGENCY.length - 1;
  for (const tone of tones) best = Math.min(best, URGENCY.indexOf(tone));
  return URGENCY[best] ?? "private";
}

/** The target as a prompt names it: its label, or what it is. */
export function targetName(element: Element | undefined, elements: Elements): string {
  if (!element) return "the whole design";
  if (element.kind === "arrow") {
    if (element.label.trim()) return element.label.trim();
    const from = elements.get(element.source);
    const to = elements.get(element.target);
    return `the call from ${from ? describeElement(from) : "?"} to ${to ? describeElement(to) : "?"}`;
  }
  return describeElement(element);
}

/** The composer's starting text: a question in the challenges and private layers, a sentence to finish in notes. */
export function defaultText(kind: AnnotationKind, layer: Layer, target: string): string {
  const info = KIND_INFO[kind];
  return layer === "notes" ? info.note(target) : info.question(target);
}
