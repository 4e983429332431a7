/** Round trip: record a session through a router, replay its cassette, get the same events. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createCassetteRecorder } from "../../src/node/cassette-recorder.js";
import { loadRouterConfigFile } from "../../src/node/router-config-file.js";
import { serveRouter } from "../../src/node/serve-router.js";
import type { RouterConfig, RouterConfigInput } from "../../src/router/config/config-schema.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import type { Exchange, Recorder } from "../../src/router/record/exchange.js";
import { startFakeChatUpstream } from "../support/fake-chat-upstream.js";
import { normalizeIds, session, sessionReplies } from "./recorded-session.js";

const tmp = mkdtempSync(join(tmpdir(), "grove-cassettes-"));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const UPSTREAM_KEY = "sk-upstream-SECRET-4f1e";
const HEADER_KEY = "hdr-SECRET-9a2c";
const RETRY = { attempts: 2, initialDelayMs: 1, maxDelayMs: 1000 };

const resolved = (input: RouterConfigInput): RouterConfig => resolveRouterConfig(input, {});

async function client(config: RouterConfig, recorder?: Recorder): Promise<Anthropic> {
  // One delta per upstream chunk: a replay must give the same events however reads fall.
  config.server = { ...config.server, host: "127.0.0.1", port: 0, coalesceDeltas: false };
  const router = await serveRouter({ config, recorder });
  closers.push(() => router.close());
  return new Anthropic({ baseURL: router.url, apiKey: "sk-client-SECRET-77aa", maxRetries: 0 });
}

async function recordSession(): Promise<{ cassette: string; events: unknown[] }> {
  const upstream = await startFakeChatUpstream();
  closers.push(() => upstream.close());
  upstream.enqueue(...sessionReplies());
  const recorder = createCassetteRecorder(join(tmp, "recorded"));
  const sdk = await client(
    resolved({
      providers: {
        fake: {
          type: "openai-chat",
          baseUrl: upstream.baseUrl,
          apiKey: UPSTREAM_KEY,
          headers: { "x-api-key": HEADER_KEY },
        },
      },
      routes: { default: "fake/fake-model" },
      retry: RETRY,
    }),
    recorder,
  );
  const events = await session(sdk, "session-recorded");
  expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  // The last exchange is written when its body ends, which may be just after the client is done.
  await expect.poll(() => readFileSync(recorder.path, "utf8").trim().split("\n").length).toBe(5);
  return { cassette: recorder.path, events };
}

/** A replay router loaded from a config file next to the cassette, as a user would write it. */
async function replayClient(cassette: string, match: "sequence" | "request"): Promise<Anthropic> {
  const configPath = join(dirname(cassette), `replay-${match}.json`);
  const config = {
    providers: { recorded: { type: "replay", cassette: basename(cassette), match } },
    routes: { default: "recorded/fake-model" },
    retry: RETRY,
  };
  writeFileSync(configPath, JSON.stringify(config));
  return client(loadRouterConfigFile(configPath, {}));
}

describe("record and replay", () => {
  it("replays a recorded session with the same events, by sequence and by request", async () => {
    const recorded = await recordSession();
    const text = readFileSync(recorded.cassette, "utf8");
    expect(text).not.toMatch(/SECRET|authorization|x-api-key/i);
    const exchanges = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Exchange);
    expect(exchanges.map((e) => [e.seq, e.provider, e.status])).toEqual(
      expect.arrayContaining([
        [1, "fake", 200],
        [3, "fake", 429],
        [5, "fake", 200],
      ]),
    );
    expect(exchanges.find((e) => e.seq === 5)?.error).toMatch(/terminated/);
    const flat = JSON.stringify(normalizeIds(recorded.events));
    for (const expected of [
      "thinking_delta",
      "input_json_delta",
      "a.txt says alpha",
      "read_file",
      "terminated",
    ])
      expect(flat).toContain(expected);

    for (const match of ["sequence", "request"] as const) {
      const sdk = await replayClient(recorded.cassette, match);
      const replayed = await session(sdk, `session-replayed-${match}`);
      expect(normalizeIds(replayed), match).toEqual(normalizeIds(recorded.events));
    }
  });

  it("answers 500 naming the cassette when it has no exchanges left", async () => {
    const recorded = await recordSession();
    const sdk = await replayClient(recorded.cassette, "sequence");
    await session(sdk, "again");
    const error: unknown = await sdk.messages
      .create({ model: "x", max_tokens: 10, messages: [{ role: "user", content: "one more" }] })
      .catch((e: unknown) => e);
    if (!(error instanceof Anthropic.APIError)) throw new Error(`expected an APIError, got ${String(error)}`);
    expect(error.status).toBe(500);
    const body = error.error as { error: { message: string } };
    // The router retried the 500 once (attempts: 2), so the last refusal is request 7.
    expect(body.error.message).toContain(
      `cassette "${basename(recorded.cassette)}" has no exchanges left for request 7`,
    );
  });

  it("records a script provider and replays the exchanges inline", async () => {
    const exchanges: Exchange[] = [];
    const script = {
      name: "recorded-script",
      replies: [
        { toolCalls: [{ name: "read_file", arguments: { path: "a.txt" } }], reasoning: "look first" },
        { text: "alpha, then beta", usage: { input: 40, output: 7 } },
        { text: "fine" },
        { text: "cut short", chunkSize: 2, cutAfterChunks: 2 },
      ],
    };
    const recordingSdk = await client(
      resolved({
        providers: { s: { type: "script", script } },
        routes: { default: "s/scripted" },
        retry: RETRY,
      }),
      { record: (exchange) => void exchanges.push(exchange) },
    );
    const recorded = await session(recordingSdk, "u");
    await expect.poll(() => exchanges.length).toBe(4);
    expect(exchanges.every((e) => e.provider === "s" && e.model === "scripted")).toBe(true);
    const sdk = await client(
      resolved({
        providers: { r: { type: "replay", cassette: exchanges, match: "request" } },
        routes: { default: "r/scripted" },
        retry: RETRY,
      }),
    );
    expect(normalizeIds(await session(sdk, "u"))).toEqual(normalizeIds(recorded));
  });
});
