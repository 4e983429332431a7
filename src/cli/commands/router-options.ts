/** Turns `grove router` flags (or the default config file) into a router config. */
import { existsSync } from "node:fs";
import { defaultRouterConfigPath } from "../../node/paths.js";
import { loadRouterConfigFile, quickRouterConfig } from "../../node/router-config-file.js";
import type { RouterConfig } from "../../router/config/config-schema.js";
import { CliError } from "../errors.js";

export interface RouterFlags {
  demo?: boolean;
  config?: string;
  upstream?: string;
  "upstream-key"?: string;
  model?: string;
  compat?: string;
  host?: string;
  port?: string;
  token?: string;
  "log-level"?: string;
  "ping-interval"?: string;
  "coalesce-deltas"?: boolean;
}

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export function routerConfigFromFlags(flags: RouterFlags): RouterConfig {
  const port = flags.port === undefined ? undefined : parsePort(flags.port);
  const tokens = flags.token
    ? flags.token
        .split(",")
        .map((token) => token.trim())
        .filter(Boolean)
    : [];
  const logLevel = parseLogLevel(flags["log-level"]);
  const pingIntervalMs = flags["ping-interval"] === undefined ? undefined : parseMs(flags["ping-interval"]);
  if (flags.demo && (flags.upstream || flags.config)) {
    throw new CliError(
      "--demo serves grove's scripted model; it cannot be combined with --upstream or --config",
    );
  }
  if (flags.upstream || flags.demo) {
    if (flags.config) throw new CliError("--upstream and --config are alternatives: pass one of them");
    return quickRouterConfig({
      upstream: flags.demo ? "demo" : flags.upstream!,
      upstreamKey: flags["upstream-key"],
      model: flags.model,
      compat: flags.compat,
      host: flags.host ?? "127.0.0.1",
      port: port ?? 3456,
      tokens,
      pingIntervalMs,
      coalesceDeltas: flags["coalesce-deltas"],
      logLevel,
    });
  }
  const path = flags.config ?? defaultRouterConfigPath();
  if (!flags.config && !existsSync(path)) {
    throw new CliError(
      `no upstream given: pass --upstream <OpenAI-compatible base URL> (with --model), or --config FILE, or write ${path}`,
    );
  }
  const config = loadRouterConfigFile(path);
  if (flags.host) config.server.host = flags.host;
  if (port !== undefined) config.server.port = port;
  if (tokens.length > 0) config.server.tokens = tokens;
  if (logLevel) config.log.level = logLevel;
  if (pingIntervalMs !== undefined) config.server.pingIntervalMs = pingIntervalMs;
  if (flags["coalesce-deltas"] !== undefined) config.server.coalesceDeltas = flags["coalesce-deltas"];
  return config;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a whole number from 0 to 65535 (got "${value}")`);
  }
  return port;
}

function parseMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new CliError(`--ping-interval must be milliseconds ≥ 0 (got "${value}")`);
  return ms;
}

function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(", ")} (got "${value}")`);
}

export const routerArgs = {
  demo: { type: "boolean", description: "Serve grove's built-in scripted demo model (offline, no key)" },
  config: { type: "string", description: "Router config file (JSON). Default: $GROVE_HOME/router.json" },
  upstream: {
    type: "string",
    description: "Quick mode: an OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1",
  },
  "upstream-key": {
    type: "string",
    description: "Quick mode: key for the upstream (default: forward the client's key)",
  },
  model: {
    type: "string",
    description: "Quick mode: force this upstream model (default: pass the client's through)",
  },
  compat: {
    type: "string",
    description:
      "Quick mode: compat profile (openai, openrouter, deepseek, ollama, vllm, llamacpp, lmstudio, gemini)",
  },
  host: { type: "string", description: "Address to listen on (default 127.0.0.1)" },
  port: { type: "string", description: "Port to listen on; 0 picks a free one (default 3456)" },
  token: {
    type: "string",
    description: "Router token(s), comma-separated; clients send one as x-api-key or Bearer",
  },
  "log-level": { type: "string", description: "debug, info, warn, error or silent (default info)" },
  "ping-interval": {
    type: "string",
    description: "Milliseconds of upstream silence before a keep-alive ping (default 15000)",
  },
  "coalesce-deltas": {
    type: "boolean",
    description:
      "Send text deltas that arrive in one upstream read as one delta (default on; --no-coalesce-deltas: one per upstream chunk)",
  },
} as const;
