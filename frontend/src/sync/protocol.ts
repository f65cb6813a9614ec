// The wire protocol, mirroring docs/protocol.md and whiteboard/protocol.py.
// Framework-free: nothing under src/sync/ may import React or @xyflow.

import { VOCABULARY } from "./vocabulary.gen";

/** The keys of a vocabulary table, in the file's order, typed as their literal union. */
function keysOf<T extends object>(table: T): readonly (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}

/** The protocol version this client speaks; `welcome` and `catchup` carry the server's. */
export const PROTOCOL = VOCABULARY.protocol;

export const COMPONENT_TYPES = keysOf(VOCABULARY.component_types);
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export const KINDS = keysOf(VOCABULARY.element_kinds);
export type Kind = (typeof KINDS)[number];

export const ARROW_STYLES = VOCABULARY.arrow_styles;
export type ArrowStyle = (typeof ARROW_STYLES)[number];

/** The side of a box an arrow end attaches to; absent, the side facing the other end. */
export const ARROW_SIDES = VOCABULARY.arrow_sides;
export type ArrowSide = (typeof ARROW_SIDES)[number];

/** Who built a component, in a project walkthrough; "" clears it. */
export const CREDITS = keysOf(VOCABULARY.credits);
export type Credit = (typeof CREDITS)[number];
export const CREDIT_INFO = VOCABULARY.credits;

/** How well the candidate knows a component's technology (their own mark); "" clears it. */
export const FAMILIARITIES = keysOf(VOCABULARY.familiarity);
export type Familiarity = (typeof FAMILIARITIES)[number];
export const FAMILIARITY_INFO = VOCABULARY.familiarity;

/** Component fields that mean something on some types only (field -> those types): may be true only there. */
export const TYPED_FIELDS = {
  dead_letter: VOCABULARY.element_kinds.component.dead_letter.types,
  backup: VOCABULARY.element_kinds.component.backup.types,
} as const;
export type TypedField = keyof typeof TYPED_FIELDS;

/** Whether a type-bound field (a dead letter, a backup) applies to a component type. */
export function fieldApplies(field: TypedField, type: ComponentType): boolean {
  return (TYPED_FIELDS[field] as readonly string[]).includes(type);
}

export const QUESTION_TYPES = keysOf(VOCABULARY.questions.types);
/** A fact sheet's topics and how they read. */
export const QUESTION_TOPICS: Readonly<Record<string, string>> = VOCABULARY.questions.topics;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** Per question type, the challenge shortcuts that replace the kind defaults ({target} is the element). */
export const SHORTCUTS: Readonly<Partial<Record<QuestionType, readonly { readonly label: string; readonly kind: string; readonly question: string }[]>>> =
  VOCABULARY.questions.shortcuts;

const L = VOCABULARY.limits;
export const LIMITS = {
  maxOpsPerBatch: L.ops_per_batch,
  maxElements: L.elements,
  id: L.id,
  label: L.label,
  text: L.text,
  tech: L.tech,
  replicas: L.replicas,
  coord: L.coord,
  selection: L.selection,
  flows: L.flows,
  flowSteps: L.flow_steps,
  laserPoints: L.laser_points,
  zoomMax: L.zoom_max,
  timeoutMs: L.timeout_ms,
  retries: L.retries,
  alternatives: L.alternatives,
} as const;

export interface ComponentElement {
  readonly id: string;
  readonly kind: "component";
  readonly type: ComponentType;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly tech: string;
  readonly replicas: number;
  readonly notes: string;
  readonly credit?: Credit | "";
  /** The group it moves with (absent or "": none). */
  readonly group?: string;
  /** The frame it belongs to (absent or "": none); see docs/protocol.md, "Membership is stored". */
  readonly frame?: string;
  readonly familiarity?: Familiarity | "";
  /** Queues only: failed messages go to a dead-letter queue. */
  readonly dead_letter?: boolean;
  /** Data stores only: it is backed up. */
  readonly backup?: boolean;
}

