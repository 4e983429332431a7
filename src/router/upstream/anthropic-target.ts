/**
 * An `anthropic` provider: a pass-through for backends with a native Messages endpoint
 * (Anthropic, OpenRouter, Ollama 0.31+, Moonshot, DeepSeek). Betas the backend does not
 * know are stripped, with the body fields that depend on them, and thinking blocks that
 * grove minted itself (unsigned) are dropped, since a real Anthropic backend rejects them.
 */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ProviderConfig } from "../config/config-schema.js";
import type { Target } from "../config/select-route.js";
import { UNSIGNED_THINKING_SIGNATURE } from "../translate/thinking-signature.js";

type AnthropicProvider = Extract<ProviderConfig, { type: "anthropic" }>;

export function prepareAnthropicRequest(
  target: Target & { provider: AnthropicProvider },
  request: MessagesRequest,
  clientHeaders: Headers,
  clientKey: string | undefined,
): { url: string; init: RequestInit; prepared: undefined } {
  const allowed = new Set(target.provider.betas ?? []);
  const betas = (clientHeaders.get("anthropic-beta") ?? "")
    .split(",")
    .map((beta) => beta.trim())
    .filter((beta) => beta && allowed.has(beta));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "anthropic-version": clientHeaders.get("anthropic-version") ?? "2023-06-01",
    ...target.provider.headers,
  };
  if (betas.length > 0) headers["anthropic-beta"] = betas.join(",");
  const key = target.provider.apiKey ?? clientKey;
  if (key) headers["x-api-key"] = key;

  const body: Record<string, unknown> = {
    ...request,
    model: target.model,
    messages: stripUnsignedThinking(request),
  };
  if (![...allowed].some((beta) => beta.startsWith("context-management"))) delete body.context_management;
  return {
    url: `${target.provider.baseUrl}/v1/messages`,
    init: { method: "POST", headers, body: JSON.stringify(body) },
    prepared: undefined,
  };
}

function stripUnsignedThinking(request: MessagesRequest): MessagesRequest["messages"] {
  return request.messages.map((message) => {
    if (message.role !== "assistant" || typeof message.content === "string") return message;
    const content = message.content.filter(
      (block) =>
        block.type !== "thinking" ||
        (block as { signature?: string }).signature !== UNSIGNED_THINKING_SIGNATURE,
    );
    return content.length === message.content.length ? message : { ...message, content };
  });
}

/** The backend already speaks Anthropic: its body streams through untouched. */
export function passThroughResponse(upstream: Response): Response {
  const headers = new Headers();
  for (const name of [
    "content-type",
    "cache-control",
    "request-id",
    "anthropic-ratelimit-requests-remaining",
  ]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  // A stream goes out as it comes (see SSE_STREAM_HEADERS).
  if (upstream.body && headers.get("content-type")?.includes("text/event-stream")) {
    headers.set("transfer-encoding", "chunked");
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
