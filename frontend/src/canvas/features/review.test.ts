import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Version } from "../../sync";
import { component, harness, type Routes } from "./testing";
import { reviewerNames } from "./review";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const OWNER = { participant: "olga", name: "Olga", role: "owner" } as const;
const REVIEWER = { participant: "rae", name: "Rae", role: "reviewer" } as const;
const V1: Version = { id: 1, name: "First draft", note: "", seq: 1, author: "olga", created_at: "2026-11-23T20:31:05.123Z" };
const EMPTY_DIFF = { added: [], removed: [], changed: [] };
const REVIEW = { state: "in_review", reviews: [] };

function owner(routes: Routes = {}) {
  return harness({ you: OWNER, mode: "review", elements: [component("api")], routes });
}

describe("versions", () => {
  it("publishing needs a name; then it is POSTed and announced", async () => {
    const h = owner({ "POST versions/": () => V1, "GET versions/": () => [V1] });
    expect(await h.board.review.publishVersion("  ")).toBeNull();
    expect(h.api.calls).toEqual([]);
    expect(await h.board.review.publishVersion("First draft", "note")).toBe(1);
    expect(h.api.calls[0]).toEqual({ method: "POST", path: "boards/b1/versions/", body: { name: "First draft", note: "note" } });
    expect(h.toasts()).toEqual(["Name the version: A version needs a name, such as “First draft”.", "Published version 1: First draft"]);
    expect(h.board.client.getSnapshot().versions).toEqual([V1]);
  });

  it("opening one shows its canvas read-only, closes the drill and clears the selection", async () => {
    const h = owner({ "GET versions/1/": () => ({ ...V1, elements: [component("old")] }), "GET analysis/": () => ({ seq: 1, entry_points: [], data_stores: [], spofs: [], lints: [], probes: [] }) });
    h.board.drill.toggleDrill(true);
    h.board.core.select(["api"]);
    expect(await h.board.review.openVersion(1)).toBe(true);
    expect(h.board.core.drillStore.getSnapshot().on).toBe(false);
    expect(h.board.ui.getState().selected.size).toBe(0);
    expect([...h.board.core.shown.elements.keys()]).toEqual(["old"]);
    expect(h.board.core.canEdit).toBe(false);
    expect(await h.board.review.openVersion(null)).toBe(true);
    expect(h.board.core.canEdit).toBe(true);
  });

  it("a refusal is a toast with the server's message and false", async () => {
    const h = owner();
    expect(await h.board.review.openVersion(7)).toBe(false);
    expect(h.toasts()).toEqual(["The version could not be opened: No route for GET boards/b1/versions/7/"]);
  });

  it("compares with now by default, and closes the comparison", async () => {
    const h = owner({ "GET diff/?from=1&to=now": () => EMPTY_DIFF });
    expect(await h.board.review.compare(1)).toBe(true);
    expect(h.board.core.reviewStore.getSnapshot().compare).toMatchObject({ from: 1, to: "now" });
    h.board.review.closeCompare();
    expect(h.board.core.reviewStore.getSnapshot().compare).toBeNull();
  });

  it("restoring says whether anything changed", async () => {
    const h = owner({ "POST versions/1/restore/": () => ({ seq: 4 }), "POST versions/2/restore/": () => ({ seq: null }) });
    expect(await h.board.review.restoreVersion(1)).toBe(true);
    expect(await h.board.review.restoreVersion(2)).toBe(true);
    expect(h.toasts()).toEqual(["Restored version 1: Undo is not needed: the old canvas stays in the history.", "The board already matches version 2"]);
  });
});

describe("reviews", () => {
  it("requests reviewers by distinct trimmed usernames, and needs at least one", async () => {
    const h = owner({ "POST reviews/": () => REVIEW });
    expect(await h.board.review.requestReview([" ", ""])).toBe(false);
    expect(await h.board.review.requestReview([" rae ", "rae", "sam"], 1)).toBe(true);
    expect(h.api.calls).toEqual([{ method: "POST", path: "boards/b1/reviews/", body: { version: 1, reviewers: ["rae", "sam"] } }]);
    expect(h.toasts()).toEqual(["Who should review it?: Give one or more usernames, emails or names on this board.", "Review requested: rae, sam"]);
  });

  it("splits the typed reviewers on commas, semicolons and new lines, never inside a name", () => {
    expect(reviewerNames(" rae, Rita Reviewer;sam@example.com\n\n, ")).toEqual(["rae", "Rita Reviewer", "sam@example.com"]);
    expect(reviewerNames("  ")).toEqual([]);
  });

  it("submits my verdict and summary", async () => {
    const h = harness({ you: REVIEWER, mode: "review", routes: { "POST reviews/submit/": () => ({}), "GET reviews/": () => REVIEW } });
    expect(await h.board.review.submitReview("request_changes", " Needs a queue ")).toBe(true);
    expect(h.api.calls[0]).toEqual({ method: "POST", path: "boards/b1/reviews/submit/", body: { verdict: "request_changes", summary: "Needs a queue" } });
    expect(h.toasts()).toEqual(["Review submitted: Request changes"]);
  });
});
