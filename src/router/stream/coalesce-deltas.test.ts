/**
 * Delta coalescing, as the router runs it (pipeUpstream): plain text deltas that arrive in one
 * upstream read go out as one delta, on both the Anthropic and the Responses stream; nothing
 * else is joined, nothing waits, and the text is exactly the upstream's.
 */
import { describe, expect, it } from "vitest";
import { parseResponsesSse } from "../../../test/router/codex-captures.js";
import { responsesRequestSchema } from "../responses/request-schema.js";
import { createResponsesTranslator } from "../responses/stream-translator.js";
import { buildToolTable } from "../responses/tool-table.js";
import { createToolNameMap } from "../translate/tool-names.js";
import { createChatToAnthropicTranslator } from "./chat-to-anthropic-translator.js";
import { pipeUpstream, type StreamTranslator } from "./translating-stream.js";

const encoder = new TextEncoder();

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const END = `${chunk({}, "stop")}data: [DONE]\n\n`;

/** `reads` are the upstream's network reads, in order. */
async function run(translator: StreamTranslator, reads: string[]): Promise<string> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read));
      controller.close();
    },
  });
  return new Response(pipeUpstream(body, translator, { pingIntervalMs: 0, pingFrame: "" })).text();
}

const anthropic = (coalesceDeltas: boolean) =>
  createChatToAnthropicTranslator({
    messageId: "msg_1",
    clientModel: "claude-sonnet-4-6",
    toolNames: createToolNameMap([], 64),
    coalesceDeltas,
  });

const responses = (coalesceDeltas: boolean) =>
  createResponsesTranslator({
    responseId: "resp_1",
    createdAt: 1,
    clientModel: "m",
    tools: buildToolTable(responsesRequestSchema.parse({ model: "m" }).tools ?? [], 64),
    coalesceDeltas,
  });

interface Frame {
  event: string;
  data: Record<string, unknown> & { delta?: Record<string, unknown> | string };
}

const framesOf = (text: string): Frame[] => parseResponsesSse(text) as unknown as Frame[];

/** Each Anthropic text and thinking delta, as `type:text`. */
async function anthropicDeltas(reads: string[], coalesce = true): Promise<string[]> {
  const frames = framesOf(await run(anthropic(coalesce), reads));
  expect(frames.at(-1)?.event).toBe("message_stop");
  return frames
    .filter((frame) => frame.event === "content_block_delta")
    .map((frame) => frame.data.delta as { type: string; text?: string; thinking?: string })
    .filter((delta) => delta.type === "text_delta" || delta.type === "thinking_delta")
    .map((delta) => `${delta.type}:${delta.text ?? delta.thinking}`);
}

const words = ["Hel", 'lo "wörld"', "\n", " \\ end", " é—"];
const text = words.map((word) => chunk({ content: word })).join("");

describe("coalescing text deltas on the Anthropic stream", () => {
  it("joins the deltas of one read into one, and keeps reads apart", async () => {
    expect(await anthropicDeltas([text + END])).toEqual([`text_delta:${words.join("")}`]);
    const [first, ...rest] = words.map((word) => chunk({ content: word }));
    expect(await anthropicDeltas([first!, rest.join("") + END])).toEqual([
      `text_delta:${words[0]}`,
      `text_delta:${words.slice(1).join("")}`,
    ]);
  });

  it("sends one delta per upstream chunk when it is off", async () => {
    expect(await anthropicDeltas([text + END], false)).toEqual(words.map((word) => `text_delta:${word}`));
  });

  it("does not join across other events in the same read", async () => {
    const read =
      chunk({ content: "a" }) +
      chunk({ content: "b" }) +
      chunk({ reasoning_content: "think" }) +
      chunk({ content: "c" }) +
      chunk({ content: "d" }) +
      END;
    expect(await anthropicDeltas([read])).toEqual(["text_delta:ab", "thinking_delta:think", "text_delta:cd"]);
  });

  it("brings a surrogate pair split between two deltas together again", async () => {
    // An upstream that escapes non-ASCII may split an emoji's pair between two chunks.
    const split = `${chunk({ content: "A" }).replace('"A"', '"\\ud83c"')}${chunk({ content: "B" }).replace('"B"', '"\\udf89!"')}`;
    expect(await anthropicDeltas([split + END])).toEqual(["text_delta:🎉!"]);
  });
});

describe("coalescing text deltas on the Responses stream", () => {
  it("joins the deltas of one read, numbers events without gaps, and keeps the whole text", async () => {
    const [first, ...rest] = words.map((word) => chunk({ content: word }));
    const events = framesOf(await run(responses(true), [first!, rest.join("") + END]));
    const deltas = events.filter((event) => event.event === "response.output_text.delta");
    expect(deltas.map((event) => event.data.delta)).toEqual([words[0], words.slice(1).join("")]);
    expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_, i) => i));
    const done = events.find((event) => event.event === "response.output_text.done");
    expect(done?.data.text).toBe(words.join(""));
    expect(events.at(-1)?.event).toBe("response.completed");
  });

  it("sends one delta per upstream chunk when it is off", async () => {
    const events = framesOf(await run(responses(false), [text + END]));
    const deltas = events.filter((event) => event.event === "response.output_text.delta");
    expect(deltas.map((event) => event.data.delta)).toEqual(words);
  });
});
