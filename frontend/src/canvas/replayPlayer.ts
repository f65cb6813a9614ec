// The replay player: which past seq the board shows, fetched from
// GET /api/boards/{id}/state/?at=seq. No React; components read it with
// useReplay (like the SyncClient with useSync).
//
// - Scrubbing moves the position at once and fetches after a pause (debounced);
//   a state already fetched shows immediately (they are cached).
// - Playing advances a moment on the timeline at 1×, 4× or 16× the pace it was
//   made, skipping idle gaps, and shows the newest fetched state at or before
//   the position; it fetches the position and prefetches where it will be a
//   little later, a couple of requests at a time.
// - Only the fetched state is ever shown, so the board on screen is exactly
//   the board at the seq the banner names.
import {
  advance,
  frameFrom,
  type ReplayFrame,
  type ReplayState,
  seqAt,
  type Timeline,
  type TimeMap,
  timeMap,
  timeOf,
  type Timers,
} from "../sync";

export const SPEEDS = [1, 4, 16] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ReplayView {
  readonly open: boolean;
  readonly timeline: Timeline | null;
  /** Where the scrubber is (a public seq, 0 to the timeline's head). */
  readonly position: number;
  /** The board on screen: the state right after `frame.seq`. */
  readonly frame: ReplayFrame | null;
  /** The position's state is on its way. */
  readonly loading: boolean;
  readonly playing: boolean;
  readonly speed: Speed;
  readonly error: string | null;
}

export interface ReplaySource {
  timeline(): Promise<Timeline>;
  state(seq: number): Promise<ReplayState>;
}

const CLOSED: ReplayView = {
  open: false,
  timeline: null,
  position: 0,
  frame: null,
  loading: false,
  playing: false,
  speed: 4,
  error: null,
};

