// The details panel: the selected element's fields (and annotations), or the board's prompt when nothing is selected.
import { ArrowLeftRight, Copy, Pencil, StickyNote, Trash2 } from "lucide";
import { useEffect, useId, useRef, useState } from "react";

import type { Api } from "../api/http";
import { plural } from "../lib/format";
import { type ArrowElement, canEditBoard, type ComponentElement, CREDIT_INFO, CREDITS, type Element, type FrameElement, LIMITS, type NoteElement } from "../sync";
import { Icon } from "../ui/Icon";
import { describeElement, FRAME, TYPE_INFO, TYPES } from "./catalog";
import { useBoard, useCanEdit, useCore, useEditing, useFailureDrill, useSync, useUi } from "./context";
import { DecisionsSection } from "./DecisionsSection";
import { ElementAnnotations } from "./ElementAnnotations";
import { membersOf } from "./frames";
import { ArrowResilience, ComponentResilience, typeChange } from "./ResilienceFields";
import { useQuestionType } from "./questionContext";

const SYNC_AFTER_MS = 350;

/** A text field that edits one property: syncs after a pause, one undo step per field visit. */
function TextField({
  element,
  field,
  label,
  placeholder,
  multiline,
  max,
  readOnly,
}: {
  element: Element;
  field: "label" | "tech" | "notes" | "text";
  label: string;
  placeholder?: string;
  multiline?: boolean;
  max: number;
  readOnly: boolean;
}) {
  const editing = useEditing();
  const value = String((element as unknown as Record<string, unknown>)[field] ?? "");
  const [draft, setDraft] = useState(value);
  const focused = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const session = useRef(0);
  const id = useId();
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [value]);
  const key = () => `field:${element.id}:${field}:${session.current}`;
  const flush = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    editing.update(element.id, { [field]: text }, key());
  };
  const common = {
    id,
    value: draft,
    placeholder,
    readOnly,
    maxLength: max,
    "data-testid": `field-${field}`,
    onFocus: () => {
      focused.current = true;
      session.current += 1;
    },
    onBlur: () => {
      focused.current = false;
      if (!readOnly) flush(draft);
    },
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const text = event.target.value;
      setDraft(text);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => flush(text), SYNC_AFTER_MS);
    },
    onKeyDown: (event: React.KeyboardEvent) => {
      if (event.key === "Enter" && !multiline) (event.target as HTMLElement).blur();
    },
  };
  return (
    <div className="bs-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}
    </div>
  );
}

function ReplicasField({ element, readOnly }: { element: ComponentElement; readOnly: boolean }) {
  const editing = useEditing();
  const [draft, setDraft] = useState(String(element.replicas));
  const focused = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = useId();
  useEffect(() => {
    if (!focused.current) setDraft(String(element.replicas));
  }, [element.replicas]);
  const valid = (text: string) => {
    const n = Number(text);
    return text.trim() !== "" && Number.isInteger(n) && n >= 1 && n <= LIMITS.replicas ? n : null;
  };
  const commit = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    const n = valid(text);
    if (n !== null) editing.update(element.id, { replicas: n }, `field:${element.id}:replicas`);
  };
  return (
    <div className="bs-field bs-field--narrow">
      <label htmlFor={id}>Replicas</label>
      <input
        id={id}
        type="number"
        min={1}
        max={LIMITS.replicas}
        step={1}
        value={draft}
        readOnly={readOnly}
        aria-invalid={valid(draft) === null}
        data-testid="field-replicas"
        onFocus={() => (focused.current = true)}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(text), SYNC_AFTER_MS);
        }}
        onBlur={(e) => {
          focused.current = false;
          commit(e.target.value);
          if (valid(e.target.value) === null) setDraft(String(element.replicas));
        }}
        onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
      />
    </div>
  );
}

/** Who built it (a project walkthrough): me, my team, another team, a vendor, or not said. */
function CreditField({ element, readOnly }: { element: ComponentElement; readOnly: boolean }) {
  const editing = useEditing();
  const id = useId();
  return (
    <div className="bs-field">
      <label htmlFor={id}>Built by</label>
      <select
        id={id}
        value={element.credit ?? ""}
        disabled={readOnly}
        data-testid="field-credit"
        onChange={(e) => editing.update(element.id, { credit: e.target.value as ComponentElement["credit"] })}
      >
        <option value="">Not said</option>
        {CREDITS.map((credit) => (
          <option key={credit} value={credit}>
            {CREDIT_INFO[credit].label}
          </option>
        ))}
      </select>
    </div>
  );
}

