/**
 * The Router view's data path, with real parts: routers' request log files in a temp
 * GROVE_HOME, the daemon's follower ingesting them into a real SQLite database, its aggregates,
 * and a real daemon serving them over HTTP and live on the change stream.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRequestLog, requestLogDir, requestLogFileName } from "../../src/node/request-log.js";
import { type Db, openDb } from "../../src/orchestrator/db.js";
import { ConfigError, resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import type { RequestRecord } from "../../src/router/handlers/messages.js";
import { startDaemon } from "../../src/server/daemon.js";
import { RequestLogFollower } from "../../src/server/request-log-follower.js";
import {
  type NewRouterRequest,
  type RouterRequest,
  RouterRequestStore,
  requestDays,
} from "../../src/server/router-requests.js";
import { waitFor } from "../orchestrator/harness.js";
import { readStream } from "./stream-reader.js";

const config = resolveRouterConfig(
  {
    providers: {
      or: {
        type: "openai-chat",
        baseUrl: "https://openrouter.ai/api/v1",
        pricing: { "qwen/qwen3-coder": { input: 2, output: 10 } },
      },
      local: { type: "openai-chat", baseUrl: "http://127.0.0.1:11434/v1" },
    },
    routes: { default: "or/qwen/qwen3-coder" },
  },
  {},
);

const record = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  clientModel: "claude-sonnet-4-5",
  target: "or/qwen/qwen3-coder",
  stream: true,
  status: 200,
  ttfbMs: 100,
  totalMs: 1000,
  inputTokens: 1000,
  outputTokens: 200,
  ...overrides,
});

let home: string;
let db: Db;
let store: RouterRequestStore;
const followers: RequestLogFollower[] = [];

function follow(published: RouterRequest[] = []): RequestLogFollower {
  const follower = new RequestLogFollower(home, store, (requests) => published.push(...requests));
  followers.push(follower);
  follower.start();
  return follower;
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "grove-router-requests-"));
  db = openDb(join(home, "grove.db"));
  store = new RouterRequestStore(db);
});

afterEach(() => {
  for (const follower of followers.splice(0)) follower.close();
  db.close();
  rmSync(home, { recursive: true, force: true });
});

describe("the routers' request log, ingested by the daemon", () => {
  it("stores what was logged while the daemon was down, with provider, model and cost", () => {
    const log = createRequestLog({ home, config, source: "task", taskId: 7 });
    log(record());
    log(record({ target: "local/qwen3:30b", inputTokens: 50, outputTokens: 5 }));
    log(
      record({ target: "or/qwen/qwen3-coder | local/qwen3", status: 502, error: "upstream 502: overloaded" }),
    );
    createRequestLog({ home, config, source: "session" })(
      record({ inputTokens: undefined, outputTokens: undefined }),
    );
    const published: RouterRequest[] = [];
    follow(published);

    const stored = store.recent();
    expect(stored).toHaveLength(4);
    expect(published.map((request) => request.id).sort()).toEqual(stored.map((request) => request.id).sort());
    const [session, failed, local, priced] = stored; // newest first
    expect(priced).toMatchObject({ taskId: 7, source: "task", provider: "or", model: "qwen/qwen3-coder" });
    expect(priced!.costUsd).toBeCloseTo((1000 * 2 + 200 * 10) / 1e6, 12);
    expect(local).toMatchObject({ provider: "local", model: "qwen3:30b", costUsd: null });
    expect(failed).toMatchObject({
      provider: null,
      model: null,
      status: 502,
      error: "upstream 502: overloaded",
    });
    expect(session).toMatchObject({ taskId: null, source: "session", inputTokens: null, costUsd: null });

    const summary = store.summary();
    const or = summary.find((row) => row.provider === "or")!;
    expect(or).toMatchObject({
      model: "qwen/qwen3-coder",
      requests: 2,
      errors: 0,
      unpriced: 1,
      inputTokens: 1000,
    });
    expect(or.costUsd).toBeCloseTo(0.004, 12);
    expect(summary.find((row) => row.provider === "local")).toMatchObject({ costUsd: null, unpriced: 1 });
    expect(summary.find((row) => row.provider === null)).toMatchObject({
      model: "or/qwen/qwen3-coder | local/qwen3",
      errors: 1,
    });
    expect(store.summary({ taskId: 7 }).reduce((sum, row) => sum + row.requests, 0)).toBe(3);
  });

  it("writes one line per request to the day's file (mode 600), and a new file when that one is deleted", async () => {
    const log = createRequestLog({ home, config, source: "router" });
    const file = join(requestLogDir(home), requestLogFileName(new Date()));
    for (let i = 0; i < 50; i++) log(record({ ttfbMs: i }));
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { ttfbMs: number }).ttfbMs)).toEqual([
      ...Array(50).keys(),
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    rmSync(requestLogDir(home), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the file is held open for at most a second
    log(record({ ttfbMs: 99 }));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ ttfbMs: 99 });
  });

  it("follows new lines as they are written, never storing one twice across restarts", async () => {
    const published: RouterRequest[] = [];
    const first = follow(published);
    const log = createRequestLog({ home, config, source: "router" });
    log(record({ ttfbMs: 11 }));
    await waitFor(() => published.length === 1, 5000, "the first request");
    log(record({ ttfbMs: 22 }));
    await waitFor(() => published.length === 2, 5000, "the second request");
    first.close();

    log(record({ ttfbMs: 33 })); // while no daemon follows
    const again: RouterRequest[] = [];
    follow(again);
    expect(again.map((request) => request.ttfbMs)).toEqual([33]);
    expect(store.recent().map((request) => request.ttfbMs)).toEqual([33, 22, 11]);
  });

  it("waits for a line to be complete", async () => {
    const published: RouterRequest[] = [];
    follow(published);
    const file = join(requestLogDir(home), requestLogFileName(new Date()));
    const line = JSON.stringify({
      ts: new Date().toISOString(),
      source: "router",
      ...record({ totalMs: 4321 }),
    });
    appendFileSync(file, line.slice(0, 40));
    appendFileSync(file, `${line.slice(40)}\n{"not":"a request"}\n`);
    await waitFor(() => published.length === 1, 5000, "the completed line");
    expect(published[0]!.totalMs).toBe(4321);
    expect(store.recent()).toHaveLength(1); // the malformed line is skipped
  });

  it("deletes days before yesterday once read, and keeps recent ones", () => {
    const dir = requestLogDir(home);
    mkdirSync(dir, { recursive: true });
    const day = (daysAgo: number) => requestLogFileName(new Date(Date.now() - daysAgo * 24 * 3600 * 1000));
    const line = (ttfbMs: number) =>
      `${JSON.stringify({ ts: new Date().toISOString(), source: "router", ...record({ ttfbMs }) })}\n`;
    writeFileSync(join(dir, day(3)), line(3));
    writeFileSync(join(dir, day(1)), line(1));
    createRequestLog({ home, config, source: "router" })(record({ ttfbMs: 0 }));
    follow();
    expect(
      store
        .recent()
        .map((request) => request.ttfbMs)
        .sort(),
    ).toEqual([0, 1, 3]);
    expect(readdirSync(dir).sort()).toEqual([day(1), day(0)]);
    expect(existsSync(join(dir, day(3)))).toBe(false);
  });
});

describe("how long requests are kept", () => {
  const DAY = 24 * 3600 * 1000;
  const stored = (daysAgo: number, ttfbMs: number): NewRouterRequest => ({
    ts: new Date(Date.now() - daysAgo * DAY).toISOString(),
    taskId: null,
    source: "router",
    clientModel: "claude-sonnet-4-5",
    target: "or/qwen/qwen3-coder",
    provider: "or",
    model: "qwen/qwen3-coder",
    stream: true,
    status: 200,
    ttfbMs,
    totalMs: 1000,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: null,
    error: null,
  });

  it("is 90 days unless GROVE_ROUTER_REQUEST_DAYS says otherwise, as a whole number of days", () => {
    expect(requestDays({})).toBe(90);
    expect(requestDays({ GROVE_ROUTER_REQUEST_DAYS: " 7 " })).toBe(7);
    for (const bad of ["0", "-3", "1.5", "a week"]) {
      expect(() => requestDays({ GROVE_ROUTER_REQUEST_DAYS: bad })).toThrow(ConfigError);
    }
    expect(() => requestDays({ GROVE_ROUTER_REQUEST_DAYS: "0" })).toThrow(
      'GROVE_ROUTER_REQUEST_DAYS: must be a whole number of days, 1 or more, not "0"',
    );
  });

  it("deletes the requests older than that, and only those, from the totals too", () => {
    const kept = new RouterRequestStore(db, 30);
    kept.ingest("old.jsonl", [stored(45, 45), stored(31, 31), stored(29, 29), stored(0, 0)], 1);
    expect(kept.deleteExpired()).toBe(2);
    expect(kept.recent().map((request) => request.ttfbMs)).toEqual([0, 29]);
    expect(kept.summary()).toMatchObject([{ provider: "or", requests: 2 }]);
    expect(kept.deleteExpired()).toBe(0);
  });

  it("deletes them when the daemon's follower starts", () => {
    const kept = new RouterRequestStore(db, 30);
    kept.ingest("old.jsonl", [stored(40, 40), stored(1, 1)], 1);
    const follower = new RequestLogFollower(home, kept, () => {});
    followers.push(follower);
    follower.start();
    expect(kept.recent().map((request) => request.ttfbMs)).toEqual([1]);
  });

  it("is a setting the daemon checks before it starts, and reports on the router API", async () => {
    const daemonHome = join(home, "daemon");
    const saved = process.env.GROVE_ROUTER_REQUEST_DAYS;
    try {
      process.env.GROVE_ROUTER_REQUEST_DAYS = "soon";
      await expect(startDaemon({ home: daemonHome, port: 0 })).rejects.toThrow(
        'GROVE_ROUTER_REQUEST_DAYS: must be a whole number of days, 1 or more, not "soon"',
      );
      expect(existsSync(daemonHome)).toBe(false);
      process.env.GROVE_ROUTER_REQUEST_DAYS = "14";
      const daemon = await startDaemon({ home: daemonHome, port: 0, webRoot: join(home, "no-web") });
      try {
        const response = await fetch(`${daemon.info.url}/api/router`, {
          headers: { authorization: `Bearer ${daemon.info.token}` },
        });
        expect(((await response.json()) as { keptDays: number }).keptDays).toBe(14);
      } finally {
        await daemon.stop();
      }
    } finally {
      if (saved === undefined) delete process.env.GROVE_ROUTER_REQUEST_DAYS;
      else process.env.GROVE_ROUTER_REQUEST_DAYS = saved;
    }
  });
});

describe("the daemon's router API", () => {
  it("serves totals and recent requests, and streams new ones live", async () => {
    const daemonHome = join(home, "daemon");
    const log = createRequestLog({ home: daemonHome, config, source: "task", taskId: 3 });
    mkdirSync(daemonHome, { recursive: true });
    log(record());
    const daemon = await startDaemon({ home: daemonHome, port: 0, webRoot: join(home, "no-web") });
    const stream = readStream(daemon.info.url, daemon.info.token);
    try {
      const get = async (path: string) => {
        const response = await fetch(`${daemon.info.url}${path}`, {
          headers: { authorization: `Bearer ${daemon.info.token}` },
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const before = await get("/api/router");
      expect(before.status).toBe(200);
      expect(before.body.requests).toHaveLength(1);
      expect(before.body.summary).toMatchObject([{ provider: "or", model: "qwen/qwen3-coder", requests: 1 }]);
      expect((await fetch(`${daemon.info.url}/api/router`)).status).toBe(401);

      await stream.ready;
      log(record({ target: "local/qwen3", status: 500, error: "boom" }));
      await waitFor(
        () => stream.messages.some((m) => m.event === "router_request"),
        5000,
        "a router_request event",
      );
      const live = stream.messages.find((m) => m.event === "router_request")!.data as RouterRequest;
      expect(live).toMatchObject({
        taskId: 3,
        provider: "local",
        model: "qwen3",
        status: 500,
        error: "boom",
      });
      const after = await get("/api/router");
      expect((after.body.requests as RouterRequest[]).map((request) => request.id)).toEqual([
        live.id,
        live.id - 1,
      ]);
    } finally {
      stream.stop();
      await daemon.stop();
    }
  });
});
