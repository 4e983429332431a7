/**
 * The streaming state machine: Chat Completions chunks → Anthropic Messages SSE.
 *
 * - `message_start` goes out at once, and a `ping` whenever the upstream is silent for a
 *   ping interval (Claude Code drops idle streams).
 * - Reasoning becomes a thinking block; it never receives a text_delta.
 * - Tool-call fragments are accumulated by index and each call is emitted as one complete
 *   block when the upstream finishes: interleaved and parallel calls cannot corrupt each
 *   other, and broken JSON can be repaired before the client parses it.
 * - `message_delta` waits for the usage-only chunk, `[DONE]` or EOF; open blocks are closed
 *   even if no `finish_reason` ever came.
 * Each event is parsed once and serialised once; one batch in gives one write out.
 */
import type { StopReason, Usage } from "../../protocol/anthropic.js";
import type { ChatChunk, ChatUsage } from "../../protocol/openai-chat.js";
import { mapStopReason } from "../translate/map-stop-reason.js";
import { mapUsage } from "../translate/map-usage.js";
import { parseToolArguments } from "../translate/repair-tool-arguments.js";
import { UNSIGNED_THINKING_SIGNATURE } from "../translate/thinking-signature.js";
import { sanitizeToolId } from "../translate/tool-ids.js";
import type { ToolNameMap } from "../translate/tool-names.js";
import { type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";
import { ToolCallAccumulator } from "./tool-call-accumulator.js";

export interface StreamSummary {
  stopReason: StopReason | null;
  usage: Usage;
  error?: string;
}

export interface ChatToAnthropicOptions {
  messageId: string;
  /** The model name the client asked for, echoed back as Anthropic does. */
  clientModel: string;
  toolNames: ToolNameMap;
  /** Milliseconds of upstream silence before a `ping`; 0 disables pings. */
  pingIntervalMs: number;
  /** Called once when the stream ends, however it ends. */
  onEnd?: (summary: StreamSummary) => void;
  /** Aborted when the client goes away; stops the ping timer at once. */
  signal?: AbortSignal;
}

type OpenBlock = "none" | "text" | "thinking";

const encoder = new TextEncoder();
const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

export function createChatToAnthropicStream(
  options: ChatToAnthropicOptions,
): TransformStream<SseEvent[], Uint8Array> {
  let out = "";
  let blockIndex = -1;
  let open: OpenBlock = "none";
  const toolCalls = new ToolCallAccumulator();
  let finishReason: string | null | undefined;
  let matchedStop: string | number | null | undefined;
  let usage: ChatUsage | null | undefined;
  let sawFinish = false;
  let sawToolCalls = false;
  let ended = false;
  let wroteSinceTick = true;
  let timer: ReturnType<typeof setInterval> | undefined;

  const closeOpenBlock = () => {
    if (open === "none") return;
    if (open === "thinking") {
      out += frame(
        "content_block_delta",
        `{"type":"content_block_delta","index":${blockIndex},"delta":{"type":"signature_delta","signature":"${UNSIGNED_THINKING_SIGNATURE}"}}`,
      );
    }
    out += frame("content_block_stop", `{"type":"content_block_stop","index":${blockIndex}}`);
    open = "none";
  };

  const openBlock = (kind: "text" | "thinking") => {
    closeOpenBlock();
    blockIndex += 1;
    open = kind;
    const block = kind === "text" ? `{"type":"text","text":""}` : `{"type":"thinking","thinking":""}`;
    out += frame(
      "content_block_start",
      `{"type":"content_block_start","index":${blockIndex},"content_block":${block}}`,
    );
  };

  const appendDelta = (kind: "text" | "thinking", text: string) => {
    if (open !== kind) openBlock(kind);
    const delta = kind === "text" ? `{"type":"text_delta","text":` : `{"type":"thinking_delta","thinking":`;
    out += frame(
      "content_block_delta",
      `{"type":"content_block_delta","index":${blockIndex},"delta":${delta}${JSON.stringify(text)}}}`,
    );
  };

  const emitToolCalls = () => {
    closeOpenBlock();
    for (const call of toolCalls.drain()) {
      blockIndex += 1;
      const name = options.toolNames.toClient(call.name);
      const start = {
        type: "content_block_start",
        index: blockIndex,
        content_block: { type: "tool_use", id: sanitizeToolId(call.id), name, input: {} },
      };
      out += frame("content_block_start", JSON.stringify(start));
      const { json } = parseToolArguments(call.args);
      const delta = {
        type: "content_block_delta",
        index: blockIndex,
        delta: { type: "input_json_delta", partial_json: json },
      };
      out += frame("content_block_delta", JSON.stringify(delta));
      out += frame("content_block_stop", `{"type":"content_block_stop","index":${blockIndex}}`);
    }
  };

  const finishBlocks = () => {
    if (toolCalls.size > 0) {
      sawToolCalls = true;
      emitToolCalls();
    } else closeOpenBlock();
  };

  const end = (controller: TransformStreamDefaultController<Uint8Array>, error?: string) => {
    if (ended) return;
    ended = true;
    stopPings();
    const mappedUsage = mapUsage(usage);
    if (error !== undefined) {
      closeOpenBlock();
      out += frame("error", JSON.stringify({ type: "error", error: { type: "api_error", message: error } }));
      options.onEnd?.({ stopReason: null, usage: mappedUsage, error });
    } else {
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
      out += frame("message_delta", JSON.stringify(messageDelta));
      out += frame("message_stop", `{"type":"message_stop"}`);
      options.onEnd?.({ stopReason: stop.stopReason, usage: mappedUsage });
    }
    flushOut(controller);
  };

  const flushOut = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (out === "") return;
    controller.enqueue(encoder.encode(out));
    out = "";
    wroteSinceTick = true;
  };

  const stopPings = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  const handleChunk = (chunk: ChatChunk): string | undefined => {
    if (chunk.error) return chunk.error.message ?? "upstream reported an error";
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) {
      // The usage-only chunk: everything the message_delta needs is now known.
      return sawFinish && chunk.usage ? "" : undefined;
    }
    const delta = choice.delta;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) appendDelta("thinking", reasoning);
      if (delta.content) appendDelta("text", delta.content);
      if (delta.refusal) appendDelta("text", delta.refusal);
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

  // `cancel` is in the Streams spec and Node 20, but not yet in TypeScript's DOM types.
  const transformer: Transformer<SseEvent[], Uint8Array> & { cancel(reason: unknown): void } = {
    start(controller) {
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
      out = frame("message_start", JSON.stringify(start)) + PING;
      flushOut(controller);
      options.signal?.addEventListener("abort", stopPings, { once: true });
      if (options.pingIntervalMs > 0) {
        timer = setInterval(() => {
          if (wroteSinceTick) {
            wroteSinceTick = false;
            return;
          }
          try {
            controller.enqueue(encoder.encode(PING));
          } catch {
            stopPings(); // The stream is already closed or cancelled.
          }
        }, options.pingIntervalMs);
      }
    },
    transform(events, controller) {
      if (ended) return;
      for (const event of events) {
        let outcome: string | undefined;
        if (event.event === UPSTREAM_FAILURE_EVENT) {
          outcome = `upstream connection failed mid-stream: ${event.data}`;
          end(controller, outcome);
          return;
        }
        if (event.data === "[DONE]") {
          end(controller);
          return;
        }
        let chunk: ChatChunk;
        try {
          chunk = JSON.parse(event.data) as ChatChunk;
        } catch {
          end(controller, `upstream sent a malformed stream event: ${event.data.slice(0, 200)}`);
          return;
        }
        outcome = handleChunk(chunk);
        if (outcome !== undefined) {
          end(controller, outcome === "" ? undefined : outcome);
          return;
        }
      }
      flushOut(controller);
    },
    flush(controller) {
      end(controller);
    },
    cancel() {
      // The client went away: nothing more can be sent, but the request still gets its log line.
      if (ended) return;
      ended = true;
      stopPings();
      options.onEnd?.({ stopReason: null, usage: mapUsage(usage), error: "client closed the stream" });
    },
  };
  return new TransformStream<SseEvent[], Uint8Array>(transformer);
}

function frame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
