// The replay timeline under the canvas: a scrubber over seq 0..head with the
// session's moments marked (phase changes, questions, challenges, answers),
// play at 1×, 4× or 16× (idle stretches skipped), and the way back to live.
// While it shows a past seq, the canvas, the annotations and the ledger are
// that seq's, read-only, and the stage says so.
import { History, LoaderCircle, Pause, Play, Radio } from "lucide";
import { type CSSProperties, useEffect, useState } from "react";

import { type Marker, PHASES, type Phase, type Timeline, usedSeconds } from "../sync";
import { Icon } from "../ui/Icon";
import { useCore, useNavigation, useReplay, useReplayControls, useSync } from "./context";
import { formatTime, formatUsed, MARKER_INFO, PHASE_INFO } from "./interviewCatalog";
import { SPEEDS } from "./replayPlayer";

const percent = (seq: number, head: number) => (head > 0 ? (seq / head) * 100 : 0);

/** The phases as bands under the scrubber: each from its change to the next. */
function PhaseBands({ timeline }: { timeline: Timeline }) {
  const changes = timeline.markers.filter((m) => m.type === "phase" || (m.type === "session" && m.label === "Session started"));
  const head = timeline.seq;
  const bands: { phase: Phase; from: number; to: number }[] = [];
  for (const [i, marker] of changes.entries()) {
    // The server labels a phase change "High level" (the phase with its underscore as a space).
    const name = marker.type === "session" ? PHASES[0] : PHASES.find((p) => p.replace("_", " ") === marker.label.toLowerCase());
    if (!name) continue;
    const next = changes[i + 1];
    bands.push({ phase: name, from: marker.seq, to: next ? next.seq : head });
  }
  return (
    <div className="bs-replay__bands" aria-hidden="true">
      {bands.map((band, i) => (
        <span
          key={i}
          className={`bs-replay__band bs-replay__band--${band.phase}`}
          style={{ left: `${percent(band.from, head)}%`, width: `${percent(band.to - band.from, head)}%` }}
          title={PHASE_INFO[band.phase].name}
        />
      ))}
    </div>
  );
}

function MarkerButton({ marker, head }: { marker: Marker; head: number }) {
  const core = useCore();
  const navigation = useNavigation();
  const info = MARKER_INFO[marker.type];
  const label = `${info.name}: ${marker.label}, seq ${marker.seq}`;
  return (
    <button
      type="button"
      className={`bs-replay__marker bs-replay__marker--${marker.type}`}
      style={{ left: `${percent(marker.seq, head)}%` } as CSSProperties}
      aria-label={label}
      title={`${label} · ${formatTime(marker.at)}`}
      data-testid="replay-marker"
      data-type={marker.type}
      data-seq={marker.seq}
      onClick={async () => {
        const frame = await core.replay.seek(marker.seq, true);
        if (!frame || marker.id === undefined) return;
        if (frame.annotations.has(marker.id)) navigation.jumpTo(marker.id);
        else if (frame.requirements.has(marker.id)) navigation.showRequirement(marker.id);
      }}
    >
      <Icon icon={info.icon} size={10} strokeWidth={2.6} />
    </button>
  );
}

/** Markers closer than this many pixels on the track merge into one with a count (a marker is 18 px, a count 22). */
const MARKER_ROOM = 24;

/** Group markers (in seq order) that would overlap on a track `width` px wide. */
export function clusterMarkers(markers: readonly Marker[], head: number, width: number): Marker[][] {
  const sorted = [...markers].sort((a, b) => a.seq - b.seq);
  const groups: Marker[][] = [];
  const px = (m: Marker) => (percent(m.seq, head) / 100) * width;
  for (const marker of sorted) {
    const group = groups[groups.length - 1];
    if (group && px(marker) - px(group[0]!) < MARKER_ROOM) group.push(marker);
    else groups.push([marker]);
  }
  return groups;
}

/** Several moments too close to tell apart: one button with their count, seeking to the first. */
function MarkerCluster({ markers, head }: { markers: readonly Marker[]; head: number }) {
  const core = useCore();
  const first = markers[0]!;
  const last = markers[markers.length - 1]!;
  const names = markers.map((m) => `${MARKER_INFO[m.type].name}: ${m.label}`);
  const label = `${markers.length} moments, seq ${first.seq} to ${last.seq}: ${names.join("; ")}`;
  return (
    <button
      type="button"
      className="bs-replay__marker bs-replay__marker--cluster"
      style={{ left: `${percent(first.seq, head)}%` } as CSSProperties}
      aria-label={label}
      title={`${label} · from ${formatTime(first.at)}`}
      data-testid="replay-marker"
      data-type="cluster"
      data-seq={first.seq}
      data-count={markers.length}
      onClick={() => void core.replay.seek(first.seq, true)}
    >
      {markers.length}
    </button>
  );
}

