// Who is here: others' cursors on the canvas, and avatars with roles in the top bar.
import { useStore as useFlowStore, ViewportPortal } from "@xyflow/react";
import { memo, useCallback, useRef, useState } from "react";

import { canKeepClock, isPlayedByServer, type Participant } from "../sync";
import { initials, personColor, ROLE_NAMES } from "./catalog";
import { useDismiss } from "../ui/useDismiss";
import { useStore } from "zustand";

import { useFollow, useSync, useUi } from "./context";

const Cursor = memo(function Cursor({ x, y, name, color, scale }: { x: number; y: number; name: string; color: string; scale: number }) {
  return (
    <div
      className="bs-cursor"
      style={{ transform: `translate(${x}px, ${y}px) scale(${scale})`, "--who": color } as React.CSSProperties}
      data-testid="remote-cursor"
    >
      <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
        <path d="M2 1.5 L15.5 8.2 L9 9.6 L6.3 16 Z" fill={color} stroke="#fff" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      <span className="bs-cursor__name">{name}</span>
    </div>
  );
});

export function RemoteCursors() {
  const cursors = useUi((s) => s.cursors);
  const participants = useSync((s) => s.participants);
  const zoom = useFlowStore((s) => s.transform[2]);
  if (!cursors.size) return null;
  return (
    <ViewportPortal>
      <div className="bs-cursors">
        {[...cursors].map(([id, cursor]) => (
          <Cursor
            key={id}
            x={cursor.x}
            y={cursor.y}
            name={participants.get(id)?.name ?? "Someone"}
            color={personColor(id)}
            scale={1 / zoom}
          />
        ))}
      </div>
    </ViewportPortal>
  );
}

function Avatar({ person, you }: { person: Pick<Participant, "id" | "name" | "role">; you?: boolean }) {
  const role = ROLE_NAMES[person.role] ?? person.role;
  return (
    <span
      className={`bs-avatar bs-avatar--${person.role}`}
      title={`${person.name}${you ? " (you)" : ""} · ${role}`}
      data-testid="avatar"
      data-role={person.role}
    >
      {initials(person.name)}
      <span className={`bs-avatar__role bs-role--${person.role}`} aria-hidden="true">
        {role[0]}
      </span>
    </span>
  );
}

export function WhoIsHere() {
  const participants = useSync((s) => s.participants);
  const you = useSync((s) => s.you);
  const live = useSync((s) => s.status === "live");
  const [open, setOpen] = useState(false);
  const follow = useFollow();
  const following = useStore(follow.store, (s) => s.following);
  const leading = useStore(follow.store, (s) => s.leading);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(root, open, useCallback(() => setOpen(false), []));
  const everyone = [...participants.values()];
  // The coach of a practice board is played by the server: always here.
  const here = (p: Participant) => p.online || p.id === you?.participant || isPlayedByServer(p.role);
  const online = everyone.filter(here);
  const shown = online.slice(0, 5);
  return (
    <div className={`bs-people${live ? "" : " is-stale"}`} ref={root} title={live ? undefined : "Presence is paused while offline"}>
      <button
        type="button"
        className="bs-people__button"
        aria-expanded={open}
        aria-label={`${online.length} here now; show everyone on this board`}
        onClick={() => setOpen((v) => !v)}
        data-testid="people-button"
      >
        <span className="bs-avatars">
          {shown.map((p) => (
            <Avatar key={p.id} person={p} you={p.id === you?.participant} />
          ))}
          {online.length > shown.length ? <span className="bs-avatar bs-avatar--more">+{online.length - shown.length}</span> : null}
        </span>
      </button>
      {open ? (
        <div className="bs-popover bs-people__list" role="dialog" aria-label="People on this board">
          <h3>On this board</h3>
          {follow.canLead && you && canKeepClock(you.role) ? (
            <button
              type="button"
              className={`bs-button bs-button--small bs-people__lead${leading ? " is-on" : ""}`}
              aria-pressed={leading}
              onClick={() => follow.lead(!leading)}
              data-testid="lead-button"
            >
              {leading ? "Stop: everyone follows me" : "Everyone follow me"}
            </button>
          ) : null}
          <ul>
            {everyone
              .sort((a, b) => Number(here(b)) - Number(here(a)) || a.name.localeCompare(b.name))
              .map((p) => (
                <li key={p.id} className={here(p) ? "" : "is-away"} data-testid="person">
                  <Avatar person={p} you={p.id === you?.participant} />
                  <span className="bs-people__name">
                    {p.name}
                    {p.id === you?.participant ? <em> (you)</em> : null}
                  </span>
                  <span className={`bs-role bs-role--${p.role}`}>{ROLE_NAMES[p.role] ?? p.role}</span>
                  <span className="bs-people__state">{here(p) ? "here" : "away"}</span>
                  {p.online && p.id !== you?.participant ? (
                    <button
                      type="button"
                      className="bs-button bs-button--small"
                      aria-pressed={following === p.id}
                      onClick={() => (following === p.id ? follow.stop() : follow.follow(p.id))}
                      title={`See what ${p.name} sees: your view follows theirs until you pan, zoom or press Esc`}
                      data-testid="follow-person"
                      data-participant={p.id}
                    >
                      {following === p.id ? "Following" : "Follow"}
                    </button>
                  ) : null}
                </li>
              ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
