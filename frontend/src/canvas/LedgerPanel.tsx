// The requirements ledger: the questions, assumptions and constraints the design
// rests on. The candidate (and the interviewers) write entries; the owner and
// interviewers answer them inline. An entry links to the components that depend
// on it (picked from the selection); a click on a link selects the component.
import { Link2, Pencil, X } from "lucide";
import { useEffect, useId, useRef, useState } from "react";

import { relativeTime } from "../lib/format";
import {
  type Actor,
  canAnswer,
  canWriteLedger,
  type Elements,
  LIMITS,
  type LedgerEntry,
  requirementList,
  type LedgerKind,
  SESSION_LIMITS,
} from "../sync";
import { Icon } from "../ui/Icon";
import { MessageInput } from "../ui/MessageInput";
import { describeElement } from "./catalog";
import { useBoard, useCore, useInterviewSession, useNavigation, useSync, useUi, useWriter } from "./context";
import { DESIGN_ENTRY_KINDS, ENTRY_KIND_INFO, ENTRY_KINDS } from "./interviewCatalog";
import { suggestedFacts, topicName } from "./question";
import { useQuestion, useQuestionType } from "./questionContext";

/** The selection, as ledger links: elements that exist, at most the protocol's limit. */
function useSelectionLinks(): string[] {
  const selected = useUi((s) => s.selected);
  const elements = useSync((s) => s.elements);
  return [...selected].filter((id) => elements.has(id)).slice(0, SESSION_LIMITS.maxLinks);
}

function names(ids: readonly string[], elements: Elements): string {
  const list = ids.map((id) => elements.get(id)).map((e) => (e ? describeElement(e) : "?"));
  return list.length > 2 ? `${list.slice(0, 2).join(", ")} and ${list.length - 2} more` : list.join(", ");
}

function NewEntry({ actor }: { actor: Actor }) {
  const interview = useInterviewSession();
  const elements = useSync((s) => s.elements);
  const selection = useSelectionLinks();
  // A walkthrough tells a story: decisions, outcomes and hindsight join the design kinds.
  const walkthrough = useQuestionType() === "walkthrough";
  const kinds = walkthrough ? ENTRY_KINDS : ENTRY_KINDS.filter((info) => DESIGN_ENTRY_KINDS.includes(info.kind));
  const [kind, setKind] = useState<LedgerKind>("question");
  const [text, setText] = useState("");
  const [link, setLink] = useState(false);
  const add = () => {
    if (!text.trim()) return;
    if (interview.addRequirement({ kind, text, ...(link && selection.length ? { links: selection } : {}) })) {
      setText("");
      setLink(false);
    }
  };
  return (
    <form
      className="bs-ledger__new"
      aria-label="New requirement entry"
      onSubmit={(event) => {
        event.preventDefault();
        add();
      }}
    >
      <div className="bs-ledger__kinds" role="radiogroup" aria-label="Entry kind">
        {kinds.map((info) => (
          <button
            key={info.kind}
            type="button"
            role="radio"
            aria-checked={info.kind === kind}
            className="bs-ledger__kind"
            data-kind={info.kind}
            onClick={() => setKind(info.kind)}
          >
            <Icon icon={info.icon} size={13} />
            {info.name}
          </button>
        ))}
      </div>
      <MessageInput
        value={text}
        onChange={setText}
        onSubmit={add}
        label="New entry"
        placeholder={`${ENTRY_KIND_INFO[kind].placeholder}`}
        maxLength={LIMITS.text}
        testId="new-entry"
      />
      <div className="bs-row-end">
        {selection.length ? (
          <label className="bs-ledger__link-toggle" title="The selected elements depend on this entry">
            <input type="checkbox" checked={link} onChange={(event) => setLink(event.target.checked)} />
            Link to {names(selection, elements)}
          </label>
        ) : (
          <span className="bs-hint">{actor.role === "candidate" ? "Enter to add · select components to link them" : "Enter to add"}</span>
        )}
        <button type="submit" className="bs-button bs-button--primary bs-button--small" disabled={!text.trim()}>
          Add
        </button>
      </div>
    </form>
  );
}

