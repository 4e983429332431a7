import { describe, expect, it } from "vitest";
import { acceptedSse, parseResponsesSse, type ResponsesEvent } from "../../../test/router/codex-captures.js";
import type { ChatChunk, ChatToolCallDelta, ChatUsage } from "../../protocol/openai-chat.js";
import type { SseEvent } from "../stream/sse-parse-stream.js";
import { UPSTREAM_FAILURE_EVENT } from "../stream/sse-parse-stream.js";
import { decodeReasoning } from "./reasoning-carrier.js";
import { responsesRequestSchema } from "./request-schema.js";
import type { ResponseObject } from "./response-object.js";
import { createResponsesTranslator, type ResponsesSummary } from "./stream-translator.js";
import { buildToolTable } from "./tool-table.js";

const tools = buildToolTable(
  responsesRequestSchema.parse({
    model: "m",
    tools: [
      { type: "function", name: "exec_command", parameters: { type: "object" } },
      { type: "custom", name: "apply_patch" },
      { type: "namespace", name: "multi_agent_v1", tools: [{ type: "function", name: "spawn_agent" }] },
    ],
  }).tools ?? [],
  64,
);

const USAGE: ChatUsage = { prompt_tokens: 42, completion_tokens: 17 };
const sse = (chunk: ChatChunk | string): SseEvent => ({
  event: undefined,
  data: typeof chunk === "string" ? chunk : JSON.stringify(chunk),
});
const delta = (value: NonNullable<ChatChunk["choices"]>[number]["delta"]): ChatChunk => ({
  choices: [{ index: 0, delta: value }],
});
const finish = (reason: string): ChatChunk => ({ choices: [{ index: 0, delta: {}, finish_reason: reason }] });
const usage = (value: ChatUsage): ChatChunk => ({ choices: [], usage: value });
const call = (index: number, id: string | undefined, name: string | undefined, args: string): ChatChunk =>
  delta({
    tool_calls: [
      {
        index,
        ...(id ? { id, type: "function" } : {}),
        function: { ...(name ? { name } : {}), arguments: args },
      } as ChatToolCallDelta,
    ],
  });

function run(batches: (ChatChunk | string | SseEvent)[][], finishStream = true) {
  const summaries: ResponsesSummary[] = [];
  const translator = createResponsesTranslator({
    responseId: "resp_1",
    createdAt: 1795847684,
    clientModel: "gpt-5.5",
    tools,
    onEnd: (summary) => summaries.push(summary),
  });
  let text = translator.start();
  for (const batch of batches) {
    text += translator.push(
      batch.map((item) => (typeof item === "object" && "data" in item ? item : sse(item))),
    );
  }
  if (finishStream) text += translator.finish();
  return { events: parseResponsesSse(text), summaries, translator, text };
}

/** Ids are random: number them by first appearance so two streams can be compared. */
function normalize(events: ResponsesEvent[]): ResponsesEvent[] {
  const ids = new Map<string, string>();
  const json = JSON.stringify(events).replace(/"((?:resp|msg|fc|ctc|rs)_[0-9a-f]+)"/g, (_, id: string) => {
    if (!ids.has(id)) ids.set(id, `${id.split("_")[0]}_${ids.size}`);
    return `"${ids.get(id)}"`;
  });
  return JSON.parse(json) as ResponsesEvent[];
}

function expectInvariants(events: ResponsesEvent[]) {
  expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_, i) => i));
  for (const event of events) expect(event.event).toBe(event.data.type);
  // Every item event refers to the item opened at that output_index.
  const opened = new Map<number, string>();
  for (const { data } of events) {
    if (data.type === "response.output_item.added") {
      const index = data.output_index as number;
      expect(index).toBe(opened.size);
      opened.set(index, (data.item as { id: string }).id);
    } else if ("item_id" in data) {
      expect(opened.get(data.output_index as number)).toBe(data.item_id);
    } else if (data.type === "response.output_item.done") {
      expect(opened.get(data.output_index as number)).toBe((data.item as { id: string }).id);
    }
  }
}

