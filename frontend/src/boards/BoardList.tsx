// My boards: open, create from a prompt template or as a review board, rename, delete, import JSON or Mermaid.
import { ClipboardCheck, FilePlus2, GraduationCap, Upload, Workflow } from "lucide";
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";

import { Api, ApiError, type Problem } from "../api/http";
import type { BoardsConfig } from "../app/config";
import { TYPE_INFO } from "../canvas/catalog";
import { relativeTime } from "../lib/format";
import { type BoardMeta, canDeleteBoard, canEditBoard, type ComponentType, type Element, type Mode, MODE_LABEL, type Role } from "../sync";
import { Dialog } from "../ui/Dialog";
import { Icon } from "../ui/Icon";
import { Menu } from "../ui/Menu";
import { type Imported, ImportReportDialog, ImportDialog, ProblemList } from "./ImportDialog";

/** A board as GET /api/boards/ lists it: the board plus the caller's role on it. */
interface Board extends BoardMeta {
  readonly role: Role;
}

/** A starting point: a blank board, or a question of the bank (GET /api/templates/ lists their public part). */
interface Template {
  readonly id: string;
  readonly title: string;
  readonly prompt: string;
  readonly question_type?: string;
  readonly elements: readonly Element[];
}

const ROLE_LABEL: Readonly<Record<Role, string>> = {
  owner: "Owner",
  interviewer: "Interviewer",
  candidate: "Candidate",
  reviewer: "Reviewer",
  observer: "Observer",
  coach: "Coach",
};

type Filter = "all" | Mode;

function TemplatePreview({ elements }: { elements: readonly Element[] }) {
  const types = [...new Set(elements.flatMap((e) => (e.kind === "component" ? [e.type] : [])))].slice(0, 6) as ComponentType[];
  if (!types.length) return <span className="bs-template__empty">Empty canvas</span>;
  return (
    <span className="bs-template__types" aria-hidden="true">
      {types.map((type) => (
        <span key={type} className="bs-template__dot" style={{ "--type": TYPE_INFO[type].color } as React.CSSProperties}>
          <Icon icon={TYPE_INFO[type].icon} size={13} />
        </span>
      ))}
    </span>
  );
}

