// The async design review, kept while the page is open: the versions (publish, open one
// read-only, restore), a comparison of two versions (or one and now), review requests, and
// my pending challenges as a reviewer (drafted over REST, out of the log, submitted with a
// verdict in one batch). Versions and the review state live in the SyncClient's snapshot
// (the welcome, then `verdict` ops; REST answers are adopted there). No React.
import {
  elementsFrom,
  type Elements,
  type ReviewState,
  type SyncClient,
  type Verdict,
  type Version,
  type VersionDetail,
} from "../sync";
import { type Diff, type VersionRef } from "./diff";
import type { PendingComment } from "./pending";
import { asPublished, stillPending } from "./pending";
import { changesBoard, LatestRequest, ViewStore } from "./viewStore";

/** A version open read-only: its canvas instead of the live one. */
export interface ShownVersion {
  readonly version: Version;
  readonly elements: Elements;
}

export interface Comparison {
  readonly from: VersionRef;
  readonly to: VersionRef;
  readonly diff: Diff;
}

export interface ReviewView {
  readonly shown: ShownVersion | null;
  readonly compare: Comparison | null;
  /** A comparison or a version on its way. */
  readonly loading: boolean;
  /** My pending challenges (a reviewer's only). */
  readonly pending: readonly PendingComment[];
}

/** What the store needs of the REST client. */
export interface ReviewApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

const INITIAL: ReviewView = { shown: null, compare: null, loading: false, pending: [] };
/** Refetch a comparison against the live board this long after the board last changed. */
const REFRESH_MS = 400;

export class ReviewStore extends ViewStore<ReviewView> {
  private readonly canvases = new Map<number, Elements>();
  private readonly latest = new LatestRequest();
  /** The live board moved on: redo the comparison with it, a moment after the last change. */
  private readonly recompare = this.debounce(REFRESH_MS, () => {
    const compare = this.view.compare;
    if (compare) void this.compare(compare.from, compare.to).catch(() => undefined);
  });

  constructor(
    private readonly api: ReviewApi,
    private readonly board: string,
    private readonly client: SyncClient,
  ) {
    super(INITIAL);
  }

  /** Follow the board: a comparison with now is redone as it changes; released pending ones drop. */
  start(): void {
    this.follow(this.client, (event) => {
      if (!changesBoard(event)) return;
      const annotations = this.client.getSnapshot().annotations;
      if (this.view.pending.some((p) => annotations.has(p.id))) this.set({ pending: stillPending(this.view.pending, annotations) });
      const compare = this.view.compare;
      if (compare && (compare.from === "now" || compare.to === "now")) this.recompare.schedule();
    });
  }

  get isShowingVersion(): boolean {
    return this.view.shown !== null;
  }

  // ---- Versions -------------------------------------------------------------------

  async loadVersions(): Promise<readonly Version[]> {
    const versions = await this.api.get<Version[]>(`boards/${this.board}/versions/`);
    this.client.adoptVersions(versions);
    return versions;
  }

  async loadReviews(): Promise<ReviewState> {
    const review = await this.api.get<ReviewState>(`boards/${this.board}/reviews/`);
    this.client.adoptReview(review);
    return review;
  }

  /** Pin the canvas as it is now (the owner). */
  async publish(name: string, note = ""): Promise<Version> {
    const version = await this.api.post<Version>(`boards/${this.board}/versions/`, { name: name.trim(), note: note.trim() });
    await this.loadVersions().catch(() => this.client.adoptVersions([...this.client.getSnapshot().versions, version]));
    return version;
  }

  private async canvas(number: number): Promise<ShownVersion> {
    const listed = this.client.getSnapshot().versions.find((v) => v.id === number);
    const cached = this.canvases.get(number);
    if (cached && listed) return { version: listed, elements: cached };
    const detail = await this.api.get<VersionDetail>(`boards/${this.board}/versions/${number}/`);
    const { elements, ...version } = detail;
    const canvas = elementsFrom(elements);
    this.canvases.set(number, canvas);
    return { version, elements: canvas };
  }

  /** Show a version's canvas read-only (null: back to the live board, which also ends a comparison). */
  async open(number: number | null): Promise<ShownVersion | null> {
    const newest = this.latest.begin();
    if (number === null) {
      this.set({ shown: null, compare: null, loading: false });
      return null;
    }
    this.set({ loading: true });
    try {
      const shown = await this.canvas(number);
      if (newest()) this.set({ shown, compare: null, loading: false });
      return shown;
    } catch (error) {
      if (newest()) this.set({ loading: false });
      throw error;
    }
  }

