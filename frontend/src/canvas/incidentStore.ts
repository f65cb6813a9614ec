// An incident board's drill while the page is open: the incident as the server lets this
// participant see it (the fault and its blast radius only for owners and interviewers) and the
// timeline of observations, actions and hypotheses since it opened. Fetched once, then again a
// moment after every batch; ops go through REST one at a time (the server computes results).
// No React.
import type { SyncClient } from "../sync";
import { changesBoard, LatestRequest, messageOf, ViewStore } from "./viewStore";

export type FaultKind = "down" | "slow" | "errors" | "saturated" | "bad_deploy";
export type Signal = "metrics" | "logs" | "traces" | "deploys";
export type Action = "restart" | "rollback" | "scale_up" | "failover" | "change_code" | "disable_feature";

export interface Fault {
  readonly target: string;
  readonly kind: FaultKind;
}

export interface Metric {
  readonly requests_per_s: number;
  readonly error_rate: number;
  readonly latency_p99_ms: number;
  readonly saturation: number;
}

export interface MetricsResult {
  readonly before: Metric;
  readonly now: Metric;
  readonly series: readonly (Metric & { readonly minute: number })[];
}
export interface LogsResult {
  readonly lines: readonly { readonly at: string; readonly level: string; readonly text: string }[];
}
export interface TracesResult {
  readonly at: string;
  readonly status: string;
  readonly hops: readonly { readonly component: string; readonly name: string; readonly ms: number; readonly status: string }[];
}
export interface DeploysResult {
  readonly deploys: readonly { readonly at: string; readonly minute: number; readonly version: string; readonly by: string }[];
}

interface Stamp {
  readonly seq: number;
  readonly at: string;
  readonly participant: string;
  readonly minute: number;
}
export type Entry =
  | (Stamp & { readonly op: "inspect"; readonly target: string; readonly signal: Signal; readonly result: MetricsResult | LogsResult | TracesResult | DeploysResult })
  | (Stamp & { readonly op: "act"; readonly target: string; readonly action: Action; readonly result: { readonly effect: string; readonly text: string } })
  | (Stamp & { readonly op: "hypothesis"; readonly id: string; readonly suspect: string; readonly kind?: FaultKind; readonly blast_radius: readonly string[]; readonly text: string });

export interface IncidentState {
  readonly status: "none" | "open" | "closed";
  readonly symptom: string;
  readonly entry: string;
  readonly opened_at: string | null;
  readonly closed_at: string | null;
  readonly root_cause?: Fault | null;
  readonly fault?: Fault | null;
  readonly blast_radius?: readonly string[];
}

export interface IncidentView {
  readonly incident: IncidentState | null;
  readonly timeline: readonly Entry[];
  readonly error: string | null;
  readonly busy: boolean;
  /** The entry shown next to its component on the canvas. */
  readonly shown: number | null;
}

export interface IncidentApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

const INITIAL: IncidentView = { incident: null, timeline: [], error: null, busy: false, shown: null };
const REFRESH_MS = 200;

export class IncidentStore extends ViewStore<IncidentView> {
  private readonly latest = new LatestRequest();
  private readonly refresh = this.debounce(REFRESH_MS, () => void this.load());

  constructor(
    private readonly api: IncidentApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
  ) {
    super(INITIAL);
  }

  start(): void {
    const started = this.follow(this.client, (event) => {
      if (changesBoard(event)) this.refresh.schedule();
    });
    if (started) void this.load();
  }

  show(seq: number | null): void {
    this.set({ shown: seq });
  }

  /** Send one incident op; the server answers with it stored (results included). */
  async send(op: Record<string, unknown>): Promise<void> {
    await this.whileBusy(async () => {
      const stored = await this.api.post<{ seq: number }>(`boards/${this.board}/incident/`, op);
      await this.load();
      if (op.op === "inspect") this.set({ shown: stored.seq });
    });
  }

  private async load(): Promise<void> {
    const newest = this.latest.begin();
    try {
      const data = await this.api.get<{ incident: IncidentState; timeline: Entry[] }>(`boards/${this.board}/incident/`);
      if (!newest()) return;
      this.set({ incident: data.incident, timeline: data.timeline });
    } catch (error) {
      if (newest()) this.set({ error: messageOf(error) });
    }
  }
}
