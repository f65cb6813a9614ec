// Light or dark: the system's setting (prefers-color-scheme) unless the person chose one, which
// persists in localStorage. The page's <head> applies the same rule before the first paint
// (whiteboard/templates/whiteboard/base.html), so nothing flashes; this keeps it current.
export type Theme = "light" | "dark";

export const THEME_KEY = "bothsides:theme";
const query = () => (typeof window !== "undefined" && window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null);
const listeners = new Set<() => void>();

function stored(): Theme | null {
  try {
    const value = window.localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

export function currentTheme(): Theme {
  return stored() ?? (query()?.matches ? "dark" : "light");
}

function apply(): void {
  document.documentElement.dataset.theme = currentTheme();
  for (const listener of listeners) listener();
}

/** Apply the theme and follow the system's changes while the person has not chosen. */
export function startTheme(): void {
  apply();
  query()?.addEventListener("change", apply);
}

export function setTheme(theme: Theme): void {
  try {
    window.localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener();
}

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The theme on screen (what the attribute says, so a failed store still toggles). */
export function shownTheme(): Theme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}
