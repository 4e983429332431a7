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
import type { ContentLiterals } from "../stream/chat-sse-parser.js";
import { dispatchChatEvents } from "../stream/dispatch-chat-events.js";
import { LiteralBuffer } from "../stream/literal-buffer.js";
import { SseOutputBuffer } from "../stream/sse-output.js";
import { ToolCallAccumulator } from "../stream/tool-call-accumulator.js";
import type { StreamTranslator } from "../stream/translating-stream.js";
import { parseToolArguments } from "../translate/repair-tool-arguments.js";
import { customToolInput } from "./custom-tools.js";
import { type DeltaFrame, deltaFrame, frameBytes } from "./delta-frame.js";
import { closedPart, toolCallItem } from "./output-items.js";
import { encodeReasoning } from "./reasoning-carrier.js";
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

/**
 * `textMark(i)` stands for the i-th text of an event (see emitWithTexts). The other strings of
 * the events that hold them are grove's own (types, ids, encrypted_content), request fields the
 * response echoes, or an upstream's error message, so a mark is found only where it was put
 * unless one of those holds a NUL followed by "text": such an event is made the slow way.
 */
const textMark = (index: number) => `\u0000text${index}\u0000`;
const TEXT_MARKS = /"\\u0000text(\d+)\\u0000"/g;

/** What a keep-alive looks like on a Responses stream: an SSE comment, which clients skip. */
export const RESPONSES_PING_FRAME = ": ping\n\n";

interface OpenPart {
  kind: "message" | "reasoning";
  index: number;
  id: string;
  /** The deltas' JSON string literals: upstream text is never re-escaped. */
  literals: LiteralBuffer;
  signature?: string;
  redacted?: string;
  /** The constant parts of this part's delta frames, made on the first delta. */
  frame?: DeltaFrame;
}

