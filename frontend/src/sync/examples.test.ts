// The shared example batches (tests/examples/batches.json), run against the client's local
// checks. The server runs the same file (tests/test_examples.py): both must refuse the same
// batches with the same code and path, so a batch refused here never leaves the client.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { applyLocalBatch, type Board, EMPTY_BOARD } from "./batch";
import { OpError } from "./ops";
import type { Mode, Role } from "./protocol";
import { AT } from "./testing";

interface Step {
  readonly role: Role;
  readonly ops: readonly unknown[];
}

interface Example extends Step {
  readonly name: string;
  readonly mode: Mode;
  readonly given?: readonly Step[];
  readonly expect: "accepted" | { readonly code: string; readonly path: string | null };
}

const file = new URL("../../../tests/examples/batches.json", import.meta.url);
const { examples } = JSON.parse(readFileSync(file, "utf8")) as { readonly examples: readonly Example[] };

function outcome(example: Example): Example["expect"] {
  let board: Board = EMPTY_BOARD;
  let head = 0;
  const send = (step: Step) => {
    const applied = applyLocalBatch(board, step.ops, { participant: step.role, role: step.role, mode: example.mode }, { at: AT, head });
    board = applied.board;
    if (applied.stream === "public") head++;
  };
  for (const step of example.given ?? []) send(step);
  try {
    send(example);
  } catch (error) {
    if (!(error instanceof OpError)) throw error;
    return { code: error.code, path: error.path ?? null };
  }
  return "accepted";
}

describe("the shared example batches", () => {
  it.each(examples.map((example) => [example.name, example] as const))("%s", (_, example) => {
    expect(outcome(example)).toEqual(example.expect);
  });
});
