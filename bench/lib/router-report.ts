/** bench:router's report: the table of every target, then ratio and CPU lines per routed target. */
import type { Timing } from "./client.js";
import { type CpuTicks, ticksToMs, totalTicks } from "./proc.js";
import { fmt, median, percentile, table } from "./stats.js";

const TARGET_TTLB_RATIO = 1.5;
const TARGET_TTLB_RATIO_CONCURRENCY = 32;
const TARGET_CPU_MS_PER_1000 = 3;

export const TARGETS = ["direct", "passthrough", "router", "responses", "worker"] as const;
export type TargetName = (typeof TARGETS)[number];
export type RoutedTarget = Exclude<TargetName, "direct">;
const ROUTED: readonly RoutedTarget[] = ["passthrough", "router", "responses", "worker"];
/** What each routed target is called on the figure lines below the table; the targets are Node's. */
const ROUTED_LABEL: Record<RoutedTarget, { ratio: string; cpu: string; hasTargets: boolean }> = {
  passthrough: {
    ratio: "passthrough/direct",
    cpu: "passthrough CPU (a Node proxy that only copies)",
    hasTargets: false,
  },
  router: { ratio: "router/direct", cpu: "router CPU", hasTargets: true },
  responses: { ratio: "responses/direct", cpu: "router CPU on /v1/responses", hasTargets: true },
  worker: { ratio: "worker (workerd)/direct", cpu: "workerd CPU", hasTargets: false },
};

export interface Cell {
  timings: Timing[];
  wallMs: number;
  failures: number;
  /** CPU of the process serving this target over its batches: all threads (user, system) and the main thread alone. */
  server: CpuTicks;
  serverMain: number;
  upstreamTicks: number;
  clientCpuUs: number;
}

export interface ReportShape {
  levels: { concurrency: number }[];
  chunks: number;
}

export function report(cells: Map<string, Cell>, { levels, chunks }: ReportShape): void {
  const rows: string[][] = [
    [
      "target",
      "conc",
      "n",
      "TTFB p50",
      "TTFB p90",
      "TTLB p50",
      "TTLB p90",
      "req/s",
      "reads/req",
      "KB/req",
      "CPU ms/req: server",
      "upstream",
      "client",
    ],
  ];
  for (const { concurrency } of levels) {
    for (const target of TARGETS) {
      const cell = cells.get(`${target}@${concurrency}`);
      if (!cell) continue;
      const n = cell.timings.length;
      const ttfb = cell.timings.map((t) => t.ttfb);
      const ttlb = cell.timings.map((t) => t.ttlb);
      rows.push([
        target,
        String(concurrency),
        n + (cell.failures ? ` (+${cell.failures} failed)` : ""),
        `${fmt(median(ttfb))} ms`,
        `${fmt(percentile(ttfb, 90))} ms`,
        `${fmt(median(ttlb))} ms`,
        `${fmt(percentile(ttlb, 90))} ms`,
        fmt((n * 1000) / cell.wallMs, 1),
        fmt(mean(cell.timings.map((t) => t.reads)), 1),
        fmt(mean(cell.timings.map((t) => t.bytes)) / 1024, 1),
        target !== "direct" ? fmt(ticksToMs(totalTicks(cell.server)) / n) : "-",
        fmt(ticksToMs(cell.upstreamTicks) / n),
        fmt(cell.clientCpuUs / 1000 / n),
      ]);
    }
  }
  console.log(table(rows));
  console.log("(TTFB = first body bytes; TTLB = end of body; both from calling fetch, in the client.)");
  console.log(
    "(passthrough = the upstream's bytes copied through a bare Node proxy (node:http + undici), the floor under the router; " +
      "router = POST /v1/messages through the Node router; responses = POST /v1/responses through the same router; " +
      "worker = POST /v1/messages through the router as a Worker in workerd; " +
      "direct = POST /v1/chat/completions to the upstream. Server CPU: that of the process serving the target.)",
  );
  const workerFailures = levels.reduce(
    (sum, { concurrency }) => sum + (cells.get(`worker@${concurrency}`)?.failures ?? 0),
    0,
  );
  if (workerFailures > 0) {
    console.log(
      `(worker: workerd closed ${workerFailures} connections before the response ended. Local workerd does that under ` +
        "concurrent streaming load even for a Worker that only pipes the upstream through a JS TransformStream.)",
    );
  }
  console.log("");

  for (const target of ROUTED) {
    for (const { concurrency } of levels) ratioLine(cells, target, "direct", concurrency);
  }
  for (const target of ["router", "responses"] as const) {
    for (const { concurrency } of levels) ratioLine(cells, target, "passthrough", concurrency);
  }
  for (const { concurrency } of levels) ratioLine(cells, "worker", "router", concurrency);
  for (const target of ROUTED) {
    for (const { concurrency } of levels) cpuLine(cells, target, concurrency, chunks);
  }
}

