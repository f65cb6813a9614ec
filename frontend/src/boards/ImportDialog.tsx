// Importing a Mermaid flowchart as a new board (POST /api/boards/import/ with format
// "mermaid"), and what an import reports: the problems that stopped it (each with its line
// or path), or on success the notes on what was left out or changed.
import { useRef, useState } from "react";

import { type Api, ApiError, type Problem } from "../api/http";
import { Dialog } from "../ui/Dialog";

/** A board as the import answers it: the new board, plus its report. */
export interface Imported {
  readonly id: string;
  readonly title: string;
  readonly report?: readonly Problem[];
}

const MAX_MERMAID = 500_000;

/** Where a problem or note is: "line 3", or a path into a JSON file. */
function whereOf(problem: Problem): string {
  if (problem.line !== undefined && problem.line !== null) return `Line ${problem.line}`;
  return problem.path ?? "";
}

export function ProblemList({ problems, testId }: { problems: readonly Problem[]; testId: string }) {
  if (!problems.length) return null;
  return (
    <ul className="bs-problems" data-testid={testId}>
      {problems.slice(0, 50).map((p, i) => (
        <li key={i} data-line={p.line ?? undefined}>
          {whereOf(p) ? <code>{whereOf(p)}</code> : null} {p.message}
        </li>
      ))}
      {problems.length > 50 ? <li>… and {problems.length - 50} more.</li> : null}
    </ul>
  );
}

export function MermaidImportDialog({ api, onClose, onImported }: { api: Api; onClose: () => void; onImported: (board: Imported) => void }) {
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; problems: readonly Problem[] } | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const board = await api.post<Imported>("boards/import/", { format: "mermaid", title: title.trim(), content });
      onImported(board);
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      setError({ message: err?.message ?? "The import failed.", problems: err?.problems ?? [] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Import a Mermaid flowchart"
      onClose={onClose}
      wide
      testId="mermaid-import"
      footer={
        <>
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="bs-mermaid-form" className="bs-button bs-button--primary" disabled={busy || !content.trim()}>
            Import
          </button>
        </>
      }
    >
      <form
        id="bs-mermaid-form"
        className="bs-import"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="bs-muted">
          A <code>flowchart</code> (or <code>graph</code>) becomes a new board: node shapes give component types, dotted links are
          asynchronous. What cannot be kept is listed after the import.
        </p>
        <div className="bs-field">
          <label htmlFor="bs-mermaid-title">Title</label>
          <input id="bs-mermaid-title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="From the chart's front matter, else “Imported flowchart”" />
        </div>
        <div className="bs-field">
          <label htmlFor="bs-mermaid-content">Mermaid</label>
          <textarea
            id="bs-mermaid-content"
            rows={12}
            spellCheck={false}
            className="bs-code"
            maxLength={MAX_MERMAID}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            placeholder={"flowchart LR\n  client([Web app]) --> api[API]\n  api --> db[(Postgres)]"}
          />
        </div>
        <div className="bs-row-end">
          <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => file.current?.click()}>
            Load a .mmd file…
          </button>
          <input
            ref={file}
            type="file"
            accept=".mmd,.mermaid,.md,.txt,text/plain"
            className="bs-visually-hidden"
            aria-label="Load a Mermaid file"
            data-testid="mermaid-file"
            onChange={async (e) => {
              const chosen = e.target.files?.[0];
              if (chosen) setContent(await chosen.text());
              e.target.value = "";
            }}
          />
        </div>
        {error ? (
          <div className="bs-import__error" role="alert" data-testid="import-problems-box">
            <p className="bs-error">{error.message}</p>
            <ProblemList problems={error.problems} testId="import-problems" />
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}

/** After an import that left something out: the notes, then the board. */
export function ImportReportDialog({ board, onClose }: { board: Imported; onClose: () => void }) {
  return (
    <Dialog
      title="Imported, with notes"
      onClose={onClose}
      testId="import-report"
      footer={
        <a className="bs-button bs-button--primary" href={`/boards/${board.id}/`}>
          Open the board
        </a>
      }
    >
      <p>
        “{board.title}” was created. {board.report?.length === 1 ? "One thing was" : `${board.report?.length ?? 0} things were`} left out or changed:
      </p>
      <ProblemList problems={board.report ?? []} testId="import-report-notes" />
    </Dialog>
  );
}
