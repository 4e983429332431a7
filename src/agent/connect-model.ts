/**
 * How the built-in agent reaches a model: directly at an Anthropic-compatible base URL, or
 * through a grove router running inside this process (no socket), built from the user's router
 * config, or grove's scripted demo model when asked for `demo`.
 */
import { existsSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import { defaultRouterConfigPath } from "../node/paths.js";
import { loadRouterConfigFile } from "../node/router-config-file.js";
import { createRouterApp } from "../router/app.js";
import type { RouterConfig } from "../router/config/config-schema.js";
import { resolveRouterConfig } from "../router/config/resolve-config.js";
import type { ModelStream } from "./model-turn.js";

export interface ModelConnection {
  baseUrl?: string;
  apiKey?: string;
  /** Used when there is no base URL. */
  routerConfig?: RouterConfig;
}

export class ModelConnectionError extends Error {}

export function createModelStream(connection: ModelConnection): ModelStream {
  const client = connection.baseUrl
    ? new Anthropic({ baseURL: connection.baseUrl, apiKey: connection.apiKey ?? "grove", maxRetries: 4 })
    : inProcessClient(connection.routerConfig);
  return async function* stream(request, signal) {
    yield* await client.messages.create(request, { signal });
  };
}

function inProcessClient(config: RouterConfig | undefined): Anthropic {
  if (!config) throw new ModelConnectionError("no model connection: give a base URL or a router config");
  const app = createRouterApp({ config });
  return new Anthropic({
    baseURL: "http://grove-router.internal",
    apiKey: config.server.tokens[0] ?? "grove",
    maxRetries: 4,
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
  });
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
