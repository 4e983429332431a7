import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reasoningChunks, textChunks, toolCallChunks } from "../support/fake-chat-upstream.js";
import { defaultConfig, type RouterHarness, type RouterTarget, startHarness } from "./harness.js";

const ask = (extra: Record<string, unknown> = {}) => ({
  model: "claude-sonnet-4-6",
  max_tokens: 1024,
  messages: [{ role: "user" as const, content: "hi" }],
  ...extra,
});

const writeTool = {
  name: "Write",
  description: "Write a file",
  input_schema: {
    type: "object" as const,
    properties: { file_path: { type: "string" }, content: { type: "string" } },
    required: ["file_path", "content"],
  },
};
const readTool = {
  name: "Read",
  description: "Read a file",
  input_schema: {
    type: "object" as const,
    properties: { file_path: { type: "string" }, limit: { type: "number" } },
  },
};

/** Runs against `target`: the Node server here, the Worker in workerd in test/worker. */
export function messagesStreamSuite(target: RouterTarget): void {
  let h: RouterHarness;
  beforeEach(async () => {
    h = await startHarness(target);
  });
  afterEach(async () => {
    await h.close();
  });

  describe("streaming /v1/messages through the SDK", () => {
    it("streams text and reports usage from the final usage-only chunk", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: textChunks("Hello from the fake model, in several pieces.", 6, {
          usage: { prompt_tokens: 120, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 100 } },
        }),
      });
      const stream = h.client.messages.stream(ask());
      const deltas: string[] = [];
      stream.on("text", (text) => deltas.push(text));
      const message = await stream.finalMessage();
      expect(deltas.join("")).toBe("Hello from the fake model, in several pieces.");
      expect(message.content).toEqual([
        expect.objectContaining({ type: "text", text: "Hello from the fake model, in several pieces." }),
      ]);
      expect(message.stop_reason).toBe("end_turn");
      expect(message.model).toBe("claude-sonnet-4-6");
      expect(message.usage).toMatchObject({
        input_tokens: 20,
        cache_read_input_tokens: 100,
        output_tokens: 9,
      });
      const sent = h.upstream.requests[0]!;
      expect(sent.path).toBe("/v1/chat/completions");
      expect(sent.headers.authorization).toBe("Bearer upstream-secret");
      expect(sent.body).toMatchObject({
        model: "fake-model",
        stream: true,
        stream_options: { include_usage: true },
      });
      await vi.waitFor(() =>
        expect(h.records[0]).toMatchObject({
          clientModel: "claude-sonnet-4-6",
          target: "fake/fake-model",
          status: 200,
          outputTokens: 9,
        }),
      );
    });

    it("joins text deltas that reach the router together into one, and can send one per chunk", async () => {
      const text = "Hello from the fake model, in several pieces.";
      const deltasOf = async () => {
        h.upstream.enqueue({ type: "stream", chunks: textChunks(text, 6), coalesce: true });
        const stream = h.client.messages.stream(ask());
        const deltas: string[] = [];
        stream.on("text", (delta) => deltas.push(delta));
        await stream.finalMessage();
        return deltas;
      };
      // The upstream writes all six chunks at once: the router reads them together.
      expect(await deltasOf()).toEqual([text]);
      await h.close();
      h = await startHarness(target, (baseUrl) => ({
        ...defaultConfig(baseUrl),
        server: { host: "127.0.0.1", port: 0, coalesceDeltas: false },
      }));
      const perChunk = await deltasOf();
      expect(perChunk).toHaveLength(6);
      expect(perChunk.join("")).toBe(text);
    });

    it("assembles fragmented tool arguments into a tool_use block", async () => {
      const args = JSON.stringify({ file_path: "/tmp/hello.txt", content: "héllo wörld 日本\n" });
      h.upstream.enqueue({
        type: "stream",
        chunks: toolCallChunks([{ id: "call_abc", name: "Write", arguments: args }], { fragments: 7 }),
      });
      const message = await h.client.messages.stream(ask({ tools: [writeTool] })).finalMessage();
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content).toEqual([
        { type: "tool_use", id: "call_abc", name: "Write", input: JSON.parse(args) },
      ]);
    });

    it("keeps interleaved parallel tool calls apart", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: toolCallChunks(
          [
            { id: "call_1", name: "Read", arguments: JSON.stringify({ file_path: "a.ts" }) },
            { id: "call_2", name: "Read", arguments: JSON.stringify({ file_path: "b.ts", limit: 20 }) },
          ],
          { fragments: 4, interleave: true },
        ),
      });
      const message = await h.client.messages.stream(ask({ tools: [readTool] })).finalMessage();
      expect(message.content).toEqual([
        { type: "tool_use", id: "call_1", name: "Read", input: { file_path: "a.ts" } },
        { type: "tool_use", id: "call_2", name: "Read", input: { file_path: "b.ts", limit: 20 } },
      ]);
    });

    it("turns reasoning into a thinking block that comes first", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: reasoningChunks("Let me think.", "The answer is 4.", "reasoning_content"),
      });
      const message = await h.client.messages.stream(ask()).finalMessage();
      expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
      expect(message.content[0]).toMatchObject({ type: "thinking", thinking: "Let me think." });
      expect(message.content[1]).toMatchObject({ type: "text", text: "The answer is 4." });
    });

    it("accepts OpenRouter's `reasoning` delta field too", async () => {
      h.upstream.enqueue({ type: "stream", chunks: reasoningChunks("Hmm.", "Done.", "reasoning") });
      const message = await h.client.messages.stream(ask()).finalMessage();
      expect(message.content[0]).toMatchObject({ type: "thinking", thinking: "Hmm." });
    });
  });
}