export interface ArrowElement {
  readonly id: string;
  readonly kind: "arrow";
  readonly source: string;
  readonly target: string;
  readonly label: string;
  readonly style: ArrowStyle;
  /** The side the user dragged the arrow from, and the one they dropped it on (absent: facing). */
  readonly source_side?: ArrowSide;
  readonly target_side?: ArrowSide;
  /** How long the caller waits (ms); null: cleared. */
  readonly timeout_ms?: number | null;
  readonly retries?: number;
  readonly idempotent?: boolean;
}

/** A decision record (docs/protocol.md, "Decisions"): why a component is what it is. */
export interface Decision {
  readonly id: string;
  readonly target: string;
  readonly choice: string;
  readonly alternatives: readonly string[];
  readonly cost: string;
  readonly why: string;
  readonly revisit_when: string;
  /** The participant of its last write, and that batch's seq. */
  readonly author: string;
  readonly seq: number;
}

export interface NoteElement {
  readonly id: string;
  readonly kind: "note";
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly text: string;
  readonly group?: string;
  readonly frame?: string;
}

/** A region drawn behind the boxes (an availability zone, a VPC, a tier); boxes name it in their `frame`. */
export interface FrameElement {
  readonly id: string;
  readonly kind: "frame";
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly group?: string;
}

export type Element = ComponentElement | ArrowElement | NoteElement | FrameElement;

/** Every property an update may carry; which ones apply depends on the element's kind. */
export interface ElementProps {
  type?: ComponentType;
  label?: string;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  tech?: string;
  replicas?: number;
  notes?: string;
  credit?: Credit | "";
  familiarity?: Familiarity | "";
  dead_letter?: boolean;
  backup?: boolean;
  timeout_ms?: number | null;
  retries?: number;
  idempotent?: boolean;
  source?: string;
  target?: string;
  style?: ArrowStyle;
  source_side?: ArrowSide;
  target_side?: ArrowSide;
  text?: string;
  group?: string;
  frame?: string;
}

export type AddOp = { readonly op: "add"; readonly element: Element };
export type UpdateOp = { readonly op: "update"; readonly id: string; readonly props: Readonly<ElementProps> };
export type DeleteOp = { readonly op: "delete"; readonly id: string };
export type CanvasOp = AddOp | UpdateOp | DeleteOp;

// Annotations: challenges, notes and private hints pinned to an element or the board.

/** Who writes and who receives them: docs/protocol.md, "Layers". */
export const LAYERS = keysOf(VOCABULARY.annotations.layers);
export type Layer = (typeof LAYERS)[number];

export const ANNOTATION_KINDS = keysOf(VOCABULARY.annotations.kinds);
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export const ANNOTATION_STATUSES = VOCABULARY.annotations.statuses;
export type AnnotationStatus = (typeof ANNOTATION_STATUSES)[number];

/** What `set_status` may set; `open` and `answered` only ever come from the server's rules. */
export type SetStatus = (typeof VOCABULARY.annotations.settable_statuses)[number];

export type Stream = (typeof VOCABULARY.streams)[number];

/** The target's meaning when the annotation was raised (position and size are not meaning). */
export type Snapshot =
  | Readonly<Pick<ComponentElement, "kind" | "type" | "label" | "tech" | "replicas" | "notes">>
  | Readonly<Pick<ArrowElement, "kind" | "source" | "target" | "label" | "style">>;

export interface Reply {
  readonly id: string;
  readonly author: string;
  readonly text: string;
  /** The public seq of the canvas it was written against. */
  readonly seq: number;
  readonly created_at: string;
  readonly edited_at: string | null;
}

