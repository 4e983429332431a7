/**
 * The streaming state machine, Chat Completions chunks → Anthropic Messages SSE text, as a
 * pure object: events in, SSE text out. The stream wrapper owns bytes, timers and backpressure.
 *
 * - Reasoning becomes a thinking block; it never receives a text_delta.
 * - Tool-call fragments are accumulated and each call is emitted as one complete block when
 *   the upstream finishes: interleaved and parallel calls cannot corrupt each other, and
 *   broken JSON can be repaired before the client parses it.
 * - `message_delta` waits for the usage-only chunk, `[DONE]` or EOF; open blocks are closed
 *   even if no `finish_reason` ever came.
 */
import type { StopReason, Usage } from "../../protocol/anthropic.js";
import type { ChatChunk, ChatUsage } from "../../protocol/openai-chat.js";
import { mapStopReason } from "../translate/map-stop-reason.js";
import { mapUsage } from "../translate/map-usage.js";
import { parseToolArguments } from "../translate/repair-tool-arguments.js";
import { UNSIGNED_THINKING_SIGNATURE } from "../translate/thinking-signature.js";
import { sanitizeToolId } from "../translate/tool-ids.js";
import type { ToolNameMap } from "../translate/tool-names.js";
import type { ContentLiterals, SseItem } from "./chat-sse-parser.js";
import { dispatchChatEvents } from "./dispatch-chat-events.js";
import { type LiteralFrame, type SseOutput, SseOutputBuffer } from "./sse-output.js";
import { ToolCallAccumulator } from "./tool-call-accumulator.js";

export interface StreamSummary {
  stopReason: StopReason | null;
  usage: Usage;
  error?: string;
}

export interface TranslatorOptions {
  messageId: string;
  /** The model name the client asked for, echoed back as Anthropic does. */
  clientModel: string;
  toolNames: ToolNameMap;
  /** Called once when the stream ends, however it ends. */
  onEnd?: (summary: StreamSummary) => void;
  /** Plain text deltas that came in one upstream read go out as one delta (server.coalesceDeltas). */
  coalesceDeltas?: boolean;
}

export interface ChatToAnthropicTranslator {
  /** `message_start` and a first `ping`. */
  start(): string;
  /** Translates one batch of upstream events; the result may be empty. */
  push(events: readonly SseItem[]): SseOutput;
  /** The upstream body ended. */
  finish(): string;
  /** The client went away: nothing more is sent, but the summary is still reported. */
  cancel(): void;
  readonly ended: boolean;
  readonly takesContentLiterals: true;
}

export const PING_FRAME = 'event: ping\ndata: {"type":"ping"}\n\n';

const utf8 = new TextEncoder();
const DELTA_TAIL = "}}\n\n";
const DELTA_TAIL_BYTES = utf8.encode(DELTA_TAIL);
const NO_BYTES = new Uint8Array(0);