export function createResponsesTranslator(options: ResponsesTranslatorOptions): ResponsesTranslator {
  const out = new SseOutputBuffer();
  let sequence = 0;
  const output: OutputItem[] = [];
  let open: OpenPart | undefined;
  const toolCalls = new ToolCallAccumulator();
  let finishReason: string | null | undefined;
  let usage: ChatUsage | null | undefined;
  let sawFinish = false;
  let ended = false;
  let status: ResponseStatus = "in_progress";
  let error: ResponseObject["error"] = null;

  const emit = (type: string, fields: Record<string, unknown>) => {
    const data = JSON.stringify({ type, sequence_number: sequence++, ...fields });
    out.write(`event: ${type}\ndata: ${data}\n\n`);
  };

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

  const openPart = (kind: OpenPart["kind"]) => {
    closePart();
    open = {
      kind,
      index: output.length,
      id: newItemId(kind === "message" ? "msg" : "rs"),
      literals: new LiteralBuffer(),
    };
    const item: OutputItem =
      kind === "message"
        ? { type: "message", id: open.id, status: "in_progress", role: "assistant", content: [] }
        : { type: "reasoning", id: open.id, status: "in_progress", summary: [], content: [] };
    output.push(item);
    emit("response.output_item.added", { output_index: open.index, item });
    emit("response.content_part.added", {
      item_id: open.id,
      output_index: open.index,
      content_index: 0,
      part:
        kind === "message"
          ? { type: "output_text", text: "", annotations: [] }
          : { type: "reasoning_text", text: "" },
    });
  };

  /** The open part of `kind`, with its delta frame. */
  const partFor = (kind: OpenPart["kind"]): OpenPart & { frame: DeltaFrame } => {
    if (open?.kind !== kind) openPart(kind);
    const part = open as OpenPart;
    part.frame ??= deltaFrame(kind, part.id, part.index);
    return part as OpenPart & { frame: DeltaFrame };
  };

  /** `literal` is a JSON string literal, quotes included. */
  const appendDelta = (kind: OpenPart["kind"], literal: string) => {
    const { frame, literals } = partFor(kind);
    literals.addText(literal.slice(1, -1));
    out.write(`${frame.head}${sequence++}${frame.middle}${literal}${frame.tail}`);
  };

  /** Text deltas whose literals pass through as the upstream's bytes. */
  const appendTextBytes = ({ bytes, bounds }: ContentLiterals) => {
    const { frame, literals } = partFor("message");
    if (options.coalesceDeltas) {
      out.passJoinedLiteralFrame(bytes, bounds, frameBytes(frame), sequence++);
      literals.addInside(out.lastJoinedInside());
      return;
    }
    literals.addLiterals(bytes, bounds);
    out.passLiteralFrames(bytes, bounds, frameBytes(frame), sequence);
    sequence += bounds.length >>> 1;
  };

  /**
   * `emit`, with `literals[i]` (a part's whole text as a JSON literal, escaped once) where the
   * fields hold `textMark(i)`: a long text is not escaped again for every event that repeats it.
   * `plain` is the same fields with the texts themselves, for the rare event where a mark does
   * not come out exactly once per text.
   */
  const emitWithTexts = (
    type: string,
    fields: Record<string, unknown>,
    literals: readonly string[],
    plain: () => Record<string, unknown>,
  ) => {
    const number = sequence++;
    let found = 0;
    const data = JSON.stringify({ type, sequence_number: number, ...fields }).replace(
      TEXT_MARKS,
      (_mark, index: string) => {
        found += 1;
        return literals[Number(index)] ?? "null";
      },
    );
    const exact = found === literals.length;
    const written = exact ? data : JSON.stringify({ type, sequence_number: number, ...plain() });
    out.write(`event: ${type}\ndata: ${written}\n\n`);
  };

  /** Closed parts' texts as JSON literals, by output index, with how to make their items. */
  const closedTexts = new Map<number, { literal: string; item(text: string): OutputItem }>();

  /** A `response.*` event whose response object holds every closed part's text. */
  const emitResponse = (type: string) => {
    const literals: string[] = [];
    const marked = output.map((item, index) => {
      const closed = closedTexts.get(index);
      if (!closed) return item;
      literals.push(closed.literal);
      return closed.item(textMark(literals.length - 1));
    });
    emitWithTexts(type, { response: snapshot(marked) }, literals, () => ({ response: snapshot() }));
  };

  const closePart = () => {
    if (!open) return;
    const part = open;
    open = undefined;
    const { text, literal } = part.literals.joined();
    const encrypted =
      part.kind === "reasoning"
        ? encodeReasoning(
            Object.assign(
              { text },
              part.signature ? { signature: part.signature } : undefined,
              part.redacted ? { redacted: part.redacted } : undefined,
            ),
          )
        : undefined;
    const closed = closedPart(part.kind, part.id, part.index, encrypted);
    // Each done event is made with a mark in place of the text, which goes in as `literal`.
    const TEXT = textMark(0);
    const emitWithText = (type: string, fields: (text: string) => Record<string, unknown>) =>
      emitWithTexts(type, fields(TEXT), [literal], () => fields(text));
    emitWithText(closed.textDoneType, closed.textDone);
    emitWithText("response.content_part.done", closed.partDone);
    output[part.index] = closed.item(text);
    closedTexts.set(part.index, { literal, item: closed.item });
    emitWithText("response.output_item.done", (text) => ({
      output_index: part.index,
      item: closed.item(text),
    }));
  };

  const finishToolCalls = () => {
    closePart();
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
      emit("response.output_item.added", { output_index: index, item: item("in_progress", "") });
      if (custom) {
        emit("response.custom_tool_call_input.delta", { item_id: id, output_index: index, delta: payload });
        emit("response.custom_tool_call_input.done", { item_id: id, output_index: index, input: payload });
      } else {
        emit("response.function_call_arguments.delta", { item_id: id, output_index: index, delta: payload });
        emit("response.function_call_arguments.done", {
          item_id: id,
          output_index: index,
          arguments: payload,
        });
      }
      emit("response.output_item.done", { output_index: index, item: done });
    }
  };

  const end = (failure?: string) => {
    if (ended) return;
    ended = true;
    if (failure !== undefined) {
      status = "failed";
      error = { code: "server_error", message: failure };
      emitResponse("response.failed");
      options.onEnd?.({ status, usage: responsesUsage(usage), error: failure });
      return;
    }
    finishToolCalls();
    status = finishReason === "length" || finishReason === "content_filter" ? "incomplete" : "completed";
    emitResponse(status === "completed" ? "response.completed" : "response.incomplete");
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
      if (reasoning) appendDelta("reasoning", JSON.stringify(reasoning));
      if (delta.reasoning_signature) {
        if (open?.kind !== "reasoning") openPart("reasoning");
        (open as OpenPart).signature = delta.reasoning_signature;
      }
      if (delta.reasoning_redacted) {
        openPart("reasoning");
        (open as OpenPart).redacted = delta.reasoning_redacted;
        closePart();
      }
      if (delta.reasoning_done && open?.kind === "reasoning") closePart();
      if (delta.content) appendDelta("message", JSON.stringify(delta.content));
      if (delta.refusal) appendDelta("message", JSON.stringify(delta.refusal));
      if (delta.tool_calls && delta.tool_calls.length > 0) {
        closePart();
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

  return {
    get ended() {
      return ended;
    },
    takesContentLiterals: true,
    start() {
      emit("response.created", { response: snapshot() });
      emit("response.in_progress", { response: snapshot() });
      return out.takeText();
    },
    push(events) {
      dispatchChatEvents<SourceChunk>(events, {
        ended: () => ended,
        end,
        text: (literal) => appendDelta("message", literal),
        texts: appendTextBytes,
        chunk: handleChunk,
      });
      return out.take();
    },
    pushChunks(chunks) {
      for (const chunk of chunks) {
        if (ended) break;
        const outcome = handleChunk(chunk);
        if (outcome !== undefined) end(outcome === "" ? undefined : outcome);
      }
      return out.takeText();
    },
    finish() {
      end();
      return out.takeText();
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