function ComponentFields({ element, readOnly }: { element: ComponentElement; readOnly: boolean }) {
  const editing = useEditing();
  const id = useId();
  const walkthrough = useQuestionType() === "walkthrough";
  return (
    <>
      <TextField element={element} field="label" label="Label" placeholder="e.g. Order service" max={LIMITS.label} readOnly={readOnly} />
      <div className="bs-field">
        <label htmlFor={id}>Type</label>
        <select
          id={id}
          value={element.type}
          disabled={readOnly}
          data-testid="field-type"
          onChange={(e) => editing.update(element.id, typeChange(element, e.target.value as ComponentElement["type"]))}
        >
          {TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="bs-field-row">
        <TextField element={element} field="tech" label="Technology" placeholder="e.g. PostgreSQL" max={LIMITS.tech} readOnly={readOnly} />
        <ReplicasField element={element} readOnly={readOnly} />
      </div>
      {walkthrough || element.credit ? <CreditField element={element} readOnly={readOnly} /> : null}
      <ComponentResilience element={element} readOnly={readOnly} />
      <TextField
        element={element}
        field="notes"
        label="Notes"
        placeholder="Responsibilities, capacity, failure modes…"
        multiline
        max={LIMITS.text}
        readOnly={readOnly}
      />
    </>
  );
}

function ArrowFields({ element, readOnly }: { element: ArrowElement; readOnly: boolean }) {
  const editing = useEditing();
  const elements = useBoard((b) => b.elements);
  const source = elements.get(element.source);
  const target = elements.get(element.target);
  return (
    <>
      <p className="bs-arrow-ends">
        <span>{source ? describeElement(source) : "?"}</span>
        <span aria-label="to">→</span>
        <span>{target ? describeElement(target) : "?"}</span>
      </p>
      <TextField element={element} field="label" label="Label" placeholder="e.g. POST /orders" max={LIMITS.label} readOnly={readOnly} />
      <fieldset className="bs-field bs-segmented" disabled={readOnly}>
        <legend>Call style</legend>
        {(["sync", "async"] as const).map((style) => (
          <label key={style} className={element.style === style ? "is-on" : ""}>
            <input
              type="radio"
              name={`style-${element.id}`}
              value={style}
              checked={element.style === style}
              data-testid={`field-style-${style}`}
              onChange={() => editing.update(element.id, { style })}
            />
            <svg width="28" height="8" aria-hidden="true">
              <line x1="1" y1="4" x2="27" y2="4" stroke="currentColor" strokeWidth="2" strokeDasharray={style === "async" ? "5 4" : undefined} />
            </svg>
            {style === "sync" ? "Sync (request)" : "Async (message)"}
          </label>
        ))}
      </fieldset>
      {!readOnly ? (
        <button
          type="button"
          className="bs-button bs-button--quiet"
          onClick={() => editing.update(element.id, { source: element.target, target: element.source })}
        >
          <Icon icon={ArrowLeftRight} size={15} /> Reverse direction
        </button>
      ) : null}
      <ArrowResilience element={element} readOnly={readOnly} />
    </>
  );
}

function NoteFields({ element, readOnly }: { element: NoteElement; readOnly: boolean }) {
  return <TextField element={element} field="text" label="Text" placeholder="Write a note…" multiline max={LIMITS.text} readOnly={readOnly} />;
}

function FrameFields({ element, readOnly }: { element: FrameElement; readOnly: boolean }) {
  const drilling = useFailureDrill();
  const members = useBoard((b) => membersOf(b.elements, element.id).length);
  return (
    <>
      <TextField element={element} field="label" label="Name" placeholder="us-east-1, VPC, Data tier…" max={LIMITS.label} readOnly={readOnly} />
      <p className="bs-muted">
        A region holding {plural(members, "box", "boxes")}: a box dropped in it belongs to it and moves with it.
      </p>
      <button
        type="button"
        className="bs-button bs-button--small"
        data-testid="fail-region"
        title="Failure drill: every component in this frame goes down at once"
        onClick={() => void drilling.drill(element.id)}
      >
        Fail this region
      </button>
    </>
  );
}

function Selection({ ids, readOnly }: { ids: string[]; readOnly: boolean }) {
  const editing = useEditing();
  const elements = useBoard((b) => b.elements);
  const picked = ids.map((id) => elements.get(id)).filter((e): e is Element => e !== undefined);
  if (!picked.length) return null;
  const only = picked.length === 1 ? picked[0] : undefined;
  const header = (() => {
    if (!only) return { title: `${picked.length} selected`, color: "#475569", icon: Copy };
    if (only.kind === "component") return { title: TYPE_INFO[only.type].name, color: TYPE_INFO[only.type].color, icon: TYPE_INFO[only.type].icon };
    if (only.kind === "note") return { title: "Note", color: "#d97706", icon: StickyNote };
    if (only.kind === "frame") return { title: FRAME.name, color: FRAME.color, icon: FRAME.icon };
    return { title: only.style === "async" ? "Async arrow" : "Arrow", color: "#475569", icon: ArrowLeftRight };
  })();
  const counts = { component: 0, arrow: 0, note: 0, frame: 0 };
  for (const e of picked) counts[e.kind] += 1;
  return (
    <section className="bs-inspector__section" aria-label="Properties" data-testid="inspector">
      <header className="bs-inspector__header" style={{ "--type": header.color } as React.CSSProperties}>
        <span className="bs-inspector__icon" aria-hidden="true">
          <Icon icon={header.icon} size={16} />
        </span>
        <h2>{header.title}</h2>
        {readOnly ? <span className="bs-chip">Read only</span> : null}
      </header>
      {only?.kind === "component" ? <ComponentFields key={only.id} element={only} readOnly={readOnly} /> : null}
      {only?.kind === "arrow" ? <ArrowFields key={only.id} element={only} readOnly={readOnly} /> : null}
      {only?.kind === "note" ? <NoteFields key={only.id} element={only} readOnly={readOnly} /> : null}
      {only?.kind === "frame" ? <FrameFields key={only.id} element={only} readOnly={readOnly} /> : null}
      {only?.kind === "component" ? <DecisionsSection element={only} readOnly={readOnly} /> : null}
      {only && only.kind !== "frame" ? <ElementAnnotations element={only} /> : null}
      {!only ? (
        <p className="bs-muted">
          {[
            counts.component && plural(counts.component, "component"),
            counts.arrow && plural(counts.arrow, "arrow"),
            counts.note && plural(counts.note, "note"),
            counts.frame && plural(counts.frame, "frame"),
          ]
            .filter(Boolean)
            .join(", ")}
        </p>
      ) : null}
      {!readOnly ? (
        <div className="bs-inspector__actions">
          <button type="button" className="bs-button bs-button--quiet" onClick={() => editing.duplicate()} disabled={counts.component + counts.note + counts.frame === 0}>
            <Icon icon={Copy} size={15} /> Duplicate
          </button>
          <button type="button" className="bs-button bs-button--danger" onClick={() => editing.deleteSelection()} data-testid="delete-selection">
            <Icon icon={Trash2} size={15} /> Delete
          </button>
        </div>
      ) : null}
    </section>
  );
}

function Prompt({ api, boardId }: { api: Api; boardId: string }) {
  const core = useCore();
  const board = useSync((s) => s.board);
  const role = useSync((s) => s.you?.role ?? "observer");
  const elements = useBoard((b) => b.elements);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [saving, setSaving] = useState(false);
  if (!board) return null;
  const counts = { component: 0, arrow: 0, note: 0, frame: 0 };
  for (const e of elements.values()) counts[e.kind] += 1;
  const save = async () => {
    setSaving(true);
    try {
      await api.patch(`boards/${boardId}/`, { prompt: draft });
      setEditing(false);
    } catch (error) {
      core.toast("error", "The prompt was not saved", (error as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className="bs-inspector__section" aria-label="Prompt" data-testid="prompt-panel">
      <header className="bs-inspector__header bs-inspector__header--plain">
        <h2>{board.mode === "review" ? "What is under review" : "The prompt"}</h2>
        {canEditBoard(role) && !editing ? (
          <button
            type="button"
            className="bs-icon-button"
            aria-label="Edit the prompt"
            onClick={() => {
              setDraft(board.prompt);
              setEditing(true);
            }}
          >
            <Icon icon={Pencil} size={15} />
          </button>
        ) : null}
      </header>
      {editing ? (
        <div className="bs-field">
          <textarea rows={10} value={draft} maxLength={10000} onChange={(e) => setDraft(e.target.value)} aria-label="Prompt" autoFocus />
          <div className="bs-inspector__actions">
            <button type="button" className="bs-button bs-button--quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="button" className="bs-button bs-button--primary" onClick={save} disabled={saving}>
              Save prompt
            </button>
          </div>
        </div>
      ) : board.prompt ? (
        <p className="bs-prompt" data-testid="prompt-text">
          {board.prompt}
        </p>
      ) : (
        <p className="bs-muted">No prompt on this board.</p>
      )}
      <dl className="bs-stats">
        <div>
          <dt>Components</dt>
          <dd>{counts.component}</dd>
        </div>
        <div>
          <dt>Arrows</dt>
          <dd>{counts.arrow}</dd>
        </div>
        <div>
          <dt>Notes</dt>
          <dd>{counts.note}</dd>
        </div>
      </dl>
      <div className="bs-legend" aria-label="Legend">
        <h3>Legend</h3>
        <p>
          <svg width="34" height="8" aria-hidden="true">
            <line x1="1" y1="4" x2="33" y2="4" stroke="#64748b" strokeWidth="2" />
          </svg>
          synchronous call
        </p>
        <p>
          <svg width="34" height="8" aria-hidden="true">
            <line x1="1" y1="4" x2="33" y2="4" stroke="#64748b" strokeWidth="2" strokeDasharray="6 5" />
          </svg>
          asynchronous message
        </p>
      </div>
    </section>
  );
}

export function Inspector({ api, boardId }: { api: Api; boardId: string }) {
  const selected = useUi((s) => s.selected);
  const elements = useBoard((b) => b.elements);
  const readOnly = !useCanEdit();
  const ids = [...selected].filter((id) => elements.has(id));
  return (
    <div className="bs-inspector">
      {ids.length ? <Selection ids={ids} readOnly={readOnly} /> : <Prompt api={api} boardId={boardId} />}
    </div>
  );
}
