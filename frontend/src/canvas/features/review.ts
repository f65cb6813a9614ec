// The async design review (REST; only the verdict lands as an op): publish a version, open one
// read-only, compare two (or one and now), restore one, request reviewers, submit my review.
// A refusal is a toast with the server's message and a null/false answer. No React.
import type { Verdict } from "../../sync";
import type { VersionRef } from "../diff";
import { VERDICT_INFO } from "../reviewCatalog";
import type { BoardCore } from "./core";

/** The people typed into "Request review": separated by commas, semicolons or new lines, never by
 *  spaces, as a guest reviewer's name on the board ("Rita Reviewer") may contain them. */
export function reviewerNames(text: string): string[] {
  return text.split(/[,;\n]+/).map((name) => name.trim()).filter(Boolean);
}

export class Reviewing {
  constructor(private readonly core: BoardCore) {}

  /** Pin the canvas as it is now (the owner); the version's number. */
  async publishVersion(name: string, note = ""): Promise<number | null> {
    if (!name.trim()) {
      this.core.toast("error", "Name the version", "A version needs a name, such as “First draft”.");
      return null;
    }
    const version = await this.core.rest("The version was not published", () => this.core.reviewStore.publish(name, note));
    if (version) this.core.toast("success", `Published version ${version.id}`, version.name);
    return version?.id ?? null;
  }

  /** Show a version's canvas read-only (null: back to the live board). */
  async openVersion(n: number | null): Promise<boolean> {
    if (n !== null) this.core.leaveOtherViews("version");
    const shown = await this.core.rest("The version could not be opened", () => this.core.reviewStore.open(n));
    if (shown) this.core.select([]);
    return n === null || shown !== null;
  }

  /** Compare two versions, or a version and now ("now"); the diff shows on the canvas and as a list. */
  async compare(from: VersionRef, to: VersionRef = "now"): Promise<boolean> {
    this.core.leaveOtherViews("version");
    const done = await this.core.rest("The versions could not be compared", () => this.core.reviewStore.compare(from, to));
    if (done) this.core.select([]);
    return done !== null;
  }

  closeCompare(): void {
    this.core.reviewStore.closeCompare();
  }

  /** Make the canvas equal version `n` again, as a new batch (the owner); false when refused. */
  async restoreVersion(n: number): Promise<boolean> {
    const seq = await this.core.rest("The version was not restored", async () => ({ seq: await this.core.reviewStore.restore(n) }));
    if (!seq) return false;
    this.core.toast(
      "success",
      seq.seq === null ? `The board already matches version ${n}` : `Restored version ${n}`,
      seq.seq === null ? undefined : "Undo is not needed: the old canvas stays in the history.",
    );
    return true;
  }

  /** Ask people to review a version (the newest unless given): by username, email, or their name
   *  or participant id on this board (a reviewer who joined by invite link has no account). */
  async requestReview(usernames: readonly string[], version?: number): Promise<boolean> {
    const names = [...new Set(usernames.map((u) => u.trim()).filter(Boolean))];
    if (!names.length) {
      this.core.toast("error", "Who should review it?", "Give one or more usernames, emails or names on this board.");
      return false;
    }
    const done = await this.core.rest("The review was not requested", () => this.core.reviewStore.requestReview(names, version));
    if (done) this.core.toast("success", "Review requested", names.join(", "));
    return done !== null;
  }

  /** Submit my review of the newest version: my pending challenges and the verdict land for everyone at once. */
  async submitReview(verdict: Verdict, summary = ""): Promise<boolean> {
    const done = await this.core.rest("The review was not submitted", async () => (await this.core.reviewStore.submit(verdict, summary), true));
    if (done) this.core.toast("success", "Review submitted", VERDICT_INFO[verdict].name);
    return done !== null;
  }
}
