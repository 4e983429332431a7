import { describe, expect, it } from "vitest";
import type { RouterOverview, RouterRequest } from "../types";
import { applyRequest, formatCost, formatMs, RECENT_LIMIT, summaryTotals } from "./router-stats";

const request = (id: number, extra: Partial<RouterRequest> = {}): RouterRequest => ({
  id,
  ts: "2026-01-01T10:00:00.000Z",
  taskId: 1,
  source: "task",
  clientModel: "sonnet",
  target: "or/qwen",
  provider: "or",
  model: "qwen",
  stream: true,
  status: 200,
  ttfbMs: 100,
  totalMs: 1000,
  inputTokens: 1000,
  outputTokens: 100,
  costUsd: 0.002,
  error: null,
  ...extra,
});

const empty: RouterOverview = { summary: [], keptDays: 90, requests: [] };

describe("the Router view's live totals", () => {
  it("folds each new request into its provider/model row and the recent list", () => {
    let overview = applyRequest(empty, request(1));
    overview = applyRequest(overview, request(2, { ttfbMs: 300, totalMs: 3000, costUsd: 0.004 }));
    overview = applyRequest(
      overview,
      request(3, { provider: "local", model: "q", target: "local/q", costUsd: null }),
    );
    overview = applyRequest(
      overview,
      request(4, {
        provider: null,
        model: null,
        target: "or/qwen | local/q",
        status: 502,
        error: "down",
        costUsd: null,
      }),
    );
    expect(overview.requests.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    const [or, ...rest] = overview.summary;
    expect(or).toMatchObject({
      provider: "or",
      model: "qwen",
      requests: 2,
      avgTtfbMs: 200,
      avgTotalMs: 2000,
    });
    expect(or!.costUsd).toBeCloseTo(0.006, 12);
    expect(rest).toMatchObject([
      { provider: null, model: "or/qwen | local/q", requests: 1, errors: 1, costUsd: null, unpriced: 1 },
      { provider: "local", model: "q", requests: 1, errors: 0, costUsd: null, unpriced: 1 },
    ]);
  });

  it("ignores a request it already has, and keeps only the newest requests", () => {
    let overview = applyRequest(empty, request(5));
    expect(applyRequest(overview, request(5))).toBe(overview);
    expect(applyRequest(overview, request(4))).toBe(overview);
    for (let id = 6; id < 6 + RECENT_LIMIT; id++) overview = applyRequest(overview, request(id));
    expect(overview.requests).toHaveLength(RECENT_LIMIT);
    expect(overview.summary[0]!.requests).toBe(RECENT_LIMIT + 1);
  });

  it("totals every row, with cost only where some was known", () => {
    const overview = [request(1), request(2, { provider: "local", model: "q", costUsd: null })].reduce(
      applyRequest,
      empty,
    );
    expect(summaryTotals(overview.summary)).toMatchObject({
      requests: 2,
      inputTokens: 2000,
      costUsd: 0.002,
      unpriced: 1,
    });
    expect(summaryTotals([]).costUsd).toBeNull();
  });

  it("shows an unknown cost as a dash, never a number", () => {
    expect(formatCost(null)).toBe("—");
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.00042)).toBe("$0.0004");
    expect(formatCost(1.5)).toBe("$1.50");
    expect(formatMs(640)).toBe("640 ms");
    expect(formatMs(2500)).toBe("2.5 s");
  });
});
