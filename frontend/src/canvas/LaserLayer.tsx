// The laser pointer's trails (mine and the others'), fading out over about a second. Drawn in
// flow coordinates inside the viewport; redrawn every frame only while a trail shows. A trail is
// laser red over a halo in its owner's colour, so the others can tell whose it is.
import { useStore as useFlowStore, ViewportPortal } from "@xyflow/react";
import { useEffect, useState } from "react";
import { useStore } from "zustand";

import { personColor } from "./catalog";
import { useFeatures, useSync } from "./context";
import { ME, STROKE_GAP_MS, type TrailPoint, TRAIL_MS } from "./features/laser";

const LASER = "#ef4444";
/** Each stroke is drawn as this many polylines by age: a fade without overlapping caps. */
const BANDS = 5;

/** A trail as polylines, each a stretch of one stroke of about the same age, with its opacity. */
export function bands(trail: readonly TrailPoint[], now: number): { points: string; opacity: number }[] {
  const out: { points: string; opacity: number }[] = [];
  let run: TrailPoint[] = [];
  let band = -1;
  const flush = () => {
    if (run.length > 1) out.push({ points: run.map((p) => `${p.x},${p.y}`).join(" "), opacity: 1 - band / BANDS });
  };
  trail.forEach((point, i) => {
    const age = Math.min(BANDS - 1, Math.floor(((now - point.at) / TRAIL_MS) * BANDS));
    const gap = i > 0 && point.at - trail[i - 1]!.at > STROKE_GAP_MS;
    if (gap || age !== band) {
      flush();
      // A new band starts where the last one ended, so the line stays unbroken; a gap starts afresh.
      run = gap || i === 0 ? [point] : [trail[i - 1]!, point];
      band = age;
    } else run.push(point);
  });
  flush();
  return out;
}

export function LaserLayer() {
  const laser = useFeatures().laser;
  const trails = useStore(laser.store, (s) => s.trails);
  const me = useSync((s) => s.you?.participant ?? ME);
  const zoom = useFlowStore((s) => s.transform[2]);
  const [, setFrame] = useState(0);
  const showing = trails.size > 0;
  useEffect(() => {
    if (!showing) return;
    let frame = requestAnimationFrame(function tick() {
      laser.prune();
      setFrame((n) => n + 1); // the fade is drawn from the clock: draw again
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [laser, showing]);
  if (!trails.size) return null;
  const now = Date.now();
  const width = 3.5 / zoom;
  return (
    <ViewportPortal>
      <svg className="bs-laser" data-testid="laser-layer" aria-hidden="true" width="1" height="1">
        {[...trails].map(([who, trail]) => {
          const halo = personColor(who === ME ? me : who);
          const last = trail[trail.length - 1];
          const fade = last ? Math.max(0, 1 - (now - last.at) / TRAIL_MS) : 0;
          return (
            <g key={who} data-testid="laser-trail" data-who={who === ME ? "me" : who} fill="none" strokeLinecap="round" strokeLinejoin="round">
              {bands(trail, now).map((band, i) => (
                <g key={i} opacity={band.opacity}>
                  <polyline points={band.points} stroke={halo} strokeOpacity={0.35} strokeWidth={width * 2.6} />
                  <polyline points={band.points} stroke={LASER} strokeWidth={width} />
                </g>
              ))}
              {last ? <circle cx={last.x} cy={last.y} r={width * 1.5} fill={LASER} opacity={fade} /> : null}
            </g>
          );
        })}
      </svg>
    </ViewportPortal>
  );
}
