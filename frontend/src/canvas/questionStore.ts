// The board's question while the page is open: fetched once for everyone (the public
// part says the question type, which changes the ledger's kinds, the Details panel
// and the challenge shortcuts); for those who read it in full, fetched again a moment
// after each batch so the fact suggestions follow the ledger. The comparison with the
// reference is fetched on demand. No React.
import type { SyncClient } from "../sync";
import type { BoardQuestion, Comparison } from "./question";

export interface QuestionView {
  readonly status: "idle" | "loading" | "ready" | "failed";
  readonly data: BoardQuestion | null;
  readonly error: string | null;
  readonly comparison: Comparison | null;
  readonly comparing: "idle" | "loading" | "ready" | "failed";
  readonly compareError: string | null;
}

export interface QuestionApi {
  get<T>(path: string): Promise<T>;
}

const INITIAL: QuestionView = { status: "idle", data: null, error: null, comparison: null, comparing: "idle", compareError: null };
const REFRESH_MS = 300;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : "Something went wrong.");

export class QuestionStore {
  private view: QuestionView = INITIAL;
  private readonly listeners = new Set<() => void>();
  private request = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly api: QuestionApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
    private readonly refreshMs = REFRESH_MS,
  ) {}

  getSnapshot = (): QuestionView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.unsubscribe) return;
    void this.load();
    this.unsubscribe = this.client.onEvent((event) => {
      if (!this.view.data?.full) return;
      if (event.type === "remote" || event.type === "ack" || event.type === "reset") this.schedule();
    });
  }

  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  async load(): Promise<void> {
    const request = ++this.request;
    if (this.view.status !== "ready") this.set({ status: "loading", error: null });
    try {
      const data = await this.api.get<BoardQuestion>(`boards/${this.board}/question/`);
      if (request === this.request) this.set({ status: "ready", data, error: null });
    } catch (error) {
      if (request === this.request) this.set({ status: this.view.data ? "ready" : "failed", error: messageOf(error) });
    }
  }

  /** The candidate's board against the reference design (owner and interviewers only). */
  async compare(): Promise<Comparison | null> {
    this.set({ comparing: "loading", compareError: null });
    try {
      const { comparison } = await this.api.get<{ comparison: Comparison | null }>(`boards/${this.board}/question/compare/`);
      this.set({ comparison, comparing: "ready" });
      return comparison;
    } catch (error) {
      this.set({ comparing: "failed", compareError: messageOf(error) });
      return null;
    }
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.load();
      if (this.view.comparing === "ready") void this.compare();
    }, this.refreshMs);
  }

  private set(patch: Partial<QuestionView>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }
}
