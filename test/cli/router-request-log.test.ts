/**
 * `grove router` appends each request to GROVE_HOME's request log for the dashboard's Router
 * view (priced from the config), and `--no-request-log` turns that off. Real router processes
 * against a fake upstream.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { LoggedRequest } from "../../src/node/request-log.js";
import { completion, type FakeChatUpstream, startFakeChatUpstream } from "../support/fake-chat-upstream.js";
import { cleanEnv, killAllChildren, startGroveRouter } from "./spawn-grove.js";

let upstream: FakeChatUpstream;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "grove-router-log-"));
  upstream = await startFakeChatUpstream({
    responder: () => ({
      type: "json",
      body: completion("hi", "stop", { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100 }),
    }),
  });
});

afterEach(() => killAllChildren());
afterAll(async () => {
  await upstream?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function serveAndAsk(home: string, extra: string[]): Promise<void> {
  const config = join(tmp, "router.json");
  writeFileSync(
    config,
    JSON.stringify({
      providers: {
        fake: { type: "openai-chat", baseUrl: upstream.baseUrl, pricing: { m: { input: 3, output: 15 } } },
      },
      routes: { default: "fake/m" },
    }),
  );
  const router = await startGroveRouter(["--config", config, "--port", "0", ...extra], {
    env: cleanEnv({ GROVE_HOME: home }),
  });
  await new Anthropic({ baseURL: router.url, apiKey: "k" }).messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 10,
    messages: [{ role: "user", content: "hello" }],
  });
  await router.stop();
}

it("logs each request with its provider, model, tokens and cost", async () => {
  const home = join(tmp, "home");
  await serveAndAsk(home, []);
  const dir = join(home, "router-requests");
  const [file] = readdirSync(dir);
  const lines = readFileSync(join(dir, file!), "utf8").trim().split("\n");
  expect(lines).toHaveLength(1);
  const logged = JSON.parse(lines[0]!) as LoggedRequest;
  expect(logged).toMatchObject({
    source: "router",
    clientModel: "claude-sonnet-4-5",
    provider: "fake",
    model: "m",
    status: 200,
    inputTokens: 2000,
    outputTokens: 100,
  });
  expect(logged.costUsd).toBeCloseTo((2000 * 3 + 100 * 15) / 1e6, 12);
  expect(JSON.stringify(logged)).not.toContain("hello"); // never a body
});

it("logs nothing with --no-request-log", async () => {
  const home = join(tmp, "quiet");
  await serveAndAsk(home, ["--no-request-log"]);
  expect(existsSync(join(home, "router-requests"))).toBe(false);
});
