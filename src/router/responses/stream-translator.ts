/**
 * The streaming state machine, Chat Completions chunks → Responses API events, as a pure
 * object: events in, SSE text out (the shared translating stream owns bytes and timers).
 *
 * - `response.created` and `response.in_progress` go out at once.
 * - Reasoning (`reasoning_content` / `reasoning`) becomes a reasoning item with one
 *   `reasoning_text` part; text becomes a message item with one `output_text` part. Each item
 *   is opened with `output_item.added` + `content_part.added` and closed with the `.done`
 *   events when the other kind starts or the model finishes.
 * - Tool-call fragments are accumulated and each call is emitted whole when the upstream
 *   finishes, with its arguments repaired: a `function_call` item, or a `custom_tool_call`
 *   item with the raw input for a custom tool.
 * - `response.completed` (or `response.incomplete` when the output was cut short) carries the
 *   whole response with usage; any failure ends the stream with `response.failed`.
 * Every event carries an increasing `sequence_number`; `output_index` is the item's position.
 */
import type { ChatChunk, ChatChunkChoice, ChatDelta, ChatUsage } from "../../protocol/openai-chat.js";
import { type ChatEventHandlers, dispatchChatEvents } from "../stream/dispatch-chat-events.js";
import { ToolCallAccumulator } from "../stream/tool-call-accumulator.js";
import type { StreamTranslator } from "../stream/translating-stream.js";
import { parseToolArguments } from "../translate/repair-tool-arguments.js";
import { customToolInput } from "./custom-tools.js";
import { ResponsesEventWriter } from "./event-writer.js";
import { toolCallItem } from "./output-items.js";
import {
  newItemId,
  type OutputItem,
  type ResponseObject,
  type ResponseStatus,
  type ResponsesUsage,
  responseCallId,
  responsesUsage,
} from "./response-object.js";
import type { ClientTool } from "./tool-table.js";

/** A chat delta, plus what an Anthropic backend adds to reasoning (see anthropic/anthropic-to-chunks.ts). */
export interface SourceDelta extends ChatDelta {
  reasoning_signature?: string;
  /** A whole redacted thinking block: a reasoning item of its own. */
  reasoning_redacted?: string;
  /** The current reasoning item is complete (the next reasoning starts a new one). */
  reasoning_done?: boolean;
}

export interface SourceChunk extends Omit<ChatChunk, "choices"> {
  choices?: (Omit<ChatChunkChoice, "delta"> & { delta?: SourceDelta })[];
}

export interface ResponsesSummary {
  status: ResponseStatus | "cancelled";
  usage: ResponsesUsage;
  error?: string;
}

export interface ResponsesTranslatorOptions {
  responseId: string;
  /** Unix seconds. */
  createdAt: number;
  /** The model name the client asked for, echoed back. */
  clientModel: string;
  tools: { fromUpstream(upstreamName: string): ClientTool };
  /** Request fields the response object repeats. */
  echo?: Record<string, unknown>;
  /** Called once when the stream ends, however it ends. */
  onEnd?: (summary: ResponsesSummary) => void;
  /** Plain text deltas that came in one upstream read go out as one delta. */
  coalesceDeltas?: boolean;
}

export interface ResponsesTranslator extends StreamTranslator {
  /** Chunks already parsed (an Anthropic backend's, or a non-streaming reply's). */
  pushChunks(chunks: readonly SourceChunk[]): string;
  /** The response object as it stands: final once the translator has ended. */
  response(): ResponseObject;
}

/** What a keep-alive looks like on a Responses stream: an SSE comment, which clients skip. */
export const RESPONSES_PING_FRAME = ": ping\n\n";

