// The Review tab: the review state and who reviews (with each verdict), review requests and
// the reviewer invite link (the owner), the versions (publish, open read-only, restore), and a
// comparison of any two versions (or one and now) as a list beside the canvas overlay.
import { GitCompare, History as HistoryIcon, UserPlus } from "lucide";
import { useEffect, useState } from "react";

import { relativeTime } from "../lib/format";
import { latestReviews, type Version } from "../sync";
import { Icon } from "../ui/Icon";
import { useCore, useReview, useReviewing, useSync } from "./context";
import { type VersionRef } from "./diff";
import { DiffList } from "./DiffList";
import { reviewerNames } from "./features/review";
import { AWAITING, STATE_INFO, VERDICT_INFO } from "./reviewCatalog";
import { openThreadCount } from "./reviewView";

export function ReviewPanel() {
  const core = useCore();
  const owner = useSync((s) => s.you?.role === "owner");
  // Publishing and review requests are not ops: catch up on them whenever the tab opens.
  useEffect(() => {
    void core.reviewStore.loadVersions().catch(() => undefined);
    void core.reviewStore.loadReviews().catch(() => undefined);
  }, [core]);
  return (
    <section className="bs-review" aria-label="Review" data-testid="review-panel">
      <ReviewStatus />
      {owner ? <RequestReview /> : null}
      <Versions owner={owner} />
      <Compare />
    </section>
  );
}

