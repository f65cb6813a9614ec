// The failure drill while it is on: the board's analysis (single points of failure, lints,
// probes) and, once a component is failed, the drill of it. Fetched again a moment after
// every batch applied (the diagram changed), and only the newest answer is ever shown.
// No React.
import { ApiError } from "../api/http";
import type { SyncClient } from "../sync";
import type { Analysis } from "./drill";
import { changesBoard, type Debounced, LatestRequest, messageOf, ViewStore } from "./viewStore";

export interface DrillView {
  readonly on: boolean;
  /** The component failed, or null for the analysis alone. */
  readonly failed: string | null;
  readonly analysis: Analysis | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Highlight the single points of failure. */
  readonly spofs: boolean;
}

export interface DrillApi {
  get<T>(path: string): Promise<T>;
}

const INITIAL: DrillView = { on: false, failed: null, analysis: null, loading: false, error: null, spofs: false };
const DRILL_REFRESH_MS = 300;

export class DrillStore extends ViewStore<DrillView> {
  private readonly latest = new LatestRequest();
  private readonly refetch: Debounced;

  constructor(
    private readonly api: DrillApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
    refreshMs = DRILL_REFRESH_MS,
  ) {
    super(INITIAL);
    this.refetch = this.debounce(refreshMs, () => void this.refresh());
  }

  /** Follow the board: every batch applied (mine or theirs) means a fresh analysis. */
  start(): void {
    this.follow(this.client, (event) => {
      if (this.view.on && changesBoard(event)) this.refetch.schedule();
    });
  }

  /** Drill mode on or off; off forgets the failure (SPOF highlighting needs the analysis too). */
  toggle(on = !this.view.on): void {
    if (on === this.view.on) return;
    if (!on) {
      this.latest.cancel();
      this.refetch.cancel();
      this.set({ on: false, failed: null, loading: false, error: null, spofs: false });
      return;
    }
    this.set({ on: true, error: null });
    void this.refresh();
  }

  /** Fail a component (null: recover it); turns drill mode on. */
  fail(id: string | null): Promise<Analysis | null> {
    this.set({ on: true, failed: id, error: null });
    return this.refresh();
  }

  showSpofs(on = !this.view.spofs): void {
    if (on && !this.view.on) this.toggle(true);
    this.set({ spofs: on });
  }

  /** Fetch the analysis (with the drill of the failed component); answers older than the newest request are dropped. */
  async refresh(): Promise<Analysis | null> {
    if (!this.view.on) return null;
    const newest = this.latest.begin();
    const failed = this.view.failed;
    this.set({ loading: true });
    const query = failed === null ? "" : `?fail=${encodeURIComponent(failed)}`;
    try {
      const analysis = await this.api.get<Analysis>(`boards/${this.board}/analysis/${query}`);
      if (!newest()) return null;
      this.set({ analysis, loading: false, error: null });
      return analysis;
    } catch (error) {
      if (!newest()) return null;
      // The failed component was deleted (or is no component now): recover it and keep drilling.
      if (error instanceof ApiError && error.path === "fail" && failed !== null) {
        this.set({ failed: null, loading: false, error: "The failed component is no longer on the board." });
        return this.refresh();
      }
      this.set({ loading: false, error: messageOf(error, "The analysis failed.") });
      return null;
    }
  }
}
