/**
 * `POST /v1/responses`: the OpenAI Responses API on the same routes, providers, retries and
 * logging as `/v1/messages`. Chat providers get a Chat Completions request, `anthropic`
 * providers a Messages request; either reply is translated into Responses events.
 */

import { formatZodIssues } from "../config/resolve-config.js";
import type { Target } from "../config/select-route.js";
import { selectRoute } from "../config/select-route.js";
import { RouterError } from "../errors.js";
import { buildMessagesRequest } from "../responses/anthropic/build-messages-request.js";
import { prepareResponsesAnthropicRequest, translateAnthropicReply } from "../responses/anthropic-target.js";
import { prepareResponsesChatRequest, translateChatReply } from "../responses/chat-target.js";
import type { ResponsesReplyContext } from "../responses/reply.js";
import { type ResponsesRequest, responsesRequestSchema } from "../responses/request-schema.js";
import { echoedFields, newItemId } from "../responses/response-object.js";
import { routingView } from "../responses/routing-view.js";
import type { ResponsesSummary } from "../responses/stream-translator.js";
import type { ToolTable } from "../responses/tool-table.js";
import { fetchWithFallback } from "../upstream/fetch-with-fallback.js";
import type { MessagesContext } from "./messages.js";
import { readJsonBody } from "./read-body.js";

interface Prepared {
  api: "chat" | "anthropic";
  tools: ToolTable;
}

export async function handleResponses(request: Request, context: MessagesContext): Promise<Response> {
  const started = Date.now();
  const parsed = responsesRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new RouterError(400, formatZodIssues(parsed.error));
  const body: ResponsesRequest = parsed.data;
  if (body.previous_response_id) {
    throw new RouterError(
      400,
      "previous_response_id is not supported: the router stores no responses, so send the whole conversation in `input` (store: false)",
    );
  }
  const inputTokens = context.config.routes.longContext
    ? (await import("../tokens/count-tokens.js")).countRequestTokens(
        buildMessagesRequest(body, body.model).body,
      )
    : 0;
  const decision = selectRoute(context.config, routingView(body), () => inputTokens);
  const stream = body.stream === true;
  let ttfb = 0;
  const record = (target: string, status: number, summary?: ResponsesSummary, error?: string) =>
    context.onFinished?.({
      clientModel: body.model,
      target,
      stream,
      status,
      ttfbMs: ttfb,
      totalMs: Date.now() - started,
      inputTokens: summary?.usage.input_tokens,
      outputTokens: summary?.usage.output_tokens,
      error: error ?? summary?.error,
    });

  let attempt: Awaited<ReturnType<typeof fetchWithFallback<Prepared>>>;
  try {
    attempt = await fetchWithFallback<Prepared>({
      targets: decision.targets,
      retry: context.config.retry,
      signal: request.signal,
      fetch: context.fetch,
      logger: context.logger,
      prepare: (target: Target) => {
        if (target.provider.type === "anthropic") {
          const prepared = prepareResponsesAnthropicRequest(
            { ...target, provider: target.provider },
            body,
            request.headers,
            context.clientKey,
          );
          return { ...prepared, prepared: { api: "anthropic", tools: prepared.prepared.tools } };
        }
        const prepared = prepareResponsesChatRequest(
          { ...target, provider: target.provider },
          body,
          context.clientKey,
        );
        return { ...prepared, prepared: { api: "chat", tools: prepared.prepared.tools } };
      },
    });
  } catch (error) {
    const failed = error instanceof RouterError ? error : new RouterError(500, String(error));
    record(decision.targets.map(label).join(" | "), failed.status, undefined, failed.message);
    throw failed;
  }
  ttfb = Date.now() - started;
  const targetLabel = label(attempt.target);
  const { dropped } = attempt.prepared.tools;
  if (dropped.length > 0) {
    context.logger.info(
      `responses: dropped hosted tools ${dropped.join(", ")} (${targetLabel} cannot run them)`,
    );
  }
  const reply: ResponsesReplyContext = {
    translator: {
      responseId: newItemId("resp"),
      createdAt: Math.floor(started / 1000),
      clientModel: body.model,
      tools: attempt.prepared.tools,
      echo: echoedFields(body),
      coalesceDeltas: context.config.server.coalesceDeltas,
    },
    stream,
    pingIntervalMs: context.config.server.pingIntervalMs,
    signal: request.signal,
    onEnd: (summary) => record(targetLabel, 200, summary),
  };
  try {
    return attempt.prepared.api === "anthropic"
      ? await translateAnthropicReply(attempt.response, reply)
      : await translateChatReply(attempt.response, reply);
  } catch (error) {
    const failed = error instanceof RouterError ? error : new RouterError(500, String(error));
    record(targetLabel, failed.status, undefined, failed.message);
    throw failed;
  }
}

function label(target: Target): string {
  return `${target.providerName}/${target.model}`;
}