function ReviewStatus() {
  const review = useSync((s) => s.review);
  const participants = useSync((s) => s.participants);
  // Threads of every version count, whatever version is on screen.
  const annotations = useSync((s) => s.annotations);
  const open = openThreadCount(annotations);
  const info = STATE_INFO[review.state];
  const latest = latestReviews(review);
  return (
    <div className="bs-review__section">
      <h3 className="bs-panel-title">Review</h3>
      <p className="bs-review__state">
        <span className={`bs-review-state bs-review-state--${info.tone}`}>{info.name}</span>
        <span className="bs-muted" data-testid="open-threads">
          {open} open {open === 1 ? "thread" : "threads"}
        </span>
      </p>
      {latest.length ? (
        <ul className="bs-review__reviewers" aria-label="Reviewers">
          {latest.map((r) => (
            <li key={r.reviewer} data-testid="reviewer" data-verdict={r.verdict || "pending"}>
              <strong>{r.reviewer_name || participants.get(r.reviewer)?.name || "A reviewer"}</strong>
              <span className={`bs-verdict bs-verdict--${r.verdict || "pending"}`}>{r.verdict ? VERDICT_INFO[r.verdict].name : AWAITING}</span>
              <span className="bs-muted">
                v{r.version}
                {r.submitted_at ? ` · ${relativeTime(r.submitted_at)}` : ""}
              </span>
              {r.summary ? <p className="bs-review__summary">{r.summary}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="bs-muted">No review requested yet.</p>
      )}
    </div>
  );
}

function RequestReview() {
  const reviewing = useReviewing();
  const core = useCore();
  const versions = useSync((s) => s.versions);
  const participants = useSync((s) => s.participants);
  const [names, setNames] = useState("");
  const [busy, setBusy] = useState(false);
  const newest = versions.at(-1);
  // People already on the board who may be asked (a guest reviewer has only a name here).
  const askable = [...participants.values()].filter((p) => p.role === "reviewer" || p.role === "observer");
  const send = async () => {
    setBusy(true);
    if (await reviewing.requestReview(reviewerNames(names), newest?.id)) setNames("");
    setBusy(false);
  };
  return (
    <form
      className="bs-review__section"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div className="bs-field">
        <label htmlFor="bs-reviewers">Reviewers{newest ? ` for v${newest.id}` : ""}</label>
        <input
          id="bs-reviewers"
          type="text"
          list="bs-reviewer-options"
          value={names}
          onChange={(e) => setNames(e.target.value)}
          placeholder="alice, bob@example.com"
          disabled={!newest}
        />
        <datalist id="bs-reviewer-options">
          {askable.map((p) => (
            <option key={p.id} value={p.name} />
          ))}
        </datalist>
        <p className="bs-hint">Usernames, emails, or names of people on this board, separated by commas.</p>
      </div>
      <div className="bs-row-end">
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => core.ui.setState({ dialog: "invite" })}>
          <Icon icon={UserPlus} size={14} /> Reviewer invite link
        </button>
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={!newest || !names.trim() || busy}>
          Request review
        </button>
      </div>
      {newest ? null : <p className="bs-hint">Publish a version first: a review is of a version.</p>}
    </form>
  );
}

function Versions({ owner }: { owner: boolean }) {
  const versions = useSync((s) => s.versions);
  return (
    <div className="bs-review__section">
      <h3 className="bs-panel-title">Versions</h3>
      {owner ? <Publish /> : null}
      {versions.length ? (
        <ol className="bs-versions" aria-label="Versions">
          {[...versions].reverse().map((v) => (
            <VersionRow key={v.id} version={v} owner={owner} />
          ))}
        </ol>
      ) : (
        <p className="bs-muted">No version published yet.</p>
      )}
    </div>
  );
}

function Publish() {
  const reviewing = useReviewing();
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const publish = async () => {
    setBusy(true);
    if ((await reviewing.publishVersion(name, note)) !== null) {
      setName("");
      setNote("");
    }
    setBusy(false);
  };
  return (
    <form
      className="bs-review__publish"
      onSubmit={(event) => {
        event.preventDefault();
        void publish();
      }}
    >
      <div className="bs-field">
        <label htmlFor="bs-version-name">Version name</label>
        <input id="bs-version-name" type="text" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="First draft" />
      </div>
      <div className="bs-field">
        <label htmlFor="bs-version-note">Version note</label>
        <textarea id="bs-version-note" rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed, what to look at" />
      </div>
      <div className="bs-row-end">
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={!name.trim() || busy}>
          Publish version
        </button>
      </div>
    </form>
  );
}

function VersionRow({ version, owner }: { version: Version; owner: boolean }) {
  const reviewing = useReviewing();
  const participants = useSync((s) => s.participants);
  const shown = useReview((v) => v.shown?.version.id === version.id && v.compare === null);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className={`bs-version${shown ? " is-shown" : ""}`} data-testid="version-row" data-version={version.id}>
      <div className="bs-version__top">
        <strong>v{version.id}</strong> <span className="bs-version__name">{version.name}</span>
      </div>
      {version.note ? <p className="bs-version__note">{version.note}</p> : null}
      <p className="bs-muted bs-version__meta">
        {participants.get(version.author)?.name ?? "Someone"} · {relativeTime(version.created_at)} · seq {version.seq}
      </p>
      {confirming ? (
        <div className="bs-version__confirm" role="group" aria-label={`Restore version ${version.id}?`}>
          <span>The canvas becomes v{version.id} again, as a new change everyone sees. Nothing is lost from the history.</span>
          <div className="bs-row-end">
            <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="bs-button bs-button--danger bs-button--small"
              onClick={() => {
                setConfirming(false);
                void reviewing.restoreVersion(version.id);
              }}
            >
              Yes, restore
            </button>
          </div>
        </div>
      ) : (
        <div className="bs-version__actions">
          <button type="button" className="bs-button bs-button--small" aria-pressed={shown} onClick={() => void reviewing.openVersion(shown ? null : version.id)}>
            {shown ? "Back to live" : "Open"}
          </button>
          <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => void reviewing.compare(version.id, "now")}>
            <Icon icon={GitCompare} size={13} /> Compare with now
          </button>
          {owner ? (
            <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setConfirming(true)}>
              <Icon icon={HistoryIcon} size={13} /> Restore
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}

const refOf = (value: string): VersionRef => (value === "now" ? "now" : Number(value));

function Compare() {
  const reviewing = useReviewing();
  const versions = useSync((s) => s.versions);
  const compare = useReview((v) => v.compare);
  const loading = useReview((v) => v.loading);
  const newest = versions.at(-1)?.id;
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("now");
  if (!versions.length) return null;
  const fromValue = from || String(versions.length > 1 ? versions[versions.length - 2]!.id : newest);
  const options = (
    <>
      {versions.map((v) => (
        <option key={v.id} value={v.id}>
          v{v.id} · {v.name}
        </option>
      ))}
      <option value="now">Now (the live board)</option>
    </>
  );
  // A comparison's results move to the top of the panel (CSS order), in view, not below the fold.
  return (
    <div className={`bs-review__section${compare ? " is-comparing" : ""}`} data-testid="compare-section">
      <h3 className="bs-panel-title">Compare</h3>
      <form
        className="bs-review__compare"
        onSubmit={(event) => {
          event.preventDefault();
          void reviewing.compare(refOf(fromValue), refOf(to));
        }}
      >
        <div className="bs-field">
          <label htmlFor="bs-compare-from">Compare from</label>
          <select id="bs-compare-from" value={fromValue} onChange={(e) => setFrom(e.target.value)}>
            {options}
          </select>
        </div>
        <div className="bs-field">
          <label htmlFor="bs-compare-to">Compare to</label>
          <select id="bs-compare-to" value={to} onChange={(e) => setTo(e.target.value)}>
            {options}
          </select>
        </div>
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={loading || fromValue === to}>
          Compare
        </button>
      </form>
      {compare ? <DiffList compare={compare} /> : null}
    </div>
  );
}
