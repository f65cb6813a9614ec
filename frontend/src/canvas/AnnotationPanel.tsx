// The side panel's annotations: every one I may see, filtered by kind, status,
// layer and element. A click centres the canvas on the element, selects it and
// opens the thread; those whose element was deleted stay listed, marked. The
// layer toggles (what shows, here and on the canvas) and board-level
// annotations live here too.
import { Plus } from "lucide";
import { useId, useState } from "react";

import { relativeTime } from "../lib/format";
import {
  type Annotation,
  ANNOTATION_KINDS,
  ANNOTATION_STATUSES,
  canRead,
  defaultLayer,
  type Elements,
  isOrphaned,
  isOutdated,
  LAYERS,
} from "../sync";
import { Icon } from "../ui/Icon";
import { Menu } from "../ui/Menu";
import { KIND_INFO, KINDS, LAYER_INFO, STATUS_INFO, targetName, toneOf } from "./annotationCatalog";
import { isNew, visibleAnnotations } from "./annotationView";
import { ComposerForm } from "./Composer";
import { isPending } from "./pending";
import { useActor, useAnnotating, useAnnotations, useBoard, useCore, useNavigation, useSync, useUi, useWriter } from "./context";

interface Filter {
  readonly kind: string;
  readonly status: string;
  readonly layer: string;
  /** An element id, "board" for board-level ones, or "all". */
  readonly target: string;
}

const ALL: Filter = { kind: "all", status: "all", layer: "all", target: "all" };

function matches(annotation: Annotation, filter: Filter): boolean {
  return (
    (filter.kind === "all" || annotation.kind === filter.kind) &&
    (filter.status === "all" || annotation.status === filter.status) &&
    (filter.layer === "all" || annotation.layer === filter.layer) &&
    (filter.target === "all" || (annotation.target ?? "board") === filter.target)
  );
}

/** What an annotation is about, as the list names it (a deleted element by its last known label). */
function about(annotation: Annotation, elements: Elements): string {
  if (annotation.target === null) return "the whole design";
  const element = elements.get(annotation.target);
  if (element) return targetName(element, elements);
  const label = annotation.snapshot && "label" in annotation.snapshot ? annotation.snapshot.label : "";
  return label ? `“${label}” (deleted)` : "a deleted element";
}

function LayerToggles() {
  const core = useCore();
  const actor = useActor();
  const layers = useUi((s) => s.layers);
  const annotations = useAnnotations();
  if (!actor) return null;
  const count = (layer: string) => [...annotations.values()].filter((a) => a.layer === layer).length;
  return (
    <fieldset className="bs-layers">
      <legend>Show</legend>
      {LAYERS.filter((layer) => canRead(actor.role, layer)).map((layer) => (
        <label key={layer} className={`bs-layers__toggle bs-layers__toggle--${layer}`} title={LAYER_INFO[layer].hint}>
          <input
            type="checkbox"
            aria-label={LAYER_INFO[layer].name}
            checked={layers[layer]}
            data-testid={`layer-${layer}`}
            onChange={(event) => core.ui.setState({ layers: { ...layers, [layer]: event.target.checked } })}
          />
          <span>{LAYER_INFO[layer].name}</span>
          {/* What a hidden layer holds, so hiding it never hides that something is there. */}
          {layers[layer] ? null : <span className="bs-layers__count">{count(layer)}</span>}
        </label>
      ))}
    </fieldset>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void }) {
  return (
    <select className="bs-filter" aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      {options.map(([option, name]) => (
        <option key={option} value={option}>
          {name}
        </option>
      ))}
    </select>
  );
}

function Filters({ filter, onChange, shown }: { filter: Filter; onChange: (filter: Filter) => void; shown: readonly Annotation[] }) {
  const actor = useActor();
  const layers = useUi((s) => s.layers);
  const elements = useBoard((b) => b.elements);
  const targets = new Map<string, string>();
  for (const a of shown) targets.set(a.target ?? "board", a.target === null ? "Whole design" : about(a, elements));
  const set = (patch: Partial<Filter>) => onChange({ ...filter, ...patch });
  return (
    <div className="bs-filters" role="group" aria-label="Filters">
      <Select label="Filter by kind" value={filter.kind} onChange={(kind) => set({ kind })} options={[["all", "All kinds"], ...ANNOTATION_KINDS.map((k) => [k, KIND_INFO[k].name] as const)]} />
      <Select
        label="Filter by status"
        value={filter.status}
        onChange={(status) => set({ status })}
        options={[["all", "Any status"], ...ANNOTATION_STATUSES.map((s) => [s, STATUS_INFO[s].name] as const)]}
      />
      <Select
        label="Filter by layer"
        value={filter.layer}
        onChange={(layer) => set({ layer })}
        options={[["all", "All layers"], ...LAYERS.filter((l) => actor && canRead(actor.role, l) && layers[l]).map((l) => [l, LAYER_INFO[l].name] as const)]}
      />
      <Select
        label="Filter by component"
        value={filter.target}
        onChange={(target) => set({ target })}
        options={[["all", "Everywhere"], ...[...targets].sort((a, b) => a[1].localeCompare(b[1]))]}
      />
    </div>
  );
}

