// The laser pointer: a tool (key L) whose trail the others see fading out over about a second.
// Points travel as `laser` messages, never stored: not in the log, the replay or an export.
// Observers watch the laser but may not point (the `point` capability). No React.
import { createStore } from "zustand/vanilla";

import { canPoint, type LaserMessage, type Point } from "../../sync";
import type { BoardCore } from "./core";

/** How long a point of the trail stays visible, fading out. */
export const TRAIL_MS = 1000;
const SEND_INTERVAL_MS = 33;
/** Within one person's trail, a pause this long starts a new stroke instead of joining the points. */
export const STROKE_GAP_MS = 250;

export interface TrailPoint extends Point {
  readonly at: number;
}

export interface LaserState {
  /** The tool is on: my pointer over the canvas draws. */
  readonly on: boolean;
  /** Each person's recent points ("me" for mine), oldest first. */
  readonly trails: ReadonlyMap<string, readonly TrailPoint[]>;
}

export const ME = "me";

/** A trail without the points older than TRAIL_MS at `now`. */
export function fresh(trail: readonly TrailPoint[], now: number): readonly TrailPoint[] {
  const first = trail.findIndex((p) => now - p.at < TRAIL_MS);
  return first === -1 ? [] : first === 0 ? trail : trail.slice(first);
}

export class Laser {
  readonly store = createStore<LaserState>(() => ({ on: false, trails: new Map() }));
  private outbox: Point[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly core: BoardCore,
    private readonly now: () => number = Date.now,
  ) {}

  start(): () => void {
    const stop = this.core.client.onEvent((event) => {
      if (event.type === "laser") this.received(event);
      else if (event.type === "left") this.drop(event.participant);
    });
    return () => {
      stop();
      if (this.timer) clearTimeout(this.timer);
    };
  }

  get state(): LaserState {
    return this.store.getState();
  }

  /** May I point (observers watch). */
  get allowed(): boolean {
    const you = this.core.client.getSnapshot().you;
    return you !== null && canPoint(you.role) && !this.core.pastShown;
  }

  toggle(on = !this.state.on): void {
    if (on && !this.allowed) {
      this.core.toast("info", "You can watch the laser", "Only the people taking part may point.");
      return;
    }
    this.store.setState({ on });
  }

  /** My pointer moved over the canvas (flow coordinates): draw, and send it to the others. */
  pointerMoved(point: Point | null): void {
    if (!this.state.on || point === null) return;
    const at = this.now();
    this.add(ME, [{ x: point.x, y: point.y, at }]);
    this.outbox.push({ x: Math.round(point.x * 10) / 10, y: Math.round(point.y * 10) / 10 });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const points = this.outbox;
      this.outbox = [];
      this.core.client.sendLaser(points);
    }, SEND_INTERVAL_MS);
  }

  /** Forget the points older than TRAIL_MS (the layer calls it every frame while something shows). */
  prune(): void {
    const now = this.now();
    let changed = false;
    const trails = new Map<string, readonly TrailPoint[]>();
    for (const [who, trail] of this.state.trails) {
      const kept = fresh(trail, now);
      if (kept !== trail) changed = true;
      if (kept.length) trails.set(who, kept);
    }
    if (changed) this.store.setState({ trails });
  }

  private received(event: LaserMessage): void {
    const at = this.now();
    // The points of one message were drawn over the last send interval: spread them across it.
    const n = event.points.length;
    this.add(
      event.participant,
      event.points.map((p, i) => ({ x: p.x, y: p.y, at: at - ((n - 1 - i) * SEND_INTERVAL_MS) / Math.max(1, n) })),
    );
  }

  private add(who: string, points: readonly TrailPoint[]): void {
    const trails = new Map(this.state.trails);
    trails.set(who, [...fresh(trails.get(who) ?? [], this.now()), ...points]);
    this.store.setState({ trails });
  }

  private drop(participant: string): void {
    if (!this.state.trails.has(participant)) return;
    const trails = new Map(this.state.trails);
    trails.delete(participant);
    this.store.setState({ trails });
  }
}
