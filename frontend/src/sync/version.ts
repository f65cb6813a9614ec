// The protocol version: a client built for another version than the server's would misread
// its frames, so it stops and reloads the page to fetch the matching build. A reload that
// brings back the same old build (a stale cache) must not loop, hence the guard.

import { PROTOCOL } from "./protocol";

const KEY = "bothsides.protocol-reload";
/** A second reload for the same server version within this long is a loop: stop and say so. */
export const RELOAD_GUARD_MS = 60_000;

/** Whether frames from a server speaking `server` can be read by this build (absent: version 1). */
export function speaksProtocol(server: number | undefined): boolean {
  return (server ?? 1) === PROTOCOL;
}

export interface ReloadEnv {
  readonly storage: Pick<Storage, "getItem" | "setItem"> | null;
  readonly reload: () => void;
  readonly now: number;
}

/** Reload the page for a server on another protocol version, unless this tab just did; true if it reloads. */
export function reloadForProtocol(server: number, env: ReloadEnv): boolean {
  let last: unknown = null;
  try {
    last = JSON.parse(env.storage?.getItem(KEY) ?? "null");
  } catch {
    last = null;
  }
  if (typeof last === "object" && last !== null) {
    const { server: was, at } = last as { server?: unknown; at?: unknown };
    if (was === server && typeof at === "number" && env.now - at >= 0 && env.now - at < RELOAD_GUARD_MS) return false;
  }
  try {
    env.storage?.setItem(KEY, JSON.stringify({ server, at: env.now }));
  } catch {
    // storage full or refused: reload anyway, as the guard is only a safety net
  }
  env.reload();
  return true;
}

/** The browser's reload, guarded by the tab's session storage. */
export function reloadPage(server: number): boolean {
  let storage: Storage | null = null;
  try {
    storage = globalThis.sessionStorage ?? null;
  } catch {
    storage = null;
  }
  return reloadForProtocol(server, { storage, reload: () => globalThis.location.reload(), now: Date.now() });
}
