// Configuration Django renders into the page with `json_script` (never as HTML).
import type { Role } from "../sync";

export interface BoardConfig {
  readonly board: string;
  readonly socket: string;
  readonly participant: string;
  readonly role: Role;
  readonly name: string;
  readonly csrf: string;
  readonly api: string;
}

export interface BoardsConfig {
  readonly csrf: string;
  readonly user: string;
  readonly api: string;
}

export function readConfig<T>(id: string): T | null {
  const node = document.getElementById(id);
  if (!node?.textContent) return null;
  try {
    return JSON.parse(node.textContent) as T;
  } catch {
    return null;
  }
}

export function socketUrl(path: string): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}
