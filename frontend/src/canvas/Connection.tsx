// The connection indicator: live, saving, reconnecting, offline with unsynced changes.
import { CloudOff, LoaderCircle, Wifi } from "lucide";
import { useEffect, useState } from "react";

import { plural } from "../lib/format";
import { Icon } from "../ui/Icon";
import { useCore, useSync } from "./context";

export function ConnectionIndicator() {
  const core = useCore();
  const status = useSync((s) => s.status);
  const unsynced = useSync((s) => s.unsynced);
  // A change normally round-trips in a few milliseconds: only a slow one shows "Saving…".
  const [slow, setSlow] = useState(false);
  const waiting = unsynced > 0;
  useEffect(() => {
    if (!waiting) {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), 600);
    return () => clearTimeout(timer);
  }, [waiting]);
  let tone = "live";
  let text = "Live";
  let detail = "Connected. Everyone sees your changes as you make them.";
  let icon = Wifi;
  if (status === "connecting") {
    tone = "pending";
    text = "Connecting…";
    detail = "Opening the board.";
    icon = LoaderCircle;
  } else if (status === "reconnecting") {
    tone = "pending";
    text = "Reconnecting…";
    detail = "The connection dropped. Your changes are kept and will be sent when it is back.";
    icon = LoaderCircle;
  } else if (status === "offline") {
    tone = "offline";
    text = "Offline";
    detail = "Cannot reach the server. Keep working: your changes are kept and sent when it is back.";
    icon = CloudOff;
  } else if (status === "outdated") {
    tone = "offline";
    text = "BothSides was updated: reloading…";
    detail = text;
    icon = LoaderCircle;
  } else if (status === "removed" || status === "deleted") {
    tone = "offline";
    text = status === "removed" ? "Access removed" : "Board deleted";
    detail = text;
    icon = CloudOff;
  } else if (unsynced > 0 && slow) {
    tone = "saving";
    text = "Saving…";
    detail = `${plural(unsynced, "change")} on the way to the server.`;
    icon = LoaderCircle;
  }
  const pending = unsynced > 0 && status !== "live" ? ` · ${plural(unsynced, "unsynced change")}` : "";
  return (
    <button
      type="button"
      className={`bs-connection bs-connection--${tone}`}
      title={detail}
      aria-live="polite"
      data-testid="connection"
      data-status={status}
      data-unsynced={unsynced}
      onClick={() => (status === "offline" || status === "reconnecting" ? core.client.reconnectNow() : undefined)}
    >
      <Icon icon={icon} size={14} className={icon === LoaderCircle ? "bs-spin" : undefined} />
      <span>
        {text}
        {pending}
      </span>
    </button>
  );
}
