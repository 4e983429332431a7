/** Reads router config from a file, or builds one from `grove router` quick-mode flags. */
import { readFileSync } from "node:fs";
import type { RouterConfig } from "../router/config/config-schema.js";
import { ConfigError, type EnvRecord, resolveRouterConfig } from "../router/config/resolve-config.js";

export function loadRouterConfigFile(path: string, env: EnvRecord = process.env): RouterConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the config file: ${(error as NodeJS.ErrnoException).message}`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`not valid JSON: ${(error as Error).message}`, path);
  }
  return resolveRouterConfig(json, env, path);
}

export interface QuickRouterOptions {
  upstream: string;
  upstreamKey?: string;
  model?: string;
  compat?: string;
  host: string;
  port: number;
  tokens: string[];
  pingIntervalMs?: number;
  logLevel?: "debug" | "info" | "warn" | "error" | "silent";
}

/** y-router style: one OpenAI-compatible upstream; `--model` forces the model, else it passes through. */
export function quickRouterConfig(options: QuickRouterOptions, env: EnvRecord = process.env): RouterConfig {
  const provider: Record<string, unknown> = { type: "openai-chat", baseUrl: options.upstream };
  if (options.upstreamKey) provider.apiKey = options.upstreamKey;
  if (options.compat) provider.compat = options.compat;
  const input = {
    providers: { upstream: provider },
    routes: { default: options.model ? `upstream/${options.model}` : "upstream" },
    server: {
      host: options.host,
      port: options.port,
      tokens: options.tokens,
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    },
    log: { level: options.logLevel ?? "info" },
  };
  return resolveRouterConfig(input, env, "command line");
}
