// My scorecard (the owner and interviewers only; nobody else renders or fetches
// it): a 1-4 rating per dimension against the rubric's anchors, notes, evidence
// links into the replay, a hire recommendation; saved as a draft as I type,
// submitted once. The others' cards show only after mine is in (the API
// enforces it), so every interviewer scores on their own.
import { CircleCheck, ExternalLink, FileText, Flag, History, LoaderCircle, MessageSquare, Plus, Sparkles, TriangleAlert, X } from "lucide";
import { type KeyboardEvent, useEffect, useId, useState, useSyncExternalStore } from "react";

import { plural } from "../lib/format";
import { type Board, requirementList } from "../sync";
import { Icon } from "../ui/Icon";
import { describeElement } from "./catalog";
import { useBoard, useNavigation, useReplay, useSync, useUi } from "./context";
import { formatTime } from "./interviewCatalog";
import {
  authorName,
  describeLink,
  type Dimension,
  DIMENSIONS,
  type DimensionScore,
  type Draft,
  type EvidenceLink,
  HIRE,
  HIRE_NAMES,
  type Hire,
  missing,
  type Rating,
  RATINGS,
  type Rubric,
  type Scorecard,
  type Signals,
  isWalkthroughSignal,
  SIGNALS,
  signalValue,
  withLink,
  withoutLink,
} from "./scorecard";
import type { ScorecardState, ScorecardStore } from "./scorecardStore";

const LINK_ICONS = { element: Flag, annotation: MessageSquare, requirement: FileText, seq: History } as const;

function useScorecards(store: ScorecardStore): ScorecardState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Arrow keys move between the radios of a group, like native radio buttons. */
function arrowKeys<T>(options: readonly T[], value: T | null, choose: (value: T) => void) {
  return (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const index = value === null ? (step > 0 ? -1 : 0) : options.indexOf(value);
    const next = options[(index + step + options.length) % options.length];
    if (next === undefined) return;
    choose(next);
    const buttons = event.currentTarget.querySelectorAll<HTMLButtonElement>("[role=radio]");
    buttons[options.indexOf(next)]?.focus();
  };
}

/** One evidence link: click to see it in the replay; removable while drafting. */
function LinkChip({ link, board, onRemove, testId = "evidence-link" }: { link: EvidenceLink; board: Board; onRemove?: () => void; testId?: string }) {
  const navigation = useNavigation();
  const text = describeLink(link, board);
  const where = link.seq === undefined ? "" : ` · seq ${link.seq}`;
  return (
    <li className={`bs-evidence bs-evidence--${link.type}`} data-testid={testId} data-type={link.type} data-seq={link.seq ?? ""}>
      <button
        type="button"
        className="bs-evidence__open"
        title={link.seq === undefined ? "Show it on the board" : `Replay the board at seq ${link.seq} and show it`}
        onClick={() => void navigation.showEvidence(link)}
      >
        <Icon icon={LINK_ICONS[link.type]} size={12} />
        <span className="bs-evidence__text">{text}</span>
        <span className="bs-evidence__seq">{where}</span>
      </button>
      {onRemove ? (
        <button type="button" className="bs-evidence__remove" aria-label={`Remove ${text}`} onClick={onRemove}>
          <Icon icon={X} size={11} />
        </button>
      ) : null}
    </li>
  );
}

interface Option {
  readonly label: string;
  readonly link: EvidenceLink;
}

