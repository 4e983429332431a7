import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatChunk, ChatToolCallDelta, ChatUsage } from "../../protocol/openai-chat.js";
import { UNSIGNED_THINKING_SIGNATURE } from "../translate/thinking-signature.js";
import { createToolNameMap } from "../translate/tool-names.js";
import {
  type ChatToAnthropicOptions,
  createChatToAnthropicStream,
  type StreamSummary,
} from "./chat-to-anthropic-stream.js";
import { type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

// ---- helpers ----

type Input = ChatChunk | "[DONE]" | SseEvent;

/** The stream takes the upstream's bytes: one written batch is one network read. */
const encodeEvents = (events: SseEvent[]): Uint8Array =>
  new TextEncoder().encode(
    events
      .map((event) => {
        const name = event.event ? `event: ${event.event}\n` : "";
        const data = event.data
          .split("\n")
          .map((line) => `data: ${line}`)
          .join("\n");
        return `${name}${data}\n\n`;
      })
      .join(""),
  );
type Json = Record<string, unknown>;

interface Frame {
  event: string;
  data: Json;
}

interface Block {
  type: string;
  text: string;
  thinking: string;
  json: string;
  signature?: string;
  id?: string;
  name?: string;
}

const toEvent = (input: Input): SseEvent => {
  if (input === "[DONE]") return { event: undefined, data: "[DONE]" };
  if ("data" in input && typeof input.data === "string") return input as SseEvent;
  return { event: undefined, data: JSON.stringify(input) };
};

const textChunk = (content: string): ChatChunk => ({ choices: [{ index: 0, delta: { content } }] });
const reasoningChunk = (reasoning_content: string): ChatChunk => ({
  choices: [{ index: 0, delta: { reasoning_content } }],
});
const toolChunk = (...tool_calls: ChatToolCallDelta[]): ChatChunk => ({
  choices: [{ index: 0, delta: { tool_calls } }],
});
const finishChunk = (
  finish_reason: string,
  extra: Partial<ChatChunk> = {},
  stop_reason?: string | number,
): ChatChunk => ({
  choices: [{ index: 0, delta: {}, finish_reason, ...(stop_reason === undefined ? {} : { stop_reason }) }],
  ...extra,
});
const usageChunk = (usage: ChatUsage): ChatChunk => ({ choices: [], usage });

/** Parses SSE text into frames, checking each has both lines and a matching `type`. */
function parseFrames(text: string): Frame[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter((raw) => raw !== "")
    .map((raw) => {
      const lines = raw.split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^event: \S+$/);
      expect(lines[1]).toMatch(/^data: /);
      const event = lines[0]!.slice("event: ".length);
      const data = JSON.parse(lines[1]!.slice("data: ".length)) as Json;
      expect(data.type).toBe(event);
      return { event, data };
    });
}