/** TTLB/TTFB of a routed target against a baseline at one concurrency, with the TTLB target (Node's). */
function ratioLine(
  cells: Map<string, Cell>,
  target: RoutedTarget,
  base: TargetName,
  concurrency: number,
): void {
  const baseline = cells.get(`${base}@${concurrency}`);
  const routed = cells.get(`${target}@${concurrency}`);
  if (!baseline || !routed) return;
  const ratio = (pick: (t: Timing) => number, p: number) =>
    percentile(routed.timings.map(pick), p) / percentile(baseline.timings.map(pick), p);
  const ttlbRatio = median(routed.timings.map((t) => t.ttlb)) / median(baseline.timings.map((t) => t.ttlb));
  const ttfbRatio = median(routed.timings.map((t) => t.ttfb)) / median(baseline.timings.map((t) => t.ttfb));
  const label =
    base === "direct"
      ? ROUTED_LABEL[target].ratio
      : base === "passthrough"
        ? `${target}/passthrough (the router against a proxy that only copies)`
        : `${target}/${base} (workerd against Node)`;
  const ratioTarget =
    base === "direct" && ROUTED_LABEL[target].hasTargets && concurrency === TARGET_TTLB_RATIO_CONCURRENCY
      ? `   [target ≤ ${TARGET_TTLB_RATIO}: ${ttlbRatio <= TARGET_TTLB_RATIO ? "met" : "MISSED"}]`
      : "";
  console.log(
    `${label} at concurrency ${concurrency}: TTLB median ×${fmt(ttlbRatio)} (p90 ×${fmt(ratio((t) => t.ttlb, 90))})` +
      `, TTFB median ×${fmt(ttfbRatio)} (p90 ×${fmt(ratio((t) => t.ttfb, 90))})${ratioTarget}`,
  );
}

/** Server CPU per stream over a routed target's own batches at one concurrency, with the CPU target (Node's). */
function cpuLine(cells: Map<string, Cell>, target: RoutedTarget, concurrency: number, chunks: number): void {
  const routed = cells.get(`${target}@${concurrency}`);
  if (!routed) return;
  const n = routed.timings.length;
  const ticks = totalTicks(routed.server);
  const perStream = ticksToMs(ticks) / n;
  const per1000 = (perStream * 1000) / chunks;
  const stream = chunks === 1000 ? "" : ` (${fmt(perStream)} ms per ${chunks}-chunk stream)`;
  const cpuTarget = ROUTED_LABEL[target].hasTargets
    ? `   [target ≤ ${TARGET_CPU_MS_PER_1000} ms: ${per1000 <= TARGET_CPU_MS_PER_1000 ? "met" : "MISSED"}]`
    : "";
  // The machine's speed drifts from run to run (other tenants): the floor measured in the same run puts a figure in scale.
  const floor = cells.get(`passthrough@${concurrency}`);
  const floorPerStream =
    floor && target !== "passthrough" ? ticksToMs(totalTicks(floor.server)) / floor.timings.length : 0;
  const againstFloor = floorPerStream > 0 ? ` (×${fmt(perStream / floorPerStream)} the passthrough's)` : "";
  // The fake upstream does the same work per stream for every target, in the very same batches:
  // against it, a server's CPU drifts less with the machine than against the passthrough's batches.
  const upstreamPerStream = ticksToMs(routed.upstreamTicks) / n;
  const againstUpstream =
    upstreamPerStream > 0
      ? `; the upstream's, in the same batches: ${fmt(upstreamPerStream)} ms (server ×${fmt(perStream / upstreamPerStream)})`
      : "";
  console.log(
    `${ROUTED_LABEL[target].cpu} at concurrency ${concurrency}: ${fmt(per1000)} ms per 1,000-chunk stream${stream}${againstFloor}${cpuTarget}` +
      `\n    ${ticks} ticks over ${n} streams; per stream: user ${fmt(ticksToMs(routed.server.user) / n)} ms, ` +
      `system ${fmt(ticksToMs(routed.server.system) / n)} ms; main thread alone ${fmt(ticksToMs(routed.serverMain) / n)} ms` +
      againstUpstream,
  );
}

function mean(xs: number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}
