// The light/dark switch: the system's setting until someone picks one here.
import { Moon, Sun } from "lucide";
import { useSyncExternalStore } from "react";

import { setTheme, shownTheme, subscribeTheme } from "../lib/theme";
import { Icon } from "./Icon";

export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeTheme, shownTheme);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="bs-icon-button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to the ${next} theme (your choice is remembered)`}
      data-testid="theme-toggle"
      data-theme-shown={theme}
      onClick={() => setTheme(next)}
    >
      <Icon icon={theme === "dark" ? Sun : Moon} size={17} />
    </button>
  );
}
