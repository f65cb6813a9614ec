// What every small page store (scenario cards, decisions, the incident, the question, the
// failure drill, the review, practice, the scorecard) shares, written once: a view that React
// reads with useSyncExternalStore, the newest-request-wins rule for fetches, the debounced
// refresh after board changes, and following the sync client's events. No React.
import type { SyncClient, SyncEvent } from "../sync";

/** A sentence for an error shown to the person (the server's message when there is one). */
export const messageOf = (error: unknown, fallback = "Something went wrong."): string =>
  error instanceof Error ? error.message : fallback;

/** An event after which the board may differ: a batch (theirs or my acknowledged one) or a reset. */
export const changesBoard = (event: SyncEvent): boolean => event.type === "remote" || event.type === "ack" || event.type === "reset";

/** A view with a request on its way and the last error (stores whose ops go over REST). */
interface Busy {
  readonly busy: boolean;
  readonly error: string | null;
}

/**
 * An immutable view plus its listeners: `getSnapshot` and `subscribe` are bound arrows so they
 * can go straight to useSyncExternalStore; `set` merges a change and notifies each listener once.
 * `dispose` stops following the sync client and cancels every refetch made with `debounce`.
 */
export class ViewStore<View extends object> {
  private readonly listeners = new Set<() => void>();
  private readonly timers: Debounced[] = [];
  private stopFollowing: (() => void) | null = null;

  constructor(protected view: View) {}

  readonly getSnapshot = (): View => this.view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected set(change: Partial<View>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    this.stopFollowing?.();
    this.stopFollowing = null;
    for (const timer of this.timers) timer.cancel();
  }

  /** Hear the sync client's events until `dispose`; false (and nothing done) if already following. */
  protected follow(client: Pick<SyncClient, "onEvent">, listener: (event: SyncEvent) => void): boolean {
    if (this.stopFollowing) return false;
    this.stopFollowing = client.onEvent(listener);
    return true;
  }

  /** A debounced `run` that `dispose` cancels. */
  protected debounce(ms: number, run: () => void): Debounced {
    const timer = new Debounced(ms, run);
    this.timers.push(timer);
    return timer;
  }

  /** Run `work` busy and with no error; a failure's sentence becomes the error. True if it worked. */
  protected async whileBusy(this: ViewStore<Busy>, work: () => Promise<unknown>): Promise<boolean> {
    this.set({ busy: true, error: null });
    try {
      await work();
      return true;
    } catch (error) {
      this.set({ error: messageOf(error) });
      return false;
    } finally {
      this.set({ busy: false });
    }
  }
}

/**
 * Only the newest of overlapping requests may land: `begin` starts one and returns a check that
 * stays true until another begins (or `cancel` drops them all), so a slow, stale answer is ignored.
 */
export class LatestRequest {
  private current = 0;

  begin(): () => boolean {
    const token = ++this.current;
    return () => token === this.current;
  }

  cancel(): void {
    this.current++;
  }
}

/** Run `run` once, `ms` after the last `schedule` (a burst of board changes means one refresh). */
export class Debounced {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ms: number,
    private readonly run: () => void,
  ) {}

  get pending(): boolean {
    return this.timer !== null;
  }

  schedule(): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, this.ms);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
