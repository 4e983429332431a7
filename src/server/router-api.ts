/**
 * The Router view's API: per provider/model totals and the newest requests, for every router or
 * for one task's (`?task=`), read together so they agree. Requests ingested later arrive on the
 * change stream with higher ids.
 */
import type { Hono } from "hono";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import type { RouterModelSummary, RouterRequest, RouterRequestStore } from "./router-requests.js";

export interface RouterOverview {
  /** Over the requests kept: those of the last `keptDays` days. */
  summary: RouterModelSummary[];
  keptDays: number;
  /** Newest first. */
  requests: RouterRequest[];
}

export function registerRouterApi(
  app: Hono,
  options: { orchestrator: Orchestrator; requests: RouterRequestStore },
): void {
  const { orchestrator, requests } = options;
  app.get("/api/router", (c) => {
    const ref = c.req.query("task");
    const filter = ref ? { taskId: orchestrator.task(ref).id } : {};
    const limit = Number(c.req.query("limit") ?? 200);
    const overview: RouterOverview = {
      summary: requests.summary(filter),
      keptDays: requests.keepDays,
      requests: requests.recent({ ...filter, ...(Number.isFinite(limit) ? { limit } : {}) }),
    };
    return c.json(overview);
  });
}
