// The review in the top bar: the board's state at a glance, the inbox, and (for a reviewer)
// Submit review with the number of pending challenges. Also the banner over a version
// open read-only or a comparison, and the Submit review dialog.
import { Inbox, Send } from "lucide";
import { useState } from "react";

import { plural } from "../lib/format";
import { type Verdict } from "../sync";
import { Dialog } from "../ui/Dialog";
import { Icon } from "../ui/Icon";
import { useActor, useCore, useReview, useReviewing, useSync } from "./context";
import { diffSize } from "./diff";
import { STATE_INFO, VERDICT_LIST } from "./reviewCatalog";

export function ReviewStateBadge() {
  const core = useCore();
  const state = useSync((s) => s.review.state);
  const review = useSync((s) => s.board?.mode === "review");
  if (state === "none" && !review) return null;
  const info = STATE_INFO[state];
  return (
    <button
      type="button"
      className={`bs-review-state bs-review-state--${info.tone}`}
      data-testid="review-state"
      data-state={state}
      title="The review: versions, reviewers and verdicts"
      onClick={() => core.ui.setState({ sidebar: "review" })}
    >
      {info.name}
    </button>
  );
}

export function InboxLink() {
  return (
    <a className="bs-button bs-button--quiet" href="/inbox/" data-testid="inbox-link" title="Reviews requested from you, and challenges waiting for your answer">
      <Icon icon={Inbox} size={16} /> <span className="bs-topbar__label">Inbox</span>
    </a>
  );
}

/** A reviewer's way to send their review (with its pending challenges). */
export function SubmitReviewButton() {
  const core = useCore();
  // Not a change to the board: a reviewer may submit while looking at a version or a comparison.
  const writer = useActor();
  const pending = useReview((v) => v.pending.length);
  const reviewer = useSync((s) => s.you?.role === "reviewer");
  if (!reviewer) return null;
  return (
    <button
      type="button"
      className="bs-button bs-button--primary"
      disabled={!writer}
      onClick={() => core.ui.setState({ dialog: "submit-review" })}
      data-testid="submit-review"
    >
      <Icon icon={Send} size={15} /> Submit review
      {pending ? (
        <span className="bs-count" data-testid="pending-count">
          {pending}
        </span>
      ) : null}
    </button>
  );
}

export function SubmitReviewDialog({ onClose }: { onClose: () => void }) {
  const reviewing = useReviewing();
  const pending = useReview((v) => v.pending.length);
  const newest = useSync((s) => s.versions.at(-1));
  const [verdict, setVerdict] = useState<Verdict>("comment");
  const [summary, setSummary] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const done = await reviewing.submitReview(verdict, summary);
    setBusy(false);
    if (done) onClose();
  };
  return (
    <Dialog
      title="Submit review"
      onClose={onClose}
      testId="submit-review-dialog"
      footer={
        <>
          <button type="button" className="bs-button bs-button--quiet" onClick={onClose}>
            Keep reviewing
          </button>
          <button type="submit" form="bs-submit-review" className="bs-button bs-button--primary" disabled={busy || !newest} data-testid="submit-review-confirm">
            Submit review
          </button>
        </>
      }
    >
      <form
        id="bs-submit-review"
        className="bs-submit-review"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="bs-muted">
          {newest ? `Your review of v${newest.id} · ${newest.name}. ` : "There is no published version to review yet. "}
          {pending ? `${plural(pending, "pending challenge")} will go to everyone with it, at once.` : "No pending challenges: the verdict goes alone."}
        </p>
        <fieldset className="bs-field bs-verdicts" role="radiogroup" aria-label="Verdict">
          <legend>Verdict</legend>
          {VERDICT_LIST.map((info) => (
            <label key={info.verdict} className={`bs-verdict-option${verdict === info.verdict ? " is-on" : ""}`}>
              <input
                type="radio"
                name="verdict"
                value={info.verdict}
                aria-label={info.name}
                checked={verdict === info.verdict}
                onChange={() => setVerdict(info.verdict)}
              />
              <span>
                <strong>{info.name}</strong>
                <small>{info.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="bs-field">
          <label htmlFor="bs-review-summary">Summary</label>
          <textarea id="bs-review-summary" rows={4} maxLength={4000} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="The overall picture, in a few sentences" />
        </div>
      </form>
    </Dialog>
  );
}

/** Over the canvas while a version (or a comparison) shows instead of the live board. */
export function VersionBanner() {
  const reviewing = useReviewing();
  const shown = useReview((v) => v.shown);
  const compare = useReview((v) => v.compare);
  if (compare) {
    const ref = (r: number | "now") => (r === "now" ? "now" : `v${r}`);
    const { added, removed, changed } = compare.diff;
    return (
      <div className="bs-banner bs-banner--compare" role="status" data-testid="compare-banner" data-from={compare.from} data-to={compare.to}>
        <span className="bs-banner__text">
          Comparing {ref(compare.from)} → {ref(compare.to)}
          {compare.to === "now" ? "" : " · read-only"} ·{" "}
          {diffSize(compare.diff) ? `${added.length} added, ${removed.length} removed, ${changed.length} changed` : "no changes in meaning"}
        </span>
        <button type="button" className="bs-button bs-button--small" onClick={() => reviewing.closeCompare()}>
          Close comparison
        </button>
      </div>
    );
  }
  if (!shown) return null;
  return (
    <div className="bs-banner bs-banner--version" role="status" data-testid="version-banner" data-version={shown.version.id}>
      <span className="bs-banner__text">
        Viewing v{shown.version.id} · {shown.version.name} · read-only
      </span>
      <button type="button" className="bs-button bs-button--small" onClick={() => void reviewing.openVersion(null)}>
        Back to live
      </button>
    </div>
  );
}
