/**
 * Turns a translated reply into the client's HTTP response: a live SSE stream, an SSE body
 * replayed from chunks (a backend that ignored `stream:true`), or one JSON response object.
 */
import { RouterError } from "../errors.js";
import { joinOutputs } from "../stream/sse-output.js";
import { pipeUpstream, type StreamTranslator } from "../stream/translating-stream.js";
import { SSE_HEADERS, SSE_STREAM_HEADERS } from "../upstream/chat-target.js";
import { convertChunks } from "./convert-completion.js";
import { responsesUsage } from "./response-object.js";
import {
  createResponsesTranslator,
  RESPONSES_PING_FRAME,
  type ResponsesSummary,
  type ResponsesTranslator,
  type ResponsesTranslatorOptions,
  type SourceChunk,
} from "./stream-translator.js";

export interface ResponsesReplyContext {
  translator: Omit<ResponsesTranslatorOptions, "onEnd">;
  stream: boolean;
  pingIntervalMs: number;
  signal: AbortSignal;
  onEnd(summary: ResponsesSummary): void;
}

/** A live upstream stream, translated as it arrives. `wrap` adapts a translator to a non-chat source. */
export function streamReply(
  body: ReadableStream<Uint8Array>,
  context: ResponsesReplyContext,
  wrap: (translator: ResponsesTranslator) => StreamTranslator = (translator) => translator,
): Response {
  const translator = createResponsesTranslator({ ...context.translator, onEnd: context.onEnd });
  const translated = pipeUpstream(body, wrap(translator), {
    pingIntervalMs: context.pingIntervalMs,
    pingFrame: RESPONSES_PING_FRAME,
    signal: context.signal,
  });
  return new Response(translated, { status: 200, headers: SSE_STREAM_HEADERS });
}

/** A whole reply, already in chunks: as SSE for a streaming client, else as one JSON object. */
export function chunksReply(chunks: readonly SourceChunk[], context: ResponsesReplyContext): Response {
  if (context.stream) {
    const translator = createResponsesTranslator({ ...context.translator, onEnd: context.onEnd });
    const body = joinOutputs([translator.start(), translator.pushChunks(chunks), translator.finish()]);
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  }
  const response = convertChunks(chunks, context.translator);
  if (response.status === "failed") {
    throw new RouterError(500, `upstream error: ${response.error?.message ?? "unknown"}`);
  }
  context.onEnd({ status: response.status, usage: response.usage ?? responsesUsage(undefined) });
  return Response.json(response);
}
