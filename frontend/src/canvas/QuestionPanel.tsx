// The interviewer's side of the question, in a side-panel tab of its own (owner and
// interviewers of a board an interviewer made; nobody else ever receives any of it):
// the candidate's open clarifying questions with the facts they seem to ask about,
// each one click from the ledger's answer; the fact sheet by topic; the reference
// design and the comparison with the candidate's board; follow-ups by phase;
// scenario cards; the rubric note.
import { GitCompare, MessageCircleQuestionMark } from "lucide";
import { useState } from "react";

import { type Element, requirementList } from "../sync";
import { Dialog } from "../ui/Dialog";
import { Icon } from "../ui/Icon";
import { useBoard, useCore, useInterviewSession, useNavigation, useSync } from "./context";
import { PHASE_INFO } from "./interviewCatalog";
import { type Comparison, factsByTopic, type Question, type Reference, suggestedFacts, topicName, TYPE_NAMES } from "./question";
import { useQuestion, useQuestionStore } from "./questionContext";
import { ScenarioDeck } from "./ScenarioDeck";

export function QuestionPanel() {
  const data = useQuestion((v) => v?.data ?? null);
  const [comparing, setComparing] = useState(false);
  const question = data?.question;
  if (!question || !data.full) return <p className="bs-muted bs-question__empty">This board was not made from a question.</p>;
  return (
    <section className="bs-question" aria-label="Question" data-testid="question-panel" data-question={question.id}>
      <header className="bs-ledger__header">
        <h2>Question</h2>
        <span className="bs-question__type" data-testid="question-type">
          {TYPE_NAMES[question.question_type]} · v{question.version}
        </span>
      </header>
      <div className="bs-question__title">
        <strong>{question.title}</strong>
        <p>{question.prompt}</p>
      </div>
      <OpenQuestions />
      <Facts question={question} />
      {question.reference?.elements.length ? (
        <details className="bs-question__section" open>
          <summary>Reference design</summary>
          {question.reference.shows ? <p className="bs-question__shows">{question.reference.shows}</p> : null}
          <ReferenceDiagram reference={question.reference} />
          <button type="button" className="bs-button bs-button--small bs-question__compare" data-testid="compare-open" onClick={() => setComparing(true)}>
            <Icon icon={GitCompare} size={14} /> Compare with the board
          </button>
        </details>
      ) : null}
      <FollowUps question={question} />
      {question.cards?.length ? (
        <details className="bs-question__section">
          <summary>Scenario cards ({question.cards.length})</summary>
          <ScenarioDeck deck={question.cards} />
        </details>
      ) : null}
      {question.rubric ? (
        <details className="bs-question__section">
          <summary>Rubric note</summary>
          <p className="bs-question__rubric">{question.rubric}</p>
        </details>
      ) : null}
      {comparing ? <CompareDialog reference={question.reference ?? null} onClose={() => setComparing(false)} /> : null}
    </section>
  );
}

