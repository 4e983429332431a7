/** `/v1/responses` on the other provider kinds: Anthropic (Codex on Claude), script, and recording. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterEach, describe, expect, it } from "vitest";
import { serveRouter } from "../../src/node/serve-router.js";
import type { RouterConfigInput } from "../../src/router/config/config-schema.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import type { Exchange } from "../../src/router/record/exchange.js";
import { startFakeChatUpstream, textChunks } from "../support/fake-chat-upstream.js";
import { codexBody } from "./codex-captures.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function router(input: RouterConfigInput, exchanges?: Exchange[]): Promise<OpenAI> {
  const running = await serveRouter({
    config: resolveRouterConfig({ ...input, server: { host: "127.0.0.1", port: 0 } }, {}),
    ...(exchanges ? { recorder: { record: (exchange: Exchange) => void exchanges.push(exchange) } } : {}),
  });
  closers.push(() => running.close());
  return new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "codex-key", maxRetries: 0 });
}

interface Seen {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/** A fake native Anthropic endpoint answering each request with the next scripted reply. */
async function fakeAnthropic(
  replies: { status?: number; contentType: string; body: string }[],
): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      seen.push({
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(text) as Record<string, unknown>,
      });
      const reply = replies.shift() ?? { status: 500, contentType: "application/json", body: "{}" };
      res.writeHead(reply.status ?? 200, { "content-type": reply.contentType });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const sse = (...events: Record<string, unknown>[]) => ({
  contentType: "text/event-stream",
  body: events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(""),
});

const claudeToolTurn = sse(
  {
    type: "message_start",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [],
      usage: { input_tokens: 40, cache_read_input_tokens: 2 },
    },
  },
  { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "I will create it." } },
  { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqSig==" } },
  { type: "content_block_stop", index: 0 },
  {
    type: "content_block_start",
    index: 1,
    content_block: { type: "tool_use", id: "toolu_01", name: "exec_command", input: {} },
  },
  {
    type: "content_block_delta",
    index: 1,
    delta: { type: "input_json_delta", partial_json: '{"cmd":"touch ' },
  },
  { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: 'hello.txt"}' } },
  { type: "content_block_stop", index: 1 },
  { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 20 } },
  { type: "message_stop" },
);

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("an anthropic provider behind /v1/responses (Codex on Claude)", () => {
  it("streams Claude's thinking and tool call as Responses items, and replays the signed thinking", async () => {
    const claude = await fakeAnthropic([
      claudeToolTurn,
      sse(
        { type: "message_start", message: { usage: { input_tokens: 80 } } },
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Created hello.txt." } },
        { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 6 } },
      ),
    ]);
    const client = await router({
      providers: { claude: { type: "anthropic", baseUrl: claude.baseUrl, apiKey: "anthropic-key" } },
      routes: { default: "claude/claude-sonnet-4-6" },
    });
    const turn1 = codexBody("codex-01-request.json");
    const events = await collect(
      await client.responses.create(turn1 as unknown as OpenAI.Responses.ResponseCreateParamsStreaming),
    );
    const done = events
      .filter((event) => event.type === "response.output_item.done")
      .map((event) => event.item);
    expect(done).toEqual([
      expect.objectContaining({
        type: "reasoning",
        content: [{ type: "reasoning_text", text: "I will create it." }],
      }),
      expect.objectContaining({
        type: "function_call",
        call_id: "toolu_01",
        name: "exec_command",
        arguments: '{"cmd":"touch hello.txt"}',
      }),
    ]);
    const completed = events[events.length - 1] as Extract<
      ResponseStreamEvent,
      { type: "response.completed" }
    >;
    expect(completed.response.usage).toMatchObject({
      input_tokens: 42,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 20,
    });

    const first = claude.seen[0]!;
    expect(first.path).toBe("/v1/messages");
    expect(first.headers["x-api-key"]).toBe("anthropic-key");
    expect(first.headers["anthropic-version"]).toBe("2023-06-01");
    expect(first.body).toMatchObject({
      model: "claude-sonnet-4-6",
      stream: true,
      max_tokens: 32_000,
      thinking: { type: "enabled", budget_tokens: 8192 },
      system: expect.stringContaining("You are Codex"),
    });
    expect((first.body.tools as { name: string }[]).map((tool) => tool.name)).toContain("apply_patch");

    // Turn 2: Codex sends the items back, with the reasoning's encrypted_content.
    const turn2 = {
      ...turn1,
      input: [
        ...(turn1.input as unknown[]),
        ...done,
        { type: "function_call_output", call_id: "toolu_01", output: "Process exited with code 0" },
      ],
    };
    const answer = await client.responses
      .stream(turn2 as unknown as Parameters<typeof client.responses.stream>[0])
      .finalResponse();
    expect(answer.output).toEqual([
      expect.objectContaining({
        type: "message",
        content: [expect.objectContaining({ text: "Created hello.txt." })],
      }),
    ]);
    const messages = claude.seen[1]!.body.messages as { role: string; content: unknown }[];
    expect(messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "I will create it.", signature: "EqSig==" },
          { type: "tool_use", id: "toolu_01", name: "exec_command", input: { cmd: "touch hello.txt" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "Process exited with code 0" }],
      },
    ]);
    expect(claude.seen[1]!.body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
  });

  it("answers non-streaming requests from Claude's JSON message, with Codex's key when none is configured", async () => {
    const claude = await fakeAnthropic([
      {
        contentType: "application/json",
        body: JSON.stringify({
          id: "msg_2",
          type: "message",
          role: "assistant",
          model: "claude",
          content: [{ type: "text", text: "Hi from Claude." }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 4 },
        }),
      },
    ]);
    const client = await router({
      providers: { claude: { type: "anthropic", baseUrl: claude.baseUrl } },
      routes: { default: "claude/claude-haiku-4-5" },
    });
    const response = await client.responses.create({ model: "gpt-5.5", input: "hi" });
    expect(response.output_text).toBe("Hi from Claude.");
    expect(response.usage).toMatchObject({ input_tokens: 5, output_tokens: 4 });
    expect(claude.seen[0]!.headers["x-api-key"]).toBe("codex-key");
    expect(claude.seen[0]!.body).not.toHaveProperty("stream");
  });

  it("maps Claude's errors: overloaded → 503, a bad request stays 400", async () => {
    const claude = await fakeAnthropic([
      {
        status: 529,
        contentType: "application/json",
        body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
      },
      {
        status: 400,
        contentType: "application/json",
        body: JSON.stringify({
          type: "error",
          error: { type: "invalid_request_error", message: "prompt is too long" },
        }),
      },
    ]);
    const client = await router({
      providers: { claude: { type: "anthropic", baseUrl: claude.baseUrl, apiKey: "k" } },
      routes: { default: "claude/claude-sonnet-4-6" },
    });
    const overloaded = await client.responses
      .create({ model: "m", input: "x" })
      .catch((error: unknown) => error);
    expect(overloaded).toMatchObject({
      status: 503,
      type: "server_error",
      message: expect.stringContaining("Overloaded"),
    });
    const tooLong = await client.responses
      .create({ model: "m", input: "x" })
      .catch((error: unknown) => error);
    expect(tooLong).toMatchObject({ status: 400, code: "context_length_exceeded" });
  });
});

