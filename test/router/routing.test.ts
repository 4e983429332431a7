import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningRouter, serveRouter } from "../../src/node/serve-router.js";
import type { RouterConfigInput } from "../../src/router/config/config-schema.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import { type FakeChatUpstream, startFakeChatUpstream, textChunks } from "../support/fake-chat-upstream.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function upstream(): Promise<FakeChatUpstream> {
  const fake = await startFakeChatUpstream();
  closers.push(() => fake.close());
  return fake;
}

async function router(input: RouterConfigInput): Promise<{ router: RunningRouter; client: Anthropic }> {
  const running = await serveRouter({
    config: resolveRouterConfig({ ...input, server: { host: "127.0.0.1", port: 0 } }, {}),
  });
  closers.push(() => running.close());
  return {
    router: running,
    client: new Anthropic({ baseURL: running.url, apiKey: "client", maxRetries: 0 }),
  };
}

const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 100,
  messages: [{ role: "user" as const, content: "hi" }],
  ...extra,
});

describe("routes", () => {
  it("sends families, scenarios and explicit provider/model to the right place", async () => {
    const a = await upstream();
    const b = await upstream();
    for (const fake of [a, b]) fake.setResponder(() => ({ type: "stream", chunks: textChunks("ok", 1) }));
    const { client } = await router({
      providers: {
        a: { type: "openai-chat", baseUrl: a.baseUrl },
        b: { type: "openai-chat", baseUrl: b.baseUrl },
      },
      routes: {
        default: "a/default-model",
        models: { opus: "b/big-model" },
        background: "b/small-model",
        think: "a/thinker",
      },
    });
    await client.messages.create(ask("claude-opus-4-8"));
    await client.messages.create(ask("claude-haiku-4-5-20251001"));
    await client.messages.create(ask("claude-sonnet-4-6"));
    await client.messages.create(
      ask("claude-sonnet-4-6", { thinking: { type: "enabled", budget_tokens: 2048 } }),
    );
    await client.messages.create(ask("b/explicit-model"));
    expect(a.requests.map((r) => r.body.model)).toEqual(["default-model", "thinker"]);
    expect(b.requests.map((r) => r.body.model)).toEqual(["big-model", "small-model", "explicit-model"]);
  });

  it("falls back to the next target on 429 and honours Retry-After", async () => {
    const a = await upstream();
    const b = await upstream();
    a.enqueue(
      { type: "error", status: 429, body: { error: { message: "busy" } }, headers: { "retry-after": "0.2" } },
      { type: "error", status: 503, body: { error: { message: "down" } } },
    );
    b.enqueue({
      type: "json",
      body: { choices: [{ message: { content: "from b" }, finish_reason: "stop" }] },
    });
    const { client } = await router({
      providers: {
        a: { type: "openai-chat", baseUrl: a.baseUrl },
        b: { type: "openai-chat", baseUrl: b.baseUrl },
      },
      routes: { default: ["a/m1", "b/m2"] },
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 5000 },
    });
    const message = await client.messages.create(ask("anything"));
    expect(message.content).toEqual([expect.objectContaining({ type: "text", text: "from b" })]);
    expect(a.requests).toHaveLength(2);
    // The second try waited for Retry-After (0.2 s), not the 10 ms backoff.
    expect(a.requests[1]!.receivedAt - a.requests[0]!.receivedAt).toBeGreaterThanOrEqual(190);
    expect(b.requests[0]?.body.model).toBe("m2");
  });

  it("does not fall back on a client error, which another backend would repeat", async () => {
    const a = await upstream();
    const b = await upstream();
    a.enqueue({ type: "error", status: 400, body: { error: { message: "bad tool schema" } } });
    const { client } = await router({
      providers: {
        a: { type: "openai-chat", baseUrl: a.baseUrl },
        b: { type: "openai-chat", baseUrl: b.baseUrl },
      },
      routes: { default: ["a/m1", "b/m2"] },
    });
    await expect(client.messages.create(ask("x"))).rejects.toMatchObject({ status: 400 });
    expect(b.requests).toHaveLength(0);
  });
});

describe("anthropic pass-through provider", () => {
  it("forwards the body, strips unlisted betas, unsigned thinking and context_management", async () => {
    const seen: { headers: IncomingMessage["headers"]; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => {
        text += chunk;
      });
      req.on("end", () => {
        seen.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: "msg_native",
            type: "message",
            role: "assistant",
            model: "native",
            content: [{ type: "text", text: "native reply" }],
            stop_reason: "end_turn",
            stop_sequence: null,
            usage: { input_tokens: 3, output_tokens: 2 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { client } = await router({
      providers: {
        native: {
          type: "anthropic",
          baseUrl,
          apiKey: "native-key",
          betas: ["interleaved-thinking-2025-05-14"],
        },
      },
      routes: { default: "native/claude-real" },
    });
    const message = await client.messages.create(
      {
        ...ask("claude-opus-4-8"),
        messages: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "minted by grove", signature: "grove-unsigned" },
              { type: "text", text: "earlier" },
            ],
          },
          { role: "user", content: "again" },
        ],
        // @ts-expect-error context_management is a beta field the SDK type does not list.
        context_management: { edits: [] },
      },
      { headers: { "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14" } },
    );
    expect(message.content).toEqual([expect.objectContaining({ text: "native reply" })]);
    const sent = seen[0]!;
    expect(sent.headers["x-api-key"]).toBe("native-key");
    expect(sent.headers["anthropic-beta"]).toBe("interleaved-thinking-2025-05-14");
    expect(sent.body.model).toBe("claude-real");
    expect(sent.body.context_management).toBeUndefined();
    expect(JSON.stringify(sent.body.messages)).not.toContain("minted by grove");
  });
});

describe("script provider", () => {
  const scripted = (replies: unknown[]) =>
    router({
      providers: { s: { type: "script", script: { name: "unit", replies } } as never },
      routes: { default: "s/scripted" },
    });

  it("answers by matcher and reports an exhausted script by name", async () => {
    const { client } = await scripted([
      { when: { lastUserContains: "second" }, text: "matched second" },
      { text: "first reply" },
    ]);
    const first = await client.messages.create(ask("x"));
    expect(first.content[0]).toMatchObject({ text: "first reply" });
    const second = await client.messages.create({
      ...ask("x"),
      messages: [{ role: "user", content: "the second one" }],
    });
    expect(second.content[0]).toMatchObject({ text: "matched second" });
    const error = await client.messages.create(ask("x")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const body = (error as InstanceType<typeof Anthropic.APIError>).error as { error: { message: string } };
    expect(body.error.message).toContain('script "unit" has no replies left for request 3');
  });

  it("plays scripted errors and mid-stream cuts through the same translation path", async () => {
    const { client, router: running } = await scripted([
      { status: 429, error: "scripted limit", headers: { "retry-after": "3" } },
      { text: "a long answer that gets cut", chunkSize: 3, cutAfterChunks: 2 },
    ]);
    const limited = await client.messages
      .create(ask("x"))
      .catch((e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
    expect(limited).toMatchObject({ status: 429 });
    const response = await fetch(`${running.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...ask("x"), stream: true }),
    });
    const text = await response.text();
    expect(text).toContain("event: error");
    expect(text).toContain("the script cut the stream after 2 chunks");
  });
});
