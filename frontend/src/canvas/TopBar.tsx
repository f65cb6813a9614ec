// The board's top bar: where you are, who is here, the connection, sharing and export.
import { ChevronLeft, Download, FileCode, FileImage, FileJson, FileText, Image, Keyboard, PenTool, Shapes, UserPlus, Workflow } from "lucide";
import { useState } from "react";

import type { Api } from "../api/http";
import { slug } from "../lib/format";
import { canEditBoard, canInvite, hasSession, MODE_LABEL } from "../sync";
import { Icon } from "../ui/Icon";
import { Menu } from "../ui/Menu";
import { ThemeToggle } from "../ui/ThemeToggle";
import { ROLE_NAMES } from "./catalog";
import { ConnectionIndicator } from "./Connection";
import { useCore, useSync } from "./context";
import { buildSvg, download, exportDocument, svgMarkup, svgToPng } from "./exporter";
import { WhoIsHere } from "./Presence";
import { InboxLink, ReviewStateBadge, SubmitReviewButton } from "./ReviewBar";
import { SessionBar } from "./SessionBar";

/** What the server exports (GET /api/boards/{id}/export/?format=), each a download. */
const SERVER_EXPORTS = [
  { format: "markdown", label: "Design document (Markdown)", hint: "Components, threads, verdicts; diagram as Mermaid", icon: FileText },
  { format: "html", label: "Design document (HTML)", hint: "For print, with the diagram", icon: FileCode },
  { format: "mermaid", label: "Mermaid flowchart", hint: "The diagram as text (.mmd)", icon: Workflow },
  { format: "json", label: "Board file with threads", hint: "JSON with annotations and decisions, importable", icon: FileJson },
  { format: "svg", label: "Diagram SVG (server)", hint: "With badges counting open challenges", icon: FileImage },
  { format: "png", label: "Diagram PNG (server)", hint: "The same drawing, rasterised", icon: Image },
  { format: "excalidraw", label: "Excalidraw scene", hint: "Boxes, arrows and frames (.excalidraw)", icon: PenTool },
  { format: "drawio", label: "draw.io diagram", hint: "For diagrams.net, frames as containers (.drawio)", icon: Shapes },
] as const;

/** A download by following the export URL: the server answers with an attachment. */
function serverExport(api: Api, boardId: string, format: string): void {
  const link = document.createElement("a");
  link.href = api.url(`boards/${boardId}/export/?format=${format}`);
  link.rel = "noopener";
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

function Title({ api, boardId }: { api: Api; boardId: string }) {
  const core = useCore();
  const board = useSync((s) => s.board);
  const role = useSync((s) => s.you?.role ?? "observer");
  const [draft, setDraft] = useState<string | null>(null);
  if (!board) return <span className="bs-topbar__title">Loading…</span>;
  const save = async () => {
    const title = (draft ?? "").trim();
    setDraft(null);
    if (!title || title === board.title) return;
    try {
      await api.patch(`boards/${boardId}/`, { title });
    } catch (error) {
      core.toast("error", "The title was not changed", (error as Error).message);
    }
  };
  if (draft !== null) {
    return (
      <input
        className="bs-topbar__title-input"
        value={draft}
        maxLength={200}
        autoFocus
        aria-label="Board title"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (e.key === "Escape") setDraft(null);
        }}
      />
    );
  }
  return canEditBoard(role, board.mode) ? (
    <button type="button" className="bs-topbar__title is-editable" title={`${board.title} · click to rename`} onClick={() => setDraft(board.title)} data-testid="board-title">
      {board.title}
    </button>
  ) : (
    <h1 className="bs-topbar__title" title={board.title} data-testid="board-title">
      {board.title}
    </h1>
  );
}

export function TopBar({ api, boardId }: { api: Api; boardId: string }) {
  const core = useCore();
  const board = useSync((s) => s.board);
  const you = useSync((s) => s.you);
  const exportAs = async (format: "png" | "svg" | "json") => {
    const snapshot = core.client.getSnapshot();
    if (!snapshot.board) return;
    const name = slug(snapshot.board.title);
    try {
      if (format === "json") {
        const text = JSON.stringify(exportDocument(snapshot.board, snapshot.elements), null, 2);
        download(new Blob([text], { type: "application/json" }), `${name}.bothsides.json`);
        return;
      }
      const { svg, width, height } = buildSvg(snapshot.elements, snapshot.board.title);
      const markup = svgMarkup(svg);
      if (format === "svg") download(new Blob([markup], { type: "image/svg+xml" }), `${name}.svg`);
      else download(await svgToPng(markup, width, height), `${name}.png`);
    } catch (error) {
      core.toast("error", "Export failed", (error as Error).message);
    }
  };
  return (
    <header className="bs-topbar">
      <a className="bs-topbar__home" href="/" aria-label="My boards" title="My boards">
        <Icon icon={ChevronLeft} size={18} />
        <span className="bs-logo" aria-hidden="true">
          <span />
          <span />
        </span>
      </a>
      <div className="bs-topbar__where">
        <Title api={api} boardId={boardId} />
        {board ? <span className={`bs-mode bs-mode--${board.mode} bs-topbar__mode`}>{MODE_LABEL[board.mode]}</span> : null}
        {you ? (
          <span className="bs-topbar__you" data-testid="my-role">
            <span className="bs-topbar__label">You are </span>
            <strong>{ROLE_NAMES[you.role] ?? you.role}</strong>
            {you.role === "observer" ? " · view only" : you.role === "reviewer" ? " · challenges only" : ""}
          </span>
        ) : null}
      </div>
      {board && hasSession(board.mode) ? <SessionBar /> : null}
      <ReviewStateBadge />
      <div className="bs-topbar__actions">
        <SubmitReviewButton />
        <WhoIsHere />
        <ConnectionIndicator />
        <Menu
          label={
            <>
              <Icon icon={Download} size={16} /> <span className="bs-topbar__label">Export</span>
            </>
          }
          buttonClass="bs-button bs-button--quiet"
          testId="export-menu"
          items={[
            { label: "PNG image", hint: "The whole board, 2× resolution", icon: <Icon icon={Image} size={16} />, onSelect: () => void exportAs("png"), testId: "export-png" },
            { label: "SVG image", hint: "Scalable, for docs and slides", icon: <Icon icon={FileImage} size={16} />, onSelect: () => void exportAs("svg"), testId: "export-svg" },
            { label: "JSON", hint: "Import it into a new board later", icon: <Icon icon={FileJson} size={16} />, onSelect: () => void exportAs("json"), testId: "export-json" },
            ...SERVER_EXPORTS.map((item) => ({
              label: item.label,
              hint: item.hint,
              icon: <Icon icon={item.icon} size={16} />,
              onSelect: () => serverExport(api, boardId, item.format),
              testId: `export-server-${item.format}`,
            })),
          ]}
        />
        <InboxLink />
        {you && canInvite(you.role, board?.mode) ? (
          <button type="button" className="bs-button bs-button--primary" onClick={() => core.ui.setState({ dialog: "invite" })} data-testid="invite-button">
            <Icon icon={UserPlus} size={16} /> <span className="bs-topbar__label">Invite</span>
          </button>
        ) : null}
        <button
          type="button"
          className="bs-icon-button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={() => core.ui.setState({ dialog: "shortcuts" })}
        >
          <Icon icon={Keyboard} size={18} />
        </button>
        <ThemeToggle />
      </div>
    </header>
  );
}
