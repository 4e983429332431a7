/**
 * An Anthropic backend's reply → the chunks the Responses translator takes, so Claude's
 * answers go through the same item, id and usage logic as a chat model's. Thinking becomes
 * reasoning, with the block's signature (or redacted data) alongside so it can be replayed;
 * `tool_use` blocks become tool-call fragments; `message_delta` carries the stop reason and
 * usage.
 */
import type { MessagesResponse } from "../../../protocol/anthropic.js";
import type { ChatUsage } from "../../../protocol/openai-chat.js";
import { type SseEvent, UPSTREAM_FAILURE_EVENT } from "../../stream/sse-parse-stream.js";
import type { SourceChunk, SourceDelta } from "../stream-translator.js";

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

interface AnthropicBlock {
  type: string;
  text?: string;
  thinking?: string;
  signature?: string;
  data?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

interface AnthropicEvent {
  type: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: AnthropicBlock;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    signature?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
  error?: { message?: string };
}

export interface AnthropicChunker {
  convert(events: readonly SseEvent[]): SourceChunk[];
}

/** Stateful: block indexes map to tool-call indexes, and usage accumulates across events. */
export function createAnthropicChunker(): AnthropicChunker {
  const toolIndex = new Map<number, number>();
  const thinkingBlocks = new Set<number>();
  let usage: AnthropicUsage = {};
  return {
    convert(events) {
      const chunks: SourceChunk[] = [];
      for (const event of events) {
        if (event.event === UPSTREAM_FAILURE_EVENT) {
          chunks.push({ error: { message: `upstream connection failed mid-stream: ${event.data}` } });
          continue;
        }
        let parsed: AnthropicEvent;
        try {
          parsed = JSON.parse(event.data) as AnthropicEvent;
        } catch {
          chunks.push({
            error: { message: `upstream sent a malformed stream event: ${event.data.slice(0, 200)}` },
          });
          continue;
        }
        const chunk = convertEvent(parsed);
        if (chunk) chunks.push(chunk);
      }
      return chunks;
    },
  };

  function convertEvent(event: AnthropicEvent): SourceChunk | undefined {
    switch (event.type) {
      case "message_start":
        usage = { ...usage, ...withoutNulls(event.message?.usage) };
        return undefined;
      case "content_block_start": {
        const block = event.content_block;
        if (!block || event.index === undefined) return undefined;
        if (block.type === "tool_use") toolIndex.set(event.index, toolIndex.size);
        if (block.type === "thinking") thinkingBlocks.add(event.index);
        return blockChunk(block, toolIndex.get(event.index));
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (!delta) return undefined;
        switch (delta.type) {
          case "text_delta":
            return delta.text ? deltaChunk({ content: delta.text }) : undefined;
          case "thinking_delta":
            return delta.thinking ? deltaChunk({ reasoning_content: delta.thinking }) : undefined;
          case "signature_delta":
            return delta.signature ? deltaChunk({ reasoning_signature: delta.signature }) : undefined;
          case "input_json_delta": {
            const index = event.index === undefined ? undefined : toolIndex.get(event.index);
            if (index === undefined || !delta.partial_json) return undefined;
            return deltaChunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] });
          }
          default:
            return undefined;
        }
      }
      case "content_block_stop":
        // Each thinking block is its own reasoning item: its signature covers its text only.
        return event.index !== undefined && thinkingBlocks.has(event.index)
          ? deltaChunk({ reasoning_done: true })
          : undefined;
      case "message_delta":
        usage = { ...usage, ...withoutNulls(event.usage) };
        if (!event.delta?.stop_reason) return undefined;
        return {
          choices: [{ index: 0, delta: {}, finish_reason: finishReason(event.delta.stop_reason) }],
          usage: chatUsage(usage),
        };
      case "error":
        return { error: { message: event.error?.message ?? "the upstream reported an error" } };
      default:
        // message_stop, ping
        return undefined;
    }
  }
}

/** A whole (non-streaming) Anthropic message → the same chunks, one per content block, in order. */
export function messageChunks(message: MessagesResponse): SourceChunk[] {
  const chunks: SourceChunk[] = [];
  let tools = 0;
  for (const block of message.content as AnthropicBlock[]) {
    const chunk = blockChunk(block, block.type === "tool_use" ? tools++ : undefined);
    if (chunk) chunks.push(chunk);
    if (block.type === "thinking") {
      chunks.push(
        deltaChunk({
          ...(block.signature ? { reasoning_signature: block.signature } : {}),
          reasoning_done: true,
        }),
      );
    }
  }
  chunks.push({
    choices: [{ index: 0, delta: {}, finish_reason: finishReason(message.stop_reason) }],
    usage: chatUsage(message.usage as AnthropicUsage),
  });
  return chunks;
}

function blockChunk(block: AnthropicBlock, toolIndex: number | undefined): SourceChunk | undefined {
  switch (block.type) {
    case "text":
      return block.text ? deltaChunk({ content: block.text }) : undefined;
    case "thinking":
      return block.thinking ? deltaChunk({ reasoning_content: block.thinking }) : undefined;
    case "redacted_thinking":
      return block.data ? deltaChunk({ reasoning_redacted: block.data }) : undefined;
    case "tool_use": {
      // A streamed block starts with `input: {}` and sends its input as deltas; a whole one has it here.
      const input = block.input;
      const args =
        input && typeof input === "object" && Object.keys(input).length > 0 ? JSON.stringify(input) : "";
      return deltaChunk({
        tool_calls: [
          {
            index: toolIndex ?? 0,
            id: block.id,
            type: "function",
            function: { name: block.name ?? "", arguments: args },
          },
        ],
      });
    }
    default:
      // Server tools (web search, code execution) run at Anthropic; their blocks mean nothing here.
      return undefined;
  }
}

function deltaChunk(delta: SourceDelta): SourceChunk {
  return { choices: [{ index: 0, delta }] };
}

export function finishReason(stopReason: string | null | undefined): string {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/** Anthropic's input_tokens exclude cache reads and writes; a Responses client counts them in. */
function chatUsage(usage: AnthropicUsage | undefined): ChatUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const input = (usage?.input_tokens ?? 0) + cacheRead + cacheWrite;
  const output = usage?.output_tokens ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

function withoutNulls(usage: AnthropicUsage | undefined): AnthropicUsage {
  const out: AnthropicUsage = {};
  for (const [key, value] of Object.entries(usage ?? {})) {
    if (typeof value === "number") out[key as keyof AnthropicUsage] = value;
  }
  return out;
}