/** What could be cited from the board on screen: the selection, this replay moment, entries, annotations. */
function useCandidates(): { group: string; options: Option[] }[] {
  const shown = useBoard((b) => b);
  const selected = useUi((s) => s.selected);
  const liveSeq = useSync((s) => s.seq ?? 0);
  const frame = useReplay((v) => (v.open ? v.frame : null));
  const seq = frame?.seq ?? liveSeq;
  const groups: { group: string; options: Option[] }[] = [];
  const selection = [...selected].map((id) => shown.elements.get(id)).filter((e) => e !== undefined);
  if (selection.length) {
    groups.push({
      group: "Selection",
      options: selection.map((e) => ({ label: `${describeElement(e)} (at seq ${seq})`, link: { type: "element", id: e.id, seq } })),
    });
  }
  if (frame) groups.push({ group: "Replay", options: [{ label: `This moment (seq ${frame.seq})`, link: { type: "seq", seq: frame.seq } }] });
  const entries = requirementList(shown.requirements);
  if (entries.length) {
    groups.push({
      group: "Ledger",
      options: entries.map((e) => ({ label: `${e.kind}: ${e.text.slice(0, 60)}`, link: { type: "requirement", id: e.id, seq: e.seq } })),
    });
  }
  const annotations = [...shown.annotations.values()].sort((a, b) => a.raised_seq - b.raised_seq);
  if (annotations.length) {
    groups.push({
      group: "Annotations",
      options: annotations.map((a) => ({ label: `${a.layer === "private" ? "(private) " : ""}${a.text.slice(0, 60)}`, link: { type: "annotation", id: a.id, seq: a.raised_seq } })),
    });
  }
  return groups;
}

