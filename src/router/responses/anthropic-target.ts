/**
 * A Responses request to an `anthropic` provider: translated to the Messages API on the way
 * out, and Claude's reply translated into Responses items on the way back.
 */
import type { MessagesResponse } from "../../protocol/anthropic.js";
import type { ProviderConfig } from "../config/config-schema.js";
import type { Target } from "../config/select-route.js";
import { RouterError } from "../errors.js";
import { isSseEvent } from "../stream/chat-sse-parser.js";
import { readSseEvents } from "../stream/sse-parse-stream.js";
import type { StreamTranslator } from "../stream/translating-stream.js";
import { prepareAnthropicRequest } from "../upstream/anthropic-target.js";
import { createAnthropicChunker, messageChunks } from "./anthropic/anthropic-to-chunks.js";
import { buildMessagesRequest } from "./anthropic/build-messages-request.js";
import { chunksReply, type ResponsesReplyContext, streamReply } from "./reply.js";
import type { ResponsesRequest } from "./request-schema.js";
import type { SourceChunk } from "./stream-translator.js";
import type { ToolTable } from "./tool-table.js";

type AnthropicProvider = Extract<ProviderConfig, { type: "anthropic" }>;

export function prepareResponsesAnthropicRequest(
  target: Target & { provider: AnthropicProvider },
  request: ResponsesRequest,
  clientHeaders: Headers,
  clientKey: string | undefined,
): { url: string; init: RequestInit; prepared: { tools: ToolTable } } {
  const built = buildMessagesRequest(request, target.model);
  const { url, init } = prepareAnthropicRequest(target, built.body, clientHeaders, clientKey);
  return { url, init, prepared: { tools: built.tools } };
}

export async function translateAnthropicReply(
  upstream: Response,
  context: ResponsesReplyContext,
): Promise<Response> {
  const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  if (context.stream && isSse && upstream.body) {
    return streamReply(upstream.body, context, (translator): StreamTranslator => {
      const chunker = createAnthropicChunker();
      return {
        get ended() {
          return translator.ended;
        },
        start: () => translator.start(),
        // Not a Chat Completions stream: only parsed events come (no takesContentLiterals).
        push: (events) => translator.pushChunks(chunker.convert(events.filter(isSseEvent))),
        finish: () => translator.finish(),
        cancel: () => translator.cancel(),
      };
    });
  }
  const chunks =
    isSse && upstream.body ? await collectChunks(upstream.body) : messageChunks(await readMessage(upstream));
  return chunksReply(chunks, context);
}

async function collectChunks(body: ReadableStream<Uint8Array>): Promise<SourceChunk[]> {
  const chunker = createAnthropicChunker();
  const chunks: SourceChunk[] = [];
  const reader = readSseEvents(body).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(...chunker.convert(value));
  }
}

async function readMessage(response: Response): Promise<MessagesResponse> {
  const text = await response.text();
  try {
    const message = JSON.parse(text) as MessagesResponse;
    if (Array.isArray(message.content)) return message;
  } catch {
    // Reported below.
  }
  throw new RouterError(529, `upstream sent a body that is not an Anthropic message: ${text.slice(0, 200)}`);
}
