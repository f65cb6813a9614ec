// The thread popover: an annotation, its replies, and what I may do with it
// (answer inline, resolve or reopen, edit my own text, delete). It opens next
// to its element from a badge or the side panel.
import { Check, Pencil, RotateCcw, Trash2, X } from "lucide";
import { useCallback, useEffect, useRef, useState } from "react";

import { relativeTime } from "../lib/format";
import {
  type Actor,
  type Annotation,
  canDelete,
  canEditText,
  canReply,
  canSetStatus,
  changesSince,
  type Elements,
  isChallengedSide,
  isOrphaned,
  isUnanswered,
  LIMITS,
  type Reply,
  type SnapshotChange,
} from "../sync";
import { Icon } from "../ui/Icon";
import { MessageInput } from "../ui/MessageInput";
import { useDismiss } from "../ui/useDismiss";
import { KIND_INFO, LAYER_INFO, STATUS_INFO, targetName, toneOf } from "./annotationCatalog";
import { visibleAnnotations } from "./annotationView";
import { describeElement, ROLE_NAMES } from "./catalog";
import { useActor, useAnnotating, useAnnotations, useBoard, useNavigation, useSync, useUi, useWriter } from "./context";
import { Floating } from "./Floating";
import { isPending } from "./pending";
import { AnswerWithDecision, answersWithDecision } from "./ThreadDecision";

export function ThreadPopover() {
  const navigation = useNavigation();
  const id = useUi((s) => s.thread);
  const layers = useUi((s) => s.layers);
  const annotations = useAnnotations();
  const annotation = id === null ? undefined : annotations.get(id);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => navigation.openThread(null), [navigation]);
  // Deleted (by anyone), or its layer hidden: nothing to show any more.
  const gone = id !== null && (!annotation || !layers[annotation.layer]);
  useDismiss(ref, id !== null, close);
  useEffect(() => {
    if (gone) close();
  }, [gone, close]);
  // Watching it change while it is open is seeing it.
  useEffect(() => {
    if (annotation) navigation.markSeen(annotation.id);
  }, [navigation, annotation]);
  if (!annotation || gone) return null;
  return (
    <Floating target={annotation.target} className="bs-thread-pop" panelRef={ref}>
      <Thread key={annotation.id} annotation={annotation} onClose={close} />
    </Floating>
  );
}

function Thread({ annotation, onClose }: { annotation: Annotation; onClose: () => void }) {
  const actor = useWriter();
  const elements = useBoard((b) => b.elements);
  const kind = KIND_INFO[annotation.kind];
  const pending = isPending(annotation);
  return (
    <section
      role="dialog"
      aria-label="Thread"
      className={`bs-thread${pending ? " is-pending" : ""}`}
      data-pending={pending || undefined}
      data-tone={toneOf(annotation)}
      data-layer={annotation.layer}
      data-testid="thread"
      data-annotation={annotation.id}
    >
      <header className="bs-thread__header">
        <span className="bs-thread__kind">
          <Icon icon={kind.icon} size={15} />
          {kind.name}
        </span>
        <span className={`bs-layer-chip bs-layer-chip--${annotation.layer}`}>
          <Icon icon={LAYER_INFO[annotation.layer].icon} size={11} />
          {LAYER_INFO[annotation.layer].one}
        </span>
        <span className={`bs-status bs-status--${pending ? "pending" : toneOf(annotation)}`} data-testid="thread-status">
          {pending ? "Pending" : STATUS_INFO[annotation.status].name}
        </span>
        <button type="button" className="bs-icon-button bs-thread__close" aria-label="Close thread" onClick={onClose}>
          <Icon icon={X} size={15} />
        </button>
      </header>
      <Siblings annotation={annotation} />
      {pending ? (
        <p className="bs-thread__pending" data-testid="thread-pending">
          Only you see this until you submit your review; then it goes to everyone with your verdict.
        </p>
      ) : null}
      <Where annotation={annotation} elements={elements} />
      <ol className="bs-thread__messages">
        <Message annotation={annotation} />
        {annotation.replies.map((reply) => (
          <Message key={reply.id} annotation={annotation} reply={reply} />
        ))}
      </ol>
      {actor && !pending && answersWithDecision(annotation, actor, elements) ? <AnswerWithDecision annotation={annotation} /> : null}
      {actor && canReply(actor.role) && !pending ? <ReplyBox annotation={annotation} actor={actor} onCancel={onClose} /> : null}
      {actor ? <Actions annotation={annotation} actor={actor} /> : null}
    </section>
  );
}

