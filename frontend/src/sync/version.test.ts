import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { SyncClient } from "./client";
import { PROTOCOL } from "./protocol";
import { box, FakeServer, FakeSocket, ME } from "./testing";
import { RELOAD_GUARD_MS, reloadForProtocol, speaksProtocol } from "./version";
import { VOCABULARY } from "./vocabulary.gen";

function memoryStorage(): Pick<Storage, "getItem" | "setItem"> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe("the protocol version", () => {
  it("is the vocabulary's", () => {
    expect(PROTOCOL).toBe(VOCABULARY.protocol);
    expect(speaksProtocol(PROTOCOL)).toBe(true);
    expect(speaksProtocol(PROTOCOL + 1)).toBe(false);
  });

  it("is 1 when a server predates the field", () => {
    expect(speaksProtocol(undefined)).toBe(PROTOCOL === 1);
  });
});

describe("reloadForProtocol", () => {
  it("reloads once, then refuses to loop for the same server version", () => {
    const storage = memoryStorage();
    const reload = vi.fn();
    expect(reloadForProtocol(2, { storage, reload, now: 1000 })).toBe(true);
    expect(reloadForProtocol(2, { storage, reload, now: 2000 })).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("reloads again after the guard, or for another server version", () => {
    const storage = memoryStorage();
    const reload = vi.fn();
    reloadForProtocol(2, { storage, reload, now: 0 });
    expect(reloadForProtocol(3, { storage, reload, now: 10 })).toBe(true);
    expect(reloadForProtocol(3, { storage, reload, now: 10 + RELOAD_GUARD_MS })).toBe(true);
    expect(reload).toHaveBeenCalledTimes(3);
  });

  it("reloads without storage, or with garbage in it", () => {
    const reload = vi.fn();
    expect(reloadForProtocol(2, { storage: null, reload, now: 0 })).toBe(true);
    const storage = memoryStorage();
    storage.setItem("bothsides.protocol-reload", "{not json");
    expect(reloadForProtocol(2, { storage, reload, now: 0 })).toBe(true);
    expect(reload).toHaveBeenCalledTimes(2);
  });
});

describe("a client meeting a server on another protocol version", () => {
  let sockets: FakeSocket[];
  let reloads: number[];
  let client: SyncClient;
  const server = new FakeServer();

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    reloads = [];
    client = new SyncClient({
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
      reload: (version) => reloads.push(version),
    });
    client.start();
    sockets[0]!.open();
  });

  afterEach(() => {
    client.stop();
    vi.useRealTimers();
  });

  it("applies a welcome of its own version", () => {
    sockets[0]!.deliver({ ...server.welcome(), protocol: PROTOCOL, elements: [box("a")] });
    expect(client.getSnapshot().status).toBe("live");
    expect(client.getSnapshot().elements.has("a")).toBe(true);
  });

  it("stops applying frames, says so and reloads", () => {
    sockets[0]!.deliver({ ...server.welcome(), protocol: PROTOCOL + 1, elements: [box("a")] });
    const snapshot = client.getSnapshot();
    expect(snapshot.status).toBe("outdated");
    expect(snapshot.seq).toBeNull();
    expect(snapshot.elements.size).toBe(0);
    expect(sockets[0]!.closedWith).toBe(1000);
    expect(reloads).toEqual([]);
    vi.advanceTimersByTime(2000);
    expect(reloads).toEqual([PROTOCOL + 1]);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1); // no reconnect
    expect(client.canWrite).toBe(false);
    expect(() => client.submit([{ op: "add", element: box("b") }])).toThrow("no longer");
  });

  it("checks a catchup too", () => {
    sockets[0]!.deliver({ ...server.welcome(), protocol: PROTOCOL });
    sockets[0]!.drop(1006);
    vi.advanceTimersByTime(20_000);
    const socket = sockets[sockets.length - 1]!;
    socket.open();
    socket.deliver({ ...server.catchup(0), protocol: PROTOCOL + 1 });
    expect(client.getSnapshot().status).toBe("outdated");
    vi.advanceTimersByTime(2000);
    expect(reloads).toEqual([PROTOCOL + 1]);
  });
});