export interface Annotation {
  readonly id: string;
  readonly layer: Layer;
  /** An element id (a component or an arrow), or null for the whole board. */
  readonly target: string | null;
  readonly kind: AnnotationKind;
  readonly text: string;
  readonly author: string;
  readonly prompted: boolean;
  readonly status: AnnotationStatus;
  readonly snapshot: Snapshot | null;
  readonly raised_seq: number;
  readonly answered_seq: number | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly replies: readonly Reply[];
  /** A review comment: the version it was written on (its target is looked up there). */
  readonly version?: number;
}

// Annotation ops as a client sends them.
export interface AnnotateOp {
  readonly op: "annotate";
  readonly annotation: Readonly<Pick<Annotation, "id" | "layer" | "target" | "kind" | "text">>;
}
export interface ReplyOp {
  readonly op: "reply";
  readonly annotation: string;
  readonly reply: { readonly id: string; readonly text: string };
}
export interface SetStatusOp {
  readonly op: "set_status";
  readonly annotation: string;
  readonly status: SetStatus;
}
export interface EditTextOp {
  readonly op: "edit_text";
  readonly annotation: string;
  /** A reply's id to edit that reply; absent to edit the annotation's own text. */
  readonly reply?: string;
  readonly text: string;
}
export interface DeleteAnnotationOp {
  readonly op: "delete_annotation";
  readonly annotation: string;
}
export type AnnotationOp = AnnotateOp | ReplyOp | SetStatusOp | EditTextOp | DeleteAnnotationOp;

// ...and as the server stores and broadcasts them (the stamped fields added).
export interface StoredAnnotateOp {
  readonly op: "annotate";
  /** `version` only on a review comment released by a submitted review. */
  readonly annotation: AnnotateOp["annotation"] & Readonly<Pick<Annotation, "prompted" | "snapshot" | "raised_seq" | "version">>;
}
export interface StoredReplyOp {
  readonly op: "reply";
  readonly annotation: string;
  readonly reply: ReplyOp["reply"] & { readonly seq: number };
  /** The annotation's status after the reply. */
  readonly status: AnnotationStatus;
}
export type StoredAnnotationOp = StoredAnnotateOp | StoredReplyOp | SetStatusOp | EditTextOp | DeleteAnnotationOp;

// The interview session: the clock, the phases and the requirements ledger (docs/protocol.md,
// "Interview session"). Ops in public batches, owner and interviewer run the clock.

export const SESSION_STATUSES = VOCABULARY.interview.session_statuses;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SESSION_ACTIONS = VOCABULARY.interview.session_actions;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** In order; a session may move between them in any order. */
export const PHASES = VOCABULARY.interview.phases;
export type Phase = (typeof PHASES)[number];

export const REQUIREMENT_KINDS = VOCABULARY.interview.requirement_kinds;
export type LedgerKind = (typeof REQUIREMENT_KINDS)[number];

export const SESSION_LIMITS = { defaultMinutes: L.session_default_minutes, maxMinutes: L.session_max_minutes, maxLinks: L.links } as const;

/** Every phase change, for the timeline. */
export interface PhaseChange {
  readonly phase: Phase;
  readonly at: string;
  readonly seq: number;
}

/**
 * The clock: `elapsed` seconds banked before `running_since`, which is set while running.
 * Time used = elapsed + (now − running_since while running); remaining = minutes·60 − used.
 */
export interface Session {
  readonly status: SessionStatus;
  readonly minutes: number;
  readonly elapsed: number;
  readonly running_since: string | null;
  readonly phase: Phase | null;
  readonly phases: readonly PhaseChange[];
  readonly started_at: string | null;
  readonly ended_at: string | null;
}

export interface LedgerAnswer {
  readonly text: string;
  readonly author: string;
  readonly seq: number;
  /** Absent from a replayed state (the op log's fold does not keep it). */
  readonly at?: string;
}

