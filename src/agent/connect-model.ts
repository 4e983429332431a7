/**
 * How the built-in agent reaches a model: directly at an Anthropic-compatible base URL, or
 * through a grove router running inside this process (no socket), built from the user's router
 * config, or grove's scripted demo model when asked for `demo`.
 */
import { existsSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import { defaultRouterConfigPath, groveHome } from "../node/paths.js";
import { createRequestLog, taskIdFromEnv } from "../node/request-log.js";
import { loadRouterConfigFile } from "../node/router-config-file.js";
import { upstreamFetch } from "../node/upstream-fetch.js";
import { createRouterApp } from "../router/app.js";
import type { RouterConfig } from "../router/config/config-schema.js";
import { resolveRouterConfig } from "../router/config/resolve-config.js";
import type { RequestRecord } from "../router/handlers/messages.js";
import type { ModelStream } from "./model-turn.js";

export interface ModelConnection {
  baseUrl?: string;
  apiKey?: string;
  /** Used when there is no base URL. */
  routerConfig?: RouterConfig;
  /** Observes each request the in-process router finishes (the dashboard's request log). */
  onRequest?: (record: RequestRecord) => void;
}

export class ModelConnectionError extends Error {}

export function createModelStream(connection: ModelConnection): ModelStream {
  const client = connection.baseUrl
    ? new Anthropic({ baseURL: connection.baseUrl, apiKey: connection.apiKey ?? "grove", maxRetries: 4 })
    : inProcessClient(connection.routerConfig, connection.onRequest);
  return async function* stream(request, signal) {
    yield* await client.messages.create(request, { signal });
  };
}

function inProcessClient(
  config: RouterConfig | undefined,
  onRequest: ((record: RequestRecord) => void) | undefined,
): Anthropic {
  if (!config) throw new ModelConnectionError("no model connection: give a base URL or a router config");
  const app = createRouterApp({ config, fetch: upstreamFetch, ...(onRequest ? { onRequest } : {}) });
  return new Anthropic({
    baseURL: "http://grove-router.internal",
    apiKey: config.server.tokens[0] ?? "grove",
    maxRetries: 4,
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
  });
}

/**
 * The in-process router for `model`, whose requests go to the request log in GROVE_HOME (under
 * the task in GROVE_TASK_ID, when the daemon started this agent for one).
 */
export function routerConnection(model: string, env: NodeJS.ProcessEnv = process.env): ModelConnection {
  const routerConfig = agentRouterConfig(model, env);
  const taskId = taskIdFromEnv(env);
  const onRequest = createRequestLog({
    home: groveHome(env),
    config: routerConfig,
    source: taskId === undefined ? "agent" : "task",
    taskId,
  });
  return { routerConfig, onRequest };
}

const DEMO_PROVIDER = { type: "script", script: "builtin:demo" } as const;

/** The router config for the in-process router: the user's, plus the demo model under `demo`. */
export function agentRouterConfig(model: string, env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const path = defaultRouterConfigPath(env);
  if (existsSync(path)) {
    const config = loadRouterConfigFile(path, env);
    if (!config.providers.demo)
      config.providers.demo = resolveRouterConfig(
        { providers: { demo: DEMO_PROVIDER }, routes: { default: "demo" } },
        env,
      ).providers.demo!;
    return config;
  }
  if (model === "demo" || model.startsWith("demo/")) {
    return resolveRouterConfig(
      { providers: { demo: DEMO_PROVIDER }, routes: { default: "demo" }, log: { level: "silent" } },
      env,
    );
  }
  throw new ModelConnectionError(
    `no router config at ${path}: write one (see the README), pass --base-url, or try the offline demo model with --model demo`,
  );
}