/** Reads a readable stream in the background, exposing what has arrived so far. */
function collect(readable: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let text = "";
  const done = (async () => {
    const reader = readable.getReader();
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return { text: () => text, done };
}

const baseOptions = (extra: Partial<ChatToAnthropicOptions> = {}, summaries: StreamSummary[] = []) => ({
  messageId: "msg_test",
  clientModel: "claude-sonnet-4-6",
  toolNames: createToolNameMap([], 64),
  pingIntervalMs: 0,
  onEnd: (summary: StreamSummary) => summaries.push(summary),
  ...extra,
});

async function run(batches: Input[][], extra: Partial<ChatToAnthropicOptions> = {}) {
  const summaries: StreamSummary[] = [];
  const stream = createChatToAnthropicStream(baseOptions(extra, summaries));
  const out = collect(stream.readable);
  const writer = stream.writable.getWriter();
  for (const batch of batches) await writer.write(encodeEvents(batch.map(toEvent)));
  await writer.close();
  await out.done;
  const text = out.text();
  const frames = parseFrames(text);
  return { text, frames, summaries, blocks: blocksOf(frames), messageDelta: messageDeltaOf(frames) };
}

/** Rebuilds content blocks from the frames. */
function blocksOf(frames: Frame[]): Block[] {
  const blocks: Block[] = [];
  for (const { event, data } of frames) {
    if (event === "content_block_start") {
      const cb = data.content_block as Json;
      blocks[data.index as number] = {
        type: cb.type as string,
        text: "",
        thinking: "",
        json: "",
        id: cb.id as string | undefined,
        name: cb.name as string | undefined,
      };
    } else if (event === "content_block_delta") {
      const block = blocks[data.index as number]!;
      const delta = data.delta as Json;
      if (delta.type === "text_delta") block.text += delta.text as string;
      if (delta.type === "thinking_delta") block.thinking += delta.thinking as string;
      if (delta.type === "input_json_delta") block.json += delta.partial_json as string;
      if (delta.type === "signature_delta") block.signature = delta.signature as string;
    }
  }
  return blocks;
}

function messageDeltaOf(frames: Frame[]): Json | undefined {
  return frames.find((f) => f.event === "message_delta")?.data;
}

const ALLOWED_DELTAS: Record<string, string[]> = {
  text: ["text_delta"],
  thinking: ["thinking_delta", "signature_delta"],
  tool_use: ["input_json_delta"],
};

/** The invariants every translated stream must keep. */
function expectWellFormed(frames: Frame[], { error = false } = {}): void {
  expect(frames[0]?.event).toBe("message_start");
  expect(frames[1]?.event).toBe("ping");
  expect(frames.filter((f) => f.event === "message_start")).toHaveLength(1);
  let open: { index: number; type: string; signed: boolean } | null = null;
  let next = 0;
  for (const { event, data } of frames.slice(1)) {
    switch (event) {
      case "content_block_start":
        expect(open, "a block starts while another is open").toBeNull();
        expect(data.index).toBe(next);
        open = { index: next, type: (data.content_block as Json).type as string, signed: false };
        next += 1;
        break;
      case "content_block_delta": {
        expect(open, "delta outside a block").not.toBeNull();
        expect(data.index).toBe(open!.index);
        const type = (data.delta as Json).type as string;
        expect(ALLOWED_DELTAS[open!.type], `${type} inside a ${open!.type} block`).toContain(type);
        if (type === "signature_delta") open!.signed = true;
        else if (open!.type === "thinking")
          expect(open!.signed, "thinking_delta after signature").toBe(false);
        break;
      }
      case "content_block_stop":
        expect(open, "stop without start").not.toBeNull();
        expect(data.index).toBe(open!.index);
        if (open!.type === "thinking") expect(open!.signed, "thinking block closed unsigned").toBe(true);
        open = null;
        break;
      case "message_delta":
      case "message_stop":
      case "error":
        expect(open, `${event} with an open block`).toBeNull();
        break;
      case "ping":
        break;
      default:
        throw new Error(`unexpected event ${event}`);
    }
  }
  expect(open).toBeNull();
  const tail = frames.slice(-2).map((f) => f.event);
  if (error) {
    expect(tail[1]).toBe("error");
    expect(frames.some((f) => f.event === "message_delta" || f.event === "message_stop")).toBe(false);
  } else {
    expect(tail).toEqual(["message_delta", "message_stop"]);
    expect(frames.filter((f) => f.event === "message_delta")).toHaveLength(1);
  }
}

const USAGE: ChatUsage = {
  prompt_tokens: 1200,
  completion_tokens: 34,
  prompt_tokens_details: { cached_tokens: 1000 },
};
const MAPPED_USAGE = {
  input_tokens: 200,
  output_tokens: 34,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 1000,
};

afterEach(() => {
  vi.useRealTimers();
});

// ---- tests ----

describe("createChatToAnthropicStream: start", () => {
  it("sends message_start with zero usage, then a ping, before any upstream data", async () => {
    const stream = createChatToAnthropicStream(baseOptions());
    const reader = stream.readable.getReader();
    const { value } = await reader.read();
    const frames = parseFrames(new TextDecoder().decode(value));
    expect(frames.map((f) => f.event)).toEqual(["message_start", "ping"]);
    expect(frames[0]!.data.message).toEqual({
      id: "msg_test",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    reader.releaseLock();
    await stream.writable.close();
  });
});

describe("createChatToAnthropicStream: text", () => {
  it("streams text deltas into one text block", async () => {
    const { frames, blocks, messageDelta } = await run([
      [{ choices: [{ index: 0, delta: { role: "assistant", content: "" } }] }, textChunk("Hel")],
      [textChunk("lo, "), textChunk("wörld 日本")],
      [finishChunk("stop"), usageChunk(USAGE), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks).toEqual([{ type: "text", text: "Hello, wörld 日本", thinking: "", json: "" }]);
    const deltas = frames.filter((f) => f.event === "content_block_delta");
    expect(deltas).toHaveLength(3);
    expect(messageDelta).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: MAPPED_USAGE,
    });
  });

  it("turns a refusal delta into text", async () => {
    const { blocks } = await run([
      [{ choices: [{ delta: { refusal: "No." } }] }, finishChunk("stop"), "[DONE]"],
    ]);
    expect(blocks[0]).toMatchObject({ type: "text", text: "No." });
  });

  it("escapes text safely in the JSON data line", async () => {
    const tricky = 'quote " backslash \\ newline \n\n event: x \u2028';
    const { blocks, frames } = await run([[textChunk(tricky), "[DONE]"]]);
    expectWellFormed(frames);
    expect(blocks[0]!.text).toBe(tricky);
  });
});

describe("createChatToAnthropicStream: thinking", () => {
  it("puts reasoning in a signed thinking block, then text in a new block", async () => {
    const { frames, blocks } = await run([
      [reasoningChunk("Let me "), reasoningChunk("think.")],
      [textChunk("Answer"), finishChunk("stop"), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks).toEqual([
      {
        type: "thinking",
        text: "",
        thinking: "Let me think.",
        json: "",
        signature: UNSIGNED_THINKING_SIGNATURE,
      },
      { type: "text", text: "Answer", thinking: "", json: "" },
    ]);
    // The signature comes right before the thinking block's stop.
    const stopAt = frames.findIndex((f) => f.event === "content_block_stop");
    expect((frames[stopAt - 1]!.data.delta as Json).type).toBe("signature_delta");
  });

  it("reads OpenRouter's delta.reasoning", async () => {
    const { blocks } = await run([
      [{ choices: [{ delta: { reasoning: "hmm" } }] }, textChunk("ok"), "[DONE]"],
    ]);
    expect(blocks.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(blocks[0]!.thinking).toBe("hmm");
  });

  it("never sends a text_delta into a thinking block (empty content beside reasoning)", async () => {
    const { frames, blocks } = await run([
      [
        { choices: [{ delta: { reasoning_content: "a", content: "" } }] },
        { choices: [{ delta: { reasoning_content: "b", content: null } }] },
        { choices: [{ delta: { reasoning_content: "c", content: "X" } }] },
        "[DONE]",
      ],
    ]);
    expectWellFormed(frames);
    expect(blocks.map((b) => [b.type, b.thinking || b.text])).toEqual([
      ["thinking", "abc"],
      ["text", "X"],
    ]);
  });

  it("opens a new block each time the kind changes", async () => {
    const { frames, blocks } = await run([
      [textChunk("a"), reasoningChunk("r"), textChunk("b"), finishChunk("stop"), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks.map((b) => b.type)).toEqual(["text", "thinking", "text"]);
  });

  it("signs a thinking block closed by tool calls or EOF", async () => {
    const withTool = await run([
      [
        reasoningChunk("plan"),
        toolChunk({ index: 0, id: "c1", function: { name: "Bash", arguments: "{}" } }),
      ],
    ]);
    expectWellFormed(withTool.frames);
    expect(withTool.blocks.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
    const atEof = await run([[reasoningChunk("only thinking")]]);
    expectWellFormed(atEof.frames);
    expect(atEof.blocks[0]!.signature).toBe(UNSIGNED_THINKING_SIGNATURE);
  });
});

describe("createChatToAnthropicStream: tool calls", () => {
  const args = JSON.stringify({ file_path: "/tmp/a.txt", content: "héllo\n{not json}" });

  it("assembles arguments split into fragments", async () => {
    const pieces = args.match(/.{1,5}/gs)!;
    const batches: Input[][] = [
      [textChunk("Writing.")],
      [toolChunk({ index: 0, id: "call_1", type: "function", function: { name: "Write", arguments: "" } })],
      ...pieces.map((piece) => [toolChunk({ index: 0, function: { arguments: piece } })] as Input[]),
      [finishChunk("tool_calls"), usageChunk(USAGE), "[DONE]"],
    ];
    const { frames, blocks, messageDelta, summaries } = await run(batches);
    expectWellFormed(frames);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toMatchObject({ type: "tool_use", id: "call_1", name: "Write" });
    expect(JSON.parse(blocks[1]!.json)).toEqual(JSON.parse(args));
    expect(messageDelta?.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
    expect(summaries).toEqual([{ stopReason: "tool_use", usage: MAPPED_USAGE }]);
  });

  it("starts tool blocks with an empty input object", async () => {
    const { frames } = await run([
      [toolChunk({ index: 0, id: "c", function: { name: "Bash", arguments: "{}" } })],
    ]);
    const start = frames.find((f) => f.event === "content_block_start")!;
    expect(start.data.content_block).toEqual({ type: "tool_use", id: "c", name: "Bash", input: {} });
  });

  it("keeps interleaved indexes apart", async () => {
    const { frames, blocks } = await run([
      [toolChunk({ index: 0, id: "a", function: { name: "Read", arguments: '{"file_' } })],
      [toolChunk({ index: 1, id: "b", function: { name: "Bash", arguments: '{"comm' } })],
      [toolChunk({ index: 0, function: { arguments: 'path":"/x"}' } })],
      [toolChunk({ index: 1, function: { arguments: 'and":"ls"}' } })],
      [finishChunk("tool_calls"), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks.map((b) => [b.id, b.name, JSON.parse(b.json)])).toEqual([
      ["a", "Read", { file_path: "/x" }],
      ["b", "Bash", { command: "ls" }],
    ]);
  });

  it("handles fragments for several indexes, and the same index twice, in one chunk", async () => {
    const { frames, blocks } = await run([
      [
        toolChunk(
          { index: 0, id: "a", function: { name: "Read", arguments: '{"file_path":' } },
          { index: 0, function: { arguments: '"/one"}' } },
          { index: 1, id: "b", function: { name: "Read", arguments: '{"file_path":"/two"}' } },
        ),
        finishChunk("tool_calls"),
        "[DONE]",
      ],
    ]);
    expectWellFormed(frames);
    expect(blocks.map((b) => JSON.parse(b.json))).toEqual([{ file_path: "/one" }, { file_path: "/two" }]);
  });

  it("orders blocks by index even when a higher index arrives first", async () => {
    const { blocks } = await run([
      [
        toolChunk({ index: 1, id: "second", function: { name: "B", arguments: "{}" } }),
        toolChunk({ index: 0, id: "first", function: { name: "A", arguments: "{}" } }),
        "[DONE]",
      ],
    ]);
    expect(blocks.map((b) => b.id)).toEqual(["first", "second"]);
  });

  it("takes a name and id that arrive after the first argument fragment", async () => {
    const { frames, blocks } = await run([
      [toolChunk({ index: 0, function: { arguments: '{"command"' } })],
      [toolChunk({ index: 0, id: "call_late", function: { name: "Bash", arguments: ':"pwd"}' } })],
      [finishChunk("tool_calls"), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks[0]).toMatchObject({ type: "tool_use", id: "call_late", name: "Bash" });
    expect(JSON.parse(blocks[0]!.json)).toEqual({ command: "pwd" });
  });

  it("uses the array position when index is missing", async () => {
    const { blocks } = await run([
      [
        toolChunk(
          { id: "p0", function: { name: "A", arguments: '{"x":1}' } },
          { id: "p1", function: { name: "B", arguments: '{"y":2}' } },
        ),
        "[DONE]",
      ],
    ]);
    expect(blocks.map((b) => [b.id, JSON.parse(b.json)])).toEqual([
      ["p0", { x: 1 }],
      ["p1", { y: 2 }],
    ]);
  });

  // Gemini's OpenAI endpoint omits `index` and sends each parallel call complete in its own chunk.
  it("keeps indexless parallel calls with distinct ids apart (Gemini)", async () => {
    const { blocks } = await run([
      [
        toolChunk({
          id: "call_a",
          type: "function",
          function: { name: "Read", arguments: '{"file_path":"/a"}' },
        }),
      ],
      [
        toolChunk({
          id: "call_b",
          type: "function",
          function: { name: "Read", arguments: '{"file_path":"/b"}' },
        }),
      ],
      [finishChunk("stop"), "[DONE]"],
    ]);
    expect(blocks.map((b) => [b.id, JSON.parse(b.json)])).toEqual([
      ["call_a", { file_path: "/a" }],
      ["call_b", { file_path: "/b" }],
    ]);
  });

  it("repairs single-quoted arguments", async () => {
    const { blocks } = await run([
      [
        toolChunk({ index: 0, id: "q", function: { name: "Bash", arguments: "{'command': 'ls -la'}" } }),
        "[DONE]",
      ],
    ]);
    expect(JSON.parse(blocks[0]!.json)).toEqual({ command: "ls -la" });
  });

  it("sends {} for empty arguments", async () => {
    const { blocks } = await run([
      [toolChunk({ index: 0, id: "e", function: { name: "TaskList" } }), "[DONE]"],
    ]);
    expect(JSON.parse(blocks[0]!.json)).toEqual({});
  });

  it("sanitises upstream ids and mints one when missing", async () => {
    const { blocks } = await run([
      [
        toolChunk(
          { index: 0, id: "functions.Bash:0", function: { name: "Bash", arguments: "{}" } },
          { index: 1, function: { name: "Bash", arguments: "{}" } },
        ),
        "[DONE]",
      ],
    ]);
    expect(blocks[0]!.id).toBe("functions_Bash_0");
    expect(blocks[1]!.id).toMatch(/^toolu_[0-9a-f]{24}$/);
  });

  it("restores a shortened tool name", async () => {
    const long = `mcp__server__${"long_tool_name_".repeat(5)}`;
    const toolNames = createToolNameMap([long], 64);
    const upstream = toolNames.toUpstream(long);
    expect(upstream).not.toBe(long);
    const { blocks } = await run(
      [[toolChunk({ index: 0, id: "c", function: { name: upstream, arguments: "{}" } }), "[DONE]"]],
      { toolNames },
    );
    expect(blocks[0]!.name).toBe(long);
  });

  it('reports tool_use when finish_reason is "stop" after tool calls', async () => {
    const { messageDelta } = await run([
      [
        toolChunk({ index: 0, id: "c", function: { name: "Bash", arguments: "{}" } }),
        finishChunk("stop"),
        "[DONE]",
      ],
    ]);
    expect(messageDelta?.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
  });

  it("closes a text block before the tool blocks", async () => {
    const { frames, blocks } = await run([
      [
        textChunk("Let me check."),
        toolChunk({ index: 0, id: "c", function: { name: "Read", arguments: "{}" } }),
      ],
      [textChunk(" more text")],
      [finishChunk("tool_calls"), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(blocks[0]!.text).toBe("Let me check. more text");
  });
});

describe("createChatToAnthropicStream: end of stream", () => {
  it("holds message_delta until the usage-only chunk that follows finish_reason", async () => {
    const summaries: StreamSummary[] = [];
    const stream = createChatToAnthropicStream(baseOptions({}, summaries));
    const out = collect(stream.readable);
    const writer = stream.writable.getWriter();
    await writer.write(encodeEvents([textChunk("hi"), finishChunk("stop")].map(toEvent)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(out.text()).not.toContain("message_delta");
    expect(out.text()).toContain("content_block_stop");
    await writer.write(encodeEvents([usageChunk(USAGE)].map(toEvent)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(out.text()).toContain("message_stop");
    await writer.write(encodeEvents(["[DONE]" as const].map(toEvent)));
    await writer.close();
    await out.done;
    const frames = parseFrames(out.text());
    expectWellFormed(frames);
    expect(messageDeltaOf(frames)?.usage).toEqual(MAPPED_USAGE);
    expect(summaries).toEqual([{ stopReason: "end_turn", usage: MAPPED_USAGE }]);
  });

  it("ends at once when usage arrives with finish_reason", async () => {
    const { frames, messageDelta, blocks } = await run([
      [textChunk("a"), finishChunk("stop", { usage: USAGE })],
      [textChunk("ignored after the end")],
    ]);
    expectWellFormed(frames);
    expect(messageDelta?.usage).toEqual(MAPPED_USAGE);
    expect(blocks.map((b) => b.text)).toEqual(["a"]);
  });

  it("does not end on a usage chunk that comes before finish_reason", async () => {
    const { frames, blocks, messageDelta } = await run([
      [textChunk("a"), usageChunk({ prompt_tokens: 5, completion_tokens: 1 }), textChunk("b")],
      [finishChunk("stop"), usageChunk({ prompt_tokens: 5, completion_tokens: 2 }), "[DONE]"],
    ]);
    expectWellFormed(frames);
    expect(blocks[0]!.text).toBe("ab");
    expect(messageDelta?.usage).toMatchObject({ input_tokens: 5, output_tokens: 2 });
  });

  it("ends at [DONE] with zero usage when no usage chunk came", async () => {
    const { frames, messageDelta } = await run([[textChunk("a"), finishChunk("stop")], ["[DONE]"]]);
    expectWellFormed(frames);
    expect(messageDelta?.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("closes open blocks at EOF without finish_reason or [DONE]", async () => {
    const { frames, blocks, messageDelta } = await run([[reasoningChunk("r"), textChunk("cut off")]]);
    expectWellFormed(frames);
    expect(blocks.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(messageDelta?.delta).toEqual({ stop_reason: "end_turn", stop_sequence: null });
  });

  it("emits pending tool calls at EOF as tool_use", async () => {
    const { frames, blocks, messageDelta } = await run([
      [toolChunk({ index: 0, id: "c", function: { name: "Bash", arguments: '{"command":"ls"' } })],
    ]);
    expectWellFormed(frames);
    expect(blocks[0]).toMatchObject({ type: "tool_use", name: "Bash" });
    expect(JSON.parse(blocks[0]!.json)).toEqual({ command: "ls" });
    expect(messageDelta?.delta).toMatchObject({ stop_reason: "tool_use" });
  });

  it("keeps usage from a chunk after finish_reason when the stream ends at EOF", async () => {
    const { messageDelta } = await run([
      [textChunk("x"), finishChunk("length")],
      [{ choices: [{ index: 0, delta: {} }], usage: USAGE }],
    ]);
    expect(messageDelta).toEqual({
      type: "message_delta",
      delta: { stop_reason: "max_tokens", stop_sequence: null },
      usage: MAPPED_USAGE,
    });
  });

  it("maps finish reasons", async () => {
    const cases: [ChatChunk, string, string | null][] = [
      [finishChunk("length"), "max_tokens", null],
      [finishChunk("content_filter"), "refusal", null],
      [finishChunk("tool_calls"), "tool_use", null],
      [finishChunk("stop", {}, "</done>"), "stop_sequence", "</done>"],
      [finishChunk("stop", {}, 151645), "end_turn", null],
      [finishChunk("stop"), "end_turn", null],
    ];
    for (const [chunk, stopReason, stopSequence] of cases) {
      const { messageDelta, frames } = await run([[textChunk("t"), chunk, "[DONE]"]]);
      expectWellFormed(frames);
      expect(messageDelta?.delta, stopReason).toEqual({
        stop_reason: stopReason,
        stop_sequence: stopSequence,
      });
    }
  });

  it("sends one empty text block for an empty reply", async () => {
    for (const batches of [[["[DONE]"]], [[finishChunk("stop"), "[DONE]"]], []] as Input[][][]) {
      const { frames, blocks } = await run(batches);
      expectWellFormed(frames);
      expect(blocks).toEqual([{ type: "text", text: "", thinking: "", json: "" }]);
      expect(frames.some((f) => f.event === "content_block_delta")).toBe(false);
    }
  });

  it("ignores everything after [DONE]", async () => {
    const { frames, blocks } = await run([[textChunk("a"), "[DONE]", textChunk("b")], [textChunk("c")]]);
    expectWellFormed(frames);
    expect(blocks.map((b) => b.text)).toEqual(["a"]);
  });

  it("calls onEnd exactly once with stop reason and usage", async () => {
    const { summaries } = await run([
      [textChunk("a"), finishChunk("stop"), usageChunk(USAGE), "[DONE]"],
      ["[DONE]"],
    ]);
    expect(summaries).toEqual([{ stopReason: "end_turn", usage: MAPPED_USAGE }]);
  });

  it("writes one output chunk per input batch", async () => {
    const stream = createChatToAnthropicStream(baseOptions());
    const reader = stream.readable.getReader();
    await reader.read(); // message_start + ping
    const writer = stream.writable.getWriter();
    void writer.write(encodeEvents([textChunk("a"), textChunk("b"), textChunk("c")].map(toEvent)));
    const { value } = await reader.read();
    const frames = parseFrames(new TextDecoder().decode(value));
    expect(frames.map((f) => f.event)).toEqual([
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
    ]);
    reader.releaseLock();
    void stream.readable.cancel();
  });
});

describe("createChatToAnthropicStream: errors", () => {
  it("turns an upstream error chunk into an error frame with event and data lines", async () => {
    const { text, frames, summaries } = await run([
      [textChunk("partial")],
      [{ error: { message: "Provider returned error", code: 502 } }],
      [textChunk("never")],
    ]);
    expectWellFormed(frames, { error: true });
    expect(text).toContain(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Provider returned error"}}\n\n',
    );
    expect(text).not.toContain("never");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ stopReason: null, error: "Provider returned error" });
  });

  it("reports an upstream failure event as an error frame", async () => {
    const { frames, summaries } = await run([
      [reasoningChunk("thinking…")],
      [{ event: UPSTREAM_FAILURE_EVENT, data: "socket hang up" }],
    ]);
    expectWellFormed(frames, { error: true });
    const error = frames.at(-1)!.data.error as Json;
    expect(error.type).toBe("api_error");
    expect(error.message).toContain("socket hang up");
    expect(summaries[0]!.error).toContain("socket hang up");
  });

  it('reports finish_reason "error" as an error frame', async () => {
    const { frames } = await run([[textChunk("a"), finishChunk("error")]]);
    expectWellFormed(frames, { error: true });
  });

  it("reports a malformed event as an error frame", async () => {
    const { frames } = await run([[{ event: undefined, data: "{not json" }]]);
    expectWellFormed(frames, { error: true });
    expect((frames.at(-1)!.data.error as Json).message).toContain("malformed");
  });
});

describe("createChatToAnthropicStream: client goes away", () => {
  it("stops pinging when the reader cancels", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const stream = createChatToAnthropicStream(baseOptions({ pingIntervalMs: 100 }));
    const reader = stream.readable.getReader();
    await reader.read();
    await reader.cancel("client closed");
    await vi.advanceTimersByTimeAsync(500);
    expect(vi.getTimerCount()).toBe(0);
  });

  // A request whose client left must still be recorded.
  it("calls onEnd once when the reader cancels mid-stream", async () => {
    const summaries: StreamSummary[] = [];
    const stream = createChatToAnthropicStream(baseOptions({}, summaries));
    const reader = stream.readable.getReader();
    const writer = stream.writable.getWriter();
    await reader.read();
    void writer.write(encodeEvents([textChunk("partial")].map(toEvent)));
    await reader.read();
    await reader.cancel("client closed");
    expect(summaries).toHaveLength(1);
  });
});

describe("createChatToAnthropicStream: pings", () => {
  const pingCount = (text: string) => text.split("event: ping\n").length - 1;

  it("pings while the upstream is silent, and stops after the end", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const summaries: StreamSummary[] = [];
    const stream = createChatToAnthropicStream(baseOptions({ pingIntervalMs: 1000 }, summaries));
    const out = collect(stream.readable);
    const writer = stream.writable.getWriter();
    await vi.advanceTimersByTimeAsync(999);
    expect(pingCount(out.text())).toBe(1); // the one after message_start
    await vi.advanceTimersByTimeAsync(4001); // 5000 ms of silence
    const silent = pingCount(out.text());
    expect(silent).toBeGreaterThanOrEqual(4);
    expect(silent).toBeLessThanOrEqual(5);
    // Output resets the idle clock: no ping within one interval of a write.
    await writer.write(encodeEvents([textChunk("hi")].map(toEvent)));
    await vi.advanceTimersByTimeAsync(1000);
    expect(pingCount(out.text())).toBe(silent);
    await writer.write(encodeEvents(["[DONE]" as const].map(toEvent)));
    await writer.close();
    await out.done;
    const ended = pingCount(out.text());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pingCount(out.text())).toBe(ended);
    expect(vi.getTimerCount()).toBe(0);
    expectWellFormed(parseFrames(out.text()));
    expect(summaries).toHaveLength(1);
  });

  it("pings with real timers while tool arguments are buffered", async () => {
    const stream = createChatToAnthropicStream(baseOptions({ pingIntervalMs: 10 }));
    const out = collect(stream.readable);
    const writer = stream.writable.getWriter();
    await writer.write(
      encodeEvents(
        [toolChunk({ index: 0, id: "c", function: { name: "Bash", arguments: '{"a"' } })].map(toEvent),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(pingCount(out.text())).toBeGreaterThan(1);
    await writer.write(
      encodeEvents([toolChunk({ index: 0, function: { arguments: ":1}" } }), "[DONE]" as const].map(toEvent)),
    );
    await writer.close();
    await out.done;
    const frames = parseFrames(out.text());
    expectWellFormed(frames);
    expect(JSON.parse(blocksOf(frames)[0]!.json)).toEqual({ a: 1 });
  });

  it("sends no periodic pings when pingIntervalMs is 0", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const stream = createChatToAnthropicStream(baseOptions({ pingIntervalMs: 0 }));
    const out = collect(stream.readable);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pingCount(out.text())).toBe(1);
    await stream.writable.close();
    await out.done;
  });

  it("stops pinging when the signal aborts", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const controller = new AbortController();
    const stream = createChatToAnthropicStream(
      baseOptions({ pingIntervalMs: 100, signal: controller.signal }),
    );
    const out = collect(stream.readable);
    await vi.advanceTimersByTimeAsync(350);
    const before = pingCount(out.text());
    expect(before).toBeGreaterThan(1);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pingCount(out.text())).toBe(before);
    await stream.writable.close();
    await out.done;
  });
});
