import { describe, expect, it } from "vitest";
import { fixtureText } from "../../../../test/router/codex-captures.js";
import type { MessagesResponse } from "../../../protocol/anthropic.js";
import { createSseBatchParser, UPSTREAM_FAILURE_EVENT } from "../../stream/sse-parse-stream.js";
import { convertChunks } from "../convert-completion.js";
import { decodeReasoning } from "../reasoning-carrier.js";
import { responsesRequestSchema } from "../request-schema.js";
import { buildToolTable } from "../tool-table.js";
import { createAnthropicChunker, finishReason, messageChunks } from "./anthropic-to-chunks.js";

const tools = buildToolTable(
  responsesRequestSchema.parse({ model: "m", tools: [{ type: "function", name: "Write" }] }).tools ?? [],
  64,
);
const options = { responseId: "resp_a", createdAt: 1, clientModel: "gpt-5.5", tools };
const parse = (text: string) => {
  const parser = createSseBatchParser();
  return [...parser.feed(new TextEncoder().encode(text)), ...parser.end()];
};
const event = (data: unknown) => ({ event: undefined, data: JSON.stringify(data) });

describe("Anthropic replies as Responses items", () => {
  it("a captured Claude stream: text, then the tool call, with usage", () => {
    const chunker = createAnthropicChunker();
    const chunks = chunker.convert(parse(fixtureText("sse-anthropic-turn1-text-plus-tool_use.txt")));
    const response = convertChunks(chunks, options);
    expect(response.status).toBe("completed");
    expect(response.output).toEqual([
      expect.objectContaining({
        type: "message",
        content: [expect.objectContaining({ text: "I'll create hello.txt now." })],
      }),
      expect.objectContaining({
        type: "function_call",
        call_id: "toolu_5ff670ec067c90f0ec07d697",
        name: "Write",
        arguments: '{"file_path":"/home/user/project/hello.txt","content":"hello from the fake model\\n"}',
      }),
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 42, output_tokens: 17, total_tokens: 59 });
  });

  it("a captured non-streaming Claude message gives the same items", () => {
    const message = JSON.parse(fixtureText("json-anthropic-nonstream-tool_use.json")) as MessagesResponse;
    const response = convertChunks(messageChunks(message), options);
    expect(response.output.map((item) => item.type)).toEqual(["message", "function_call"]);
    expect(response.output[1]).toMatchObject({
      call_id: "toolu_df5f9f930441898b43531661",
      arguments: JSON.stringify({
        file_path: "/home/user/project/hello.txt",
        content: "hello from the fake model\n",
      }),
    });
  });

  it("turns each thinking block into a reasoning item that carries its signature", () => {
    const chunker = createAnthropicChunker();
    const chunks = chunker.convert([
      event({
        type: "message_start",
        message: { usage: { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5 } },
      }),
      event({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking: "step one" },
      }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "sig-A" },
      }),
      event({ type: "content_block_stop", index: 0 }),
      event({
        type: "content_block_start",
        index: 1,
        content_block: { type: "redacted_thinking", data: "enc" },
      }),
      event({ type: "content_block_stop", index: 1 }),
      event({ type: "content_block_start", index: 2, content_block: { type: "thinking", thinking: "" } }),
      event({
        type: "content_block_delta",
        index: 2,
        delta: { type: "thinking_delta", thinking: "step two" },
      }),
      event({
        type: "content_block_delta",
        index: 2,
        delta: { type: "signature_delta", signature: "sig-B" },
      }),
      event({ type: "content_block_stop", index: 2 }),
      event({ type: "content_block_start", index: 3, content_block: { type: "text", text: "" } }),
      event({ type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "Answer." } }),
      event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 30 } }),
      event({ type: "message_stop" }),
    ]);
    const response = convertChunks(chunks, options);
    expect(response.output.map((item) => item.type)).toEqual([
      "reasoning",
      "reasoning",
      "reasoning",
      "message",
    ]);
    const carried = response.output
      .slice(0, 3)
      .map((item) => decodeReasoning((item as { encrypted_content?: string }).encrypted_content));
    expect(carried).toEqual([
      { text: "step one", signature: "sig-A" },
      { text: "", redacted: "enc" },
      { text: "step two", signature: "sig-B" },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 105,
      input_tokens_details: { cached_tokens: 90 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 135,
    });
  });

  it("reports an error event, a reset and a malformed event as failures", () => {
    const chunker = createAnthropicChunker();
    expect(
      chunker.convert([event({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })]),
    ).toEqual([{ error: { message: "Overloaded" } }]);
    expect(
      chunker.convert([{ event: UPSTREAM_FAILURE_EVENT, data: "terminated" }])[0]?.error?.message,
    ).toContain("terminated");
    expect(chunker.convert([{ event: undefined, data: "{oops" }])[0]?.error?.message).toContain("malformed");
  });

  it("maps stop reasons", () => {
    expect(
      ["end_turn", "stop_sequence", "max_tokens", "tool_use", "refusal", "pause_turn"].map(finishReason),
    ).toEqual(["stop", "stop", "length", "tool_calls", "content_filter", "stop"]);
  });
});
