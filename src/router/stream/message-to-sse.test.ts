import { describe, expect, it } from "vitest";
import type { MessagesResponse, ResponseContentBlock } from "../../protocol/anthropic.js";
import { messageToSse } from "./message-to-sse.js";

type Json = Record<string, unknown>;

function parseFrames(text: string): { event: string; data: Json }[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter((raw) => raw !== "")
    .map((raw) => {
      const [eventLine, dataLine, ...rest] = raw.split("\n");
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      const event = eventLine!.slice(7);
      const data = JSON.parse(dataLine!.slice(6)) as Json;
      expect(data.type).toBe(event);
      return { event, data };
    });
}

/** Rebuilds the content blocks a client would assemble from the events. */
function rebuild(frames: { event: string; data: Json }[]): ResponseContentBlock[] {
  const blocks: Json[] = [];
  const json: string[] = [];
  for (const { event, data } of frames) {
    const index = data.index as number;
    if (event === "content_block_start") blocks[index] = { ...(data.content_block as Json) };
    if (event === "content_block_delta") {
      const delta = data.delta as Json;
      const block = blocks[index]!;
      if (delta.type === "text_delta") block.text = (block.text as string) + (delta.text as string);
      if (delta.type === "thinking_delta")
        block.thinking = (block.thinking as string) + (delta.thinking as string);
      if (delta.type === "signature_delta") block.signature = delta.signature;
      if (delta.type === "input_json_delta")
        json[index] = (json[index] ?? "") + (delta.partial_json as string);
    }
    if (event === "content_block_stop" && json[index] !== undefined)
      blocks[index]!.input = JSON.parse(json[index]!);
  }
  return blocks as unknown as ResponseContentBlock[];
}

const message = (
  content: ResponseContentBlock[],
  extra: Partial<MessagesResponse> = {},
): MessagesResponse => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-6",
  content,
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 },
  ...extra,
});

describe("messageToSse", () => {
  it("emits the full event sequence for thinking, text and tool_use", () => {
    const source = message(
      [
        { type: "thinking", thinking: "hmm", signature: "sig" },
        { type: "text", text: "Let me run it." },
        { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls", n: [1, 2] } },
      ],
      { stop_reason: "tool_use" },
    );
    const frames = parseFrames(messageToSse(source));
    expect(frames.map((f) => f.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(frames.filter((f) => f.event === "content_block_start").map((f) => f.data.index)).toEqual([
      0, 1, 2,
    ]);
    // The signature comes after the thinking text, before the stop.
    expect((frames[3]!.data.delta as Json).type).toBe("signature_delta");
    expect(rebuild(frames)).toEqual(source.content);
  });

  it("starts with an empty message carrying id, model and usage", () => {
    const frames = parseFrames(
      messageToSse(message([{ type: "text", text: "hi" }], { stop_reason: "max_tokens" })),
    );
    expect(frames[0]!.data.message).toEqual({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 3,
      },
    });
  });

  it("ends with message_delta carrying stop reason, stop sequence and usage", () => {
    const source = message([{ type: "text", text: "x" }], {
      stop_reason: "stop_sequence",
      stop_sequence: "END",
    });
    const frames = parseFrames(messageToSse(source));
    expect(frames.at(-2)!.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "stop_sequence", stop_sequence: "END" },
      usage: source.usage,
    });
    expect(frames.at(-1)!.data).toEqual({ type: "message_stop" });
  });

  it("sends no delta for an empty text block", () => {
    const frames = parseFrames(messageToSse(message([{ type: "text", text: "" }])));
    expect(frames.map((f) => f.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("starts tool_use blocks with an empty input and sends the input as JSON", () => {
    const frames = parseFrames(
      messageToSse(
        message([{ type: "tool_use", id: "t", name: "Write", input: { text: 'a "quoted"\nline' } }]),
      ),
    );
    expect(frames[1]!.data.content_block).toEqual({ type: "tool_use", id: "t", name: "Write", input: {} });
    expect(rebuild(frames)).toEqual([
      { type: "tool_use", id: "t", name: "Write", input: { text: 'a "quoted"\nline' } },
    ]);
  });
});
