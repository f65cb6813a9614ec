import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { IDLE_SESSION, type ReplayState, type Timeline } from "../sync";
import { ReplayPlayer, type ReplaySource } from "./replayPlayer";

const T0 = Date.parse("2026-11-23T20:30:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** 10 batches a second apart, then five idle minutes, then 10 more a second apart. */
const TIMELINE: Timeline = {
  seq: 20,
  start: at(0),
  end: at(319),
  markers: [],
  gaps: [{ after_seq: 10, start: at(9), end: at(309), seconds: 300 }],
};

function state(seq: number): ReplayState {
  return { seq, at: seq ? at(seq) : null, elements: [], annotations: [], requirements: [], session: { ...IDLE_SESSION, now: null } };
}

function source(): ReplaySource & { asked: number[]; answer(seq?: number): Promise<void> } {
  const waiting = new Map<number, (value: ReplayState) => void>();
  const asked: number[] = [];
  return {
    asked,
    timeline: async () => TIMELINE,
    state: (seq) => {
      asked.push(seq);
      return new Promise((resolve) => waiting.set(seq, resolve));
    },
    async answer(seq?: number) {
      for (const [key, resolve] of [...waiting]) {
        if (seq === undefined || key === seq) {
          waiting.delete(key);
          resolve(state(key));
        }
      }
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function opened(at?: number) {
  const src = source();
  const player = new ReplayPlayer(src);
  const shown = player.open(at);
  await vi.advanceTimersByTimeAsync(0);
  await src.answer();
  await shown;
  return { player, src };
}

describe("the replay player", () => {
  it("opens at the end of the timeline and shows that state", async () => {
    const { player, src } = await opened();
    expect(src.asked).toEqual([20]);
    expect(player.getSnapshot()).toMatchObject({ open: true, position: 20, loading: false, playing: false });
    expect(player.getSnapshot().frame?.seq).toBe(20);
  });

  it("debounces scrubbing: only where the scrubber stops is fetched", async () => {
    const { player, src } = await opened();
    void player.seek(15);
    void player.seek(12);
    const last = player.seek(5);
    expect(player.getSnapshot()).toMatchObject({ position: 5, loading: true });
    expect(player.getSnapshot().frame?.seq).toBe(20); // the old state stays until the new one arrives
    await vi.advanceTimersByTimeAsync(200);
    expect(src.asked).toEqual([20, 5]);
    await src.answer(5);
    expect((await last)?.seq).toBe(5);
    expect(player.getSnapshot()).toMatchObject({ position: 5, loading: false });
  });

  it("shows a state fetched before at once", async () => {
    const { player, src } = await opened(3);
    void player.seek(20, true);
    await src.answer(20);
    void player.seek(3);
    expect(player.getSnapshot().frame?.seq).toBe(3);
    expect(src.asked).toEqual([3, 20]);
  });

  it("resolves a superseded seek with null", async () => {
    const { player, src } = await opened();
    const first = player.seek(4, true);
    void player.seek(6, true);
    expect(await first).toBeNull();
    await src.answer();
    expect(player.getSnapshot().frame?.seq).toBe(6);
  });

  it("plays from the start when at the end, skips the idle gap, and stops at the end", async () => {
    const { player, src } = await opened();
    player.setSpeed(16);
    player.play();
    expect(player.getSnapshot()).toMatchObject({ playing: true, position: 0 });
    let ticks = 0;
    for (; ticks < 40 && player.getSnapshot().playing; ticks++) {
      await vi.advanceTimersByTimeAsync(100);
      await src.answer();
    }
    const view = player.getSnapshot();
    expect(ticks).toBeLessThan(30);
    expect(view).toMatchObject({ playing: false, position: 20 });
    expect(view.frame?.seq).toBe(20);
    // 20 s of activity at 16× (the five idle minutes skipped) is done in well under 4 s.
    expect(src.asked.length).toBeGreaterThan(3);
    expect(src.asked).toContain(11); // the first batch after the gap
  });

  it("never shows a state past the position while playing", async () => {
    const { player, src } = await opened(0);
    player.setSpeed(1);
    player.play();
    for (let i = 0; i < 25; i++) {
      await vi.advanceTimersByTimeAsync(100);
      await src.answer();
      const { frame, position } = player.getSnapshot();
      expect(frame === null || frame.seq <= position).toBe(true);
    }
    player.pause();
    expect(player.getSnapshot().playing).toBe(false);
  });

  it("drops answers that arrive after it was closed", async () => {
    const { player, src } = await opened();
    void player.seek(2, true);
    player.close();
    await src.answer();
    expect(player.getSnapshot()).toMatchObject({ open: false, frame: null });
  });
});
