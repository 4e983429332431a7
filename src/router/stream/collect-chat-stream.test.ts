import { describe, expect, it } from "vitest";
import type { ChatChunk, ChatCompletion } from "../../protocol/openai-chat.js";
import { convertCompletion } from "../translate/convert-completion.js";
import { createToolNameMap } from "../translate/tool-names.js";
import { collectChatStream } from "./collect-chat-stream.js";

const encoder = new TextEncoder();

/** An SSE body delivered in the given byte pieces, optionally failing after them. */
function body(pieces: string[], failWith?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]!));
      else if (failWith) controller.error(failWith);
      else controller.close();
    },
  });
}

const sse = (...chunks: (ChatChunk | "[DONE]")[]): string =>
  chunks.map((c) => `data: ${c === "[DONE]" ? c : JSON.stringify(c)}\n\n`).join("");

const collect = (...chunks: (ChatChunk | "[DONE]")[]) => collectChatStream(body([sse(...chunks)]));

const messageOf = (completion: ChatCompletion) => completion.choices?.[0]?.message;

describe("collectChatStream", () => {
  it("folds text, usage, id and model into one completion", async () => {
    const completion = await collect(
      { id: "c1", model: "m1", choices: [{ index: 0, delta: { role: "assistant", content: "Hel" } }] },
      { id: "c1", model: "m1", choices: [{ index: 0, delta: { content: "lo" } }] },
      { id: "c1", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
      { id: "c1", choices: [], usage: { prompt_tokens: 10, completion_tokens: 2 } },
      "[DONE]",
    );
    expect(completion).toEqual({
      id: "c1",
      model: "m1",
      usage: { prompt_tokens: 10, completion_tokens: 2 },
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello", reasoning_content: null, tool_calls: null },
          finish_reason: "stop",
          stop_reason: null,
        },
      ],
    });
  });

  it("collects reasoning_content and OpenRouter's reasoning", async () => {
    const completion = await collect(
      { choices: [{ delta: { reasoning_content: "a" } }] },
      { choices: [{ delta: { reasoning: "b" } }] },
      { choices: [{ delta: { content: "c" }, finish_reason: "stop" }] },
    );
    expect(messageOf(completion)).toMatchObject({ reasoning_content: "ab", content: "c" });
  });

  it("assembles fragmented, interleaved and late-named tool calls in index order", async () => {
    const completion = await collect(
      {
        choices: [
          { delta: { tool_calls: [{ index: 1, id: "b", function: { name: "Bash", arguments: '{"co' } }] } },
        ],
      },
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"file_path"' } }] } }] },
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: "a", function: { name: "Read", arguments: ':"/x"' } },
                { index: 0, function: { arguments: "}" } },
                { index: 1, function: { arguments: 'mmand":"ls"}' } },
              ],
            },
          },
        ],
      },
      { choices: [{ delta: {}, finish_reason: "tool_calls" }] },
    );
    expect(messageOf(completion)?.tool_calls).toEqual([
      { id: "a", type: "function", function: { name: "Read", arguments: '{"file_path":"/x"}' } },
      { id: "b", type: "function", function: { name: "Bash", arguments: '{"command":"ls"}' } },
    ]);
    expect(completion.choices?.[0]?.finish_reason).toBe("tool_calls");
  });

  // Gemini sends parallel calls without `index`, one whole call per chunk.
  it("keeps indexless parallel calls with distinct ids apart (Gemini)", async () => {
    const completion = await collect(
      {
        choices: [{ delta: { tool_calls: [{ id: "a", function: { name: "Read", arguments: '{"p":1}' } }] } }],
      },
      {
        choices: [{ delta: { tool_calls: [{ id: "b", function: { name: "Read", arguments: '{"p":2}' } }] } }],
      },
      { choices: [{ delta: {}, finish_reason: "stop" }] },
    );
    expect(messageOf(completion)?.tool_calls?.map((c) => [c.id, c.function.arguments])).toEqual([
      ["a", '{"p":1}'],
      ["b", '{"p":2}'],
    ]);
  });

  it("keeps vLLM's stop_reason", async () => {
    const completion = await collect({
      choices: [{ delta: { content: "x" }, finish_reason: "stop", stop_reason: "END" }],
    });
    expect(completion.choices?.[0]?.stop_reason).toBe("END");
  });

  it("parses events split across reads and a last event without its blank line", async () => {
    const text = sse(
      { choices: [{ delta: { content: "héllo 日本" } }] },
      { choices: [{ delta: { content: "!" } }] },
    );
    const bytes = encoder.encode(text.trimEnd());
    const pieces: string[] = [];
    // Cut the text at arbitrary points (on character boundaries).
    const decoded = new TextDecoder().decode(bytes);
    for (let i = 0; i < decoded.length; i += 7) pieces.push(decoded.slice(i, i + 7));
    const completion = await collectChatStream(body(pieces));
    expect(messageOf(completion)?.content).toBe("héllo 日本!");
  });

  it("returns an empty message for an empty stream", async () => {
    const completion = await collect("[DONE]");
    expect(messageOf(completion)).toEqual({
      role: "assistant",
      content: null,
      reasoning_content: null,
      tool_calls: null,
    });
    expect(completion.choices?.[0]?.finish_reason).toBeNull();
  });

  it("returns an upstream error chunk as the completion's error", async () => {
    const completion = await collect(
      { choices: [{ delta: { content: "partial" } }] },
      { error: { message: "overloaded", code: 529 } },
    );
    expect(completion).toEqual({ error: { message: "overloaded", code: 529 } });
  });

  it("returns a read failure as an error", async () => {
    const completion = await collectChatStream(
      body([sse({ choices: [{ delta: { content: "a" } }] })], new Error("ECONNRESET")),
    );
    expect(completion.error?.message).toContain("ECONNRESET");
  });

  it("feeds convertCompletion: tool names restored, stop reason mapped", async () => {
    const long = `mcp__server__${"x".repeat(70)}`;
    const toolNames = createToolNameMap([long], 64);
    const completion = await collect(
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: "c", function: { name: toolNames.toUpstream(long), arguments: "{}" } },
              ],
            },
          },
        ],
      },
      { choices: [{ delta: {}, finish_reason: "stop" }] },
    );
    const message = convertCompletion(completion, { messageId: "msg_1", clientModel: "claude", toolNames });
    expect(message).toMatchObject({
      stop_reason: "tool_use",
      content: [{ type: "tool_use", name: long, id: "c" }],
    });
  });

  it("keeps a refusal delta as content", async () => {
    const completion = await collect({
      choices: [{ delta: { refusal: "I can't help with that." }, finish_reason: "stop" }],
    });
    const message = convertCompletion(completion, {
      messageId: "msg_1",
      clientModel: "claude",
      toolNames: createToolNameMap([], 64),
    });
    expect(message).toMatchObject({ content: [{ type: "text", text: "I can't help with that." }] });
  });
});