/** The other threads on the same element, one click away. */
function Siblings({ annotation }: { annotation: Annotation }) {
  const navigation = useNavigation();
  const annotations = useAnnotations();
  const layers = useUi((s) => s.layers);
  if (annotation.target === null) return null;
  const here = visibleAnnotations(annotations, layers).filter((a) => a.target === annotation.target);
  if (here.length < 2) return null;
  return (
    <nav className="bs-thread__siblings" aria-label="Threads on this element">
      {here.map((a) => {
        const label = `${KIND_INFO[a.kind].name} (${LAYER_INFO[a.layer].one.toLowerCase()}, ${STATUS_INFO[a.status].name.toLowerCase()})`;
        return (
          <button
            key={a.id}
            type="button"
            className={`bs-thread__sibling bs-tone--${toneOf(a)}`}
            aria-pressed={a.id === annotation.id}
            aria-label={label}
            title={label}
            onClick={() => navigation.openThread(a.id)}
          >
            <Icon icon={KIND_INFO[a.kind].icon} size={13} />
          </button>
        );
      })}
    </nav>
  );
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  kind: "kind",
  type: "type",
  label: "label",
  tech: "technology",
  replicas: "replicas",
  notes: "notes",
  source: "from",
  target: "to",
  style: "call style",
};

