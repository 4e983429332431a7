/** An `openai-chat` provider: request preparation and response translation. */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ChatCompletion, ChatRequest } from "../../protocol/openai-chat.js";
import { type CompatProfileName, detectCompatProfile, resolveCompat } from "../compat/compat-profiles.js";
import type { CompatRecord } from "../compat/compat-record.js";
import type { ProviderConfig } from "../config/config-schema.js";
import type { Target } from "../config/select-route.js";
import { RouterError } from "../errors.js";
import { type StreamSummary, translateChatStream } from "../stream/chat-to-anthropic-stream.js";
import { collectChatStream } from "../stream/collect-chat-stream.js";
import { messageToSse } from "../stream/message-to-sse.js";
import { type BuiltChatRequest, buildChatRequest } from "../translate/build-chat-request.js";
import { convertCompletion } from "../translate/convert-completion.js";

import { inProcessUrl } from "./in-process.js";

/** Providers that take Chat Completions requests: real backends, and in-process ones that act as one. */
export type ChatProvider = Extract<ProviderConfig, { type: "openai-chat" | "script" | "replay" }>;

export function compatFor(provider: ChatProvider, model: string): CompatRecord {
  if (provider.type !== "openai-chat") {
    return resolveCompat(
      (provider.compat as CompatProfileName | undefined) ?? "generic",
      model,
      provider.compatOverrides,
    );
  }
  const profile = (provider.compat as CompatProfileName | undefined) ?? detectCompatProfile(provider.baseUrl);
  return resolveCompat(profile, model, { ...provider.compatOverrides, ...provider.modelCompat?.[model] });
}

export function prepareChatRequest(
  target: Target & { provider: ChatProvider },
  request: MessagesRequest,
  clientKey: string | undefined,
): { url: string; init: RequestInit; prepared: BuiltChatRequest } {
  const compat = compatFor(target.provider, target.model);
  const built = buildChatRequest(request, target.model, compat);
  return { ...chatEndpoint(target, compat, built.body, clientKey), prepared: built };
}

/** Where and how a Chat Completions body is sent: the provider's URL, headers and key. */
export function chatEndpoint(
  target: Target & { provider: ChatProvider },
  compat: CompatRecord,
  body: ChatRequest,
  clientKey: string | undefined,
): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: body.stream ? "text/event-stream" : "application/json",
    ...compat.headers,
  };
  const provider = target.provider;
  if (provider.type !== "openai-chat") {
    return {
      url: inProcessUrl(target.providerName),
      init: { method: "POST", headers, body: JSON.stringify(body) },
    };
  }
  Object.assign(headers, provider.headers);
  const key = provider.apiKey ?? clientKey;
  if (key) headers.authorization = `Bearer ${key}`;
  return {
    url: `${provider.baseUrl}/chat/completions`,
    init: { method: "POST", headers, body: JSON.stringify(body) },
  };
}

export interface ChatResponseContext {
  messageId: string;
  clientModel: string;
  stream: boolean;
  pingIntervalMs: number;
  /** Plain text deltas that came in one upstream read go out as one delta. */
  coalesceDeltas: boolean;
  signal: AbortSignal;
  onEnd(summary: StreamSummary): void;
}

export async function translateChatResponse(
  upstream: Response,
  built: BuiltChatRequest,
  context: ChatResponseContext,
): Promise<Response> {
  const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  const options = {
    messageId: context.messageId,
    clientModel: context.clientModel,
    toolNames: built.toolNames,
  };
  if (context.stream && isSse && upstream.body) {
    const body = translateChatStream(upstream.body, {
      ...options,
      pingIntervalMs: context.pingIntervalMs,
      coalesceDeltas: context.coalesceDeltas,
      signal: context.signal,
      onEnd: context.onEnd,
    });
    return new Response(body, { status: 200, headers: SSE_STREAM_HEADERS });
  }
  const completion: ChatCompletion =
    isSse && upstream.body ? await collectChatStream(upstream.body) : await readJson(upstream);
  const message = convertCompletion(completion, options);
  if ("error" in message) throw new RouterError(500, `upstream error: ${message.error}`);
  context.onEnd({ stopReason: message.stop_reason, usage: message.usage });
  if (context.stream) return new Response(messageToSse(message), { status: 200, headers: SSE_HEADERS });
  return Response.json(message);
}

/** A backend's JSON reply; anything else is a 529, since another try may well succeed. */
export async function readJson(response: Response): Promise<ChatCompletion> {
  const text = await response.text();
  try {
    return JSON.parse(text) as ChatCompletion;
  } catch {
    throw new RouterError(529, `upstream sent a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

/**
 * For an SSE body that streams, as Hono's own streamSSE sets them: without
 * `transfer-encoding: chunked`, @hono/node-server reads ahead (and waits a timer tick) to size
 * the body before it sends the headers, which holds back the stream's first bytes.
 */
export const SSE_STREAM_HEADERS = { ...SSE_HEADERS, "transfer-encoding": "chunked" };
