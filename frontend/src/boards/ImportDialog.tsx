// Importing a diagram as a new board (POST /api/boards/import/ with format "mermaid",
// "excalidraw" or "drawio"; a file is chosen or dropped, its format told from its name or
// content), and what an import reports: the problems that stopped it (each with its line,
// path or element id), or on success the notes on what was left out or changed.
import { FileText, Upload } from "lucide";
import { useRef, useState } from "react";

import { type Api, ApiError, type Problem } from "../api/http";
import { Dialog } from "../ui/Dialog";
import { Icon } from "../ui/Icon";

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
  if (problem.id) return problem.id;
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

/** The formats the dialog imports; a BothSides JSON file has its own button (and is recognised here too). */
export type ImportFormat = "mermaid" | "excalidraw" | "drawio" | "json";

const FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  mermaid: "Mermaid",
  excalidraw: "Excalidraw",
  drawio: "draw.io",
  json: "BothSides file",
};
const CHOICES = ["mermaid", "excalidraw", "drawio"] as const;
const ACCEPT = ".excalidraw,.excalidrawlib,.drawio,.dio,.xml,.mmd,.mermaid,.md,.txt,.json";

/** What a file is, from its name, else from its first characters. */
export function detectFormat(name: string, text: string): ImportFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith(".excalidraw") || lower.endsWith(".excalidrawlib")) return "excalidraw";
  if (lower.endsWith(".drawio") || lower.endsWith(".dio")) return "drawio";
  if (lower.endsWith(".mmd") || lower.endsWith(".mermaid")) return "mermaid";
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("<")) return "drawio";
  if (start.startsWith("{")) {
    if (/"type"\s*:\s*"excalidraw/.test(start.slice(0, 2000))) return "excalidraw";
    if (/"format"\s*:\s*"bothsides"/.test(start.slice(0, 2000))) return "json";
  }
  return "mermaid";
}

/** The page names of a draw.io file (its `<diagram name>`s), or [] when it is not readable XML. */
export function drawioPages(text: string): string[] {
  const doc = new DOMParser().parseFromString(text.replace(/^\uFEFF/, ""), "application/xml");
  if (doc.getElementsByTagName("parsererror").length || doc.documentElement.tagName !== "mxfile") return [];
  return [...doc.documentElement.children].filter((c) => c.tagName === "diagram").map((d, i) => d.getAttribute("name") || `Page-${i + 1}`);
}

interface Loaded {
  readonly name: string;
  readonly size: number;
  readonly text: string;
  readonly pages: readonly string[];
}

