/**
 * The routers' request log. Every grove router (a task's, a `grove claude` / `grove codex`
 * session's, a standalone `grove router`, the built-in agent's in-process one) appends one JSON
 * line per finished request to `GROVE_HOME/router-requests/<UTC date>.jsonl`; the daemon ingests
 * those files for the dashboard's Router view. Each line is one O_APPEND write, so routers in
 * different processes never interleave, and the file outlives the daemon like the agents do.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RouterConfig } from "../router/config/config-schema.js";
import { costUsd, priceOf } from "../router/config/pricing.js";
import type { RequestRecord } from "../router/handlers/messages.js";

/** Who ran the router: a task's agent, a plain `grove agent`, a `grove claude` session, `grove router`. */
export type RequestSource = "task" | "agent" | "session" | "router";

export interface LoggedRequest extends RequestRecord {
  /** When the request finished (ISO 8601). */
  ts: string;
  source: RequestSource;
  taskId?: number;
  /** The provider and model that answered; absent when every target of a fallback chain failed. */
  provider?: string;
  model?: string;
  /** Estimated from the config's prices; absent when the price or the tokens are unknown. */
  costUsd?: number;
}

export const requestLogDir = (home: string) => join(home, "router-requests");

/** One file per UTC day, so the daemon can delete days it has fully read. */
export const requestLogFileName = (date: Date) => `${date.toISOString().slice(0, 10)}.jsonl`;

const MAX_ERROR_CHARS = 500;

export function toLoggedRequest(
  record: RequestRecord,
  context: { config: RouterConfig; source: RequestSource; taskId?: number | undefined; now?: Date },
): LoggedRequest {
  // A target label is `provider/model`; provider names cannot hold a slash, models can.
  const single = !record.target.includes(" | ") && record.target.includes("/");
  const slash = record.target.indexOf("/");
  const provider = single ? record.target.slice(0, slash) : undefined;
  const model = single ? record.target.slice(slash + 1) : undefined;
  const price = provider && model ? priceOf(context.config, provider, model) : undefined;
  const cost = costUsd(price, record.inputTokens, record.outputTokens);
  return {
    ...record,
    ...(record.error ? { error: record.error.slice(0, MAX_ERROR_CHARS) } : {}),
    ts: (context.now ?? new Date()).toISOString(),
    source: context.source,
    ...(context.taskId !== undefined ? { taskId: context.taskId } : {}),
    ...(provider && model ? { provider, model } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

/** How long one opened log file serves writes before it is closed (and reopened by the next one). */
const KEEP_OPEN_MS = 1000;

/**
 * An `onRequest` observer for `createRouterApp` that appends to the request log in `home`.
 * A busy router writes many lines a second: the day's file stays open for a second at a time,
 * so a line costs one write, not an open, a write and a close. Closing it again on a timer
 * holds no descriptor while the router is idle, and a file deleted meanwhile is recreated.
 */
export function createRequestLog(options: {
  home: string;
  config: RouterConfig;
  source: RequestSource;
  taskId?: number | undefined;
}): (record: RequestRecord) => void {
  const dir = requestLogDir(options.home);
  let open: { file: string; fd: number } | undefined;
  const close = () => {
    const closing = open;
    open = undefined;
    if (closing) closeQuietly(closing.fd);
  };
  return (record) => {
    try {
      const now = new Date();
      const line = `${JSON.stringify(toLoggedRequest(record, { ...options, now }))}\n`;
      const file = requestLogFileName(now);
      if (open?.file !== file) {
        close();
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        open = { file, fd: openSync(join(dir, file), "a", 0o600) };
        setTimeout(close, KEEP_OPEN_MS).unref();
      }
      writeSync(open.fd, line);
    } catch {
      // The log is for the dashboard: a full disk must never fail the request itself.
      close();
    }
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to do.
  }
}

/** The task a process works for, from `GROVE_TASK_ID` (set for the built-in agent by the daemon). */
export function taskIdFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const id = Number(env.GROVE_TASK_ID);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
