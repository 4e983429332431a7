/**
 * `POST /v1/responses` end to end: the official `openai` SDK against a real router (Node or
 * workerd) on 127.0.0.1, in front of the scripted fake Chat Completions upstream.
 */
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reasoningChunks, textChunks, toolCallChunks } from "../support/fake-chat-upstream.js";
import { codexBody, parseResponsesSse } from "./codex-captures.js";
import { defaultConfig, type RouterHarness, type RouterTarget, startHarness } from "./harness.js";

const execCommand = {
  type: "function" as const,
  name: "exec_command",
  description: "Runs a command.",
  strict: false,
  parameters: {
    type: "object",
    properties: { cmd: { type: "string" }, workdir: { type: "string" } },
    required: ["cmd"],
    additionalProperties: false,
  },
};
const applyPatch = {
  type: "custom" as const,
  name: "apply_patch",
  description: "Edit files with a patch.",
  format: { type: "grammar" as const, syntax: "lark" as const, definition: "start: /(.|\\n)+/" },
};

/** What the SDK's `output_text` gives on non-streaming replies, for responses from a stream. */
function outputText(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === "message" ? item.content : []))
    .map((part) => (part.type === "output_text" ? part.text : ""))
    .join("");
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

/** Runs against `target`: the Node server here, the Worker in workerd in test/worker. */
export function responsesSuite(target: RouterTarget): void {
  let h: RouterHarness;
  let client: OpenAI;
  beforeEach(async () => {
    h = await startHarness(target);
    client = new OpenAI({ baseURL: `${h.router.url}/v1`, apiKey: "client-key", maxRetries: 0 });
  });
  afterEach(async () => {
    await h.close();
  });

  describe("streaming /v1/responses through the openai SDK", () => {
    it("streams text with the full event sequence and usage", async () => {
      // One delta per upstream chunk, so that the sequence does not depend on how reads fall.
      await h.close();
      h = await startHarness(target, (baseUrl) => ({
        ...defaultConfig(baseUrl),
        server: { host: "127.0.0.1", port: 0, coalesceDeltas: false },
      }));
      client = new OpenAI({ baseURL: `${h.router.url}/v1`, apiKey: "client-key", maxRetries: 0 });
      h.upstream.enqueue({
        type: "stream",
        chunks: textChunks("Hello from the fake model, in several pieces.", 6, {
          usage: {
            prompt_tokens: 120,
            completion_tokens: 9,
            prompt_tokens_details: { cached_tokens: 100 },
            completion_tokens_details: { reasoning_tokens: 3 },
          },
        }),
      });
      const events = await collect(
        await client.responses.create({
          model: "gpt-5.5",
          input: "hi",
          instructions: "Be brief.",
          stream: true,
        }),
      );
      expect(events.map((event) => event.type)).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        ...Array(6).fill("response.output_text.delta"),
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ]);
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
      const completed = events[events.length - 1] as Extract<
        ResponseStreamEvent,
        { type: "response.completed" }
      >;
      expect(completed.response.id).toMatch(/^resp_[0-9a-f]{24}$/);
      expect(completed.response.model).toBe("gpt-5.5");
      expect(completed.response.instructions).toBe("Be brief.");
      expect(outputText(completed.response)).toBe("Hello from the fake model, in several pieces.");
      expect(completed.response.usage).toEqual({
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 9,
        output_tokens_details: { reasoning_tokens: 3 },
        total_tokens: 129,
      });
      const sent = h.upstream.requests[0]!;
      expect(sent.path).toBe("/v1/chat/completions");
      expect(sent.headers.authorization).toBe("Bearer upstream-secret");
      expect(sent.body).toEqual({
        model: "fake-model",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hi" },
        ],
        stream: true,
        stream_options: { include_usage: true },
      });
      await vi.waitFor(() =>
        expect(h.records[0]).toMatchObject({
          clientModel: "gpt-5.5",
          target: "fake/fake-model",
          stream: true,
          status: 200,
          inputTokens: 120,
          outputTokens: 9,
        }),
      );
      await vi.waitFor(() =>
        expect(h.logs.some((line) => line.includes("gpt-5.5 → fake/fake-model stream 200"))).toBe(true),
      );
    });

    it("joins text deltas that reach the router together into one", async () => {
      const text = "Hello from the fake model, in several pieces.";
      // The upstream writes all six chunks at once: the router reads them together.
      h.upstream.enqueue({ type: "stream", chunks: textChunks(text, 6), coalesce: true });
      const events = await collect(
        await client.responses.create({ model: "gpt-5.5", input: "hi", stream: true }),
      );
      const deltas = events.filter((event) => event.type === "response.output_text.delta");
      expect(deltas.map((event) => event.delta)).toEqual([text]);
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
      const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: "response.completed" }>;
      expect(outputText(completed.response)).toBe(text);
    });

    it("assembles a fragmented function call", async () => {
      const args = JSON.stringify({ cmd: "printf 'héllo wörld 日本\\n' > hello.txt", workdir: "/tmp/p" });
      h.upstream.enqueue({
        type: "stream",
        chunks: toolCallChunks([{ id: "call_abc", name: "exec_command", arguments: args }], { fragments: 7 }),
      });
      const response = await client.responses
        .stream({ model: "gpt-5.5", input: "create hello.txt", tools: [execCommand] })
        .finalResponse();
      expect(response.status).toBe("completed");
      expect(response.output).toEqual([
        expect.objectContaining({
          type: "function_call",
          id: expect.stringMatching(/^fc_/),
          status: "completed",
          call_id: "call_abc",
          name: "exec_command",
          arguments: args,
        }),
      ]);
      expect(h.upstream.requests[0]?.body.tools).toEqual([
        {
          type: "function",
          function: {
            name: "exec_command",
            description: "Runs a command.",
            parameters: execCommand.parameters,
          },
        },
      ]);
    });

    it("keeps interleaved parallel function calls apart", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: toolCallChunks(
          [
            { id: "call_1", name: "exec_command", arguments: JSON.stringify({ cmd: "ls a" }) },
            { id: "call_2", name: "exec_command", arguments: JSON.stringify({ cmd: "ls b", workdir: "/x" }) },
          ],
          { fragments: 4, interleave: true },
        ),
      });
      const events = await collect(
        await client.responses.create({
          model: "gpt-5.5",
          input: "list",
          tools: [execCommand],
          stream: true,
        }),
      );
      const done = events.filter((event) => event.type === "response.output_item.done");
      expect(done.map((event) => [event.output_index, event.item])).toEqual([
        [0, expect.objectContaining({ call_id: "call_1", arguments: '{"cmd":"ls a"}' })],
        [1, expect.objectContaining({ call_id: "call_2", arguments: '{"cmd":"ls b","workdir":"/x"}' })],
      ]);
      const deltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
      expect(deltas.map((event) => event.item_id)).toEqual(done.map((event) => event.item.id));
    });

    it("sends turn 2 (function_call + function_call_output) upstream as tool_calls and a tool message", async () => {
      h.upstream.enqueue({ type: "stream", chunks: textChunks("Done: created hello.txt", 2) });
      const body = codexBody("codex-02-request.json");
      const response = await client.responses
        .stream(body as unknown as Parameters<typeof client.responses.stream>[0])
        .finalResponse();
      expect(outputText(response)).toBe("Done: created hello.txt");
      const messages = h.upstream.requests[0]!.body.messages as { role: string; tool_call_id?: string }[];
      expect(messages.map((message) => message.role)).toEqual([
        "system",
        "user",
        "user",
        "assistant",
        "tool",
      ]);
      expect(messages[4]?.tool_call_id).toBe("call_b24ea0b173390d01857972da");
      await vi.waitFor(() =>
        expect(h.logs.some((line) => line.includes("dropped hosted tools tool_search, web_search"))).toBe(
          true,
        ),
      );
    });

    it("returns a custom tool call (apply_patch) and takes its array output back", async () => {
      const patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n";
      h.upstream.enqueue(
        {
          type: "stream",
          chunks: toolCallChunks(
            [{ id: "call_patch", name: "apply_patch", arguments: JSON.stringify({ input: patch }) }],
            {
              fragments: 5,
            },
          ),
        },
        { type: "stream", chunks: textChunks("Patched.", 1) },
      );
      const events = await collect(
        await client.responses.create({
          model: "gpt-5.5",
          input: "patch it",
          tools: [applyPatch],
          stream: true,
        }),
      );
      expect(events.map((event) => event.type)).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.custom_tool_call_input.delta",
        "response.custom_tool_call_input.done",
        "response.output_item.done",
        "response.completed",
      ]);
      const item = (events[5] as Extract<ResponseStreamEvent, { type: "response.output_item.done" }>).item;
      expect(item).toMatchObject({
        type: "custom_tool_call",
        call_id: "call_patch",
        name: "apply_patch",
        input: patch,
      });
      const offered = h.upstream.requests[0]!.body.tools[0].function;
      expect(offered.name).toBe("apply_patch");
      expect(offered.parameters.required).toEqual(["input"]);

      const second = await client.responses.create({
        model: "gpt-5.5",
        tools: [applyPatch],
        input: [
          { role: "user", content: "patch it" },
          item as OpenAI.Responses.ResponseCustomToolCall,
          {
            type: "custom_tool_call_output",
            call_id: "call_patch",
            output: [
              { type: "input_text", text: "Exit code: 0" },
              { type: "input_text", text: "Success. Updated the following files:\nA hello.txt" },
            ],
          },
        ],
      });
      expect(second.output_text).toBe("Patched.");
      expect(h.upstream.requests[1]!.body.messages.slice(1)).toEqual([
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_patch",
              type: "function",
              function: { name: "apply_patch", arguments: JSON.stringify({ input: patch }) },
            },
          ],
        },
        {
          role: "tool",
          tool_call_id: "call_patch",
          content: "Exit code: 0\nSuccess. Updated the following files:\nA hello.txt",
        },
      ]);
    });

    it("turns reasoning_content into a reasoning item before the message", async () => {
      h.upstream.enqueue({ type: "stream", chunks: reasoningChunks("Let me think.", "The answer is 4.") });
      const stream = client.responses.stream({
        model: "gpt-5.5",
        input: "2+2?",
        reasoning: { effort: "low" },
      });
      const reasoningDeltas: string[] = [];
      stream.on("response.reasoning_text.delta", (event) => reasoningDeltas.push(event.delta));
      const response = await stream.finalResponse();
      expect(reasoningDeltas.join("")).toBe("Let me think.");
      expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
      expect(response.output[0]).toMatchObject({
        type: "reasoning",
        content: [{ type: "reasoning_text", text: "Let me think." }],
        encrypted_content: expect.stringMatching(/^grove\.v1\./),
      });
      expect(outputText(response)).toBe("The answer is 4.");
      expect(response.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    });
  });

  describe("non-streaming /v1/responses", () => {
    it("answers with the Response object", async () => {
      h.upstream.enqueue({
        type: "json",
        body: {
          choices: [
            {
              message: {
                content: "Checking.",
                tool_calls: [
                  {
                    id: "call_9",
                    type: "function",
                    function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
                  },
                ],
              },
              finish_reason: "tool_calls",
            },
          ],
          usage: { prompt_tokens: 30, completion_tokens: 5 },
        },
      });
      const response = await client.responses.create({ model: "gpt-5.5", input: "ls", tools: [execCommand] });
      expect(response).toMatchObject({
        object: "response",
        status: "completed",
        model: "gpt-5.5",
        output_text: "Checking.",
        usage: { input_tokens: 30, output_tokens: 5, total_tokens: 35 },
      });
      expect(response.output.map((item) => item.type)).toEqual(["message", "function_call"]);
      expect(h.upstream.requests[0]?.body.stream).toBeUndefined();
      await vi.waitFor(() =>
        expect(h.records[0]).toMatchObject({ stream: false, status: 200, inputTokens: 30, outputTokens: 5 }),
      );
    });

    it("streams a JSON upstream reply, and collects an SSE reply for a JSON client", async () => {
      h.upstream.enqueue(
        { type: "json", body: { choices: [{ message: { content: "from json" }, finish_reason: "stop" }] } },
        { type: "stream", chunks: textChunks("from sse", 3) },
      );
      const events = await collect(await client.responses.create({ model: "m", input: "x", stream: true }));
      expect(events[events.length - 1]).toMatchObject({ type: "response.completed" });
      expect(events.filter((event) => event.type === "response.output_text.delta")).toHaveLength(1);
      const response = await client.responses.create({ model: "m", input: "x" });
      expect(response.output_text).toBe("from sse");
    });
  });

  describe("errors in OpenAI's shape", () => {
    it("passes 429 through with Retry-After", async () => {
      h.upstream.enqueue({
        type: "error",
        status: 429,
        body: { error: { message: "slow down" } },
        headers: { "retry-after": "7" },
      });
      const error = await apiError(client.responses.create({ model: "m", input: "x" }));
      expect(error.status).toBe(429);
      expect(error.headers?.get("retry-after")).toBe("7");
      expect(error.error).toEqual({
        message: expect.stringContaining("slow down"),
        type: "rate_limit_error",
        param: null,
        code: "rate_limit_exceeded",
      });
    });

    it("maps 401 to authentication_error", async () => {
      h.upstream.enqueue({ type: "error", status: 401, body: { error: { message: "bad key" } } });
      const error = await apiError(client.responses.create({ model: "m", input: "x", stream: true }));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error.type).toBe("authentication_error");
    });

    it("maps 500 to server_error", async () => {
      h.upstream.enqueue({ type: "error", status: 500, body: "<html>oops</html>" });
      const error = await apiError(client.responses.create({ model: "m", input: "x" }));
      expect(error.status).toBe(500);
      expect(error.type).toBe("server_error");
    });

    it("maps 503 (and an unreachable upstream) to 503, which OpenAI clients retry", async () => {
      h.upstream.enqueue({ type: "error", status: 503, body: { error: { message: "busy" } } });
      const busy = await apiError(client.responses.create({ model: "m", input: "x" }));
      expect(busy.status).toBe(503);
      expect(busy.error).toMatchObject({ type: "server_error", message: expect.stringContaining("busy") });
      await h.upstream.close();
      const down = await apiError(client.responses.create({ model: "m", input: "x" }));
      expect(down.status).toBe(503);
      expect(down.message).toContain("could not reach fake/fake-model");
    });

    it("rejects bad requests with 400 invalid_request_error naming the field, asking nothing upstream", async () => {
      const post = (body: string) =>
        fetch(`${h.router.url}/v1/responses`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer k" },
          body,
        });
      const broken = await post("{not json");
      expect(broken.status).toBe(400);
      expect(await broken.json()).toMatchObject({ error: { type: "invalid_request_error", param: null } });
      const field = await post(JSON.stringify({ model: "m", input: [{ role: "robot", content: "x" }] }));
      expect(field.status).toBe(400);
      expect(((await field.json()) as { error: { message: string } }).error.message).toContain("input");
      const stateful = await post(JSON.stringify({ model: "m", input: "x", previous_response_id: "resp_1" }));
      expect(stateful.status).toBe(400);
      expect(((await stateful.json()) as { error: { message: string } }).error.message).toContain(
        "previous_response_id",
      );
      expect(h.upstream.requests).toHaveLength(0);
      const unknown = await fetch(`${h.router.url}/v1/responses/resp_1`, {
        headers: { authorization: "Bearer k" },
      });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { type: "not_found_error" } });
    });

    it("checks router tokens and answers in OpenAI's shape", async () => {
      await h.close();
      h = await startHarness(target, (baseUrl) => ({
        providers: { fake: { type: "openai-chat", baseUrl } },
        routes: { default: "fake/m" },
        server: { host: "127.0.0.1", port: 0, tokens: ["router-token"] },
      }));
      h.upstream.enqueue({ type: "stream", chunks: textChunks("ok", 1) });
      const wrong = new OpenAI({ baseURL: `${h.router.url}/v1`, apiKey: "wrong", maxRetries: 0 });
      const error = await apiError(wrong.responses.create({ model: "m", input: "x" }));
      expect(error.status).toBe(401);
      expect(error.type).toBe("authentication_error");
      const right = new OpenAI({ baseURL: `${h.router.url}/v1`, apiKey: "router-token", maxRetries: 0 });
      expect((await right.responses.create({ model: "m", input: "x" })).output_text).toBe("ok");
      // The router token never travels upstream.
      expect(h.upstream.requests[0]?.headers.authorization).toBeUndefined();
    });

    it("ends with response.failed when the upstream resets mid-stream", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: textChunks("partial answer that will be cut", 8),
        resetAfter: 3,
      });
      const events = await collect(await client.responses.create({ model: "m", input: "x", stream: true }));
      expect(events[0]?.type).toBe("response.created");
      const last = events[events.length - 1]!;
      expect(last).toMatchObject({
        type: "response.failed",
        response: {
          status: "failed",
          error: { code: "server_error", message: expect.stringContaining("mid-stream") },
        },
      });
      expect(events.some((event) => event.type === "response.completed")).toBe(false);
      await vi.waitFor(() =>
        expect(h.records[0]).toMatchObject({ status: 200, error: expect.stringContaining("mid-stream") }),
      );
    });
  });

  describe("client abort", () => {
    it("aborts the upstream request within a second of the client leaving mid-stream", async () => {
      if (target.noticesDisconnectOnlyOnWrite) {
        // The keep-alive ping is the write that lets such a runtime notice within the second.
        await h.close();
        h = await startHarness(target, (baseUrl) => ({
          ...defaultConfig(baseUrl),
          server: { pingIntervalMs: 100 },
        }));
        client = new OpenAI({ baseURL: `${h.router.url}/v1`, apiKey: "client-key", maxRetries: 0 });
      }
      h.upstream.enqueue({ type: "stream", chunks: textChunks("never finishes", 4), hangAfter: 2 });
      const stream = await client.responses.create({ model: "m", input: "x", stream: true });
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") break; // leaving the loop aborts the request
      }
      await h.upstream.waitForAbort(0, 1000);
      expect(h.upstream.requests[0]?.aborted).toBe(true);
    });

    // Nothing is written before the upstream's headers, so only a runtime that notices at once can pass.
    it.skipIf(target.noticesDisconnectOnlyOnWrite)(
      "aborts the upstream request when the client leaves before the upstream answers",
      async () => {
        h.upstream.enqueue({ type: "hang" });
        const controller = new AbortController();
        const pending = client.responses
          .create({ model: "m", input: "x", stream: true }, { signal: controller.signal })
          .catch(() => undefined);
        while (h.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        controller.abort();
        await pending;
        await h.upstream.waitForAbort(0, 1000);
        expect(h.upstream.requests[0]?.aborted).toBe(true);
      },
    );
  });

  describe("keep-alive", () => {
    it("sends SSE comments while the upstream is silent, which clients skip", async () => {
      await h.close();
      h = await startHarness(target, (baseUrl) => ({
        providers: { fake: { type: "openai-chat", baseUrl } },
        routes: { default: "fake/m" },
        server: { host: "127.0.0.1", port: 0, pingIntervalMs: 40 },
      }));
      h.upstream.enqueue({ type: "stream", chunks: textChunks("slow", 1), delayMs: 200 });
      const response = await fetch(`${h.router.url}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "x", stream: true }),
      });
      const text = await response.text();
      expect(text.match(/^: ping$/gm)?.length ?? 0).toBeGreaterThan(2);
      const events = parseResponsesSse(text);
      expect(events[events.length - 1]?.event).toBe("response.completed");
    });
  });
}
