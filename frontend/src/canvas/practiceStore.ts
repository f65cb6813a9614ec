// A practice board's coach while the page is open: what it said (its notices), and the ticks
// that let it act. The coach runs on the server (reviews/coach_services.py); the page of the
// person practising asks it to act after every batch and every few seconds
// (POST /api/boards/{id}/practice/tick/), so the clock moves on while the page is open.
import type { Notice, SyncClient } from "../sync";
import { changesBoard, messageOf, ViewStore } from "./viewStore";

export interface PracticeView {
  readonly notices: readonly (Notice & { readonly seq: number })[];
  readonly error: string | null;
  readonly finishing: boolean;
}

export interface PracticeApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

interface OpsPage {
  readonly batches: readonly { readonly seq: number; readonly ops: readonly { readonly op: string; readonly notice?: Notice }[] }[];
  readonly next: number | null;
}

const INITIAL: PracticeView = { notices: [], error: null, finishing: false };
/** How often the page lets the coach look at the clock. */
export const TICK_MS = 5000;
const AFTER_BATCH_MS = 300;

export class PracticeStore extends ViewStore<PracticeView> {
  private seen = 0;
  /** Whether this page runs the coach's ticks (the author's page). */
  private drive = false;
  private readonly soon = this.debounce(AFTER_BATCH_MS, () => {
    void this.load();
    if (this.drive) void this.tick();
  });
  private every: ReturnType<typeof setInterval> | null = null;
  private ticking = false;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: PracticeApi,
    private readonly board: string,
    private readonly client: Pick<SyncClient, "onEvent">,
  ) {
    super(INITIAL);
  }

  /** Read the notices; `drive` (the author's page only) also runs the coach's ticks. */
  start(drive: boolean): void {
    const started = this.follow(this.client, (event) => {
      if (changesBoard(event)) this.soon.schedule();
    });
    if (!started) return;
    this.drive = drive;
    void this.load();
    if (drive) {
      void this.tick();
      this.every = setInterval(() => void this.tick(), TICK_MS);
    }
  }

  override dispose(): void {
    super.dispose();
    if (this.every !== null) clearInterval(this.every);
    this.every = null;
  }

  /** End the session now: the coach says so and the feedback is ready. */
  async finish(): Promise<void> {
    this.set({ finishing: true, error: null });
    try {
      await this.api.post(`boards/${this.board}/practice/finish/`, {});
    } catch (error) {
      this.set({ error: messageOf(error) });
    } finally {
      this.set({ finishing: false });
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.api.post(`boards/${this.board}/practice/tick/`, {});
    } catch (error) {
      this.set({ error: messageOf(error) });
    } finally {
      this.ticking = false;
    }
  }

  /** Read the notices of batches not read yet; one read at a time, so none is counted twice. */
  private load(): Promise<void> {
    this.loading = this.loading.then(() => this.loadOnce());
    return this.loading;
  }

  /** The notices in the batches after the last one read (practice logs are short: a page at a time). */
  private async loadOnce(): Promise<void> {
    try {
      let after: number | null = this.seen;
      const found: (Notice & { seq: number })[] = [];
      while (after !== null) {
        const page: OpsPage = await this.api.get<OpsPage>(`boards/${this.board}/ops/?after=${after}&limit=1000`);
        for (const batch of page.batches) {
          this.seen = Math.max(this.seen, batch.seq);
          for (const op of batch.ops) if (op.op === "notice" && op.notice) found.push({ ...op.notice, seq: batch.seq });
        }
        after = page.next;
      }
      if (found.length) this.set({ notices: [...this.view.notices, ...found] });
    } catch (error) {
      this.set({ error: messageOf(error) });
    }
  }
}
