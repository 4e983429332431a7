/**
 * The Router view's numbers: a request arriving on the change stream folded into the totals
 * the daemon sent (the same grouping as its SQL: provider, then model or the failed chain), and
 * how latency and cost read. An unknown cost is "—", never a guess.
 */
import type { RouterModelSummary, RouterOverview, RouterRequest } from "../types";

export const RECENT_LIMIT = 200;

export const isErrorRequest = (request: Pick<RouterRequest, "status" | "error">) =>
  request.status >= 400 || request.error !== null;

const groupModel = (request: RouterRequest) => request.model ?? request.target;

const addCost = (sum: number | null, cost: number | null) => (cost === null ? sum : (sum ?? 0) + cost);

function foldInto(row: RouterModelSummary, request: RouterRequest): RouterModelSummary {
  const n = row.requests;
  return {
    ...row,
    requests: n + 1,
    errors: row.errors + (isErrorRequest(request) ? 1 : 0),
    avgTtfbMs: Math.round((row.avgTtfbMs * n + request.ttfbMs) / (n + 1)),
    avgTotalMs: Math.round((row.avgTotalMs * n + request.totalMs) / (n + 1)),
    maxTotalMs: Math.max(row.maxTotalMs, request.totalMs),
    inputTokens: row.inputTokens + (request.inputTokens ?? 0),
    outputTokens: row.outputTokens + (request.outputTokens ?? 0),
    costUsd: addCost(row.costUsd, request.costUsd),
    unpriced: row.unpriced + (request.costUsd === null ? 1 : 0),
  };
}

const emptyRow = (request: RouterRequest): RouterModelSummary => ({
  provider: request.provider,
  model: groupModel(request),
  requests: 0,
  errors: 0,
  avgTtfbMs: 0,
  avgTotalMs: 0,
  maxTotalMs: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: null,
  unpriced: 0,
});

/** The overview with one more request; one it already holds (by id) changes nothing. */
export function applyRequest(overview: RouterOverview, request: RouterRequest): RouterOverview {
  if ((overview.requests[0]?.id ?? 0) >= request.id) return overview;
  const model = groupModel(request);
  const index = overview.summary.findIndex((row) => row.provider === request.provider && row.model === model);
  const summary = [...overview.summary];
  if (index === -1) summary.push(foldInto(emptyRow(request), request));
  else summary[index] = foldInto(summary[index]!, request);
  summary.sort(
    (a, b) =>
      b.requests - a.requests ||
      (a.provider ?? "").localeCompare(b.provider ?? "") ||
      a.model.localeCompare(b.model),
  );
  return { ...overview, summary, requests: [request, ...overview.requests].slice(0, RECENT_LIMIT) };
}

/** Every row together, for the table's footer. */
export function summaryTotals(
  rows: readonly RouterModelSummary[],
): Omit<RouterModelSummary, "provider" | "model"> {
  const requests = rows.reduce((sum, row) => sum + row.requests, 0);
  const weighted = (pick: (row: RouterModelSummary) => number) =>
    requests === 0 ? 0 : Math.round(rows.reduce((sum, row) => sum + pick(row) * row.requests, 0) / requests);
  return {
    requests,
    errors: rows.reduce((sum, row) => sum + row.errors, 0),
    avgTtfbMs: weighted((row) => row.avgTtfbMs),
    avgTotalMs: weighted((row) => row.avgTotalMs),
    maxTotalMs: rows.reduce((max, row) => Math.max(max, row.maxTotalMs), 0),
    inputTokens: rows.reduce((sum, row) => sum + row.inputTokens, 0),
    outputTokens: rows.reduce((sum, row) => sum + row.outputTokens, 0),
    costUsd: rows.reduce<number | null>((sum, row) => addCost(sum, row.costUsd), null),
    unpriced: rows.reduce((sum, row) => sum + row.unpriced, 0),
  };
}

/** US dollars: "—" when unknown; small amounts keep four decimals so they do not read as zero. */
export function formatCost(usd: number | null): string {
  if (usd === null) return "—";
  if (usd === 0) return "$0.00";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
