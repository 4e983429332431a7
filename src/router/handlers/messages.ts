/** `POST /v1/messages`: validate, route, call the chain of targets, translate the reply. */
import { type MessagesRequest, messagesRequestSchema } from "../../protocol/anthropic.js";
import type { RouterConfig } from "../config/config-schema.js";
import { formatZodIssues } from "../config/resolve-config.js";
import { selectRoute, type Target } from "../config/select-route.js";
import { RouterError } from "../errors.js";
import type { Logger } from "../log.js";
import type { StreamSummary } from "../stream/chat-to-anthropic-stream.js";
import type { BuiltChatRequest } from "../translate/build-chat-request.js";
import { newMessageId } from "../translate/tool-ids.js";
import { passThroughResponse, prepareAnthropicRequest } from "../upstream/anthropic-target.js";
import { prepareChatRequest, translateChatResponse } from "../upstream/chat-target.js";
import { fetchWithFallback } from "../upstream/fetch-with-fallback.js";
import { readJsonBody } from "./read-body.js";

export interface MessagesContext {
  config: RouterConfig;
  fetch: typeof fetch;
  logger: Logger;
  /** The client's own key, forwarded upstream when a provider has none of its own. */
  clientKey: string | undefined;
  /** Called once per request with what the request log line needs. */
  onFinished?: (record: RequestRecord) => void;
}

export interface RequestRecord {
  clientModel: string;
  target: string;
  stream: boolean;
  status: number;
  ttfbMs: number;
  totalMs: number;
  inputTokens?: number;
  outputTokens?: number;
  error?: string;
}

export async function handleMessages(request: Request, context: MessagesContext): Promise<Response> {
  const started = Date.now();
  const parsed = messagesRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new RouterError(400, formatZodIssues(parsed.error));
  const body: MessagesRequest = parsed.data;
  // The tokenizer's tables are large: load them only when a route needs a count.
  const inputTokens = context.config.routes.longContext
    ? (await import("../tokens/count-tokens.js")).countRequestTokens(body)
    : 0;
  const decision = selectRoute(context.config, body, () => inputTokens);
  const stream = body.stream === true;
  const record = (target: string, status: number, summary?: StreamSummary, error?: string) =>
    context.onFinished?.({
      clientModel: body.model,
      target,
      stream,
      status,
      ttfbMs: ttfb,
      totalMs: Date.now() - started,
      inputTokens: summary ? summary.usage.input_tokens + summary.usage.cache_read_input_tokens : undefined,
      outputTokens: summary?.usage.output_tokens,
      error: error ?? summary?.error,
    });
  let ttfb = 0;
  let attempt: Awaited<ReturnType<typeof fetchWithFallback<BuiltChatRequest | undefined>>>;
  try {
    attempt = await fetchWithFallback<BuiltChatRequest | undefined>({
      targets: decision.targets,
      retry: context.config.retry,
      signal: request.signal,
      fetch: context.fetch,
      logger: context.logger,
      prepare: (target: Target) =>
        target.provider.type === "anthropic"
          ? prepareAnthropicRequest(
              { ...target, provider: target.provider },
              body,
              request.headers,
              context.clientKey,
            )
          : prepareChatRequest({ ...target, provider: target.provider }, body, context.clientKey),
    });
  } catch (error) {
    const failed = error instanceof RouterError ? error : new RouterError(500, String(error));
    record(decision.targets.map(label).join(" | "), failed.status, undefined, failed.message);
    throw failed;
  }
  ttfb = Date.now() - started;
  const targetLabel = label(attempt.target);
  if (attempt.target.provider.type === "anthropic" || !attempt.prepared) {
    record(targetLabel, attempt.response.status);
    return passThroughResponse(attempt.response);
  }
  try {
    return await translateChatResponse(attempt.response, attempt.prepared, {
      messageId: newMessageId(),
      clientModel: body.model,
      stream,
      pingIntervalMs: context.config.server.pingIntervalMs,
      coalesceDeltas: context.config.server.coalesceDeltas,
      signal: request.signal,
      onEnd: (summary) => record(targetLabel, 200, summary),
    });
  } catch (error) {
    const failed = error instanceof RouterError ? error : new RouterError(500, String(error));
    record(targetLabel, failed.status, undefined, failed.message);
    throw failed;
  }
}

function label(target: Target): string {
  return `${target.providerName}/${target.model}`;
}