  /** Compare two versions (or one and now): the diff on the canvas, over the newer side. */
  async compare(from: VersionRef, to: VersionRef): Promise<Comparison> {
    const newest = this.latest.begin();
    this.set({ loading: true });
    try {
      const [diff, shown] = await Promise.all([
        this.api.get<Diff>(`boards/${this.board}/diff/?from=${from}&to=${to}`),
        to === "now" ? Promise.resolve(null) : this.canvas(to),
      ]);
      const compare = { from, to, diff };
      if (newest()) this.set({ compare, shown, loading: false });
      return compare;
    } catch (error) {
      if (newest()) this.set({ loading: false });
      throw error;
    }
  }

  closeCompare(): void {
    this.latest.cancel();
    this.set({ compare: null, shown: null, loading: false });
  }

  /** Make the canvas equal a version again, as one new batch (the owner); the seq, or null if nothing differed. */
  async restore(number: number): Promise<number | null> {
    const { seq } = await this.api.post<{ seq: number | null }>(`boards/${this.board}/versions/${number}/restore/`, {});
    if (this.view.shown || this.view.compare) this.closeCompare();
    return seq;
  }

  // ---- Reviews ----------------------------------------------------------------------

  /** Ask named users to review a version (the owner); they join as reviewers. */
  async requestReview(usernames: readonly string[], version?: number): Promise<ReviewState> {
    const newest = this.client.getSnapshot().versions.at(-1)?.id;
    const number = version ?? newest;
    if (number === undefined) throw new Error("Publish a version first: a review is of a version.");
    const review = await this.api.post<ReviewState>(`boards/${this.board}/reviews/`, { version: number, reviewers: [...usernames] });
    this.client.adoptReview(review);
    return review;
  }

  async loadPending(): Promise<readonly PendingComment[]> {
    const list = await this.api.get<PendingComment[]>(`boards/${this.board}/reviews/pending/`);
    this.set({ pending: stillPending(list, this.client.getSnapshot().annotations) });
    return list;
  }

  /** Draft a challenge on the newest version (shown to me alone until I submit). */
  async addPending(input: { id: string; target: string | null; kind: PendingComment["kind"]; text: string }): Promise<PendingComment> {
    const comment = await this.api.post<PendingComment>(`boards/${this.board}/reviews/pending/`, input);
    this.set({ pending: [...this.view.pending.filter((p) => p.id !== comment.id), comment] });
    return comment;
  }

  async removePending(id: string): Promise<void> {
    await this.api.delete(`boards/${this.board}/reviews/pending/${encodeURIComponent(id)}/`);
    this.set({ pending: this.view.pending.filter((p) => p.id !== id) });
  }

  /**
   * A pending comment has no edit: it is dropped and drafted again under the same id. It keeps
   * its place (and its open thread) meanwhile; if the new text is refused the old one goes back.
   */
  async editPending(id: string, text: string): Promise<PendingComment> {
    const current = this.view.pending.find((p) => p.id === id);
    if (!current) throw new Error("That pending comment is gone.");
    const path = `boards/${this.board}/reviews/pending/`;
    const draft = (body: string) => this.api.post<PendingComment>(path, { id, target: current.target, kind: current.kind, text: body });
    await this.api.delete(`${path}${encodeURIComponent(id)}/`);
    let comment: PendingComment;
    try {
      comment = await draft(text);
    } catch (error) {
      await draft(current.text).catch(() => this.set({ pending: this.view.pending.filter((p) => p.id !== id) }));
      throw error;
    }
    this.set({ pending: this.view.pending.map((p) => (p.id === id ? comment : p)) });
    return comment;
  }

  /** Submit my review of the newest version: my pending challenges and the verdict land in one batch. */
  async submit(verdict: Verdict, summary: string): Promise<void> {
    const done = await this.api.post<{ published?: Record<string, string> }>(`boards/${this.board}/reviews/submit/`, { verdict, summary: summary.trim() });
    // The batch brings the challenges and the verdict to everyone (me too): each pending one
    // shows, under the id it was published with, until its live twin arrives (it may have already).
    const mine = asPublished(this.view.pending, done?.published ?? {});
    this.set({ pending: stillPending(mine, this.client.getSnapshot().annotations) });
    await this.loadReviews().catch(() => undefined);
  }
}