function shown(change: SnapshotChange, value: unknown, elements: Elements): string {
  if (change.field === "source" || change.field === "target") {
    const element = elements.get(String(value));
    return element ? describeElement(element) : "a deleted component";
  }
  if (typeof value !== "string") return String(value);
  if (!value) return "nothing";
  return `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;
}

/** What the annotation is about, and whether that still holds: deleted, or changed since. */
function Where({ annotation, elements }: { annotation: Annotation; elements: Elements }) {
  if (annotation.target === null) return <p className="bs-thread__where">On the whole design</p>;
  if (isOrphaned(annotation, elements)) {
    const was = annotation.snapshot && "label" in annotation.snapshot ? annotation.snapshot.label : "";
    return (
      <p className="bs-thread__warning" data-testid="thread-orphaned">
        {was ? `“${was}” was deleted.` : "What this was about was deleted."} The thread stays, and comes back to it if it is restored.
      </p>
    );
  }
  const element = elements.get(annotation.target);
  const changes = changesSince(annotation, elements);
  return (
    <>
      <p className="bs-thread__where">On {targetName(element, elements)}</p>
      {changes.length ? (
        <div className="bs-thread__warning" data-testid="thread-outdated">
          Changed since it was raised:
          <ul>
            {changes.map((change) => (
              <li key={change.field}>
                {FIELD_NAMES[change.field] ?? change.field}: {shown(change, change.was, elements)} → {shown(change, change.now, elements)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/** The annotation's own text, or one reply: who, when, what; its author may edit it. */
function Message({ annotation, reply }: { annotation: Annotation; reply?: Reply }) {
  const annotating = useAnnotating();
  const me = useActor();
  const actor = useWriter();
  const participants = useSync((s) => s.participants);
  const [draft, setDraft] = useState<string | null>(null);
  const author = reply?.author ?? annotation.author;
  const person = participants.get(author);
  const text = reply?.text ?? annotation.text;
  const at = reply?.created_at ?? annotation.created_at;

  const editable = actor !== null && canEditText(actor, annotation, reply);
  const save = () => {
    if (draft === null) return;
    if (!draft.trim() || draft.trim() === text) setDraft(null);
    else if (annotating.editText(annotation.id, draft, reply?.id)) setDraft(null);
  };
  return (
    <li className={`bs-message${reply ? "" : " is-first"}`} data-testid={reply ? "reply" : "annotation-text"}>
      <div className="bs-message__meta">
        <strong>{author === me?.participant ? "You" : (person?.name ?? "Someone")}</strong>
        {person ? <span className={`bs-role bs-role--${person.role}`}>{ROLE_NAMES[person.role] ?? person.role}</span> : null}
        <time dateTime={at} title={new Date(at).toLocaleString()}>
          {relativeTime(at)}
        </time>
        {reply?.edited_at ? <span className="bs-message__edited">edited</span> : null}
        {editable && draft === null ? (
          <button type="button" className="bs-icon-button bs-message__edit-button" aria-label="Edit" title="Edit" onClick={() => setDraft(text)}>
            <Icon icon={Pencil} size={13} />
          </button>
        ) : null}
      </div>
      {draft === null ? (
        <p className="bs-message__text">{text}</p>
      ) : (
        <div className="bs-message__editor">
          <MessageInput value={draft} onChange={setDraft} onSubmit={save} onCancel={() => setDraft(null)} label="Edit text" maxLength={LIMITS.text} autoFocus />
          <div className="bs-row-end">
            <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setDraft(null)}>
              Cancel
            </button>
            <button type="button" className="bs-button bs-button--primary bs-button--small" onClick={save} disabled={!draft.trim()}>
              Save
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

function ReplyBox({ annotation, actor, onCancel }: { annotation: Annotation; actor: Actor; onCancel: () => void }) {
  const annotating = useAnnotating();
  const [text, setText] = useState("");
  const answering = isChallengedSide(actor.role, actor.mode) && isUnanswered(annotation);
  const send = () => {
    if (text.trim() && annotating.reply(annotation.id, text)) setText("");
  };
  return (
    <div className="bs-thread__reply">
      <MessageInput
        value={text}
        onChange={setText}
        onSubmit={send}
        onCancel={onCancel}
        label="Reply"
        placeholder={answering ? "Your answer…" : "Reply…"}
        maxLength={LIMITS.text}
        autoFocus
        testId="reply-input"
      />
      <div className="bs-row-end">
        <span className="bs-hint">Enter to send · Shift+Enter for a new line</span>
        <button type="button" className="bs-button bs-button--primary bs-button--small" onClick={send} disabled={!text.trim()} aria-label="Send reply">
          {answering ? "Answer" : "Reply"}
        </button>
      </div>
    </div>
  );
}

function Actions({ annotation, actor }: { annotation: Annotation; actor: Actor }) {
  const annotating = useAnnotating();
  const [confirming, setConfirming] = useState(false);
  // A pending challenge is not on the log: it has no status to change, only its author to delete it.
  const status = canSetStatus(actor, annotation) && !isPending(annotation);
  const remove = canDelete(actor, annotation);
  if (!status && !remove) return null;
  if (confirming) {
    return (
      <footer className="bs-thread__actions is-confirming">
        <span>Delete this thread and its replies?</span>
        <button type="button" className="bs-button bs-button--quiet bs-button--small" onClick={() => setConfirming(false)}>
          Keep
        </button>
        <button type="button" className="bs-button bs-button--danger bs-button--small" onClick={() => annotating.deleteAnnotation(annotation.id)}>
          Delete
        </button>
      </footer>
    );
  }
  return (
    <footer className="bs-thread__actions">
      {remove ? (
        <button type="button" className="bs-button bs-button--danger-quiet bs-button--small" aria-label="Delete thread" onClick={() => setConfirming(true)}>
          <Icon icon={Trash2} size={14} /> Delete
        </button>
      ) : null}
      <span className="bs-spacer" />
      {status && annotation.status === "resolved" ? (
        <button type="button" className="bs-button bs-button--small" onClick={() => annotating.setStatus(annotation.id, "reopened")}>
          <Icon icon={RotateCcw} size={14} /> Reopen
        </button>
      ) : null}
      {status && annotation.status !== "resolved" ? (
        <button type="button" className="bs-button bs-button--resolve bs-button--small" onClick={() => annotating.setStatus(annotation.id, "resolved")}>
          <Icon icon={Check} size={14} /> Resolve
        </button>
      ) : null}
    </footer>
  );
}
