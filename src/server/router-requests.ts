/**
 * The routers' requests as the daemon keeps them (SQLite, `router_requests`), and the Router
 * view's aggregates: per provider and model, requests, errors, latency, tokens and cost.
 */
import type { Db } from "../orchestrator/db.js";
import { ConfigError } from "../router/config/resolve-config.js";

/** How many days of requests the daemon keeps, unless GROVE_ROUTER_REQUEST_DAYS says otherwise. */
export const DEFAULT_REQUEST_DAYS = 90;

/** GROVE_ROUTER_REQUEST_DAYS: a whole number of days, at least 1. */
export function requestDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GROVE_ROUTER_REQUEST_DAYS?.trim();
  if (!raw) return DEFAULT_REQUEST_DAYS;
  const days = Number(raw);
  if (Number.isInteger(days) && days >= 1) return days;
  throw new ConfigError(
    `must be a whole number of days, 1 or more, not "${raw}"`,
    "GROVE_ROUTER_REQUEST_DAYS",
  );
}

export interface RouterRequest {
  id: number;
  ts: string;
  taskId: number | null;
  source: string;
  clientModel: string;
  target: string;
  provider: string | null;
  model: string | null;
  stream: boolean;
  status: number;
  ttfbMs: number;
  totalMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Null when the price or the tokens are unknown: the page shows "—". */
  costUsd: number | null;
  error: string | null;
}

export type NewRouterRequest = Omit<RouterRequest, "id">;

/** One provider/model's totals. Requests whose whole fallback chain failed group under their chain. */
export interface RouterModelSummary {
  provider: string | null;
  model: string;
  requests: number;
  errors: number;
  avgTtfbMs: number;
  avgTotalMs: number;
  maxTotalMs: number;
  inputTokens: number;
  outputTokens: number;
  /** The sum over priced requests; null when none had a price. */
  costUsd: number | null;
  /** Requests without a cost (no price, or tokens unknown). */
  unpriced: number;
}

interface Row {
  id: number;
  ts: string;
  task_id: number | null;
  source: string;
  client_model: string;
  target: string;
  provider: string | null;
  model: string | null;
  stream: number;
  status: number;
  ttfb_ms: number;
  total_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  error: string | null;
}

const fromRow = (row: Row): RouterRequest => ({
  id: row.id,
  ts: row.ts,
  taskId: row.task_id,
  source: row.source,
  clientModel: row.client_model,
  target: row.target,
  provider: row.provider,
  model: row.model,
  stream: row.stream === 1,
  status: row.status,
  ttfbMs: row.ttfb_ms,
  totalMs: row.total_ms,
  inputTokens: row.input_tokens,
  outputTokens: row.output_tokens,
  costUsd: row.cost_usd,
  error: row.error,
});

const IS_ERROR = "(status >= 400 OR error IS NOT NULL)";

export class RouterRequestStore {
  private readonly insertRow;
  private readonly readOffset;
  private readonly writeOffset;

  constructor(
    private readonly db: Db,
    /** Requests older than this many days are deleted by `deleteExpired`. */
    readonly keepDays = DEFAULT_REQUEST_DAYS,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO router_requests (ts, task_id, source, client_model, target, provider, model, stream,
         status, ttfb_ms, total_ms, input_tokens, output_tokens, cost_usd, error)
       VALUES (@ts, @taskId, @source, @clientModel, @target, @provider, @model, @stream,
         @status, @ttfbMs, @totalMs, @inputTokens, @outputTokens, @costUsd, @error)`,
    );
    this.readOffset = db.prepare("SELECT offset FROM router_request_files WHERE name = ?");
    this.writeOffset = db.prepare(
      "INSERT INTO router_request_files (name, offset) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET offset = excluded.offset",
    );
  }

  /** How far the log file `name` has been read. */
  offset(name: string): number {
    return (this.readOffset.get(name) as { offset: number } | undefined)?.offset ?? 0;
  }

  forgetFile(name: string): void {
    this.db.prepare("DELETE FROM router_request_files WHERE name = ?").run(name);
  }

  /** Stores the requests read from `name` and its new offset together, so none is stored twice. */
  ingest(name: string, requests: readonly NewRouterRequest[], offset: number): RouterRequest[] {
    return this.db.transaction(() => {
      const stored = requests.map((request) => {
        const result = this.insertRow.run({ ...request, stream: request.stream ? 1 : 0 });
        return { ...request, id: Number(result.lastInsertRowid) };
      });
      this.writeOffset.run(name, offset);
      return stored;
    })();
  }

  /** Deletes the requests that finished more than `keepDays` days before `now`; returns how many. */
  deleteExpired(now = new Date()): number {
    const cutoff = new Date(now.getTime() - this.keepDays * 24 * 3600 * 1000).toISOString();
    return this.db.prepare("DELETE FROM router_requests WHERE ts < ?").run(cutoff).changes;
  }

  /** The newest requests first; only one task's with `taskId`. */
  recent(options: { limit?: number; taskId?: number } = {}): RouterRequest[] {
    const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000);
    const rows = (
      options.taskId === undefined
        ? this.db.prepare("SELECT * FROM router_requests ORDER BY id DESC LIMIT ?").all(limit)
        : this.db
            .prepare("SELECT * FROM router_requests WHERE task_id = ? ORDER BY id DESC LIMIT ?")
            .all(options.taskId, limit)
    ) as Row[];
    return rows.map(fromRow);
  }

  summary(options: { taskId?: number } = {}): RouterModelSummary[] {
    const where = options.taskId === undefined ? "" : "WHERE task_id = @taskId";
    return this.db
      .prepare(
        `SELECT provider, COALESCE(model, target) AS model, COUNT(*) AS requests,
           SUM(CASE WHEN ${IS_ERROR} THEN 1 ELSE 0 END) AS errors,
           AVG(ttfb_ms) AS avgTtfbMs, AVG(total_ms) AS avgTotalMs, MAX(total_ms) AS maxTotalMs,
           COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
           SUM(cost_usd) AS costUsd, COUNT(*) - COUNT(cost_usd) AS unpriced
         FROM router_requests ${where}
         GROUP BY provider, COALESCE(model, target)
         ORDER BY requests DESC, provider, model`,
      )
      .all(options.taskId === undefined ? {} : { taskId: options.taskId })
      .map((row) => {
        const summary = row as RouterModelSummary;
        return {
          ...summary,
          avgTtfbMs: Math.round(summary.avgTtfbMs),
          avgTotalMs: Math.round(summary.avgTotalMs),
        };
      });
  }
}