export function createChatToAnthropicTranslator(options: TranslatorOptions): ChatToAnthropicTranslator {
  const out = new SseOutputBuffer();
  let blockIndex = -1;
  let open: "none" | "text" | "thinking" = "none";
  const toolCalls = new ToolCallAccumulator();
  let finishReason: string | null | undefined;
  let matchedStop: string | number | null | undefined;
  let usage: ChatUsage | null | undefined;
  let sawFinish = false;
  let sawToolCalls = false;
  let ended = false;

  const closeOpenBlock = () => {
    if (open === "none") return;
    if (open === "thinking") {
      out.write(
        frame(
          "content_block_delta",
          `{"type":"content_block_delta","index":${blockIndex},"delta":{"type":"signature_delta","signature":"${UNSIGNED_THINKING_SIGNATURE}"}}`,
        ),
      );
    }
    out.write(frame("content_block_stop", `{"type":"content_block_stop","index":${blockIndex}}`));
    open = "none";
  };

  const openBlock = (kind: "text" | "thinking") => {
    closeOpenBlock();
    blockIndex += 1;
    open = kind;
    const block = kind === "text" ? `{"type":"text","text":""}` : `{"type":"thinking","thinking":""}`;
    out.write(
      frame(
        "content_block_start",
        `{"type":"content_block_start","index":${blockIndex},"content_block":${block}}`,
      ),
    );
  };

  /** The frame before a delta's literal, for the open block; encoded once per block. */
  let deltaHead: { index: number; text: string; frame?: LiteralFrame } | undefined;
  const deltaHeadOf = (kind: "text" | "thinking") => {
    if (deltaHead?.index !== blockIndex) {
      const delta = kind === "text" ? `{"type":"text_delta","text":` : `{"type":"thinking_delta","thinking":`;
      deltaHead = {
        index: blockIndex,
        text: `event: content_block_delta\ndata: {"type":"content_block_delta","index":${blockIndex},"delta":${delta}`,
      };
    }
    return deltaHead;
  };

  /** `literal` is a JSON string literal, quotes included: upstream text is never re-escaped. */
  const appendDelta = (kind: "text" | "thinking", literal: string) => {
    if (open !== kind) openBlock(kind);
    out.write(`${deltaHeadOf(kind).text}${literal}${DELTA_TAIL}`);
  };

  /** Text deltas whose literals pass through as the upstream's bytes. */
  const appendTextBytes = ({ bytes, bounds }: ContentLiterals) => {
    if (open !== "text") openBlock("text");
    const head = deltaHeadOf("text");
    head.frame ??= { head: utf8.encode(head.text), middle: NO_BYTES, tail: DELTA_TAIL_BYTES };
    if (options.coalesceDeltas) out.passJoinedLiteralFrame(bytes, bounds, head.frame);
    else out.passLiteralFrames(bytes, bounds, head.frame);
  };

  const finishBlocks = () => {
    closeOpenBlock();
    if (toolCalls.size === 0) return;
    sawToolCalls = true;
    for (const call of toolCalls.drain()) {
      blockIndex += 1;
      const block = {
        type: "tool_use",
        id: sanitizeToolId(call.id),
        name: options.toolNames.toClient(call.name),
        input: {},
      };
      out.write(
        frame(
          "content_block_start",
          `{"type":"content_block_start","index":${blockIndex},"content_block":${JSON.stringify(block)}}`,
        ),
      );
      const delta = { type: "input_json_delta", partial_json: parseToolArguments(call.args).json };
      out.write(
        frame(
          "content_block_delta",
          `{"type":"content_block_delta","index":${blockIndex},"delta":${JSON.stringify(delta)}}`,
        ),
      );
      out.write(frame("content_block_stop", `{"type":"content_block_stop","index":${blockIndex}}`));
    }
  };

  const end = (error?: string) => {
    if (ended) return;
    ended = true;
    const mappedUsage = mapUsage(usage);
    if (error !== undefined) {
      closeOpenBlock();
      out.write(
        frame("error", JSON.stringify({ type: "error", error: { type: "api_error", message: error } })),
      );
      options.onEnd?.({ stopReason: null, usage: mappedUsage, error });
      return;
    }
    finishBlocks();
    if (blockIndex === -1) {
      // Anthropic never returns an empty message; an empty text block keeps clients happy.
      openBlock("text");
      closeOpenBlock();
    }
    const stop = mapStopReason(finishReason, sawToolCalls, matchedStop);
    const messageDelta = {
      type: "message_delta",
      delta: { stop_reason: stop.stopReason, stop_sequence: stop.stopSequence },
      usage: mappedUsage,
    };
    out.write(frame("message_delta", JSON.stringify(messageDelta)));
    out.write(frame("message_stop", `{"type":"message_stop"}`));
    options.onEnd?.({ stopReason: stop.stopReason, usage: mappedUsage });
  };

  /** Returns an error message to end with, "" to end normally, or undefined to go on. */
  const handleChunk = (chunk: ChatChunk): string | undefined => {
    if (chunk.error) return chunk.error.message ?? "upstream reported an error";
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return sawFinish && chunk.usage ? "" : undefined;
    const delta = choice.delta;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) appendDelta("thinking", JSON.stringify(reasoning));
      if (delta.content) appendDelta("text", JSON.stringify(delta.content));
      if (delta.refusal) appendDelta("text", JSON.stringify(delta.refusal));
      if (delta.tool_calls && delta.tool_calls.length > 0) toolCalls.add(delta.tool_calls);
    }
    if (choice.finish_reason) {
      if (choice.finish_reason === "error") return "the upstream model stopped with an error";
      finishReason = choice.finish_reason;
      matchedStop = choice.stop_reason;
      sawFinish = true;
      finishBlocks();
      if (chunk.usage) return "";
    }
    return undefined;
  };

  return {
    get ended() {
      return ended;
    },
    takesContentLiterals: true,
    start() {
      const start = {
        type: "message_start",
        message: {
          id: options.messageId,
          type: "message",
          role: "assistant",
          model: options.clientModel,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 0,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      };
      return frame("message_start", JSON.stringify(start)) + PING_FRAME;
    },
    push(events) {
      dispatchChatEvents<ChatChunk>(events, {
        ended: () => ended,
        end,
        text: (literal) => appendDelta("text", literal),
        texts: appendTextBytes,
        chunk: handleChunk,
      });
      return out.take();
    },
    finish() {
      end();
      return out.takeText();
    },
    cancel() {
      if (ended) return;
      ended = true;
      options.onEnd?.({ stopReason: null, usage: mapUsage(usage), error: "client closed the stream" });
    },
  };
}

function frame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