function CreateDialog({
  api,
  initial,
  onClose,
}: {
  api: Api;
  initial: { mode: Mode; template: Template | null };
  onClose: () => void;
}) {
  const template = initial.template;
  const [title, setTitle] = useState(initial.mode === "review" ? "Design review" : template && template.id !== "blank" ? template.title : "System design interview");
  const [prompt, setPrompt] = useState(template?.prompt ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { title: title.trim(), prompt, mode: initial.mode, ...(template && template.id !== "blank" ? { question: template.id } : {}) };
      const board = await api.post<Board>("boards/", body);
      window.location.assign(`/boards/${board.id}/`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The board was not created.");
      setBusy(false);
    }
  };
  const heading = initial.mode === "review" ? "New review board" : template && template.id !== "blank" ? template.title : "New interview board";
  return (
    <Dialog title={heading} onClose={onClose} testId="create-dialog">
      <form className="bs-form" onSubmit={submit}>
        <div className="bs-field">
          <label htmlFor="bs-new-title">Board title</label>
          <input id="bs-new-title" value={title} maxLength={200} required autoFocus onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="bs-field">
          <label htmlFor="bs-new-prompt">{initial.mode === "review" ? "What should reviewers look at?" : "Prompt shown to the candidate"}</label>
          <textarea id="bs-new-prompt" rows={6} value={prompt} maxLength={10000} onChange={(e) => setPrompt(e.target.value)} />
        </div>
        {template && template.elements.length ? (
          <p className="bs-muted">Starts with {template.elements.filter((e) => e.kind === "component").length} components already on the canvas.</p>
        ) : null}
        {error ? (
          <p className="bs-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="bs-dialog__footer bs-dialog__footer--inline">
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="bs-button bs-button--primary" disabled={busy || !title.trim()} data-testid="create-submit">
            Create board
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Practise alone: pick a question of the bank (or write a prompt); the coach plays the interviewer. */
function PracticeDialog({ api, templates, onClose }: { api: Api; templates: readonly Template[]; onClose: () => void }) {
  const questions = templates.filter((t) => t.id !== "blank");
  const [choice, setChoice] = useState(questions[0]?.id ?? "own");
  const [prompt, setPrompt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = questions.find((q) => q.id === choice) ?? null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = chosen
        ? { title: `Practice: ${chosen.title}`, mode: "practice", question: chosen.id }
        : { title: "Practice: my own prompt", mode: "practice", prompt };
      const board = await api.post<Board>("boards/", body);
      window.location.assign(`/boards/${board.id}/`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The practice board was not created.");
      setBusy(false);
    }
  };
  return (
    <Dialog title="Practise alone" onClose={onClose} testId="practice-dialog">
      <form className="bs-form" onSubmit={submit}>
        <p className="bs-muted">
          A coach keeps the clock, answers your clarifying questions from the question's facts, challenges what you have not covered, and gives you
          feedback at the end. Only you see the board and the feedback.
        </p>
        <div className="bs-field">
          <label htmlFor="bs-practice-question">Question</label>
          <select id="bs-practice-question" value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="practice-question">
            {questions.map((q) => (
              <option key={q.id} value={q.id}>
                {q.title}
              </option>
            ))}
            <option value="own">My own prompt</option>
          </select>
        </div>
        {chosen ? (
          <p className="bs-muted">{chosen.prompt}</p>
        ) : (
          <div className="bs-field">
            <label htmlFor="bs-practice-prompt">Your prompt</label>
            <textarea id="bs-practice-prompt" rows={4} value={prompt} maxLength={10000} required onChange={(e) => setPrompt(e.target.value)} />
          </div>
        )}
        {error ? (
          <p className="bs-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="bs-dialog__footer bs-dialog__footer--inline">
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="bs-button bs-button--primary" disabled={busy || (!chosen && !prompt.trim())} data-testid="practice-submit">
            Start practising
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameDialog({ api, board, onClose, onDone }: { api: Api; board: Board; onClose: () => void; onDone: () => void }) {
  const [title, setTitle] = useState(board.title);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.patch(`boards/${board.id}/`, { title: title.trim() });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The board was not renamed.");
    }
  };
  return (
    <Dialog title="Rename board" onClose={onClose} testId="rename-dialog">
      <form className="bs-form" onSubmit={submit}>
        <div className="bs-field">
          <label htmlFor="bs-rename">Title</label>
          <input id="bs-rename" value={title} maxLength={200} required autoFocus onChange={(e) => setTitle(e.target.value)} />
        </div>
        {error ? <p className="bs-error">{error}</p> : null}
        <div className="bs-dialog__footer bs-dialog__footer--inline">
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="bs-button bs-button--primary" disabled={!title.trim()}>
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ api, board, onClose, onDone }: { api: Api; board: Board; onClose: () => void; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await api.delete(`boards/${board.id}/`);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The board was not deleted.");
    }
  };
  return (
    <Dialog title="Delete this board?" onClose={onClose} testId="delete-dialog">
      <p>
        “<strong>{board.title}</strong>” and its whole history will be deleted for everyone on it. This cannot be undone.
      </p>
      {error ? <p className="bs-error">{error}</p> : null}
      <div className="bs-dialog__footer bs-dialog__footer--inline">
        <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="bs-button bs-button--danger" onClick={remove} data-testid="confirm-delete">
          Delete board
        </button>
      </div>
    </Dialog>
  );
}

function ImportErrors({ problems, message, onClose }: { problems: readonly Problem[]; message: string; onClose: () => void }) {
  return (
    <Dialog title="That file could not be imported" onClose={onClose} testId="import-errors">
      <p>{message}</p>
      <ProblemList problems={problems} testId="import-problems" />
    </Dialog>
  );
}

type Modal =
  | { kind: "create"; mode: Mode; template: Template | null }
  | { kind: "practice" }
  | { kind: "rename"; board: Board }
  | { kind: "delete"; board: Board }
  | { kind: "import-error"; message: string; problems: readonly Problem[] }
  | { kind: "diagram" }
  | { kind: "import-report"; board: Imported }
  | null;

export function BoardList({ config }: { config: BoardsConfig }) {
  const api = useMemo(() => new Api(config.api, config.csrf), [config]);
  const [boards, setBoards] = useState<Board[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [filter, setFilter] = useState<Filter>("all");
  const [modal, setModal] = useState<Modal>(null);
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setBoards(await api.get<Board[]>("boards/"));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not load your boards.");
    }
  }, [api]);

  useEffect(() => {
    void load();
    api.get<Template[]>("templates/").then(setTemplates, () => setTemplates([]));
  }, [api, load]);

  const importFile = async (chosen: File | undefined) => {
    if (!chosen) return;
    let content: unknown;
    try {
      content = JSON.parse(await chosen.text());
    } catch {
      setModal({ kind: "import-error", message: `“${chosen.name}” is not a JSON file.`, problems: [] });
      return;
    }
    try {
      const board = await api.post<Imported>("boards/import/", { format: "json", title: "", content });
      imported(board);
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      setModal({ kind: "import-error", message: err?.message ?? "The import failed.", problems: err?.problems ?? [] });
    } finally {
      if (file.current) file.current.value = "";
    }
  };

  /** Straight to the new board, unless the import has notes to show first. */
  function imported(board: Imported) {
    if (board.report?.length) setModal({ kind: "import-report", board });
    else window.location.assign(`/boards/${board.id}/`);
  }

  const shown = (boards ?? []).filter((b) => filter === "all" || b.mode === filter);
  const closeAndReload = () => {
    setModal(null);
    void load();
  };

  return (
    <div className="bs-boards">
      <section className="bs-boards__start" aria-labelledby="bs-start-title">
        <div className="bs-boards__heading">
          <div>
            <h1 id="bs-start-title">Start an interview</h1>
            <p className="bs-muted">Pick a prompt. The candidate sees it next to the canvas; you can edit it later.</p>
          </div>
          <div className="bs-boards__actions">
            <button type="button" className="bs-button" onClick={() => setModal({ kind: "practice" })} data-testid="new-practice">
              <Icon icon={GraduationCap} size={16} /> Practice
            </button>
            <button type="button" className="bs-button" onClick={() => setModal({ kind: "create", mode: "review", template: null })} data-testid="new-review">
              <Icon icon={ClipboardCheck} size={16} /> New review board
            </button>
            <button type="button" className="bs-button" onClick={() => file.current?.click()} data-testid="import-button">
              <Icon icon={Upload} size={16} /> Import JSON
            </button>
            <button type="button" className="bs-button" onClick={() => setModal({ kind: "diagram" })} data-testid="import-diagram">
              <Icon icon={Workflow} size={16} /> Import diagram
            </button>
            <input
              ref={file}
              type="file"
              accept="application/json,.json"
              className="bs-visually-hidden"
              aria-label="Import a board from a JSON file"
              data-testid="import-file"
              onChange={(e) => void importFile(e.target.files?.[0])}
            />
          </div>
        </div>
        <ul className="bs-templates">
          {templates.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                className="bs-template"
                onClick={() => setModal({ kind: "create", mode: "interview", template: t })}
                data-testid={`template-${t.id}`}
              >
                <span className="bs-template__title">
                  {t.id === "blank" ? <Icon icon={FilePlus2} size={16} /> : null}
                  {t.title}
                </span>
                <span className="bs-template__prompt">{t.prompt || "An empty canvas and your own prompt."}</span>
                {t.question_type === "walkthrough" ? <span className="bs-chip bs-template__kind">Project walkthrough</span> : null}
                <TemplatePreview elements={t.elements} />
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="bs-boards__mine" aria-labelledby="bs-mine-title">
        <div className="bs-boards__heading">
          <h2 id="bs-mine-title">My boards</h2>
          <div className="bs-tabs" role="tablist" aria-label="Filter boards">
            {(
              [
                ["all", "All"],
                ["interview", "Interviews"],
                ["review", "Reviews"],
                ["practice", "Practice"],
              ] as const
            ).map(([value, label]) => (
              <button key={value} type="button" role="tab" aria-selected={filter === value} className={filter === value ? "is-on" : ""} onClick={() => setFilter(value)}>
                {label}
                <span className="bs-tabs__count">{(boards ?? []).filter((b) => value === "all" || b.mode === value).length}</span>
              </button>
            ))}
          </div>
        </div>
        {error ? <p className="bs-error">{error}</p> : null}
        {boards === null ? (
          <p className="bs-muted">Loading your boards…</p>
        ) : shown.length === 0 ? (
          <div className="bs-empty">
            <p>No boards here yet. Start one from a prompt above, or import an exported board.</p>
          </div>
        ) : (
          <ul className="bs-board-list" data-testid="board-list">
            {shown.map((b) => {
              const canRename = canEditBoard(b.role, b.mode);
              const items = [
                { label: "Open", onSelect: () => window.location.assign(`/boards/${b.id}/`) },
                ...(canRename ? [{ label: "Rename…", onSelect: () => setModal({ kind: "rename", board: b }), testId: "rename" }] : []),
                ...(canDeleteBoard(b.role, b.mode) ? [{ label: "Delete…", danger: true, onSelect: () => setModal({ kind: "delete", board: b }), testId: "delete" }] : []),
              ];
              return (
                <li key={b.id} className="bs-board-row" data-testid="board-row">
                  <a className="bs-board-row__main" href={`/boards/${b.id}/`}>
                    <span className="bs-board-row__title">{b.title}</span>
                    <span className="bs-board-row__prompt">{b.prompt || "No prompt"}</span>
                  </a>
                  <span className={`bs-mode bs-mode--${b.mode}`}>{MODE_LABEL[b.mode]}</span>
                  <span className={`bs-role bs-role--${b.role}`}>{ROLE_LABEL[b.role]}</span>
                  <span className="bs-board-row__when" title={new Date(b.updated_at).toLocaleString()}>
                    {relativeTime(b.updated_at)}
                  </span>
                  <Menu label="•••" buttonClass="bs-icon-button bs-board-row__more" ariaLabel={`Actions for ${b.title}`} items={items} testId="board-actions" />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {modal?.kind === "create" ? <CreateDialog api={api} initial={modal} onClose={() => setModal(null)} /> : null}
      {modal?.kind === "practice" ? <PracticeDialog api={api} templates={templates} onClose={() => setModal(null)} /> : null}
      {modal?.kind === "rename" ? <RenameDialog api={api} board={modal.board} onClose={() => setModal(null)} onDone={closeAndReload} /> : null}
      {modal?.kind === "delete" ? <DeleteDialog api={api} board={modal.board} onClose={() => setModal(null)} onDone={closeAndReload} /> : null}
      {modal?.kind === "import-error" ? <ImportErrors message={modal.message} problems={modal.problems} onClose={() => setModal(null)} /> : null}
      {modal?.kind === "diagram" ? <ImportDialog api={api} onClose={() => setModal(null)} onImported={imported} /> : null}
      {modal?.kind === "import-report" ? <ImportReportDialog board={modal.board} onClose={() => setModal(null)} /> : null}
    </div>
  );
}