/** The candidate's unanswered questions, each with its suggested facts and a one-click answer. */
function OpenQuestions() {
  const data = useQuestion((v) => v?.data ?? null);
  const requirements = useBoard((b) => b.requirements);
  const session = useInterviewSession();
  const core = useCore();
  const open = requirementList(requirements).filter((entry) => entry.kind === "question" && !entry.answer);
  return (
    <div className="bs-question__section bs-question__open" data-testid="question-open">
      <h3>
        <Icon icon={MessageCircleQuestionMark} size={14} /> Open questions {open.length ? <span className="bs-count is-alert">{open.length}</span> : null}
      </h3>
      {open.length ? (
        <ol className="bs-question__asked">
          {open.map((entry) => {
            const facts = suggestedFacts(data, entry.id);
            return (
              <li key={entry.id} data-testid="open-question" data-entry={entry.id}>
                <p className="bs-question__asked-text">“{entry.text}”</p>
                {facts.length ? (
                  <ul className="bs-question__suggested">
                    {facts.map((fact) => (
                      <li key={fact.id} data-testid="suggested-fact" data-fact={fact.id}>
                        <span className="bs-question__topic">{topicName(fact.topic)}</span>
                        <span className="bs-question__answer">{fact.answer}</span>
                        <button
                          type="button"
                          className="bs-button bs-button--primary bs-button--small"
                          data-testid="use-fact"
                          title="Answer the question with this fact, in the ledger"
                          onClick={() => {
                            if (session.answerRequirement(entry.id, fact.answer)) core.toast("success", "Answered", fact.answer);
                          }}
                        >
                          Answer
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="bs-muted bs-question__none" data-testid="no-suggestion">
                    No fact matches: answer it in the Ledger.
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="bs-muted">No open questions. Facts are suggested here as the candidate asks.</p>
      )}
    </div>
  );
}

function Facts({ question }: { question: Question }) {
  const facts = question.facts ?? [];
  if (!facts.length) return null;
  return (
    <details className="bs-question__section" open>
      <summary>Fact sheet ({facts.length})</summary>
      <dl className="bs-question__facts" data-testid="fact-sheet">
        {factsByTopic(facts).map(([topic, items]) => (
          <div key={topic} className="bs-question__fact-group">
            <dt>{topicName(topic)}</dt>
            {items.map((fact) => (
              <dd key={fact.id} data-fact={fact.id}>
                {fact.answer}
              </dd>
            ))}
          </div>
        ))}
      </dl>
    </details>
  );
}

function FollowUps({ question }: { question: Question }) {
  const phase = useBoard((b) => b.session.phase);
  const followUps = question.follow_ups ?? {};
  const phases = Object.keys(PHASE_INFO).filter((p) => followUps[p as keyof typeof followUps]?.length) as (keyof typeof PHASE_INFO)[];
  if (!phases.length) return null;
  return (
    <details className="bs-question__section" open>
      <summary>Follow-ups</summary>
      {phases.map((p) => (
        <div key={p} className={`bs-question__phase${p === phase ? " is-now" : ""}`} data-phase={p}>
          <h4>
            {PHASE_INFO[p].name}
            {p === phase ? <span className="bs-question__now">now</span> : null}
          </h4>
          <ul>
            {followUps[p]?.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ))}
    </details>
  );
}

const W = 160;
const H = 72;

/** The reference design drawn small: boxes and lines, missing ones marked when compared. */
function ReferenceDiagram({ reference, comparison, large }: { reference: Reference; comparison?: Comparison | null; large?: boolean }) {
  const components = reference.elements.filter((e): e is Extract<Element, { kind: "component" }> => e.kind === "component");
  const arrows = reference.elements.filter((e): e is Extract<Element, { kind: "arrow" }> => e.kind === "arrow");
  if (!components.length) return null;
  const byId = new Map(components.map((c) => [c.id, c]));
  const xs = components.map((c) => c.x);
  const ys = components.map((c) => c.y);
  const minX = Math.min(...xs) - 20;
  const minY = Math.min(...ys) - 20;
  const width = Math.max(...components.map((c) => c.x + (c.w || W))) - minX + 20;
  const height = Math.max(...components.map((c) => c.y + (c.h || H))) - minY + 20;
  const missing = new Set(comparison?.missing.map((m) => m.id) ?? []);
  const state = (id: string) => (comparison ? (missing.has(id) ? "missing" : "present") : "plain");
  return (
    <svg
      className={`bs-question__diagram${large ? " is-large" : ""}`}
      viewBox={`${minX} ${minY} ${width} ${height}`}
      role="img"
      aria-label="The reference design"
      data-testid="reference-diagram"
    >
      {arrows.map((a) => {
        const s = byId.get(a.source);
        const t = byId.get(a.target);
        if (!s || !t) return null;
        return (
          <line
            key={a.id}
            className={`bs-question__edge is-${state(a.id)}`}
            x1={s.x + (s.w || W) / 2}
            y1={s.y + (s.h || H) / 2}
            x2={t.x + (t.w || W) / 2}
            y2={t.y + (t.h || H) / 2}
          />
        );
      })}
      {components.map((c) => (
        <g key={c.id} className={`bs-question__node is-${state(c.id)}`} data-state={state(c.id)}>
          <rect x={c.x} y={c.y} width={c.w || W} height={c.h || H} rx={10} />
          <text x={c.x + (c.w || W) / 2} y={c.y + (c.h || H) / 2 + 6} textAnchor="middle">
            {c.label.length > 22 ? `${c.label.slice(0, 21)}…` : c.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

function CompareDialog({ reference, onClose }: { reference: Reference | null; onClose: () => void }) {
  const store = useQuestionStore();
  const view = useQuestion((v) => v);
  const navigation = useNavigation();
  const elements = useSync((s) => s.elements);
  const [asked] = useState(() => void store?.compare());
  void asked;
  const comparison = view?.comparison ?? null;
  const components = (items: Comparison["missing"]) => items.filter((i) => i.kind === "component");
  return (
    <Dialog title="The board compared with the reference" onClose={onClose} wide testId="compare-dialog">
      {view?.comparing === "failed" ? <p className="bs-error">{view.compareError}</p> : null}
      {!comparison ? (
        <p className="bs-muted">{view?.comparing === "loading" ? "Comparing…" : "This question has no reference design."}</p>
      ) : (
        <div className="bs-compare">
          <div className="bs-compare__diagram">
            {reference ? <ReferenceDiagram reference={reference} comparison={comparison} large /> : null}
            <p className="bs-muted bs-compare__legend">
              <span className="bs-compare__key is-present" /> on the board <span className="bs-compare__key is-missing" /> not on the board
            </p>
            {comparison.shows ? <p className="bs-question__shows">The reference shows: {comparison.shows}</p> : null}
          </div>
          <div className="bs-compare__lists">
            <section data-testid="compare-matched">
              <h3>In both ({comparison.matched.length})</h3>
              <ul>
                {comparison.matched.map((m) => (
                  <li key={m.reference}>
                    <button type="button" className="bs-link-button" onClick={() => { navigation.focusElement(m.candidate); onClose(); }}>
                      {m.candidate_name}
                    </button>{" "}
                    <span className="bs-muted">as {m.reference_name}</span>
                  </li>
                ))}
              </ul>
            </section>
            <section data-testid="compare-missing">
              <h3>Only in the reference ({components(comparison.missing).length})</h3>
              <ul>
                {components(comparison.missing).map((m) => (
                  <li key={m.id}>{m.name}</li>
                ))}
              </ul>
              {comparison.missing.length > components(comparison.missing).length ? (
                <p className="bs-muted">and {comparison.missing.length - components(comparison.missing).length} connections</p>
              ) : null}
            </section>
            <section data-testid="compare-extra">
              <h3>Only on the board ({components(comparison.extra).length})</h3>
              <ul>
                {components(comparison.extra).map((m) => (
                  <li key={m.id}>
                    <button
                      type="button"
                      className="bs-link-button"
                      disabled={!elements.has(m.id)}
                      onClick={() => { navigation.focusElement(m.id); onClose(); }}
                    >
                      {m.name}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
            <p className="bs-muted bs-compare__note">There is no right answer: a design that differs and can say why is a strong one.</p>
          </div>
        </div>
      )}
    </Dialog>
  );
}