/** One entry of the requirements ledger: a question, an assumption or a constraint. */
export interface LedgerEntry {
  readonly id: string;
  readonly kind: LedgerKind;
  readonly text: string;
  /** Elements that depend on the entry. */
  readonly links: readonly string[];
  readonly author: string;
  readonly seq: number;
  /** Absent from a replayed state. */
  readonly created_at?: string;
  readonly answer: LedgerAnswer | null;
}

export interface SessionOp {
  readonly op: "session";
  readonly action: SessionAction;
  /** Only on start (1–480, default 45). */
  readonly minutes?: number;
}
export interface PhaseOp {
  readonly op: "phase";
  readonly phase: Phase;
}
export interface RequirementOp {
  readonly op: "requirement";
  readonly entry: { readonly id: string; readonly kind: LedgerKind; readonly text: string; readonly links?: readonly string[] };
}
export interface AnswerRequirementOp {
  readonly op: "answer_requirement";
  readonly entry: string;
  readonly text: string;
}
export interface LinkRequirementOp {
  readonly op: "link_requirement";
  readonly entry: string;
  readonly links: readonly string[];
}
export type InterviewOp = SessionOp | PhaseOp | RequirementOp | AnswerRequirementOp | LinkRequirementOp;

/** As stored: the entry's links filled in (`[]` when absent); the rest as sent. */
export type StoredRequirementOp = RequirementOp & { readonly entry: RequirementOp["entry"] & { readonly links: readonly string[] } };
export type StoredInterviewOp = SessionOp | PhaseOp | StoredRequirementOp | AnswerRequirementOp | LinkRequirementOp;

// Versions and reviews (docs/protocol.md, "Versions and reviews"): versions and review requests
// are REST only; a submitted review lands as one public batch of its challenges and a verdict op.

export const VERDICTS = VOCABULARY.reviews.verdicts;
export type Verdict = (typeof VERDICTS)[number];

export const REVIEW_STATES = VOCABULARY.reviews.review_states;
export type ReviewStateName = (typeof REVIEW_STATES)[number];

/** A pinned canvas: `id` is its number on the board (1, 2, …), `seq` the public head it pins. */
export interface Version {
  readonly id: number;
  readonly name: string;
  readonly note: string;
  readonly seq: number;
  readonly author: string;
  readonly created_at: string;
}

export interface VersionDetail extends Version {
  readonly elements: readonly Element[];
}

/** One reviewer's review of one version; `verdict` is "" while requested and not submitted. */
export interface Review {
  readonly reviewer: string;
  readonly reviewer_name: string;
  readonly version: number;
  readonly verdict: Verdict | "";
  readonly summary: string;
  readonly submitted_at: string | null;
  readonly submitted_seq: number | null;
}

export interface ReviewState {
  readonly state: ReviewStateName;
  readonly reviews: readonly Review[];
}

/** Only in a stored batch (sent by the server for a reviewer's submit, never by a client). */
export interface VerdictOp {
  readonly op: "verdict";
  readonly version: number;
  readonly verdict: Verdict;
  readonly summary: string;
}

// Flows (docs/protocol.md, "Flows"): an ordered walk along the arrows, one plain sentence per step.

export interface FlowStep {
  readonly element: string;
  readonly text: string;
}

export interface Flow {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly FlowStep[];
}

/** As folded: who wrote it last and at which public seq. */
export interface StoredFlow extends Flow {
  readonly author: string;
  readonly seq: number;
}

export type FlowOp = { readonly op: "flow"; readonly flow: Flow } | { readonly op: "delete_flow"; readonly id: string };

export const FLOW_OP_NAMES: ReadonlySet<string> = new Set<FlowOp["op"]>(["flow", "delete_flow"]);

/** Any op a client may put in a batch. */
export type Op = CanvasOp | AnnotationOp | InterviewOp | FlowOp;
export type StoredOp = CanvasOp | StoredAnnotationOp | StoredInterviewOp | VerdictOp | FlowOp;