describe("the Responses stream translator against what Codex accepted", () => {
  it("a function call: the captured event sequence", () => {
    const args = JSON.stringify({
      cmd: "printf 'hello from the fake model\\n' > hello.txt",
      workdir: "/home/user/project",
    });
    const { events } = run([
      [call(0, "call_635708c23f8c26e9e905129b", "exec_command", args.slice(0, 20))],
      [call(0, undefined, undefined, args.slice(20)), finish("tool_calls")],
      [usage(USAGE), "[DONE]"],
    ]);
    const captured = acceptedSse("sse-responses-turn1-function_call-exec_command.txt");
    expect(events.map((event) => event.event)).toEqual(captured.map((event) => event.event));
    expect(normalize(events)).toMatchObject(normalize(captured));
    expectInvariants(events);
  });

  it("a custom tool call: apply_patch comes back as custom_tool_call with the raw input", () => {
    const patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello from the fake model\n*** End Patch\n";
    const args = JSON.stringify({ input: patch });
    const { events } = run([
      [
        call(0, "call_1311187f6f2ab3cf1386e4c2", "apply_patch", args.slice(0, 9)),
        call(0, undefined, undefined, args.slice(9)),
      ],
      [finish("tool_calls"), usage(USAGE)],
    ]);
    const captured = acceptedSse("sse-responses-turn1-custom_tool_call-apply_patch.txt");
    expect(events.map((event) => event.event)).toEqual(captured.map((event) => event.event));
    expect(normalize(events)).toMatchObject(normalize(captured));
    expectInvariants(events);
  });

  it("a final message: content parts and text deltas as captured", () => {
    const { events } = run([
      [delta({ role: "assistant", content: "Done: create" })],
      [delta({ content: "d hello.txt" }), finish("stop"), usage(USAGE)],
    ]);
    const captured = acceptedSse("sse-responses-turn2-final-message.txt");
    expect(events.map((event) => event.event)).toEqual(captured.map((event) => event.event));
    expect(normalize(events)).toMatchObject(normalize(captured));
    expectInvariants(events);
  });
});

