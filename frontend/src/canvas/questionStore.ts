// The board's question while the page is open: fetched once for everyone (the public
// part says the question type, which changes the ledger's kinds, the Details panel
// and the challenge shortcuts); for those who read it in full, fetched again a moment
// after each batch so the fact suggestions follow the ledger. The comparison with the
// reference is fetched on demand. No React.
import type { SyncClient } from "../sync";
import type { BoardQuestion, Comparison } from "./question";
import { changesBoard, type Debounced, LatestRequest, messageOf, ViewStore } from "./viewStore";

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

export class QuestionStore extends ViewStore<QuestionView> {
  private readonly latest = new LatestRequest();
  private readonly refresh: Debounced;

  constructor(
    private readonly api: QuestionApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
    refreshMs = REFRESH_MS,
  ) {
    super(INITIAL);
    this.refresh = this.debounce(refreshMs, () => {
      void this.load();
      if (this.view.comparing === "ready") void this.compare();
    });
  }

  start(): void {
    const started = this.follow(this.client, (event) => {
      if (this.view.data?.full && changesBoard(event)) this.refresh.schedule();
    });
    if (started) void this.load();
  }

  async load(): Promise<void> {
    const newest = this.latest.begin();
    if (this.view.status !== "ready") this.set({ status: "loading", error: null });
    try {
      const data = await this.api.get<BoardQuestion>(`boards/${this.board}/question/`);
      if (newest()) this.set({ status: "ready", data, error: null });
    } catch (error) {
      if (newest()) this.set({ status: this.view.data ? "ready" : "failed", error: messageOf(error) });
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
}
