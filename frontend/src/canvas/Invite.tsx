// The Invite dialog (owner and interviewer): create links per role, copy them, list and revoke them.
import { Check, Copy, Link } from "lucide";
import { useCallback, useEffect, useState } from "react";

import { type Api, ApiError } from "../api/http";
import { relativeTime } from "../lib/format";
import { INVITABLE, type Mode, type Role } from "../sync";
import { Dialog } from "../ui/Dialog";
import { Icon } from "../ui/Icon";
import { ROLE_NAMES } from "./catalog";

interface Invite {
  readonly id: string;
  readonly role: Role;
  readonly url?: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly revoked: boolean;
  readonly joined: number;
}

const ROLE_HELP: Readonly<Record<string, string>> = {
  candidate: "Draws and edits the design.",
  interviewer: "Edits, invites others, edits the prompt.",
  observer: "Watches live; cannot edit.",
  reviewer: "Reads the saved design; cannot edit.",
};

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function InviteDialog({ api, boardId, mode, onClose }: { api: Api; boardId: string; mode: Mode; onClose: () => void }) {
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [created, setCreated] = useState<Invite | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setInvites(await api.get<Invite[]>(`boards/${boardId}/invites/`));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not load the invite links.");
    }
  }, [api, boardId]);
  useEffect(() => void load(), [load]);

  const create = async (role: Role) => {
    setBusy(true);
    setError(null);
    try {
      const invite = await api.post<Invite>(`boards/${boardId}/invites/`, { role });
      setCreated(invite);
      setCopied(invite.url ? await copy(invite.url) : false);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not create the link.");
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (invite: Invite) => {
    // Two clicks: the first arms the button, the second revokes.
    if (confirming !== invite.id) {
      setConfirming(invite.id);
      return;
    }
    setConfirming(null);
    try {
      await api.delete(`boards/${boardId}/invites/${invite.id}/`);
      if (created?.id === invite.id) setCreated(null);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not revoke the link.");
    }
  };

  const active = (invites ?? []).filter((i) => !i.revoked && Date.parse(i.expires_at) > Date.now());
  const inactive = (invites ?? []).filter((i) => !active.includes(i));
  return (
    <Dialog title="Invite people" onClose={onClose} wide testId="invite-dialog">
      <p className="bs-muted">Anyone with a link joins with its role after typing their name. Links expire after a week.</p>
      <div className="bs-invite-roles">
        {INVITABLE[mode].map((role) => (
          <button key={role} type="button" className="bs-invite-role" disabled={busy} onClick={() => create(role)} data-testid={`invite-${role}`}>
            <Icon icon={Link} size={16} />
            <span>
              <strong>{ROLE_NAMES[role]} link</strong>
              <small>{ROLE_HELP[role]}</small>
            </span>
          </button>
        ))}
      </div>
      {created?.url ? (
        <div className="bs-invite-created" data-testid="invite-created">
          <label htmlFor="bs-invite-url">New {ROLE_NAMES[created.role]?.toLowerCase()} link (shown once: copy it now)</label>
          <div className="bs-copy-row">
            <input id="bs-invite-url" type="text" readOnly value={created.url} onFocus={(e) => e.target.select()} data-testid="invite-url" />
            <button type="button" className="bs-button bs-button--primary" onClick={async () => setCopied(await copy(created.url ?? ""))}>
              <Icon icon={copied ? Check : Copy} size={15} /> {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="bs-error" role="alert">
          {error}
        </p>
      ) : null}
      <h3 className="bs-dialog__subtitle">Links</h3>
      {invites === null ? (
        <p className="bs-muted">Loading…</p>
      ) : invites.length === 0 ? (
        <p className="bs-muted">No links yet.</p>
      ) : (
        <table className="bs-table">
          <thead>
            <tr>
              <th>Role</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Joined</th>
              <th>
                <span className="bs-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...active, ...inactive].map((invite) => {
              const live = active.includes(invite);
              return (
                <tr key={invite.id} className={live ? "" : "is-inactive"} data-testid="invite-row">
                  <td>
                    <span className={`bs-role bs-role--${invite.role}`}>{ROLE_NAMES[invite.role]}</span>
                  </td>
                  <td>
                    {relativeTime(invite.created_at)} by {invite.created_by}
                  </td>
                  <td data-testid="invite-expires" title={new Date(invite.expires_at).toLocaleString()}>
                    {invite.revoked ? "Revoked" : live ? relativeTime(invite.expires_at) : "Expired"}
                  </td>
                  <td>{invite.joined}</td>
                  <td className="bs-table__actions">
                    {live ? (
                      <button
                        type="button"
                        className={`bs-button bs-button--small ${confirming === invite.id ? "bs-button--danger" : "bs-button--danger-quiet"}`}
                        onClick={() => revoke(invite)}
                        onBlur={() => setConfirming((id) => (id === invite.id ? null : id))}
                        title={confirming === invite.id ? "Everyone who joined with this link loses access now" : undefined}
                        data-testid="revoke"
                      >
                        {confirming === invite.id ? "Confirm revoke" : "Revoke"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