function Item({ annotation }: { annotation: Annotation }) {
  const navigation = useNavigation();
  const actor = useActor();
  const elements = useBoard((b) => b.elements);
  const participants = useSync((s) => s.participants);
  const seen = useUi((s) => s.seen);
  const open = useUi((s) => s.thread === annotation.id);
  const kind = KIND_INFO[annotation.kind];
  const orphaned = isOrphaned(annotation, elements);
  const fresh = isNew(annotation, actor, seen);
  const author = annotation.author === actor?.participant ? "You" : (participants.get(annotation.author)?.name ?? "Someone");
  return (
    <li>
      <button
        type="button"
        className={`bs-annotation-item bs-tone--${toneOf(annotation)}${fresh ? " is-new" : ""}`}
        aria-current={open || undefined}
        data-testid="annotation-item"
        data-annotation={annotation.id}
        data-pending={isPending(annotation) || undefined}
        onClick={() => navigation.jumpTo(annotation.id)}
      >
        <span className="bs-annotation-item__top">
          <Icon icon={kind.icon} size={14} />
          <strong>{kind.name}</strong>
          <span className="bs-annotation-item__about">on {about(annotation, elements)}</span>
          {fresh ? <span className="bs-new-dot" role="img" aria-label="New" /> : null}
        </span>
        <span className="bs-annotation-item__text">{annotation.text}</span>
        <span className="bs-annotation-item__meta">
          {annotation.layer !== "challenges" ? <span className={`bs-layer-chip bs-layer-chip--${annotation.layer}`}>{LAYER_INFO[annotation.layer].one}</span> : null}
          {/* A note or a hint is only ever "open" until someone resolves it: say so only then. */}
          {isPending(annotation) ? (
            <span className="bs-status bs-status--pending" data-testid="pending-marker" title="Only you see it until you submit your review">
              Pending
            </span>
          ) : annotation.layer === "challenges" || annotation.status !== "open" ? (
            <span className={`bs-status bs-status--${toneOf(annotation)}`}>{STATUS_INFO[annotation.status].name}</span>
          ) : null}
          {annotation.version !== undefined ? <span className="bs-marker" title="Written on this published version">v{annotation.version}</span> : null}
          {orphaned ? (
            <span className="bs-marker" data-testid="orphaned-marker" title="Its element was deleted">
              Deleted
            </span>
          ) : isOutdated(annotation, elements) ? (
            <span className="bs-marker" data-testid="outdated-marker" title="Its element changed since it was raised">
              Changed
            </span>
          ) : null}
          <span className="bs-annotation-item__who">
            {author} · {relativeTime(annotation.created_at)}
            {annotation.replies.length ? ` · ${annotation.replies.length} ${annotation.replies.length === 1 ? "reply" : "replies"}` : ""}
          </span>
        </span>
      </button>
    </li>
  );
}

export function AnnotationPanel() {
  const annotating = useAnnotating();
  const actor = useWriter();
  const annotations = useAnnotations();
  const layers = useUi((s) => s.layers);
  const composer = useUi((s) => s.composer);
  const [filter, setFilter] = useState(ALL);
  const headingId = useId();
  const shown = visibleAnnotations(annotations, layers);
  const list = shown.filter((a) => matches(a, filter));
  const layer = actor && defaultLayer(actor.role, actor.mode);
  return (
    <section className="bs-annotations" aria-label="Annotations" data-testid="annotations-panel">
      <header className="bs-annotations__header">
        <h2 id={headingId}>Annotations</h2>
        {layer ? (
          <Menu
            label={
              <>
                <Icon icon={Plus} size={15} /> Whole design
              </>
            }
            ariaLabel="Annotate the whole design"
            buttonClass="bs-button bs-button--quiet bs-button--small"
            testId="annotate-board"
            items={KINDS.map((info) => ({
              label: info.name,
              icon: <Icon icon={info.icon} size={15} />,
              onSelect: () => annotating.raise(info.kind, null),
            }))}
          />
        ) : null}
      </header>
      <LayerToggles />
      {composer && composer.target === null ? <ComposerForm key={`board:${composer.kind}`} composer={composer} /> : null}
      {shown.length ? <Filters filter={filter} onChange={setFilter} shown={shown} /> : null}
      {list.length ? (
        <ul className="bs-annotations__list" aria-labelledby={headingId}>
          {list.map((annotation) => (
            <Item key={annotation.id} annotation={annotation} />
          ))}
        </ul>
      ) : (
        <p className="bs-muted bs-annotations__empty">
          {shown.length
            ? "Nothing matches these filters."
            : layer === "notes"
              ? "No annotations yet. Select a component and press F, T, S or C to note a failure mode, a trade-off, scaling or what you mean."
              : layer
                ? "No annotations yet. Select a component and press F, T, S or C to challenge it."
                : "No annotations yet."}
        </p>
      )}
    </section>
  );
}
