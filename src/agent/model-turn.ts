/**
 * One model turn: send the request, stream the reply, emit text as it arrives, and assemble
 * the final assistant message from the raw Anthropic stream events.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { AgentEventBody } from "../protocol/agent-events.js";

export type MessageParam = Anthropic.MessageParam;
/** Assistant content as it goes back into the history. */
export type ContentBlock =
  | Anthropic.TextBlockParam
  | Anthropic.ThinkingBlockParam
  | Anthropic.ToolUseBlockParam;
export type StreamEvent = Anthropic.RawMessageStreamEvent;
export type TurnRequest = Anthropic.MessageCreateParamsStreaming;

/** How the loop talks to a model: any function that streams raw Anthropic events. */
export type ModelStream = (request: TurnRequest, signal: AbortSignal) => AsyncIterable<StreamEvent>;

export interface TurnResult {
  content: ContentBlock[];
  stopReason: string | null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
  };
}

type Building =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; json: string }
  | { type: "other" };

export async function runModelTurn(
  stream: ModelStream,
  request: TurnRequest,
  signal: AbortSignal,
  emit: (event: AgentEventBody) => void,
): Promise<TurnResult> {
  const blocks: Building[] = [];
  let stopReason: string | null = null;
  const usage = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  };
  for await (const event of stream(request, signal)) {
    switch (event.type) {
      case "message_start":
        Object.assign(usage, definedOnly(pickUsage(event.message.usage)));
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "text") blocks[event.index] = { type: "text", text: block.text };
        else if (block.type === "thinking")
          blocks[event.index] = { type: "thinking", thinking: block.thinking, signature: block.signature };
        else if (block.type === "tool_use")
          blocks[event.index] = { type: "tool_use", id: block.id, name: block.name, json: "" };
        else blocks[event.index] = { type: "other" }; // Server-side blocks: nothing for this agent to keep.
        break;
      }
      case "content_block_delta": {
        const block = blocks[event.index];
        const delta = event.delta;
        if (block?.type === "text" && delta.type === "text_delta") {
          block.text += delta.text;
          emit({ type: "text_delta", text: delta.text });
        } else if (block?.type === "thinking" && delta.type === "thinking_delta")
          block.thinking += delta.thinking;
        else if (block?.type === "thinking" && delta.type === "signature_delta")
          block.signature = delta.signature;
        else if (block?.type === "tool_use" && delta.type === "input_json_delta")
          block.json += delta.partial_json;
        break;
      }
      case "content_block_stop": {
        const block = blocks[event.index];
        if (block?.type === "thinking" && block.thinking) emit({ type: "thinking", text: block.thinking });
        break;
      }
      case "message_delta":
        stopReason = event.delta.stop_reason;
        Object.assign(usage, definedOnly(pickUsage(event.usage)));
        break;
      default:
        break;
    }
  }
  const content = blocks.flatMap((block) =>
    block === undefined || block.type === "other" ? [] : [finishBlock(block)],
  );
  const text = content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
  if (text) emit({ type: "message", role: "assistant", text });
  return { content, stopReason, usage };
}

function finishBlock(block: Exclude<Building, { type: "other" }>): ContentBlock {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: parseInput(block.json) };
  }
}

/** The router repairs arguments already; anything still broken goes to the tool as-is to fail there. */
function parseInput(json: string): unknown {
  if (json.trim() === "") return {};
  try {
    return JSON.parse(json);
  } catch {
    return { _raw_arguments: json };
  }
}

function pickUsage(source: object | null | undefined) {
  const usage = source as Record<string, unknown> | null | undefined;
  const number = (value: unknown) => (typeof value === "number" ? value : undefined);
  return {
    input_tokens: number(usage?.input_tokens),
    output_tokens: number(usage?.output_tokens),
    cache_read_input_tokens: number(usage?.cache_read_input_tokens),
    cache_creation_input_tokens: number(usage?.cache_creation_input_tokens),
  };
}

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