export const CANVAS_OP_NAMES: ReadonlySet<string> = new Set<CanvasOp["op"]>(["add", "update", "delete"]);
export const ANNOTATION_OP_NAMES: ReadonlySet<string> = new Set<AnnotationOp["op"]>([
  "annotate",
  "reply",
  "set_status",
  "edit_text",
  "delete_annotation",
]);

export const INTERVIEW_OP_NAMES: ReadonlySet<string> = new Set<InterviewOp["op"]>([
  "session",
  "phase",
  "requirement",
  "answer_requirement",
  "link_requirement",
]);

export function isCanvasOp(op: { readonly op: string }): op is CanvasOp {
  return CANVAS_OP_NAMES.has(op.op);
}

export function isAnnotationOp<T extends { readonly op: string }>(op: T): op is Extract<T, { readonly annotation: unknown }> {
  return ANNOTATION_OP_NAMES.has(op.op);
}

export function isInterviewOp<T extends { readonly op: string }>(op: T): op is Extract<T, InterviewOp | StoredInterviewOp> {
  return INTERVIEW_OP_NAMES.has(op.op);
}

/** Ops as the server stored and broadcast them: normalised, cascades explicit, annotation fields stamped. */
export type ServerOps = readonly StoredOp[] & { readonly __brand: "ServerOps" };

export const ROLES = keysOf(VOCABULARY.roles);
export type Role = (typeof ROLES)[number];
export type Mode = keyof typeof VOCABULARY.modes;
export type Capability = keyof typeof VOCABULARY.capabilities;

export interface BoardMeta {
  readonly id: string;
  readonly title: string;
  readonly prompt: string;
  readonly mode: Mode;
  readonly owner: string;
  readonly seq: number;
  readonly created_at: string;
  readonly updated_at: string;
  /** An ended interview: only the owner and interviewers may change the board until it is reopened. */
  readonly closed?: boolean;
  /** design (the default), walkthrough or incident; absent from older servers. */
  readonly question_type?: "design" | "walkthrough" | "incident";
}

export interface Participant {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly online: boolean;
}