describe("routes", () => {
  it("sends a long conversation to the longContext route, as /v1/messages does", async () => {
    const short = await startFakeChatUpstream();
    const long = await startFakeChatUpstream();
    closers.push(
      () => short.close(),
      () => long.close(),
    );
    for (const fake of [short, long])
      fake.setResponder(() => ({ type: "stream", chunks: textChunks("ok", 1) }));
    const client = await router({
      providers: {
        short: { type: "openai-chat", baseUrl: short.baseUrl },
        long: { type: "openai-chat", baseUrl: long.baseUrl },
      },
      routes: { default: "short/small", longContext: "long/big", longContextThreshold: 2000 },
    });
    await client.responses.create({ model: "gpt-5.5", input: "hi" });
    await client.responses.create({ model: "gpt-5.5", input: "word ".repeat(5000) });
    expect(short.requests.map((r) => r.body.model)).toEqual(["small"]);
    expect(long.requests.map((r) => r.body.model)).toEqual(["big"]);
  });
});

describe("script providers and recording", () => {
  it("a scripted model's apply_patch call arrives as a custom_tool_call", async () => {
    const patch = "*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n";
    const client = await router({
      providers: {
        s: {
          type: "script",
          script: {
            name: "codex",
            replies: [
              { when: { lastToolResultContains: "Success" }, text: "Done." },
              {
                when: { hasTool: "apply_patch" },
                toolCalls: [{ name: "apply_patch", arguments: { input: patch } }],
              },
            ],
          },
        } as never,
      },
      routes: { default: "s/scripted" },
    });
    const body = codexBody("codex-01-request.json");
    const first = await client.responses.stream(body as never).finalResponse();
    expect(first.output).toEqual([
      expect.objectContaining({ type: "custom_tool_call", name: "apply_patch", input: patch }),
    ]);
    const call = first.output[0] as OpenAI.Responses.ResponseCustomToolCall;
    const second = await client.responses
      .stream({
        ...body,
        input: [
          ...(body.input as unknown[]),
          call,
          {
            type: "custom_tool_call_output",
            call_id: call.call_id,
            output: "Success. Updated the following files:\nA hello.txt\n",
          },
        ],
      } as never)
      .finalResponse();
    expect(second.output).toEqual([expect.objectContaining({ type: "message" })]);
  });

  it("records the translated Chat Completions exchange", async () => {
    const upstream = await startFakeChatUpstream();
    closers.push(() => upstream.close());
    upstream.enqueue({ type: "stream", chunks: textChunks("recorded", 2) });
    const exchanges: Exchange[] = [];
    const client = await router(
      {
        providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "secret" } },
        routes: { default: "fake/m" },
      },
      exchanges,
    );
    await collect(await client.responses.create({ model: "gpt-5.5", input: "hi", stream: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      provider: "fake",
      api: "chat",
      model: "m",
      status: 200,
      request: { model: "m", messages: [{ role: "user", content: "hi" }], stream: true },
    });
    expect(exchanges[0]!.body).toContain('"content":"rec');
    expect(JSON.stringify(exchanges[0])).not.toContain("secret");
  });
});
