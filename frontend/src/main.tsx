// One bundle, two pages: the board (#board-root) and the board list (#boards-root).
import "@xyflow/react/dist/style.css";
import "./styles.css";
import "./theme-dark.gen.css";
import "./theme-dark.css";

import { createRoot } from "react-dom/client";

import { BoardList } from "./boards/BoardList";
import { BoardApp } from "./canvas/BoardApp";
import { type BoardConfig, type BoardsConfig, readConfig } from "./app/config";
import { startTheme } from "./lib/theme";

function mount(): void {
  const board = document.getElementById("board-root");
  if (board) {
    const config = readConfig<BoardConfig>("board-config");
    if (!config) {
      board.textContent = "This page is missing its board configuration.";
      return;
    }
    createRoot(board).render(<BoardApp config={config} />);
    return;
  }
  const boards = document.getElementById("boards-root");
  if (boards) {
    const config = readConfig<BoardsConfig>("boards-config");
    if (config) createRoot(boards).render(<BoardList config={config} />);
  }
}

startTheme();
mount();
