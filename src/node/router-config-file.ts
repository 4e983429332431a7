/** Reads router config from a file, or builds one from `grove router` quick-mode flags. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
  // Scripts and cassettes named in the config are relative to it.
  return resolveRouterConfig(json, env, path, {
    loadFile: (file) => readFileSync(resolve(dirname(path), file), "utf8"),
  });
}

export interface QuickRouterOptions {
  /** An OpenAI-compatible base URL, or `demo` for grove's built-in scripted model. */
  upstream: string;
  upstreamKey?: string;
  model?: string;
  compat?: string;
  host: string;
  port: number;
  tokens: string[];
  pingIntervalMs?: number;
  coalesceDeltas?: boolean;
  logLevel?: "debug" | "info" | "warn" | "error" | "silent";
}

/** y-router style: one OpenAI-compatible upstream; `--model` forces the model, else it passes through. */
export function quickRouterConfig(options: QuickRouterOptions, env: EnvRecord = process.env): RouterConfig {
  const provider: Record<string, unknown> =
    options.upstream === "demo"
      ? { type: "script", script: "builtin:demo" }
      : { type: "openai-chat", baseUrl: options.upstream };
  if (options.upstreamKey) provider.apiKey = options.upstreamKey;
  if (options.compat) provider.compat = options.compat;
  const name = options.upstream === "demo" ? "demo" : "upstream";
  const input = {
    providers: { [name]: provider },
    routes: { default: options.model ? `${name}/${options.model}` : name },
    server: {
      host: options.host,
      port: options.port,
      tokens: options.tokens,
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
      ...(options.coalesceDeltas !== undefined ? { coalesceDeltas: options.coalesceDeltas } : {}),
    },
    log: { level: options.logLevel ?? "info" },
  };
  return resolveRouterConfig(input, env, "command line");
}
