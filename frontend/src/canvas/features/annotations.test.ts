import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { PendingComment } from "../pending";
import { component, harness, ME, note } from "./testing";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const INTERVIEWER = { participant: "ivy", name: "Ivy", role: "interviewer" } as const;
const REVIEWER = { participant: "rae", name: "Rae", role: "reviewer" } as const;

describe("the composer", () => {
  it("opens on the one selected component, in the candidate's own notes", () => {
    const h = harness({ elements: [component("api")] });
    h.board.core.select(["api"]);
    expect(h.board.annotating.raise("failure_mode")).toBe(true);
    expect(h.board.ui.getState().composer).toEqual({ target: "api", kind: "failure_mode", layer: "notes" });
  });

  it("asks for a selection when none (or a note) is selected, and opens nothing", () => {
    const h = harness({ you: INTERVIEWER, elements: [note("n")] });
    h.board.core.select(["n"]);
    expect(h.board.annotating.raise("trade_off")).toBe(false);
    expect(h.board.ui.getState().composer).toBeNull();
    expect(h.toasts()).toEqual(["Select a component or an arrow first: Then press F, T, S or C to annotate it."]);
  });

  it("opens on the whole design in the interviewer's challenges, and closes", () => {
    const h = harness({ you: INTERVIEWER });
    expect(h.board.annotating.raise("scaling", null)).toBe(true);
    expect(h.board.ui.getState().composer).toEqual({ target: null, kind: "scaling", layer: "challenges" });
    h.board.annotating.closeComposer();
    expect(h.board.ui.getState().composer).toBeNull();
    expect(h.viewport.focused).toBeGreaterThan(0);
  });

  it("is not for observers", () => {
    const h = harness({ you: { ...ME, role: "observer" }, elements: [component("api")] });
    h.board.core.select(["api"]);
    expect(h.board.annotating.raise("failure_mode")).toBe(false);
    expect(h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "x" })).toBeNull();
    expect(h.toasts()).toEqual(["That cannot be done: Your role cannot annotate this board."]);
    expect(h.sent()).toEqual([]);
  });
});

describe("writing", () => {
  it("sends an annotate op with the text trimmed; a private one gets a p- id", () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api")] });
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "  What if it dies?  " });
    const secret = h.board.annotating.annotate({ target: null, kind: "scaling", text: "Probe caching", layer: "private" });
    expect(id).toMatch(/^a-/);
    expect(h.toasts()).toEqual([]);
    expect(secret).toMatch(/^p-a-/);
    expect(h.sent()[0]).toEqual([{ op: "annotate", annotation: { id, layer: "challenges", target: "api", kind: "failure_mode", text: "What if it dies?" } }]);
    expect(h.board.annotations.get(id!)).toMatchObject({ text: "What if it dies?", author: "ivy" });
  });

  it("replies, resolves, edits and deletes as their own batches, none of them undoable", () => {
    const h = harness({ you: INTERVIEWER, elements: [component("api")] });
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "Q" })!;
    const reply = h.board.annotating.reply(id, " A ");
    expect(h.board.annotating.setStatus(id, "resolved")).toBe(true);
    expect(h.board.annotating.editText(id, " Q2 ")).toBe(true);
    h.board.navigation.openThread(id);
    expect(h.board.annotating.deleteAnnotation(id)).toBe(true);
    expect(h.sent().slice(1)).toEqual([
      [{ op: "reply", annotation: id, reply: { id: reply, text: "A" } }],
      [{ op: "set_status", annotation: id, status: "resolved" }],
      [{ op: "edit_text", annotation: id, text: "Q2" }],
      [{ op: "delete_annotation", annotation: id }],
    ]);
    expect(h.board.ui.getState().thread).toBeNull();
    expect(h.board.editing.history.canUndo).toBe(false);
  });

  it("refuses with the client's reason (a reply to nothing) and sends nothing", () => {
    const h = harness({ you: INTERVIEWER });
    expect(h.board.annotating.reply("nope", "hi")).toBeNull();
    expect(h.sent()).toEqual([]);
    expect(h.toasts()[0]).toMatch(/^That cannot be done: /);
  });

  it("writes nothing on a published version open read-only", async () => {
    const h = harness({
      you: INTERVIEWER,
      elements: [component("api")],
      routes: { "GET versions/1/": () => ({ id: 1, name: "v1", note: "", seq: 1, author: "alice", created_at: "", elements: [] }) },
    });
    await h.board.review.openVersion(1);
    expect(h.board.annotating.annotate({ target: null, kind: "scaling", text: "x" })).toBeNull();
    expect(h.toasts()).toContain("This is a published version: Go back to the live board to change it.");
    expect(h.sent()).toEqual([]);
  });
});

describe("a reviewer's challenges", () => {
  const pending = (body: unknown): PendingComment => ({ ...(body as PendingComment), layer: "challenges", version: 1, created_at: "" });

  it("go to the pending list over REST, not to the board, until the review is submitted", async () => {
    const h = harness({ you: REVIEWER, mode: "review", elements: [component("api")], routes: { "POST reviews/pending/": pending, "DELETE reviews/pending/": () => undefined } });
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: " Single DB? " })!;
    await h.settle();
    expect(h.sent()).toEqual([]);
    expect(h.api.calls).toEqual([{ method: "POST", path: "boards/b1/reviews/pending/", body: { id, target: "api", kind: "failure_mode", text: "Single DB?" } }]);
    expect(h.board.core.reviewStore.getSnapshot().pending.map((p) => p.id)).toEqual([id]);
  });

  it("are edited by drafting again under the same id, and deleted over REST (closing the thread)", async () => {
    const h = harness({ you: REVIEWER, mode: "review", elements: [component("api")] });
    h.api.routes = { "POST reviews/pending/": pending, [`DELETE reviews/pending/`]: () => undefined };
    const id = h.board.annotating.annotate({ target: "api", kind: "failure_mode", text: "One" })!;
    await h.settle();
    h.api.routes[`DELETE reviews/pending/${id}/`] = () => undefined;
    expect(h.board.annotating.editText(id, " Two ")).toBe(true);
    await h.settle();
    expect(h.board.core.reviewStore.getSnapshot().pending[0]?.text).toBe("Two");
    h.board.ui.setState({ thread: id });
    expect(h.board.annotating.deleteAnnotation(id)).toBe(true);
    await h.settle();
    expect(h.board.ui.getState().thread).toBeNull();
    expect(h.board.core.reviewStore.getSnapshot().pending).toEqual([]);
    expect(h.api.calls.map((c) => c.method)).toEqual(["POST", "DELETE", "POST", "DELETE"]);
    expect(h.sent()).toEqual([]);
  });

  it("show the server's refusal in a toast", async () => {
    const h = harness({ you: REVIEWER, mode: "review", elements: [component("api")] });
    expect(await h.board.annotating.addPending({ target: "api", kind: "scaling", text: "x" })).toBeNull();
    expect(h.toasts()[0]).toMatch(/^The challenge was not saved: No route/);
  });
});
