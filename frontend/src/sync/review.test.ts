import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { SyncClient } from "./client";
import type { BatchMessage, Review, ReviewState, ServerOps, WelcomeMessage } from "./protocol";
import { applyVerdicts, boardState, NO_REVIEW } from "./review";
import { FakeServer, FakeSocket, ME } from "./testing";

const review = (reviewer: string, version: number, verdict: Review["verdict"], submitted = verdict !== ""): Review => ({
  reviewer,
  reviewer_name: reviewer.toUpperCase(),
  version,
  verdict,
  summary: "",
  submitted_at: submitted ? "2026-11-23T20:00:00.000Z" : null,
  submitted_seq: submitted ? 1 : null,
});

describe("board state (reviews/verdicts.py board_state)", () => {
  it("is none without reviews and in review while requested", () => {
    expect(boardState([])).toBe("none");
    expect(boardState([review("r1", 1, "")])).toBe("in_review");
    expect(boardState([review("r1", 1, "comment")])).toBe("in_review");
  });

  it("holds at changes requested until that reviewer approves a later version", () => {
    const asked = [review("r1", 1, "request_changes"), review("r2", 1, "approve")];
    expect(boardState(asked)).toBe("changes_requested");
    // A comment on v2 does not lift it; only an approval does.
    expect(boardState([...asked, review("r1", 2, "comment")])).toBe("changes_requested");
    expect(boardState([...asked, review("r1", 2, "approve")])).toBe("approved");
  });

  it("is approved only when every reviewer's latest review approves", () => {
    expect(boardState([review("r1", 1, "approve"), review("r2", 1, "")])).toBe("in_review");
    expect(boardState([review("r1", 1, "approve"), review("r2", 2, "approve")])).toBe("approved");
    // A later request (not submitted yet) makes the latest review of r1 pending again.
    expect(boardState([review("r1", 1, "approve"), review("r1", 2, "")])).toBe("in_review");
  });

  it("orders by version, whatever order the list comes in", () => {
    expect(boardState([review("r1", 2, "approve"), review("r1", 1, "request_changes")])).toBe("approved");
  });
});

describe("verdict ops", () => {
  const batch = { participant: "r1", at: "2026-11-23T21:00:00.000Z", seq: 9 };
  const verdict = (version: number, v: "comment" | "approve" | "request_changes", summary = "") => ({ op: "verdict", version, verdict: v, summary });

  it("fills in the reviewer's requested review and recomputes the state", () => {
    const state: ReviewState = { state: "in_review", reviews: [review("r1", 1, "")] };
    const next = applyVerdicts(state, [verdict(1, "request_changes", "Split the API")], batch);
    expect(next.state).toBe("changes_requested");
    expect(next.reviews).toEqual([
      { ...review("r1", 1, ""), verdict: "request_changes", summary: "Split the API", submitted_at: batch.at, submitted_seq: 9 },
    ]);
    expect(state.reviews[0]!.verdict).toBe(""); // never mutates
  });

  it("supersedes the reviewer's unsubmitted requests of older versions (a newer review covers them)", () => {
    const state: ReviewState = { state: "in_review", reviews: [review("r1", 1, ""), review("r2", 1, "")] };
    const next = applyVerdicts(state, [verdict(2, "approve")], batch);
    expect(next.reviews.map((r) => [r.reviewer, r.version, r.verdict, r.reviewer_name])).toEqual([
      ["r2", 1, "", "R2"],
      ["r1", 2, "approve", "R1"],
    ]);
    expect(next.state).toBe("in_review");
  });

  it("leaves the state alone for a batch without a verdict", () => {
    const state: ReviewState = { state: "in_review", reviews: [review("r1", 1, "")] };
    expect(applyVerdicts(state, [{ op: "add" }], batch)).toBe(state);
    expect(applyVerdicts(NO_REVIEW, [verdict(1, "comment")], { ...batch, participant: "r9" }).reviews[0]!.reviewer_name).toBe("");
  });
});

describe("the client with a review", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("takes versions and the review from the welcome, applies verdict ops and accepts review comments with a version", () => {
    const server = new FakeServer();
    server.mode = "review";
    const sockets: FakeSocket[] = [];
    const client = new SyncClient({
      socketUrl: "ws://test/ws/boards/b1/",
      opsUrl: "/api/boards/b1/ops/",
      you: ME,
      clientId: "tab",
      random: () => 0.5,
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      fetchJson: async () => ({ seq: 0, batches: [], next: null }),
    });
    client.start();
    const socket = sockets[0]!;
    socket.open();
    const welcome = server.welcome() as WelcomeMessage;
    socket.deliver({
      ...welcome,
      versions: [{ id: 1, name: "First", note: "", seq: 0, author: ME.participant, created_at: "2026-11-23T20:00:00.000Z" }],
      review: { state: "in_review", reviews: [review("r1", 1, "")] },
    });
    expect(client.getSnapshot().versions.map((v) => v.id)).toEqual([1]);
    expect(client.getSnapshot().review.state).toBe("in_review");

    // The submitted review lands as one batch: the released challenge (board-level) and the verdict.
    const released: BatchMessage = {
      type: "batch",
      stream: "public",
      seq: 1,
      id: "rest-1",
      participant: "r1",
      at: "2026-11-23T21:00:00.000Z",
      ops: [
        {
          op: "annotate",
          annotation: { id: "a-1", layer: "challenges", target: null, kind: "clarify", text: "Who calls it?", version: 1, prompted: true, snapshot: null, raised_seq: 1 },
        },
        { op: "verdict", version: 1, verdict: "request_changes", summary: "Needs a client" },
      ] as unknown as ServerOps,
    };
    socket.deliver(released);
    const snapshot = client.getSnapshot();
    expect(snapshot.seq).toBe(1);
    expect(snapshot.annotations.get("a-1")).toMatchObject({ version: 1, author: "r1", status: "open" });
    expect(snapshot.review.state).toBe("changes_requested");
    expect(snapshot.review.reviews[0]).toMatchObject({ verdict: "request_changes", summary: "Needs a client", submitted_seq: 1 });
  });
});