describe("the Responses stream translator", () => {
  it("emits reasoning, then text, then tool calls, each its own item in order", () => {
    const { events, translator } = run([
      [delta({ reasoning_content: "Think" }), delta({ reasoning_content: "ing." })],
      [delta({ content: "Let me look." })],
      [call(0, "c1", "exec_command", '{"cmd":"ls"}'), finish("tool_calls"), usage(USAGE)],
    ]);
    expectInvariants(events);
    const items = events
      .filter((event) => event.data.type === "response.output_item.done")
      .map((event) => event.data.item as { type: string; encrypted_content?: string });
    expect(items.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(items[0]).toMatchObject({
      summary: [],
      content: [{ type: "reasoning_text", text: "Thinking." }],
      status: "completed",
    });
    expect(decodeReasoning(items[0]?.encrypted_content)).toEqual({
      text: "Thinking.",
    });
    expect(events.filter((event) => event.data.type === "response.reasoning_text.delta")).toHaveLength(2);
    const response = translator.response();
    expect(response.status).toBe("completed");
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
  });

  it("repeats each part's exact text in its done events and in response.completed, whatever the echoed fields hold", () => {
    const texts = { reasoning: 'Hmm "so"\n', message: "Héllo \u0000text0\u0000 — done\t!" };
    for (const instructions of [null, "plain", "odd \u0000text0\u0000 \u0000text1\u0000 marks"]) {
      const translator = createResponsesTranslator({
        responseId: "resp_1",
        createdAt: 1,
        clientModel: "m",
        tools,
        echo: { instructions },
      });
      const text =
        translator.start() +
        translator.push(
          [
            delta({ reasoning_content: texts.reasoning }),
            delta({ content: texts.message.slice(0, 7) }),
            delta({ content: texts.message.slice(7) }),
            finish("stop"),
            usage(USAGE),
          ].map(sse),
        ) +
        translator.finish();
      const events = parseResponsesSse(text);
      const done = (type: string) =>
        events.filter((event) => event.data.type === type).map((event) => event.data);
      expect(done("response.reasoning_text.done").map((data) => data.text)).toEqual([texts.reasoning]);
      expect(done("response.output_text.done").map((data) => data.text)).toEqual([texts.message]);
      const completed = done("response.completed")[0]!.response as ResponseObject;
      expect(completed.instructions).toBe(instructions);
      expect(completed).toEqual(JSON.parse(JSON.stringify(translator.response())));
      expect(
        completed.output.map((item) => (item as { content: { text: string }[] }).content[0]!.text),
      ).toEqual([texts.reasoning, texts.message]);
    }
  });

  it("keeps interleaved parallel calls apart and repairs broken arguments", () => {
    const { events } = run([
      [call(0, "c1", "exec_command", '{"cmd": '), call(1, "c2", "spawn_agent", "{'task':")],
      [call(0, undefined, undefined, '"ls"}'), call(1, undefined, undefined, " 'x',}")],
      [finish("tool_calls"), "[DONE]"],
    ]);
    expectInvariants(events);
    const done = events
      .filter((event) => event.data.type === "response.output_item.done")
      .map((e) => e.data.item);
    expect(done).toEqual([
      expect.objectContaining({
        type: "function_call",
        call_id: "c1",
        name: "exec_command",
        arguments: '{"cmd": "ls"}',
      }),
      expect.objectContaining({
        type: "function_call",
        call_id: "c2",
        name: "spawn_agent",
        namespace: "multi_agent_v1",
        arguments: '{"task": "x"}',
      }),
    ]);
  });

  it("mints a call_id for index-like or missing upstream ids", () => {
    const { events } = run([[call(0, "0", "exec_command", "{}"), finish("tool_calls")]]);
    const item = events.find((event) => event.data.type === "response.output_item.done")?.data.item as {
      call_id: string;
    };
    expect(item.call_id).toMatch(/^call_[0-9a-f]{24}$/);
    const added = events.find((event) => event.data.type === "response.output_item.added")?.data.item;
    expect(added).toMatchObject({ call_id: item.call_id, arguments: "" });
  });

  it("reports usage with cached and reasoning tokens", () => {
    const { events, summaries } = run([
      [
        delta({ content: "hi" }),
        finish("stop"),
        usage({
          prompt_tokens: 1000,
          completion_tokens: 300,
          prompt_tokens_details: { cached_tokens: 800 },
          completion_tokens_details: { reasoning_tokens: 200 },
        }),
      ],
    ]);
    const expected = {
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 800 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 200 },
      total_tokens: 1300,
    };
    expect(events[events.length - 1]?.data).toMatchObject({
      type: "response.completed",
      response: { usage: expected },
    });
    expect(summaries).toEqual([{ status: "completed", usage: expected }]);
  });

  it("waits for the usage chunk after finish_reason, and completes at EOF without [DONE]", () => {
    const { events } = run([[delta({ content: "a" }), finish("stop")]], false);
    expect(events[events.length - 1]?.data.type).toBe("response.output_item.done");
    const ended = run([[delta({ content: "a" }), finish("stop")]]);
    expect(ended.events[ended.events.length - 1]?.data.type).toBe("response.completed");
  });

  it("says response.incomplete when the output was cut at the token limit", () => {
    const { events } = run([[delta({ content: "partial" }), finish("length"), usage(USAGE)]]);
    expect(events[events.length - 1]?.data).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  it("ends with response.failed on an error chunk, a reset or a malformed event", () => {
    for (const batch of [
      [delta({ content: "par" }), { error: { message: "provider exploded" } }],
      [delta({ content: "par" }), { event: UPSTREAM_FAILURE_EVENT, data: "socket hang up" }],
      [delta({ content: "par" }), "{not json"],
    ] as (ChatChunk | string | SseEvent)[][]) {
      const { events, summaries, translator } = run([batch]);
      const last = events[events.length - 1]!;
      expect(last.data).toMatchObject({
        type: "response.failed",
        response: { status: "failed", error: { code: "server_error", message: expect.any(String) } },
      });
      expect(events.some((event) => event.data.type === "response.completed")).toBe(false);
      expect(summaries).toHaveLength(1);
      expect(summaries[0]?.status).toBe("failed");
      expect(translator.ended).toBe(true);
    }
  });

  it("reports a cancelled stream once, without writing more", () => {
    const summaries: ResponsesSummary[] = [];
    const translator = createResponsesTranslator({
      responseId: "r",
      createdAt: 0,
      clientModel: "m",
      tools,
      onEnd: (summary) => summaries.push(summary),
    });
    translator.start();
    translator.push([sse(delta({ content: "x" }))]);
    translator.cancel();
    translator.cancel();
    expect(translator.finish()).toBe("");
    expect(summaries).toEqual([
      expect.objectContaining({ status: "cancelled", error: "client closed the stream" }),
    ]);
  });

  it("splices content-only events without re-encoding, surrogate pairs included", () => {
    const raw = [
      'data: {"id":"x","choices":[{"index":0,"delta":{"content":"\\ud83d"}}]}',
      'data: {"id":"x","choices":[{"index":0,"delta":{"content":"\\ude00 \\"q\\""}}]}',
    ].map((line) => ({ event: undefined, data: line.slice(6) }));
    const { events, translator } = run([raw]);
    const deltas = events.filter((event) => event.data.type === "response.output_text.delta");
    expect(deltas.map((event) => event.data.delta)).toEqual(["\ud83d", '\ude00 "q"']);
    expect(translator.response().output[0]).toMatchObject({ content: [{ text: '😀 "q"' }] });
  });

  it("carries an Anthropic thinking signature and redacted thinking in encrypted_content", () => {
    const translator = createResponsesTranslator({ responseId: "r", createdAt: 0, clientModel: "m", tools });
    translator.start();
    translator.pushChunks([
      { choices: [{ index: 0, delta: { reasoning_content: "plan" } }] },
      { choices: [{ index: 0, delta: { reasoning_signature: "sig-1", reasoning_done: true } }] },
      { choices: [{ index: 0, delta: { reasoning_redacted: "opaque" } }] },
      { choices: [{ index: 0, delta: { content: "ok" } }] },
    ]);
    translator.finish();
    const output = translator.response().output;
    expect(output.map((item) => item.type)).toEqual(["reasoning", "reasoning", "message"]);
    const carried = output.map((item) =>
      decodeReasoning((item as { encrypted_content?: string }).encrypted_content),
    );
    expect(carried.slice(0, 2)).toEqual([
      { text: "plan", signature: "sig-1" },
      { text: "", redacted: "opaque" },
    ]);
  });
});
