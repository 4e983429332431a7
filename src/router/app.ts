/**
 * The router as a web-standard app: `app.fetch(Request) → Response`. It imports no Node
 * built-ins, so the same module serves Node (through @hono/node-server) and Workers.
 */
import { Hono } from "hono";
import { clientKeyFrom, matchesToken } from "./auth.js";
import { bodyLimit } from "./body-limit.js";
import type { RouterConfig } from "./config/config-schema.js";
import { anthropicErrorBody, errorResponse, RouterError } from "./errors.js";
import { handleCountTokens } from "./handlers/count-tokens.js";
import { handleMessages, type MessagesContext, type RequestRecord } from "./handlers/messages.js";
import { handleResponses } from "./handlers/responses.js";
import { type Logger, silentLogger } from "./log.js";
import type { Recorder } from "./record/exchange.js";
import { upstreamLabeler, withRecording } from "./record/recording-fetch.js";
import { openAiErrorBody, openAiErrorResponse } from "./responses/errors.js";
import { withInProcessUpstreams } from "./upstream/in-process.js";

export interface RouterAppOptions {
  config: RouterConfig;
  /** Injected so tests and Workers can supply their own; defaults to the global fetch. */
  fetch?: typeof fetch;
  logger?: Logger;
  /**
   * Extra observer for each finished request (the dashboard's router view, benchmarks). It also
   * gets the request, so a Worker can tie follow-up work to that request's `ctx.waitUntil`.
   */
  onRequest?: (record: RequestRecord, request: Request) => void;
  /** Receives every upstream exchange (`grove router --record`); nothing is recorded without one. */
  recorder?: Recorder;
}

export function createRouterApp(options: RouterAppOptions): Hono {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const upstreams = withInProcessUpstreams(config, options.fetch ?? ((input, init) => fetch(input, init)));
  const upstreamFetch = options.recorder
    ? withRecording(upstreams, options.recorder, upstreamLabeler(config), logger)
    : upstreams;
  const tokens = config.server.tokens;
  const app = new Hono();

  app.onError((error, c) => {
    // OpenAI clients get OpenAI's error shape, Anthropic clients Anthropic's.
    const respond = isResponsesPath(c.req.path) ? openAiErrorResponse : errorResponse;
    if (error instanceof RouterError) return respond(error);
    logger.error(
      `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return respond(new RouterError(500, "internal router error; see the router log"));
  });
  app.notFound((c) => {
    const message = `no route for ${c.req.method} ${c.req.path}`;
    return c.json(
      isResponsesPath(c.req.path) ? openAiErrorBody(404, message) : anthropicErrorBody(404, message),
      404,
    );
  });

  app.on(["GET", "HEAD"], "/", (c) => c.text("grove router\n"));
  app.get("/health", (c) => c.json({ status: "ok", service: "grove-router" }));

  app.use("/v1/*", async (c, next) => {
    if (tokens.length > 0) {
      const presented = clientKeyFrom(c.req.raw.headers);
      if (!presented || !matchesToken(presented, tokens)) {
        throw new RouterError(
          401,
          "invalid or missing router token (send it as x-api-key or Authorization: Bearer)",
        );
      }
    }
    await next();
  });
  app.use("/v1/*", bodyLimit(config.server.bodyLimitBytes));

  app.get("/v1/models", (c) => c.json(listModels(config)));
  app.post("/v1/messages/count_tokens", (c) => handleCountTokens(c.req.raw));
  const handlerContext = (request: Request): MessagesContext => ({
    config,
    fetch: upstreamFetch,
    logger,
    // With router tokens the client's key is a router token and must never travel upstream.
    clientKey: tokens.length > 0 ? undefined : clientKeyFrom(request.headers),
    onFinished: (record) => {
      logger.info(formatRequestLine(record));
      options.onRequest?.(record, request);
    },
  });
  app.post("/v1/messages", (c) => handleMessages(c.req.raw, handlerContext(c.req.raw)));
  app.post("/v1/responses", (c) => handleResponses(c.req.raw, handlerContext(c.req.raw)));
  return app;
}

function isResponsesPath(path: string): boolean {
  return path === "/v1/responses" || path.startsWith("/v1/responses/");
}

export function formatRequestLine(record: RequestRecord): string {
  const tokens =
    record.inputTokens === undefined ? "tokens -" : `tokens ${record.inputTokens}→${record.outputTokens}`;
  const error = record.error ? ` error="${record.error.slice(0, 300)}"` : "";
  return `${record.clientModel} → ${record.target} ${record.stream ? "stream" : "json"} ${record.status} ttfb ${record.ttfbMs}ms total ${record.totalMs}ms ${tokens}${error}`;
}

function listModels(config: RouterConfig) {
  const ids = new Set<string>();
  for (const [name, provider] of Object.entries(config.providers)) {
    for (const model of provider.models ?? []) ids.add(`${name}/${model}`);
  }
  for (const model of Object.keys(config.routes.models ?? {})) ids.add(model);
  const data = [...ids].map((id) => ({
    type: "model",
    id,
    display_name: id,
    created_at: "2025-01-01T00:00:00Z",
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}