function Links({ entry, elements, editable }: { entry: LedgerEntry; elements: Elements; editable: boolean }) {
  const navigation = useNavigation();
  const interview = useInterviewSession();
  const selection = useSelectionLinks();
  const same = selection.length === entry.links.length && selection.every((id) => entry.links.includes(id));
  if (!entry.links.length && !editable) return null;
  return (
    <div className="bs-ledger__links" aria-label="Linked components">
      {entry.links.map((id) => {
        const element = elements.get(id);
        return (
          <span key={id} className={`bs-link-chip${element ? "" : " is-gone"}`}>
            <button
              type="button"
              className="bs-link-chip__name"
              disabled={!element}
              title={element ? "Select it on the canvas" : "Not on the board"}
              onClick={() => navigation.focusElement(id)}
            >
              {element ? describeElement(element) : "deleted"}
            </button>
            {editable ? (
              <button
                type="button"
                className="bs-link-chip__remove"
                aria-label={`Unlink ${element ? describeElement(element) : id}`}
                onClick={() => interview.linkRequirement(entry.id, entry.links.filter((link) => link !== id))}
              >
                <Icon icon={X} size={11} />
              </button>
            ) : null}
          </span>
        );
      })}
      {editable ? (
        <button
          type="button"
          className="bs-button bs-button--quiet bs-button--small bs-ledger__link-button"
          disabled={!selection.length || same}
          title={selection.length ? `Link this entry to ${names(selection, elements)}` : "Select components on the canvas first"}
          onClick={() => interview.linkRequirement(entry.id, selection)}
        >
          <Icon icon={Link2} size={13} /> Link selection
        </button>
      ) : null}
    </div>
  );
}

/** The question's facts this entry seems to ask about (interviewers of a board made from a question): one click answers. */
function Suggested({ entry }: { entry: LedgerEntry }) {
  const interview = useInterviewSession();
  const data = useQuestion((v) => v?.data ?? null);
  const facts = suggestedFacts(data, entry.id);
  if (!facts.length) return null;
  return (
    <div className="bs-ledger__suggested" aria-label="Suggested facts">
      <span className="bs-muted">From the fact sheet:</span>
      {facts.map((fact) => (
        <button
          key={fact.id}
          type="button"
          className="bs-ledger__suggestion"
          data-testid="ledger-suggestion"
          data-fact={fact.id}
          title={`Answer: ${fact.answer}`}
          onClick={() => interview.answerRequirement(entry.id, fact.answer)}
        >
          <strong>{topicName(fact.topic)}</strong> {fact.answer}
        </button>
      ))}
    </div>
  );
}

function AnswerBox({ entry, onDone }: { entry: LedgerEntry; onDone?: () => void }) {
  const interview = useInterviewSession();
  const [text, setText] = useState(entry.answer?.text ?? "");
  const send = () => {
    if (!text.trim()) return;
    if (text.trim() === entry.answer?.text) onDone?.();
    else if (interview.answerRequirement(entry.id, text)) {
      setText("");
      onDone?.();
    }
  };
  return (
    <div className="bs-ledger__answer-box">
      <MessageInput
        value={text}
        onChange={setText}
        onSubmit={send}
        {...(onDone ? { onCancel: onDone } : {})}
        label="Answer"
        placeholder={ENTRY_KIND_INFO[entry.kind].answerHint}
        maxLength={LIMITS.text}
        autoFocus={onDone !== undefined}
        testId="answer-input"
      />
      <div className="bs-row-end">
        {onDone ? (
          <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={onDone}>
            Cancel
          </button>
        ) : null}
        <button type="button" className="bs-button bs-button--primary bs-button--small" disabled={!text.trim()} onClick={send}>
          {entry.answer ? "Save answer" : "Answer"}
        </button>
      </div>
    </div>
  );
}

