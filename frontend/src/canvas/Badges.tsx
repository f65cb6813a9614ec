// One badge on each annotated component or arrow: the kinds raised on it, how many
// threads, and (by colour) the most pressing status: open amber, answered blue,
// resolved green. Drawn inside the viewport in flow coordinates, so panning moves
// them for free; scaled back towards screen size so they stay readable when zoomed.
import { useStore as useFlowStore, ViewportPortal } from "@xyflow/react";
import { memo, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";

import { plural } from "../lib/format";
import { type Annotation, type AnnotationKind, type Elements, isOutdated } from "../sync";
import { Icon } from "../ui/Icon";
import { KIND_INFO, LAYER_INFO, mostPressing, STATUS_INFO, toneOf, type Tone } from "./annotationCatalog";
import { byTarget, isNew, visibleAnnotations } from "./annotationView";
import { anchorOf } from "./anchors";
import { isPending } from "./pending";
import { useActor, useAnnotations, useBoard, useNavigation, useUi } from "./context";

const MAX_ICONS = 3;

interface BadgeProps {
  readonly target: string;
  readonly x: number;
  readonly y: number;
  readonly scale: number;
  readonly tone: Tone;
  readonly kinds: string;
  readonly count: number;
  readonly label: string;
  readonly outdated: boolean;
  readonly fresh: boolean;
  readonly open: boolean;
  /** The thread a click opens. */
  readonly first: string;
  /** How many of them are my pending challenges (a reviewer's, not submitted yet). */
  readonly pending: number;
}

const Badge = memo(function Badge({ target, x, y, scale, tone, kinds, count, label, outdated, fresh, open, first, pending }: BadgeProps) {
  const navigation = useNavigation();
  return (
    <button
      type="button"
      className={`bs-badge bs-tone--${tone}${fresh ? " is-new" : ""}${open ? " is-open" : ""}${outdated ? " is-outdated" : ""}${pending ? " has-pending" : ""} nodrag nopan`}
      style={{ transform: `translate(${x}px, ${y}px) scale(${scale})` }}
      data-testid={`annotation-badge-${target}`}
      data-tone={tone}
      data-count={count}
      data-new={fresh || undefined}
      data-pending={pending || undefined}
      aria-label={label}
      title={label}
      // Not a click on the canvas: keep the open thread from closing before this one opens.
      onPointerDown={(event) => event.stopPropagation()}
      onClick={() => navigation.openThread(open ? null : first)}
    >
      <span className="bs-badge__body">
        {kinds.split(" ").map((kind) => (
          <Icon key={kind} icon={KIND_INFO[kind as AnnotationKind].icon} size={12} strokeWidth={2.4} />
        ))}
        <span className="bs-badge__count">{count}</span>
        {/* A reviewer's unsent challenges: plainly a draft, not a glitch. */}
        {pending ? <span className="bs-badge__draft">{pending === count ? "Draft" : `${pending} draft`}</span> : null}
        {outdated ? <span className="bs-badge__outdated" aria-hidden="true" /> : null}
      </span>
    </button>
  );
});

/** "3 threads on API: 1 open challenge, 1 answered, 1 note; changed since raised; new" */
function describe(list: readonly Annotation[], name: string, outdated: boolean, fresh: boolean): string {
  const counts = new Map<string, number>();
  for (const a of list) {
    const what = isPending(a)
      ? "pending challenge"
      : a.layer === "challenges"
        ? `${STATUS_INFO[a.status].name.toLowerCase()} challenge`
        : LAYER_INFO[a.layer].one.toLowerCase();
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  const parts = [...counts].map(([what, n]) => plural(n, what));
  return `${plural(list.length, "thread")} on ${name}: ${parts.join(", ")}${outdated ? "; changed since raised" : ""}${fresh ? "; new" : ""}`;
}

function nameOf(elements: Elements, id: string): string {
  const element = elements.get(id);
  if (!element || element.kind === "note") return "this element";
  return element.label.trim() || (element.kind === "arrow" ? "this arrow" : "this component");
}

export function AnnotationBadges() {
  const annotations = useAnnotations();
  const elements = useBoard((b) => b.elements);
  const ui = useUi(useShallow((s) => ({ layers: s.layers, seen: s.seen, local: s.local, remote: s.remote, thread: s.thread })));
  const actor = useActor();
  const zoom = useFlowStore((s) => s.transform[2]);
  const groups = useMemo(() => byTarget(visibleAnnotations(annotations, ui.layers)), [annotations, ui.layers]);
  if (!groups.size) return null;
  // Constant screen size near 100%, but never dwarfing the boxes far out or swamping them close up.
  const scale = Math.min(1.5, Math.max(0.5, 1 / zoom));
  const openTarget = ui.thread === null ? undefined : annotations.get(ui.thread)?.target;
  return (
    <ViewportPortal>
      <div className="bs-badges">
        {[...groups].map(([target, list]) => {
          // Board-level and orphaned annotations have nowhere to pin: the side panel lists them.
          const anchor = target === null ? null : anchorOf(target, elements, ui);
          if (target === null || !anchor) return null;
          const outdated = list.some((a) => isOutdated(a, elements));
          const newOnes = list.filter((a) => isNew(a, actor, ui.seen));
          const kinds = [...new Set(list.map((a) => a.kind))].slice(0, MAX_ICONS).join(" ");
          const arrow = anchor.w === 0;
          return (
            <Badge
              key={target}
              target={target}
              x={arrow ? anchor.x : anchor.x + anchor.w}
              y={arrow ? anchor.y - 18 : anchor.y}
              scale={scale}
              tone={mostPressing(list.map(toneOf))}
              kinds={kinds}
              count={list.length}
              label={describe(list, nameOf(elements, target), outdated, newOnes.length > 0)}
              outdated={outdated}
              fresh={newOnes.length > 0}
              open={openTarget === target}
              first={(newOnes[0] ?? list[0])!.id}
              pending={list.filter(isPending).length}
            />
          );
        })}
      </div>
    </ViewportPortal>
  );
}
