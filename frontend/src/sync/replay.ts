// Replay: the board as it was right after any public seq, and the timeline a
// scrubber draws (reviews/replay.py, GET /api/boards/{id}/state/?at= and
// /timeline/). This module holds their shapes and the pure arithmetic of
// playing them back: when each seq happened, and which seq a moment shows.
//
// The timeline has the exact time of some seqs only (its markers, both ends of
// every idle gap, the first and the last batch); between two of those, seqs are
// spread evenly. Idle gaps (30 s and more with no batch) are skipped.

import { annotationsFrom } from "./annotations";
import type { Board } from "./batch";
import { flowsFrom } from "./flows";
import { requirementsFrom, sessionFrom } from "./interview";
import { elementsFrom } from "./ops";
import type { Annotation, Decision, Element, LedgerEntry, PlayedCard, Session, StoredFlow } from "./protocol";

export const MARKER_TYPES = ["session", "phase", "question", "challenge", "answer", "scenario"] as const;
export type MarkerType = (typeof MARKER_TYPES)[number];

/** Something worth a tick on the scrubber: a session or phase change, a question, a challenge, an answer, a card. */
export interface Marker {
  readonly seq: number;
  readonly at: string;
  readonly type: MarkerType;
  readonly label: string;
  /** The requirement entry, annotation or scenario card it is about. */
  readonly id?: string;
}

/** Nothing happened between batch `after_seq` (at `start`) and the next one (at `end`). */
export interface IdleGap {
  readonly after_seq: number;
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
}

export interface Timeline {
  /** The public head when it was computed. */
  readonly seq: number;
  /** When the first and the last batch were stored; null on an empty board. */
  readonly start: string | null;
  readonly end: string | null;
  readonly markers: readonly Marker[];
  readonly gaps: readonly IdleGap[];
}

/** GET /api/boards/{id}/state/?at=seq: the board right after seq, as the caller may see it. */
export interface ReplayState {
  readonly seq: number;
  /** When batch `seq` was stored (null for seq 0). */
  readonly at: string | null;
  readonly elements: readonly Element[];
  readonly annotations: readonly Annotation[];
  readonly requirements: readonly LedgerEntry[];
  /** The flows at that seq (absent from servers that predate them). */
  readonly flows?: readonly StoredFlow[];
  /** `now` is the replayed moment. */
  readonly session: Session & { readonly now?: string | null };
  /** The scenario cards played up to `seq` (absent from servers that predate them). */
  readonly scenarios?: readonly PlayedCard[];
  /** Absent from servers before decision records. */
  readonly decisions?: readonly Decision[];
}

/** A replayed board, ready to show: the same shape as the live one, plus where and when it is. */
export interface ReplayFrame extends Board {
  readonly seq: number;
  readonly at: string | null;
  readonly scenarios: readonly PlayedCard[];
  /** The decision records as they were at `seq`. */
  readonly decisions: readonly Decision[];
}

export function frameFrom(state: ReplayState): ReplayFrame {
  return {
    seq: state.seq,
    at: state.at,
    elements: elementsFrom(state.elements),
    annotations: annotationsFrom(state.annotations),
    session: sessionFrom(state.session),
    requirements: requirementsFrom(state.requirements),
    flows: flowsFrom(state.flows),
    scenarios: state.scenarios ?? [],
    decisions: state.decisions ?? [],
  };
}

// ---- Time ----------------------------------------------------------------------------------

/** Before the first batch, the empty board shows this long when playing from the start. */
const LEAD_IN_MS = 1000;

interface Point {
  readonly seq: number;
  readonly t: number;
}

/** When each seq happened, from what the timeline knows exactly. */
export interface TimeMap {
  readonly head: number;
  readonly points: readonly Point[];
  readonly gaps: readonly { readonly start: number; readonly end: number }[];
}

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);

export function timeMap(timeline: Timeline): TimeMap {
  const head = timeline.seq;
  const raw: Point[] = [];
  const add = (seq: number, t: number) => {
    if (Number.isFinite(t) && seq >= 1 && seq <= head) raw.push({ seq, t });
  };
  add(1, ms(timeline.start));
  add(head, ms(timeline.end));
  for (const marker of timeline.markers) add(marker.seq, ms(marker.at));
  const gaps = [];
  for (const gap of timeline.gaps) {
    const start = ms(gap.start);
    const end = ms(gap.end);
    add(gap.after_seq, start);
    add(gap.after_seq + 1, end);
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) gaps.push({ start, end });
  }
  raw.sort((a, b) => a.seq - b.seq || a.t - b.t);
  // One point per seq, and never going back in time (clocks are stamped in commit order).
  const points: Point[] = [];
  for (const point of raw) {
    const last = points[points.length - 1];
    if (last && last.seq === point.seq) continue;
    points.push({ seq: point.seq, t: last ? Math.max(last.t, point.t) : point.t });
  }
  const first = points[0];
  if (first) points.unshift({ seq: 0, t: first.t - LEAD_IN_MS });
  return { head, points, gaps: gaps.sort((a, b) => a.start - b.start) };
}

/** When `seq` happened (ms since the epoch); NaN on an empty timeline. */
export function timeOf(map: TimeMap, seq: number): number {
  const { points } = map;
  if (!points.length) return NaN;
  let lo = 0;
  let hi = points.length - 1;
  const first = points[lo]!;
  const last = points[hi]!;
  if (seq <= first.seq) return first.t;
  if (seq >= last.seq) return last.t;
  // The last point at or before seq.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.seq <= seq) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  return a.t + ((b.t - a.t) * (seq - a.seq)) / (b.seq - a.seq);
}

/** The last seq that had happened by `t`: what a player shows at that moment. */
export function seqAt(map: TimeMap, t: number): number {
  let lo = 0;
  let hi = map.head;
  if (!map.points.length || timeOf(map, 0) > t) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timeOf(map, mid) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A moment inside an idle gap jumps to the gap's end: nobody wants to watch nothing happen. */
export function skipIdle(map: TimeMap, t: number): number {
  for (const gap of map.gaps) if (t > gap.start && t < gap.end) return gap.end;
  return t;
}

/** Where a player goes after `wall` milliseconds at `speed`, from moment `t`. */
export function advance(map: TimeMap, t: number, wall: number, speed: number): number {
  return skipIdle(map, t + wall * speed);
}