export function ImportDialog({ api, onClose, onImported }: { api: Api; onClose: () => void; onImported: (board: Imported) => void }) {
  const [title, setTitle] = useState("");
  const [format, setFormat] = useState<ImportFormat>("mermaid");
  const [content, setContent] = useState("");
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [page, setPage] = useState(0);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; problems: readonly Problem[] } | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const take = async (chosen: File | undefined) => {
    if (!chosen) return;
    setError(null);
    const text = await chosen.text();
    const kind = detectFormat(chosen.name, text);
    setFormat(kind);
    setPage(0);
    if (kind === "mermaid") {
      setContent(text);
      setLoaded(null);
    } else {
      setLoaded({ name: chosen.name, size: chosen.size, text, pages: kind === "drawio" ? drawioPages(text) : [] });
    }
  };

  const body = (): Record<string, unknown> | null => {
    if (format === "mermaid") return content.trim() ? { format, content } : null;
    if (!loaded) return null;
    if (format === "json") {
      try {
        return { format, content: JSON.parse(loaded.text) as unknown };
      } catch {
        return { format, content: loaded.text };
      }
    }
    return { format, content: loaded.text, ...(format === "drawio" && loaded.pages.length > 1 ? { page } : {}) };
  };
  const request = body();

  const submit = async () => {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      const board = await api.post<Imported>("boards/import/", { ...request, title: title.trim() });
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
      title="Import a diagram"
      onClose={onClose}
      wide
      testId="diagram-import"
      footer={
        <>
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="bs-import-form" className="bs-button bs-button--primary" disabled={busy || !request}>
            {busy ? "Importing…" : "Import"}
          </button>
        </>
      }
    >
      <form
        id="bs-import-form"
        className="bs-import"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div
          className={`bs-dropzone${over ? " is-over" : ""}`}
          data-testid="import-drop"
          onDragOver={(event) => {
            if (!event.dataTransfer.types.includes("Files")) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(event) => {
            event.preventDefault();
            setOver(false);
            void take(event.dataTransfer.files[0]);
          }}
        >
          <Icon icon={Upload} size={18} />
          <p>
            Drop an <strong>.excalidraw</strong>, <strong>.drawio</strong> or <strong>.mmd</strong> file here, or{" "}
            <button type="button" className="bs-link-button" onClick={() => file.current?.click()}>
              choose a file
            </button>
            .
          </p>
          <p className="bs-muted">
            Shapes become typed components (a cylinder or an RDS icon is a database, “Redis” a cache), connected arrows stay arrows,
            frames and containers become frames. What cannot be kept is listed after the import.
          </p>
          <input
            ref={file}
            type="file"
            accept={ACCEPT}
            className="bs-visually-hidden"
            aria-label="Choose a diagram file"
            data-testid="import-file"
            onChange={(e) => {
              void take(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
        </div>
        <div className="bs-field">
          <span className="bs-field__label" id="bs-import-format">
            Format
          </span>
          <div className="bs-format-choice" role="radiogroup" aria-labelledby="bs-import-format">
            {CHOICES.map((choice) => (
              <button
                key={choice}
                type="button"
                role="radio"
                aria-checked={format === choice}
                className={format === choice ? "is-on" : ""}
                onClick={() => {
                  setFormat(choice);
                  setError(null);
                }}
              >
                {FORMAT_NAMES[choice]}
              </button>
            ))}
          </div>
        </div>
        {format === "mermaid" ? (
          <div className="bs-field">
            <label htmlFor="bs-mermaid-content">Mermaid</label>
            <textarea
              id="bs-mermaid-content"
              rows={8}
              spellCheck={false}
              className="bs-code"
              maxLength={MAX_MERMAID}
              value={content}
              onChange={(e) => setContent(e.target.value)}
              placeholder={"flowchart LR\n  client([Web app]) --> api[API]\n  api --> db[(Postgres)]"}
            />
          </div>
        ) : loaded ? (
          <p className="bs-import__file" data-testid="import-chosen">
            <Icon icon={FileText} size={16} /> <strong>{loaded.name}</strong> <span className="bs-muted">· {kilobytes(loaded.size)} · {FORMAT_NAMES[format]}</span>
          </p>
        ) : (
          <p className="bs-muted">Choose or drop a {FORMAT_NAMES[format]} file.</p>
        )}
        {format === "drawio" && loaded && loaded.pages.length > 1 ? (
          <div className="bs-field">
            <label htmlFor="bs-import-page">Page</label>
            <select id="bs-import-page" value={page} onChange={(e) => setPage(Number(e.target.value))} data-testid="import-page">
              {loaded.pages.map((name, i) => (
                <option key={i} value={i}>
                  {name} ({i + 1} of {loaded.pages.length})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="bs-field">
          <label htmlFor="bs-import-title">Title</label>
          <input
            id="bs-import-title"
            type="text"
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="From the file (a draw.io page's name, a chart's title), else “Imported board”"
          />
        </div>
        {error ? (
          <div className="bs-import__error" role="alert" data-testid="import-problems-box">
            <p className="bs-error">{error.message}</p>
            <ProblemList problems={error.problems.filter((p) => p.message !== error.message)} testId="import-problems" />
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}

function kilobytes(size: number): string {
  return size < 1024 ? `${size} bytes` : `${(size / 1024).toFixed(size < 10240 ? 1 : 0)} KB`;
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
