/**
 * The router a `grove claude` / `grove codex` session talks to: one already listening at the
 * configured address, or one started for this session on a free loopback port, whose log goes
 * to a file rather than the terminal the agent is using.
 */
import { mkdirSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { routerClientUrl } from "../node/claude-env.js";
import { groveHome } from "../node/paths.js";
import { createRequestLog } from "../node/request-log.js";
import { serveRouter } from "../node/serve-router.js";
import type { RouterConfig } from "../router/config/config-schema.js";
import { createLogger } from "../router/log.js";

export interface SessionRouter {
  url: string;
  /** Stops the router if this session started it. */
  close(): Promise<void>;
}

export async function sessionRouter(config: RouterConfig): Promise<SessionRouter> {
  const configured = routerClientUrl(config);
  if (await isGroveRouter(configured)) return { url: configured, close: async () => {} };
  const logDir = join(groveHome(), "logs");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, "router.log");
  const logger = createLogger(config.log.level, (line) => void appendFile(logFile, `${line}\n`));
  const sessionConfig = { ...config, server: { ...config.server, host: "127.0.0.1", port: 0 } };
  const router = await serveRouter({
    config: sessionConfig,
    logger,
    onRequest: createRequestLog({ home: groveHome(), config: sessionConfig, source: "session" }),
  });
  return { url: router.url, close: () => router.close() };
}

async function isGroveRouter(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(500) });
    const body = (await response.json()) as { service?: string };
    return body.service === "grove-router";
  } catch {
    return false;
  }
}
