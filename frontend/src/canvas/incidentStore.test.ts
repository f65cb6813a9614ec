import { describe, expect, it, vi } from "vitest";

import type { SyncEvent } from "../sync";
import { IncidentStore } from "./incidentStore";

function fakeClient() {
  const listeners = new Set<(event: SyncEvent) => void>();
  return {
    onEvent(listener: (event: SyncEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: SyncEvent) {
      for (const listener of listeners) listener(event);
    },
  };
}

const OPEN = { status: "open", symptom: "Checkout fails", entry: "users", opened_at: "2026-01-01T00:00:00.000Z", closed_at: null };
const LOGS = { seq: 4, at: "2026-01-01T00:01:00.000Z", participant: "p", minute: 1, op: "inspect", target: "db", signal: "logs", result: { lines: [] } };

describe("IncidentStore", () => {
  it("loads the incident, sends one op over REST and shows the observation it made", async () => {
    const get = vi.fn().mockResolvedValueOnce({ incident: OPEN, timeline: [] }).mockResolvedValue({ incident: OPEN, timeline: [LOGS] });
    const post = vi.fn().mockResolvedValue({ seq: 4, stream: "public", op: LOGS });
    const store = new IncidentStore({ get, post }, "b1", fakeClient());
    store.start();
    await vi.waitFor(() => expect(store.getSnapshot().incident?.status).toBe("open"));
    await store.send({ op: "inspect", target: "db", signal: "logs" });
    expect(post).toHaveBeenCalledWith("boards/b1/incident/", { op: "inspect", target: "db", signal: "logs" });
    expect(store.getSnapshot().timeline).toEqual([LOGS]);
    expect(store.getSnapshot().shown).toBe(4);
    expect(store.getSnapshot().busy).toBe(false);
    store.dispose();
  });

  it("says what the server refused, and refetches after others' batches", async () => {
    vi.useFakeTimers();
    const get = vi.fn().mockResolvedValue({ incident: OPEN, timeline: [] });
    const post = vi.fn().mockRejectedValue(new Error("A observer cannot take part in the investigation."));
    const client = fakeClient();
    const store = new IncidentStore({ get, post }, "b1", client);
    store.start();
    await store.send({ op: "inspect", target: "db", signal: "logs" });
    expect(store.getSnapshot().error).toBe("A observer cannot take part in the investigation.");
    const calls = get.mock.calls.length;
    client.emit({ type: "reset" });
    await vi.advanceTimersByTimeAsync(250);
    expect(get.mock.calls.length).toBe(calls + 1);
    store.dispose();
    vi.useRealTimers();
  });
});