export interface You {
  readonly participant: string;
  readonly name: string;
  readonly role: Role;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type PreviewProps = Partial<Record<"x" | "y" | "w" | "h", number>>;

// Server -> client.

export interface BatchMessage {
  readonly type: "batch";
  /** Absent from servers that predate streams: public. */
  readonly stream?: Stream;
  /** Gapless per stream. */
  readonly seq: number;
  readonly id: string;
  readonly participant: string;
  readonly ops: ServerOps;
  readonly at: string;
}

/** A scenario card as played (docs/protocol.md, "Scenario cards"): public once played. */
export interface PlayedCard {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly seq: number;
  readonly at: string;
  /** The participant who played it. */
  readonly author: string;
}

/** The `scenario` op: a card from the question's deck, or typed on the spot (owner and interviewers). */
export interface ScenarioOp {
  readonly op: "scenario";
  readonly card: { readonly id: string; readonly text: string; readonly title?: string };
}

export interface WelcomeMessage {
  readonly type: "welcome";
  /** The server's protocol version; absent from servers that predate it (version 1). */
  readonly protocol?: number;
  readonly seq: number;
  readonly board: BoardMeta;
  readonly elements: readonly Element[];
  /** Only those the receiver may see. */
  readonly annotations?: readonly Annotation[];
  /** The private stream's head, for those who may read it (owner, interviewer). */
  readonly private_seq?: number;
  /** The interview session, with `now`: the server's clock when the welcome was built. */
  readonly session?: Session & { readonly now?: string | null };
  readonly requirements?: readonly LedgerEntry[];
  /** The scenario cards played so far, oldest first (everyone). */
  readonly scenarios?: readonly PlayedCard[];
  /** The board's published versions and its review state. */
  readonly versions?: readonly Version[];
  readonly review?: ReviewState;
  readonly flows?: readonly StoredFlow[];
  readonly you: You;
  readonly participants: readonly Participant[];
}

export interface CatchupMessage {
  readonly type: "catchup";
  /** As in `welcome`. */
  readonly protocol?: number;
  readonly seq: number;
  readonly batches: readonly BatchMessage[];
  readonly private_seq?: number;
  /** The private batches after `private_since`, for those who may read them. */
  readonly private_batches?: readonly BatchMessage[];
  readonly you: You;
  readonly participants: readonly Participant[];
}

export type ErrorCode = keyof typeof VOCABULARY.errors;

export interface RejectedMessage {
  readonly type: "rejected";
  readonly id: string | null;
  readonly code: ErrorCode;
  readonly message: string;
  readonly path?: string;
  readonly retryable: boolean;
}

export interface HeadMessage {
  readonly type: "head";
  readonly stream?: Stream;
  readonly seq: number;
}

export interface PresenceMessage {
  readonly type: "presence";
  readonly participant: string;
  readonly cursor: Point | null;
  readonly selection: readonly string[];
}

export interface PreviewMessage {
  readonly type: "preview";
  readonly participant: string;
  readonly id: string;
  readonly props: PreviewProps;
}

/** Where someone looks (the flow point at the middle of their view), for followers; `lead`: everyone follow me. */
export interface ViewportMessage {
  readonly type: "viewport";
  readonly participant: string;
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
  readonly lead: boolean;
  /** The step of a flow being presented (only while leading). */
  readonly flow: { readonly id: string; readonly step: number } | null;
}

/** Someone's laser pointer: their latest points, oldest first. Never stored. */
export interface LaserMessage {
  readonly type: "laser";
  readonly participant: string;
  readonly points: readonly Point[];
}

export interface JoinedMessage {
  readonly type: "joined";
  readonly participant: Participant;
}

export interface LeftMessage {
  readonly type: "left";
  readonly participant: string;
}

export interface BoardChangedMessage {
  readonly type: "board";
  readonly board: BoardMeta;
}

/** Versions published or reviews requested over REST (neither is an op), for every open board. */
export interface ReviewNoticeMessage {
  readonly type: "review";
  readonly versions: readonly Version[];
  readonly review: ReviewState;
}

export type ServerMessage =
  | WelcomeMessage
  | CatchupMessage
  | BatchMessage
  | RejectedMessage
  | HeadMessage
  | PresenceMessage
  | PreviewMessage
  | ViewportMessage
  | LaserMessage
  | JoinedMessage
  | LeftMessage
  | BoardChangedMessage
  | ReviewNoticeMessage;

// Client -> server.

export type ClientMessage =
  | { readonly type: "batch"; readonly id: string; readonly ops: readonly Op[] }
  | { readonly type: "presence"; readonly cursor: Point | null; readonly selection: readonly string[] }
  | { readonly type: "preview"; readonly id: string; readonly props: PreviewProps }
  | Omit<ViewportMessage, "participant">
  | Omit<LaserMessage, "participant">;

/** The REST twin of the op stream: GET /api/boards/{id}/ops/?after=S */
export interface OpsPage {
  readonly seq: number;
  readonly batches: readonly BatchMessage[];
  readonly next: number | null;
}

/** Close codes the server uses (docs/protocol.md, "Limits and closing"). */
const CODES = VOCABULARY.close_codes;
export const CLOSE = {
  badRequest: CODES.bad_request.code,
  accessRemoved: CODES.access_removed.code,
  boardDeleted: CODES.board_deleted.code,
  flooding: CODES.flooding.code,
} as const;

const SERVER_TYPES = new Set([
  "welcome",
  "catchup",
  "batch",
  "rejected",
  "head",
  "presence",
  "preview",
  "viewport",
  "laser",
  "joined",
  "left",
  "board",
  "review",
]);

/** Parse a frame from the server; null for anything that is not a known message. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !SERVER_TYPES.has(type)) return null;
  return value as ServerMessage;
}

/** What a role may do: the capability table of whiteboard/vocabulary.json, which the server reads too. */
export function can(role: Role, capability: Capability): boolean {
  const capabilities: readonly Capability[] = VOCABULARY.roles[role];
  return capabilities.includes(capability);
}

export function canEditCanvas(role: Role): boolean {
  return can(role, "edit_canvas");
}

/** Receive the private stream (the interviewers' layer). */
export function canReadPrivate(role: Role): boolean {
  return can(role, "read_private");
}

/**
 * A capability of the role, or one the mode grants the board's author (a practising candidate invites
 * an observer). On a practice board only its author holds the mode's author role, so the role tells.
 */
export function canAs(role: Role, capability: Capability, mode?: Mode): boolean {
  if (can(role, capability)) return true;
  if (!mode) return false;
  const rules: { readonly author: string; readonly author_capabilities?: readonly string[] } = VOCABULARY.modes[mode];
  return rules.author === role && (rules.author_capabilities ?? []).includes(capability);
}

export function canInvite(role: Role, mode?: Mode): boolean {
  return canAs(role, "invite", mode);
}

export function canEditBoard(role: Role, mode?: Mode): boolean {
  return canAs(role, "edit_board", mode);
}

export function canDeleteBoard(role: Role, mode?: Mode): boolean {
  return canAs(role, "delete_board", mode);
}

/** Whether the server plays this role (a practice board's coach): always here, never on a socket. */
export function isPlayedByServer(role: Role): boolean {
  const modes: readonly { readonly author: string; readonly server_roles?: readonly string[] }[] = Object.values(VOCABULARY.modes);
  return modes.some((rules) => (rules.server_roles ?? []).includes(role));
}

/** How each mode reads on a chip. */
export const MODE_LABEL: Readonly<Record<Mode, string>> = { interview: "Interview", review: "Review", practice: "Practice" };

/** The modes whose boards have the interview clock and phases. */
export function hasSession(mode: Mode): boolean {
  const rules: { readonly author: string; readonly session?: boolean } = VOCABULARY.modes[mode];
  return rules.session === true;
}

/** A line the coach (or whoever keeps the clock) said: docs/protocol.md, "Practice". */
export interface Notice {
  readonly id: string;
  readonly kind: (typeof VOCABULARY.practice.notice_kinds)[number];
  readonly text: string;
  readonly ref?: string;
}

/** The essay's advice, as the practice feedback's checklist: id -> the line as it reads. */
export const CHECKLIST = VOCABULARY.practice.checklist;

/** Send batches at all (canvas ops, or annotation ops for a reviewer); observers only watch. */
export function canWrite(role: Role): boolean {
  return can(role, "write");
}

/** Change a closed board (an ended interview): the people running it. */
export function canWriteClosed(role: Role): boolean {
  return can(role, "write_closed");
}

/** Ask everyone to follow my view ("everyone follow me", presenting a flow). */
export function canLead(role: Role): boolean {
  return can(role, "lead");
}

/** Use the laser pointer (observers watch it). */
export function canPoint(role: Role): boolean {
  return can(role, "point");
}

/** Run the clock and the phases. */
export function canKeepClock(role: Role): boolean {
  return can(role, "keep_clock");
}

/** Add entries to the requirements ledger. */
export function canWriteLedger(role: Role): boolean {
  return can(role, "write_ledger");
}

/** Answer the ledger's entries (and link anyone's). */
export function canAnswer(role: Role): boolean {
  return can(role, "answer");
}

/** Read and write scorecards, read signals and the report. */
export function canScore(role: Role): boolean {
  return can(role, "score");
}

export const INVITABLE: Readonly<Record<Mode, readonly Role[]>> = {
  interview: VOCABULARY.modes.interview.invitable,
  review: VOCABULARY.modes.review.invitable,
  practice: VOCABULARY.modes.practice.invitable,
};