export function ReplayBar() {
  const core = useCore();
  const view = useReplay((v) => v);
  const liveSeq = useSync((s) => s.seq);
  const { replay } = core;
  const head = view.timeline?.seq ?? 0;
  // The board moved on while the replay is open: take the new end of the timeline (not while playing).
  useEffect(() => {
    if (!view.open || view.playing || liveSeq === null || liveSeq <= head) return;
    const timer = setTimeout(() => void replay.refresh(), 2000);
    return () => clearTimeout(timer);
  }, [view.open, view.playing, liveSeq, head, replay]);
  const [track, setTrack] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!track) return;
    setWidth(track.clientWidth);
    const observer = new ResizeObserver(() => setWidth(track.clientWidth));
    observer.observe(track);
    return () => observer.disconnect();
  }, [track]);
  if (!view.open) return null;
  const timeline = view.timeline;
  return (
    <section className="bs-replay" aria-label="Replay timeline" data-testid="replay-bar">
      <button
        type="button"
        className="bs-replay__play"
        aria-label="Play"
        aria-pressed={view.playing}
        title={view.playing ? "Pause the replay (Space)" : "Play (Space)"}
        disabled={!timeline || head === 0}
        onClick={() => replay.toggle()}
      >
        <Icon icon={view.playing ? Pause : Play} size={16} />
      </button>
      <div className="bs-replay__speeds" role="radiogroup" aria-label="Replay speed">
        {SPEEDS.map((speed) => (
          <button key={speed} type="button" role="radio" aria-checked={view.speed === speed} className="bs-replay__speed" onClick={() => replay.setSpeed(speed)}>
            {speed}×
          </button>
        ))}
      </div>
      <div className="bs-replay__track">
        {timeline ? <PhaseBands timeline={timeline} /> : null}
        <input
          type="range"
          className="bs-replay__slider"
          aria-label="Replay position"
          aria-valuetext={`seq ${view.position} of ${head}`}
          min={0}
          max={Math.max(head, 0)}
          step={1}
          value={view.position}
          disabled={!timeline}
          data-testid="replay-slider"
          onChange={(event) => void replay.seek(Number(event.target.value))}
          onKeyDown={(event) => {
            event.stopPropagation();
            if (event.key === " ") {
              event.preventDefault();
              replay.toggle();
            }
          }}
        />
        <div className="bs-replay__markers" ref={setTrack}>
          {timeline && width
            ? clusterMarkers(timeline.markers, head, width).map((group) =>
                group.length === 1 ? (
                  <MarkerButton key={`${group[0]!.seq}-${group[0]!.type}`} marker={group[0]!} head={head} />
                ) : (
                  <MarkerCluster key={`cluster-${group[0]!.seq}-${group.length}`} markers={group} head={head} />
                ),
              )
            : null}
        </div>
      </div>
      <span className="bs-replay__count" aria-hidden="true">
        {view.position}/{head}
      </span>
      <button type="button" className="bs-button bs-button--small" onClick={() => replay.close()} data-testid="replay-exit">
        <Icon icon={Radio} size={14} /> Back to live
      </button>
    </section>
  );
}

/** Over the canvas while replaying: which seq of how many, when, and how far into the interview. */
export function ReplayBanner() {
  const replayControls = useReplayControls();
  const view = useReplay((v) => v);
  const frame = view.open ? view.frame : null;
  if (!frame) return null;
  const head = view.timeline?.seq ?? frame.seq;
  const moment = frame.at ? Date.parse(frame.at) : NaN;
  const into = frame.session.status !== "idle" && !Number.isNaN(moment) ? `${formatUsed(usedSeconds(frame.session, moment))} into the interview` : "";
  const parts = [`Replaying seq ${frame.seq} of ${head}`, frame.at ? formatTime(frame.at) : "before the first change", into].filter(Boolean);
  return (
    <div className="bs-banner bs-banner--replay" role="status" data-testid="replay-banner" data-seq={frame.seq}>
      <Icon icon={History} size={16} />
      <span className="bs-banner__text">
        <strong>{parts[0]}</strong>
        {parts.slice(1).map((part) => ` · ${part}`)}
        {view.loading ? <Icon icon={LoaderCircle} size={13} className="bs-spin bs-banner__spinner" /> : null}
      </span>
      <span className="bs-banner__hint">Read-only</span>
      <button type="button" className="bs-button bs-button--small" onClick={() => replayControls.closeReplay()}>
        Back to live
      </button>
    </div>
  );
}
