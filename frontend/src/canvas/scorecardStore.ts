// My scorecard for this board, kept while the page is open: fetched when the
// scorecard panel first shows (only the owner and interviewers ever see it, so
// nobody else fetches it), edited locally, saved as a draft a moment after each
// change (one save at a time; changes made meanwhile go in the next), and
// submitted once. No React: the panel reads it with useSyncExternalStore.
import { ApiError } from "../api/http";
import { type Draft, draftOf, type Scorecard, type Scorecards, type Signals } from "./scorecard";
import { messageOf, ViewStore } from "./viewStore";

export type SaveState = "idle" | "pending" | "saving" | "saved" | "failed";

export interface ScorecardState {
  readonly status: "idle" | "loading" | "ready" | "failed";
  readonly data: Scorecards | null;
  /** What I am writing: the server's card plus my edits not yet saved. */
  readonly draft: Draft | null;
  readonly save: SaveState;
  readonly savedAt: string | null;
  readonly error: string | null;
  readonly submitting: boolean;
  readonly signals: Signals | null;
  /** Why the signals are missing, if they are. */
  readonly signalsError: string | null;
}

/** What the store needs of the REST client. */
export interface ScorecardApi {
  get<T>(path: string): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

const AUTOSAVE_MS = 800;

const INITIAL: ScorecardState = {
  status: "idle",
  data: null,
  draft: null,
  save: "idle",
  savedAt: null,
  error: null,
  submitting: false,
  signals: null,
  signalsError: null,
};

export class ScorecardStore extends ViewStore<ScorecardState> {
  private readonly autosave = this.debounce(AUTOSAVE_MS, () => void this.flush());
  private dirty = false;
  private saving: Promise<boolean> | null = null;

  constructor(
    private readonly api: ScorecardApi,
    private readonly board: string,
  ) {
    super(INITIAL);
  }

  /** Fetch my card, the rubric and the signals (once; `force` fetches again). */
  async load(force = false): Promise<void> {
    if (!force && (this.view.status === "loading" || this.view.status === "ready")) return;
    if (this.view.status !== "ready") this.set({ status: "loading", error: null });
    try {
      const data = await this.api.get<Scorecards>(`boards/${this.board}/scorecards/`);
      // Edits not yet saved stay; everything else comes from the server.
      const draft = this.dirty && this.view.draft ? this.view.draft : draftOf(data.mine);
      this.set({ status: "ready", data, draft, error: null, savedAt: data.mine.updated_at });
    } catch (error) {
      this.set({ status: this.view.data ? "ready" : "failed", error: messageOf(error) });
    }
    void this.loadSignals();
  }

  async loadSignals(): Promise<void> {
    try {
      const signals = await this.api.get<Signals>(`boards/${this.board}/signals/`);
      this.set({ signals, signalsError: null });
    } catch (error) {
      this.set({ signalsError: messageOf(error) });
    }
  }

  get submitted(): boolean {
    return Boolean(this.view.data?.mine.submitted_at);
  }

  /** Change the draft; it is saved a moment later. */
  edit(change: (draft: Draft) => Draft): void {
    const draft = this.view.draft;
    if (!draft || this.submitted) return;
    this.dirty = true;
    this.set({ draft: change(draft), save: "pending" });
    this.autosave.schedule();
  }

  /** Save the draft now, changed or not (the Save draft button). */
  save(): Promise<boolean> {
    if (this.submitted || !this.view.draft) return Promise.resolve(false);
    this.dirty = true;
    return this.flush();
  }

  /** Save now whatever is not saved yet; true when the server has all of it. */
  async flush(): Promise<boolean> {
    this.autosave.cancel();
    if (this.saving) await this.saving;
    if (!this.dirty) return this.view.save !== "failed";
    const draft = this.view.draft;
    if (!draft) return false;
    this.dirty = false;
    this.set({ save: "saving" });
    this.saving = this.api
      .put<Scorecard>(`boards/${this.board}/scorecards/mine/`, draft)
      .then((mine) => {
        const data = this.view.data;
        if (data) this.set({ data: { ...data, mine } });
        this.set({ save: this.dirty ? "pending" : "saved", savedAt: mine.updated_at, error: null });
        return true;
      })
      .catch((error: unknown) => {
        this.dirty = true;
        this.set({ save: "failed", error: messageOf(error) });
        return false;
      })
      .finally(() => {
        this.saving = null;
      });
    const saved = await this.saving;
    // Edits made while it was on its way go next.
    if (saved && this.dirty && !this.autosave.pending) return this.flush();
    return saved;
  }

  /** Save, then submit (final); the others' cards come with the answer's reload. */
  async submit(): Promise<boolean> {
    if (this.submitted || this.view.submitting) return false;
    this.set({ submitting: true, error: null });
    try {
      // The server submits what it has: make sure that is everything (a blank card is saved too).
      if (!this.view.data?.mine.updated_at) this.dirty = true;
      if (!(await this.flush())) {
        this.set({ submitting: false });
        return false;
      }
      await this.api.post<Scorecard>(`boards/${this.board}/scorecards/mine/submit/`, {});
      await this.load(true);
      this.set({ submitting: false });
      return true;
    } catch (error) {
      const message = error instanceof ApiError && error.path ? `${error.message} (${error.path})` : messageOf(error);
      this.set({ submitting: false, error: message });
      return false;
    }
  }

  override dispose(): void {
    super.dispose();
    if (this.dirty) void this.flush();
  }
}