function AddEvidence({ label, onAdd }: { label: string; onAdd: (link: EvidenceLink) => void }) {
  const groups = useCandidates();
  const flat = groups.flatMap((g) => g.options);
  return (
    <select
      className="bs-filter bs-evidence__add"
      aria-label={`Add evidence to ${label}`}
      value=""
      disabled={!flat.length}
      onChange={(event) => {
        const option = flat[Number(event.target.value)];
        if (option) onAdd(option.link);
      }}
    >
      <option value="">{flat.length ? "+ Add evidence…" : "Select something, or open the replay, to cite it"}</option>
      {groups.map((group) => (
        <optgroup key={group.group} label={group.group}>
          {group.options.map((option) => (
            <option key={`${group.group}:${flat.indexOf(option)}`} value={flat.indexOf(option)}>
              {option.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** What the log says about this dimension: suggestions, each with the links it came from. */
function SignalList({ dimension, signals, board, onAdd }: { dimension: Dimension; signals: Signals; board: Board; onAdd: (links: readonly EvidenceLink[]) => void }) {
  return (
    <details className="bs-signals">
      <summary>
        <Icon icon={Sparkles} size={13} /> Signals from the session
      </summary>
      <ul>
        {SIGNALS[dimension].filter((info) => !isWalkthroughSignal(info.key) || signalValue(signals, info.key) !== undefined).map((info) => {
          const links = signals.evidence[info.key] ?? [];
          return (
            <li key={info.key} className="bs-signal" data-testid="signal" data-signal={info.key}>
              <span className="bs-signal__label">{info.label}</span>
              <strong className="bs-signal__value">{info.format(signalValue(signals, info.key))}</strong>
              {links.length ? (
                <>
                  <ul className="bs-evidence-list bs-evidence-list--compact">
                    {links.slice(0, 6).map((link, i) => (
                      <LinkChip key={i} link={link} board={board} testId="signal-evidence" />
                    ))}
                    {links.length > 6 ? <li className="bs-muted">and {links.length - 6} more</li> : null}
                  </ul>
                  <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => onAdd(links)}>
                    <Icon icon={Plus} size={13} /> Cite {links.length === 1 ? "it" : `all ${links.length}`}
                  </button>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function RatingButtons({ rubric, value, onChange, readOnly }: { rubric: Rubric; value: Rating | null; onChange: (rating: Rating) => void; readOnly: boolean }) {
  const id = useId();
  const [preview, setPreview] = useState<Rating | null>(null);
  const shown = preview ?? value;
  return (
    <>
      <div className="bs-rating" role="radiogroup" aria-label={rubric.label} aria-readonly={readOnly || undefined} onKeyDown={readOnly ? undefined : arrowKeys(RATINGS, value, onChange)}>
        {RATINGS.map((rating) => (
          <button
            key={rating}
            type="button"
            role="radio"
            aria-checked={value === rating}
            aria-describedby={`${id}-${rating}`}
            tabIndex={value === rating || (value === null && rating === 1) ? 0 : -1}
            className="bs-rating__option"
            data-rating={rating}
            disabled={readOnly && value !== rating}
            onClick={() => !readOnly && onChange(rating)}
            onPointerEnter={() => setPreview(rating)}
            onPointerLeave={() => setPreview(null)}
            onFocus={() => setPreview(rating)}
            onBlur={() => setPreview(null)}
          >
            {rating}
          </button>
        ))}
      </div>
      <p className={`bs-rating__anchor${shown === null ? " is-empty" : ""}`} aria-hidden="true">
        {shown === null ? "Pick the description that fits best." : `${shown}: ${rubric.anchors[String(shown)] ?? ""}`}
      </p>
      {RATINGS.map((rating) => (
        <span key={rating} id={`${id}-${rating}`} className="bs-visually-hidden">
          {rubric.anchors[String(rating)] ?? ""}
        </span>
      ))}
    </>
  );
}

function DimensionCard({
  dimension,
  rubric,
  score,
  signals,
  board,
  readOnly,
  onChange,
}: {
  dimension: Dimension;
  rubric: Rubric;
  score: DimensionScore;
  signals: Signals | null;
  board: Board;
  readOnly: boolean;
  onChange: (score: DimensionScore) => void;
}) {
  const headingId = useId();
  return (
    <section className="bs-dimension" aria-labelledby={headingId} data-testid={`dimension-${dimension}`}>
      <h3 id={headingId}>{rubric.label}</h3>
      <RatingButtons rubric={rubric} value={score.rating} readOnly={readOnly} onChange={(rating) => onChange({ ...score, rating })} />
      {readOnly ? (
        score.notes ? <p className="bs-dimension__notes">{score.notes}</p> : null
      ) : (
        <textarea
          className="bs-dimension__notes-input"
          rows={2}
          value={score.notes}
          maxLength={4000}
          placeholder="What you saw…"
          aria-label={`Notes on ${rubric.label}`}
          onChange={(event) => onChange({ ...score, notes: event.target.value })}
          onKeyDown={(event) => event.stopPropagation()}
        />
      )}
      {score.evidence.length ? (
        <ul className="bs-evidence-list" aria-label={`Evidence for ${rubric.label}`}>
          {score.evidence.map((link, i) => (
            <LinkChip key={i} link={link} board={board} {...(readOnly ? {} : { onRemove: () => onChange({ ...score, evidence: withoutLink(score.evidence, link) }) })} />
          ))}
        </ul>
      ) : null}
      {readOnly ? null : <AddEvidence label={rubric.label} onAdd={(link) => onChange({ ...score, evidence: withLink(score.evidence, link) })} />}
      {signals && !readOnly ? (
        <SignalList
          dimension={dimension}
          signals={signals}
          board={board}
          onAdd={(links) => onChange({ ...score, evidence: links.reduce<EvidenceLink[]>((list, link) => withLink(list, link), [...score.evidence]) })}
        />
      ) : null}
    </section>
  );
}

function HireChoice({ value, onChange, readOnly }: { value: Hire | ""; onChange: (hire: Hire) => void; readOnly: boolean }) {
  const current = value === "" ? null : value;
  return (
    <div className="bs-hire" role="radiogroup" aria-label="Hire recommendation" onKeyDown={readOnly ? undefined : arrowKeys(HIRE, current, onChange)}>
      {HIRE.map((hire) => (
        <button
          key={hire}
          type="button"
          role="radio"
          aria-checked={value === hire}
          tabIndex={value === hire || (current === null && hire === "strong_no") ? 0 : -1}
          className={`bs-hire__option bs-hire__option--${hire}`}
          disabled={readOnly && value !== hire}
          onClick={() => !readOnly && onChange(hire)}
        >
          {HIRE_NAMES[hire]}
        </button>
      ))}
    </div>
  );
}

function SaveIndicator({ state }: { state: ScorecardState }) {
  const text =
    state.save === "saving"
      ? "Saving…"
      : state.save === "pending"
        ? "Unsaved changes"
        : state.save === "failed"
          ? "Not saved"
          : state.savedAt
            ? `Draft saved ${formatTime(state.savedAt)}`
            : "Not saved yet";
  return (
    <span className={`bs-save bs-save--${state.save}`} data-testid="scorecard-save" data-state={state.save} aria-live="polite">
      {state.save === "saving" ? <Icon icon={LoaderCircle} size={12} className="bs-spin" /> : null}
      {text}
    </span>
  );
}

function Submit({ store, state }: { store: ScorecardStore; state: ScorecardState }) {
  const [confirming, setConfirming] = useState(false);
  const draft = state.draft;
  const data = state.data;
  if (!draft || !data) return null;
  const gaps = missing(draft, data.rubric);
  if (confirming) {
    return (
      <div className="bs-scorecard__confirm" role="alertdialog" aria-label="Submit the scorecard?">
        <p>
          <strong>Submit your scorecard?</strong> It is final: you cannot change it afterwards. The other interviewers' scorecards show once yours is in.
        </p>
        <div className="bs-row-end">
          <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setConfirming(false)}>
            Keep editing
          </button>
          <button
            type="button"
            className="bs-button bs-button--primary bs-button--small"
            disabled={state.submitting}
            onClick={async () => {
              if (await store.submit()) setConfirming(false);
            }}
          >
            {state.submitting ? <Icon icon={LoaderCircle} size={13} className="bs-spin" /> : null} Yes, submit
          </button>
        </div>
      </div>
    );
  }
  return (
    <footer className="bs-scorecard__footer">
      {gaps.length ? <p className="bs-hint">Still to do: {gaps.join(", ")}.</p> : <p className="bs-hint">Everything is rated.</p>}
      <div className="bs-scorecard__actions">
        <button
          type="button"
          className="bs-button"
          disabled={state.save === "saved" || state.save === "saving" || (state.save === "idle" && state.savedAt !== null)}
          title="Drafts save on their own a moment after each change"
          onClick={() => void store.save()}
        >
          Save draft
        </button>
        <button type="button" className="bs-button bs-button--primary" disabled={gaps.length > 0} onClick={() => setConfirming(true)}>
          <Icon icon={CircleCheck} size={15} /> Submit scorecard
        </button>
      </div>
    </footer>
  );
}

function OtherCard({ card, rubric, board }: { card: Scorecard; rubric: Readonly<Record<Dimension, Rubric>>; board: Board }) {
  const participants = useSync((s) => s.participants);
  return (
    <article className="bs-other-card" data-testid="other-scorecard" aria-label={`Scorecard by ${authorName(card, participants)}`}>
      <header>
        <strong>{authorName(card, participants)}</strong>
        {card.hire ? <span className={`bs-hire-chip bs-hire-chip--${card.hire}`}>{HIRE_NAMES[card.hire]}</span> : null}
      </header>
      <dl>
        {DIMENSIONS.map((d) => {
          const score = card.dimensions[d];
          return (
            <div key={d} className="bs-other-card__row">
              <dt>{rubric[d]?.label ?? d}</dt>
              <dd>
                <span className="bs-other-card__rating">{score?.rating ? `${score.rating} / 4` : "–"}</span>
                {score?.notes ? <span className="bs-other-card__notes">{score.notes}</span> : null}
                {score?.evidence.length ? (
                  <ul className="bs-evidence-list bs-evidence-list--compact">
                    {score.evidence.map((link, i) => (
                      <LinkChip key={i} link={link} board={board} />
                    ))}
                  </ul>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      {card.notes ? <p className="bs-other-card__overall">{card.notes}</p> : null}
    </article>
  );
}

export function ScorecardPanel({ store, boardId }: { store: ScorecardStore; boardId: string }) {
  const state = useScorecards(store);
  const shown = useBoard((b) => b);
  const headingId = useId();
  useEffect(() => {
    void store.load();
  }, [store]);
  const { data, draft } = state;
  const report = `/boards/${boardId}/report/`;
  const header = (
    <header className="bs-scorecard__header">
      <h2 id={headingId}>Scorecard</h2>
      {data && !data.mine.submitted_at ? <SaveIndicator state={state} /> : null}
      <a className="bs-button bs-button--quiet bs-button--small" href={report} target="_blank" rel="noopener" data-testid="report-link">
        Report <Icon icon={ExternalLink} size={13} />
      </a>
    </header>
  );
  if (!data || !draft) {
    return (
      <section className="bs-scorecard" aria-labelledby={headingId} data-testid="scorecard-panel">
        {header}
        {state.status === "failed" ? (
          <p className="bs-error" role="alert">
            The scorecard could not be loaded: {state.error}{" "}
            <button type="button" className="bs-button bs-button--small" onClick={() => void store.load(true)}>
              Try again
            </button>
          </p>
        ) : (
          <p className="bs-muted">
            <Icon icon={LoaderCircle} size={14} className="bs-spin" /> Loading the scorecard…
          </p>
        )}
      </section>
    );
  }
  const submitted = data.mine.submitted_at !== null;
  const card: Draft = submitted ? data.mine : draft;
  const edit = (change: (draft: Draft) => Draft) => store.edit(change);
  const others = data.others_submitted;
  return (
    <section className="bs-scorecard" aria-labelledby={headingId} data-testid="scorecard-panel" data-submitted={submitted}>
      {header}
      {submitted ? (
        <p className="bs-scorecard__done" data-testid="scorecard-submitted">
          <Icon icon={CircleCheck} size={15} /> Submitted {formatTime(data.mine.submitted_at)}. It is final.
        </p>
      ) : (
        <p className="bs-muted bs-scorecard__intro">Rate what you saw against each description. Only you see this card until you submit it.</p>
      )}
      {!submitted && others > 0 ? (
        <p className="bs-scorecard__others-hidden" data-testid="others-hidden">
          {plural(others, "other interviewer")} submitted — submit yours to see {others === 1 ? "it" : "them"}.
        </p>
      ) : null}
      {state.error ? (
        <p className="bs-error" role="alert">
          <Icon icon={TriangleAlert} size={14} /> {state.error}
        </p>
      ) : null}
      {DIMENSIONS.map((dimension) => (
        <DimensionCard
          key={dimension}
          dimension={dimension}
          rubric={data.rubric[dimension]}
          score={card.dimensions[dimension]}
          signals={state.signals}
          board={shown}
          readOnly={submitted}
          onChange={(score) => edit((d) => ({ ...d, dimensions: { ...d.dimensions, [dimension]: score } }))}
        />
      ))}
      <section className="bs-dimension" aria-label="Recommendation">
        <h3>Hire recommendation</h3>
        <HireChoice value={card.hire} readOnly={submitted} onChange={(hire) => edit((d) => ({ ...d, hire }))} />
        {submitted ? (
          card.notes ? <p className="bs-dimension__notes">{card.notes}</p> : null
        ) : (
          <textarea
            className="bs-dimension__notes-input"
            rows={3}
            value={card.notes}
            maxLength={4000}
            placeholder="Overall: strengths, concerns, what to probe next time…"
            aria-label="Overall notes"
            onChange={(event) => edit((d) => ({ ...d, notes: event.target.value }))}
            onKeyDown={(event) => event.stopPropagation()}
          />
        )}
      </section>
      {submitted ? null : <Submit store={store} state={state} />}
      {submitted ? (
        <section className="bs-scorecard__others" aria-label="The other interviewers' scorecards">
          <h3>Other scorecards</h3>
          {data.others.length ? (
            data.others.map((other) => <OtherCard key={other.author} card={other} rubric={data.rubric} board={shown} />)
          ) : (
            <p className="bs-muted">No one else has submitted yet.</p>
          )}
        </section>
      ) : null}
    </section>
  );
}