export function createResponsesTranslator(options: ResponsesTranslatorOptions): ResponsesTranslator {
  const writer = new ResponsesEventWriter(options.coalesceDeltas === true);
  const { output } = writer;
  const toolCalls = new ToolCallAccumulator();
  let finishReason: string | null | undefined;
  let usage: ChatUsage | null | undefined;
  let sawFinish = false;
  let ended = false;
  let status: ResponseStatus = "in_progress";
  let error: ResponseObject["error"] = null;

  // No fields added after a spread here, for speed: see output-items.ts.
  /** The response object as it stands, with `items` as its output. */
  const snapshot = (items: OutputItem[] = output): ResponseObject =>
    Object.assign(
      {
        id: options.responseId,
        object: "response" as const,
        created_at: options.createdAt,
        status,
        model: options.clientModel,
        output: items,
      },
      options.echo,
      {
        error,
        incomplete_details:
          status === "incomplete"
            ? { reason: finishReason === "content_filter" ? "content_filter" : "max_output_tokens" }
            : null,
        usage: status === "in_progress" ? null : responsesUsage(usage),
      },
    );

  const finishToolCalls = () => {
    writer.closePart();
    for (const call of toolCalls.drain()) {
      const tool = options.tools.fromUpstream(call.name);
      const index = output.length;
      const custom = tool.kind === "custom";
      const id = newItemId(custom ? "ctc" : "fc");
      const payload = custom ? customToolInput(call.args) : parseToolArguments(call.args).json;
      const callId = responseCallId(call.id);
      const item = (status: "in_progress" | "completed", value: string) =>
        toolCallItem(tool, id, callId, status, value);
      const done = item("completed", payload);
      output.push(done);
      writer.emit("response.output_item.added", { output_index: index, item: item("in_progress", "") });
      // A custom tool's call streams its raw input, a function's its arguments.
      const [events, doneField] = custom
        ? ["response.custom_tool_call_input", "input"]
        : ["response.function_call_arguments", "arguments"];
      writer.emit(`${events}.delta`, { item_id: id, output_index: index, delta: payload });
      writer.emit(`${events}.done`, { item_id: id, output_index: index, [doneField]: payload });
      writer.emit("response.output_item.done", { output_index: index, item: done });
    }
  };

  const end = (failure?: string) => {
    if (ended) return;
    ended = true;
    if (failure !== undefined) {
      status = "failed";
      error = { code: "server_error", message: failure };
      writer.emitResponse("response.failed", snapshot);
      options.onEnd?.({ status, usage: responsesUsage(usage), error: failure });
      return;
    }
    finishToolCalls();
    status = finishReason === "length" || finishReason === "content_filter" ? "incomplete" : "completed";
    writer.emitResponse(status === "completed" ? "response.completed" : "response.incomplete", snapshot);
    options.onEnd?.({ status, usage: responsesUsage(usage) });
  };

  /** Returns an error message to end with, "" to end normally, or undefined to go on. */
  const handleChunk = (chunk: SourceChunk): string | undefined => {
    if (chunk.error) return chunk.error.message ?? "upstream reported an error";
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return sawFinish && chunk.usage ? "" : undefined;
    const delta = choice.delta;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) writer.appendDelta("reasoning", JSON.stringify(reasoning));
      if (delta.reasoning_signature) writer.reasoningSignature(delta.reasoning_signature);
      if (delta.reasoning_redacted) writer.redactedReasoning(delta.reasoning_redacted);
      if (delta.reasoning_done && writer.openKind() === "reasoning") writer.closePart();
      if (delta.content) writer.appendDelta("message", JSON.stringify(delta.content));
      if (delta.refusal) writer.appendDelta("message", JSON.stringify(delta.refusal));
      if (delta.tool_calls && delta.tool_calls.length > 0) {
        writer.closePart();
        toolCalls.add(delta.tool_calls);
      }
    }
    if (choice.finish_reason) {
      if (choice.finish_reason === "error") return "the upstream model stopped with an error";
      finishReason = choice.finish_reason;
      sawFinish = true;
      // The items are complete: close them now, not when the usage chunk comes.
      finishToolCalls();
      if (chunk.usage) return "";
    }
    return undefined;
  };

  /** What a batch of upstream events is handed to: made once, not per upstream read. */
  const handlers: ChatEventHandlers<SourceChunk> = {
    ended: () => ended,
    end,
    text: (literal) => writer.appendDelta("message", literal),
    texts: (literals) => writer.appendTextBytes(literals),
    chunk: handleChunk,
  };

  return {
    get ended() {
      return ended;
    },
    takesContentLiterals: true,
    start() {
      writer.emit("response.created", { response: snapshot() });
      writer.emit("response.in_progress", { response: snapshot() });
      return writer.takeText();
    },
    push(events) {
      dispatchChatEvents(events, handlers);
      return writer.take();
    },
    pushChunks(chunks) {
      for (const chunk of chunks) {
        if (ended) break;
        const outcome = handleChunk(chunk);
        if (outcome !== undefined) end(outcome === "" ? undefined : outcome);
      }
      return writer.takeText();
    },
    finish() {
      end();
      return writer.take();
    },
    cancel() {
      if (ended) return;
      ended = true;
      options.onEnd?.({
        status: "cancelled",
        usage: responsesUsage(usage),
        error: "client closed the stream",
      });
    },
    response: snapshot,
  };
}
