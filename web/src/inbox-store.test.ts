import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { inboxStore } from "./inbox-store";
import { fakeTask } from "./lib/fake-task";
import type { InboxEntry, StoredEvent } from "./types";

const entry = (id: number): InboxEntry => ({
  id,
  taskId: 1,
  kind: "gate",
  stage: "spec",
  text: `item ${id}`,
  createdAt: "2025-01-01T10:00:00.000Z",
  resolvedAt: null,
  resolution: null,
  response: null,
  task: null,
});

/** What the fake daemon's `GET /api/inbox` answers, and how often it was asked. */
let open: InboxEntry[] = [];
let fetches = 0;
const fetchMock = vi.fn(async () => {
  fetches += 1;
  const body = JSON.stringify(open);
  await sleep(20);
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
});
vi.stubGlobal("fetch", fetchMock);
afterAll(() => vi.unstubAllGlobals());

const event = (type: string): StoredEvent => ({ taskId: 1, seq: 1, ts: "", type, body: {} });
const ids = () => inboxStore.getSnapshot().items.map((item) => item.id);
const settle = () => sleep(250);

beforeEach(() => {
  fetches = 0;
});

describe("the inbox store", () => {
  it("loads the open items, and fetches once for a burst of inbox events", async () => {
    open = [entry(1), entry(2)];
    inboxStore.reload();
    await settle();
    expect(ids()).toEqual([1, 2]);
    expect(inboxStore.getSnapshot().loaded).toBe(true);

    fetches = 0;
    open = [entry(1), entry(2), entry(3)];
    inboxStore.onEvent(event("inbox_opened"));
    inboxStore.onEvent(event("inbox_resolved"));
    inboxStore.onEvent(event("text_delta"));
    await settle();
    expect(fetches).toBe(1);
    expect(ids()).toEqual([1, 2, 3]);
  });

  it("drops an item resolved here at once, even from a fetch already on its way", async () => {
    inboxStore.reload(); // Still answers with item 2 open.
    inboxStore.resolved(2);
    expect(ids()).toEqual([1, 3]);
    await settle();
    expect(ids()).toEqual([1, 3]);
  });

  it("fetches again when a task starts or stops waiting, not on every state change", async () => {
    inboxStore.onTask(fakeTask("running", { id: 7 }));
    inboxStore.onTask(fakeTask("running", { id: 7 }));
    await settle();
    expect(fetches).toBe(0);
    inboxStore.onTask(fakeTask("waiting-for-input", { id: 7 }));
    await settle();
    expect(fetches).toBe(1);
    inboxStore.onTask(fakeTask("discarded", { id: 7 }));
    await settle();
    expect(fetches).toBe(2);
  });
});
