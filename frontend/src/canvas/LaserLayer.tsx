// The laser pointer's trails (mine and the others'), fading out over about a second. Drawn in
// flow coordinates inside the viewport; redrawn every frame only while a trail shows.
import { useStore as useFlowStore, ViewportPortal } from "@xyflow/react";
import { useEffect, useState } from "react";
import { useStore } from "zustand";

import { personColor } from "./catalog";
import { useFeatures, useSync } from "./context";
import { ME, STROKE_GAP_MS, type TrailPoint, TRAIL_MS } from "./features/laser";

/** A trail as segments, each fading with its age; a pause starts a new stroke. */
function segments(trail: readonly TrailPoint[], now: number) {
  const out: { x1: number; y1: number; x2: number; y2: number; opacity: number }[] = [];
  for (let i = 1; i < trail.length; i++) {
    const a = trail[i - 1]!;
    const b = trail[i]!;
    if (b.at - a.at > STROKE_GAP_MS) continue;
    out.push({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, opacity: Math.max(0, 1 - (now - b.at) / TRAIL_MS) });
  }
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
  const width = 4 / zoom;
  return (
    <ViewportPortal>
      <svg className="bs-laser" data-testid="laser-layer" aria-hidden="true" width="1" height="1">
        {[...trails].map(([who, trail]) => {
          const color = personColor(who === ME ? me : who);
          const last = trail[trail.length - 1];
          return (
            <g key={who} data-testid="laser-trail" data-who={who === ME ? "me" : who} stroke={color}>
              {segments(trail, now).map((s, i) => (
                <line key={i} {...s} strokeWidth={width} strokeLinecap="round" strokeOpacity={s.opacity} />
              ))}
              {last ? <circle cx={last.x} cy={last.y} r={width * 1.6} fill={color} fillOpacity={Math.max(0, 1 - (now - last.at) / TRAIL_MS)} stroke="none" /> : null}
            </g>
          );
        })}
      </svg>
    </ViewportPortal>
  );
}