function Entry({ entry, writer }: { entry: LedgerEntry; writer: Actor | null }) {
  const core = useCore();
  const elements = useBoard((b) => b.elements);
  const participants = useSync((s) => s.participants);
  const me = useSync((s) => s.you?.participant);
  const focused = useUi((s) => s.entry === entry.id);
  const [editing, setEditing] = useState(false);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (!focused) return;
    ref.current?.scrollIntoView({ block: "nearest" });
    const timer = setTimeout(() => core.ui.setState({ entry: null }), 2500);
    return () => clearTimeout(timer);
  }, [focused, core]);
  const info = ENTRY_KIND_INFO[entry.kind];
  const who = (id: string) => (id === me ? "You" : (participants.get(id)?.name ?? "Someone"));
  const answerer = writer !== null && canAnswer(writer.role);
  const linker = writer !== null && (answerer || entry.author === writer.participant);
  const waiting = !entry.answer && entry.kind === "question";
  return (
    <li
      ref={ref}
      className={`bs-entry bs-entry--${entry.kind}${focused ? " is-focused" : ""}${waiting ? " is-waiting" : ""}`}
      data-testid="requirement-entry"
      data-entry={entry.id}
      data-kind={entry.kind}
      data-answered={entry.answer ? "true" : "false"}
    >
      <div className="bs-entry__top">
        <span className="bs-entry__kind">
          <Icon icon={info.icon} size={13} />
          {info.name}
        </span>
        <span className="bs-entry__meta">
          {who(entry.author)}
          {entry.created_at ? (
            <>
              {" · "}
              <time dateTime={entry.created_at} title={new Date(entry.created_at).toLocaleString()}>
                {relativeTime(entry.created_at)}
              </time>
            </>
          ) : null}
          {" · "}
          <span title="Where it is on the timeline">#{entry.seq}</span>
        </span>
      </div>
      <p className="bs-entry__text" data-testid="requirement-text">
        {entry.text}
      </p>
      <Links entry={entry} elements={elements} editable={linker} />
      {entry.answer && !editing ? (
        <div className="bs-entry__answer" data-testid="requirement-answer">
          <div className="bs-entry__answer-meta">
            <strong>{who(entry.answer.author)}</strong>
            {entry.answer.at ? (
              <time dateTime={entry.answer.at} title={new Date(entry.answer.at).toLocaleString()}>
                {relativeTime(entry.answer.at)}
              </time>
            ) : null}
            <span title="Where it is on the timeline">#{entry.answer.seq}</span>
            {answerer ? (
              <button type="button" className="bs-icon-button bs-entry__edit" aria-label="Change the answer" title="Change the answer" onClick={() => setEditing(true)}>
                <Icon icon={Pencil} size={12} />
              </button>
            ) : null}
          </div>
          <p>{entry.answer.text}</p>
        </div>
      ) : null}
      {answerer && !entry.answer && entry.kind === "question" ? <Suggested entry={entry} /> : null}
      {answerer && (!entry.answer || editing) ? <AnswerBox entry={entry} {...(editing ? { onDone: () => setEditing(false) } : {})} /> : null}
      {waiting && !answerer ? <p className="bs-entry__waiting">Waiting for an answer</p> : null}
    </li>
  );
}

export function LedgerPanel() {
  const writer = useWriter();
  const requirements = useBoard((b) => b.requirements);
  const headingId = useId();
  const list = requirementList(requirements);
  const canAdd = writer !== null && canWriteLedger(writer.role);
  const open = list.filter((e) => e.kind === "question" && !e.answer).length;
  return (
    <section className="bs-ledger" aria-label="Ledger" data-testid="requirements-panel">
      <header className="bs-ledger__header">
        <h2 id={headingId}>Ledger</h2>
        {list.length ? (
          <span className="bs-muted bs-ledger__summary">
            {list.length} {list.length === 1 ? "entry" : "entries"}
            {open ? ` · ${open} unanswered` : ""}
          </span>
        ) : null}
      </header>
      {canAdd && writer ? <NewEntry actor={writer} /> : null}
      {list.length ? (
        <ol className="bs-ledger__list" aria-labelledby={headingId}>
          {list.map((entry) => (
            <Entry key={entry.id} entry={entry} writer={writer} />
          ))}
        </ol>
      ) : (
        <p className="bs-muted bs-ledger__empty">
          {canAdd
            ? "Nothing yet. Write down what you ask, what you assume and the constraints you work to."
            : "Nothing yet. Questions, assumptions and constraints show here as they are written."}
        </p>
      )}
    </section>
  );
}
