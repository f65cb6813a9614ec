// Decision records while the page is open: every decision on the board (public, like the
// canvas), fetched once, then again a moment after any batch that carries a decision op (ours
// acknowledged, or someone else's) and after a reset. Ops go through REST one at a time
// (`POST /decisions/`, the socket's rules and log), like the incident drill's. No React.
import {
  type Actor,
  type Annotation,
  canEditCanvas,
  type Decision,
  type Elements,
  isChallengedSide,
  LIMITS,
  type SyncClient,
  type SyncEvent,
} from "../../sync";
import { LatestRequest, messageOf, ViewStore } from "../viewStore";

export type { Decision };

/** What a form writes: everything but who and when (the server stamps those). */
export type DecisionInput = Omit<Decision, "id" | "author" | "seq"> & { readonly id?: string };

export interface DecisionView {
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly error: string | null;
  readonly busy: boolean;
}

export interface DecisionApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

const DECISION_OPS = new Set(["decide", "delete_decision"]);
const REFRESH_MS = 150;
const INITIAL: DecisionView = { decisions: new Map(), error: null, busy: false };

const WHY_NOT = /\bwhy\b[^?]*\bnot\b|\bwhy not\b|\binstead of\b/i;

/**
 * A challenge a decision answers (a trade-off, or a "why not X?", on a component), for the side it
 * challenges: the candidate in an interview, the author in a review. The interviewer who asked may
 * edit the canvas too, but answering their own question is not theirs to do.
 */
export function answersWithDecision(annotation: Annotation, actor: Actor, elements: Elements): boolean {
  if (annotation.layer !== "challenges" || annotation.target === null) return false;
  if (elements.get(annotation.target)?.kind !== "component") return false;
  if (!isChallengedSide(actor.role, actor.mode) || !canEditCanvas(actor.role)) return false;
  return annotation.kind === "trade_off" || WHY_NOT.test(annotation.text);
}

/** A component's decisions, in the order they were last written. */
export function decisionsOn(decisions: ReadonlyMap<string, Decision>, target: string): Decision[] {
  return [...decisions.values()].filter((d) => d.target === target).sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
}

/** "SQS, RabbitMQ" or "a, b; c" typed in one box: trimmed, blanks and repeats dropped, at most the limit. */
export function alternativesFrom(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const item = part.trim().slice(0, LIMITS.label);
    if (item && !seen.has(item.toLocaleLowerCase())) {
      seen.add(item.toLocaleLowerCase());
      out.push(item);
    }
  }
  return out.slice(0, LIMITS.alternatives);
}

/** One line for a reply or a tooltip: "Kafka over SQS, RabbitMQ: replay and throughput". */
export function decisionLine(decision: Pick<Decision, "choice" | "alternatives" | "why">): string {
  const over = decision.alternatives.length ? ` over ${decision.alternatives.join(", ")}` : "";
  const why = decision.why.trim() ? `: ${decision.why.trim()}` : "";
  return `${decision.choice}${over}${why}`;
}

const touchesDecisions = (event: SyncEvent) =>
  event.type === "reset" || ((event.type === "remote" || event.type === "ack") && event.batch.ops.some((op) => DECISION_OPS.has(op.op)));

export class DecisionStore extends ViewStore<DecisionView> {
  private readonly latest = new LatestRequest();
  private readonly refresh = this.debounce(REFRESH_MS, () => void this.load());

  constructor(
    private readonly api: DecisionApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
    private readonly newId: () => string = () => `d-${Math.random().toString(36).slice(2, 10)}`,
  ) {
    super(INITIAL);
  }

  start(): void {
    const started = this.follow(this.client, (event) => {
      if (touchesDecisions(event)) this.refresh.schedule();
    });
    if (started) void this.load();
  }

  /** Record a decision, or replace the one with `input.id`; resolves to its id, or null if refused. */
  async decide(input: DecisionInput): Promise<string | null> {
    const id = input.id ?? this.newId();
    const decision = {
      id,
      target: input.target,
      choice: input.choice.trim(),
      alternatives: [...input.alternatives],
      cost: input.cost.trim(),
      why: input.why.trim(),
      revisit_when: input.revisit_when.trim(),
    };
    return (await this.send({ op: "decide", decision })) ? id : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.send({ op: "delete_decision", id });
  }

  private send(op: Record<string, unknown>): Promise<boolean> {
    return this.whileBusy(async () => {
      await this.api.post(`boards/${this.board}/decisions/`, op);
      await this.load();
    });
  }

  private async load(): Promise<void> {
    const newest = this.latest.begin();
    try {
      const data = await this.api.get<{ seq: number; decisions: Decision[] }>(`boards/${this.board}/decisions/`);
      if (!newest()) return;
      this.set({ decisions: new Map(data.decisions.map((d) => [d.id, d])) });
    } catch (error) {
      if (newest()) this.set({ error: messageOf(error) });
    }
  }
}