const SCRUB_DEBOUNCE_MS = 150;
const TICK_MS = 100;
/** While playing, fetch where the player will be this far ahead (wall time). */
const LOOKAHEAD_MS = 1200;
const MAX_IN_FLIGHT = 2;
const CACHE_SIZE = 400;

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class ReplayPlayer {
  private view: ReplayView = CLOSED;
  private map: TimeMap | null = null;
  /** The moment the player is at (ms, on the timeline's clock). */
  private moment = 0;
  private lastTick = 0;
  private readonly cache = new Map<number, ReplayFrame>();
  private readonly inFlight = new Set<number>();
  private waiters: { seq: number; resolve: (frame: ReplayFrame | null) => void }[] = [];
  private scrubTimer: unknown = null;
  private tickTimer: unknown = null;
  /** Bumped on open and close: answers for an earlier replay are dropped. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly source: ReplaySource,
    private readonly timers: Timers = realTimers,
  ) {}

  getSnapshot = (): ReplayView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get isOpen(): boolean {
    return this.view.open;
  }

  /** Open the timeline (fetched afresh) at `seq`, or at its end. */
  async open(seq?: number): Promise<ReplayFrame | null> {
    if (!this.view.open) {
      this.generation++;
      this.cache.clear();
      this.set({ ...CLOSED, open: true, speed: this.view.speed, loading: true });
    }
    const generation = this.generation;
    try {
      const timeline = await this.source.timeline();
      if (generation !== this.generation) return null;
      this.useTimeline(timeline);
    } catch (error) {
      if (generation === this.generation) this.set({ loading: false, error: messageOf(error) });
      return null;
    }
    return this.seek(seq ?? this.view.timeline?.seq ?? 0, true);
  }

  /** Fetch the timeline again (the board moved on), keeping the position. */
  async refresh(): Promise<void> {
    if (!this.view.open) return;
    const generation = this.generation;
    try {
      const timeline = await this.source.timeline();
      if (generation === this.generation) this.useTimeline(timeline);
    } catch {
      // The one we have still works.
    }
  }

  /** Back to the live board. */
  close(): void {
    if (!this.view.open) return;
    this.generation++;
    this.stopTicking();
    this.clearScrub();
    this.settleWaiters(null);
    this.inFlight.clear();
    this.cache.clear();
    this.map = null;
    this.set({ ...CLOSED, speed: this.view.speed });
  }

  /**
   * Move to `seq`: shown at once if fetched before, else fetched after a pause in scrubbing
   * (at once with `immediate`). Resolves with the frame once it shows, or null if another
   * position was asked for first.
   */
  seek(seq: number, immediate = false): Promise<ReplayFrame | null> {
    const timeline = this.view.timeline;
    if (!this.view.open || !timeline || !this.map) return Promise.resolve(null);
    const position = Math.max(0, Math.min(timeline.seq, Math.round(seq)));
    this.settleWaiters(null);
    this.moment = timeOf(this.map, position);
    const cached = this.cache.get(position);
    if (cached) {
      this.set({ position, frame: cached, loading: false, error: null });
      return Promise.resolve(cached);
    }
    const shown = new Promise<ReplayFrame | null>((resolve) => this.waiters.push({ seq: position, resolve }));
    this.set({ position, loading: true, error: null });
    this.clearScrub();
    if (immediate || this.view.playing) this.load(position);
    else {
      this.scrubTimer = this.timers.setTimeout(() => {
        this.scrubTimer = null;
        this.load(position);
      }, SCRUB_DEBOUNCE_MS);
    }
    return shown;
  }

  play(): void {
    const timeline = this.view.timeline;
    if (!this.view.open || !timeline || !this.map || this.view.playing || timeline.seq === 0) return;
    if (this.view.position >= timeline.seq) void this.seek(0, true);
    this.moment = timeOf(this.map, this.view.position);
    this.lastTick = this.timers.now();
    this.set({ playing: true });
    this.scheduleTick();
  }

  pause(): void {
    if (!this.view.playing) return;
    this.stopTicking();
    this.set({ playing: false });
  }

  toggle(): void {
    if (this.view.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: Speed): void {
    this.set({ speed });
  }

  // ---- Playing ----------------------------------------------------------------------------

  private scheduleTick(): void {
    this.tickTimer = this.timers.setTimeout(() => {
      this.tickTimer = null;
      this.tick();
    }, TICK_MS);
  }

  private stopTicking(): void {
    if (this.tickTimer !== null) this.timers.clearTimeout(this.tickTimer);
    this.tickTimer = null;
  }

  private tick(): void {
    const timeline = this.view.timeline;
    const map = this.map;
    if (!this.view.playing || !timeline || !map) return;
    const now = this.timers.now();
    this.moment = advance(map, this.moment, now - this.lastTick, this.view.speed);
    this.lastTick = now;
    const position = Math.min(timeline.seq, seqAt(map, this.moment));
    if (position !== this.view.position) this.set({ position, loading: !this.cache.has(position) });
    this.showBest();
    this.request(position);
    this.request(Math.min(timeline.seq, seqAt(map, advance(map, this.moment, LOOKAHEAD_MS, this.view.speed))));
    if (position >= timeline.seq) {
      // At the end: stop once the last state is on screen.
      if (this.view.frame?.seq === timeline.seq) this.set({ playing: false });
      else this.scheduleTick();
      return;
    }
    this.scheduleTick();
  }

  /** While playing: the newest fetched state at or before the position, if newer than what shows. */
  private showBest(): void {
    const { position, frame } = this.view;
    let best: ReplayFrame | null = null;
    for (const [seq, cached] of this.cache) if (seq <= position && (!best || seq > best.seq)) best = cached;
    if (best && (!frame || best.seq > frame.seq || frame.seq > position)) this.show(best);
  }

  // ---- Fetching -----------------------------------------------------------------------------

  /** Fetch one seq unless it is cached, on its way, or too much is already on its way. */
  private request(seq: number): void {
    if (this.cache.has(seq) || this.inFlight.has(seq) || this.inFlight.size >= MAX_IN_FLIGHT) return;
    this.load(seq);
  }

  private load(seq: number): void {
    if (this.cache.has(seq)) {
      this.arrived(this.cache.get(seq)!);
      return;
    }
    if (this.inFlight.has(seq)) return;
    const generation = this.generation;
    this.inFlight.add(seq);
    this.source.state(seq).then(
      (state) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(seq);
        const frame = frameFrom(state);
        this.remember(frame);
        this.arrived(frame);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(seq);
        if (seq === this.view.position) {
          this.stopTicking();
          this.set({ loading: false, playing: false, error: messageOf(error) });
        }
      },
    );
  }

  private remember(frame: ReplayFrame): void {
    this.cache.delete(frame.seq);
    this.cache.set(frame.seq, frame);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private arrived(frame: ReplayFrame): void {
    if (!this.view.open) return;
    if (this.view.playing) this.showBest();
    else if (frame.seq === this.view.position) this.show(frame);
  }

  private show(frame: ReplayFrame): void {
    this.set({ frame, loading: frame.seq !== this.view.position, error: null });
    const ready = this.waiters.filter((w) => w.seq === frame.seq);
    this.waiters = this.waiters.filter((w) => w.seq !== frame.seq);
    for (const waiter of ready) waiter.resolve(frame);
  }

  // ---- State --------------------------------------------------------------------------------

  private useTimeline(timeline: Timeline): void {
    this.map = timeMap(timeline);
    const position = Math.min(this.view.position, timeline.seq);
    this.set({ timeline, position });
  }

  private clearScrub(): void {
    if (this.scrubTimer !== null) this.timers.clearTimeout(this.scrubTimer);
    this.scrubTimer = null;
  }

  private settleWaiters(frame: ReplayFrame | null): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.resolve(frame);
  }

  private set(patch: Partial<ReplayView>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "The replay could not be loaded.";
}
