/**
 * `npm run bench:router`: what the router costs on a long stream of small chunks.
 *
 * A fast fake OpenAI-compatible upstream (its own child process) streams BENCH_CHUNKS content
 * chunks per request, then a finish chunk, a usage-only chunk and `[DONE]`. The real router
 * (`node dist/cli/main.js router …`, another child process) translates them to Anthropic SSE
 * (POST /v1/messages, target "router") or to OpenAI Responses events (POST /v1/responses,
 * target "responses"). This process is the client: it calls the upstream directly
 * (POST /v1/chat/completions) and through the router on both endpoints, with plain `fetch` for
 * all, at each concurrency, in rounds whose order rotates (direct, router, responses; then
 * router, responses, direct; …) so that noise on the machine hits every target alike.
 *
 * Router CPU (utime+stime) and peak RSS (VmHWM) are read from /proc/<pid>; CPU comes in clock
 * ticks (10 ms at CLK_TCK 100), so it is measured over whole batches and divided; each routed
 * target's CPU is summed over that target's own batches only. Peak RSS covers the whole run
 * (both endpoints, one router process).
 * Not a test: it prints figures and the targets beside them, and asserts nothing (only a failed
 * correctness check sets a non-zero exit code).
 *
 * Env (all optional):
 *   BENCH_CHUNKS=1000            content chunks per stream
 *   BENCH_LEVELS=1:200,32:640    concurrency:requests per target (measured, after warm-up)
 *   BENCH_WARMUP=20              warm-up requests per target and concurrency
 *   BENCH_ROUNDS=4               measured requests are split into this many rounds (every target each)
 *   BENCH_UPSTREAM_WRITE=frames  "frames" (one res.write per chunk) or "coalesce" (one write)
 *   BENCH_FRAMES_PER_TICK=10     frames the upstream writes per event-loop turn ("frames" mode)
 *   BENCH_ROUTER_NODE_ARGS=      extra node flags for the router, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type ServerChild, startServerChild } from "./lib/child.js";
import { type RequestSpec, runBatch, type Timing, timedRequest } from "./lib/client.js";
import { DEFAULT_FRAMES_PER_TICK } from "./lib/fast-upstream.js";
import {
  type CpuTicks,
  clockTicksPerSecond,
  cpuTicks,
  mainThreadCpuTicks,
  statusKb,
  ticksToMs,
  totalTicks,
} from "./lib/proc.js";
import { fmt, median, percentile, table } from "./lib/stats.js";
import { buildWorkload, MODEL } from "./lib/workload.js";

const TARGET_TTLB_RATIO = 1.5;
const TARGET_TTLB_RATIO_CONCURRENCY = 32;
const TARGET_CPU_MS_PER_1000 = 3;

const root = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const chunks = intEnv("BENCH_CHUNKS", 1000);
const warmup = intEnv("BENCH_WARMUP", 20);
const rounds = Math.max(1, intEnv("BENCH_ROUNDS", 4));
const framesPerTick = intEnv("BENCH_FRAMES_PER_TICK", DEFAULT_FRAMES_PER_TICK);
const writeMode = env.BENCH_UPSTREAM_WRITE === "coalesce" ? "coalesce" : "frames";
const routerNodeArgs = (env.BENCH_ROUTER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const levels = (env.BENCH_LEVELS ?? "1:200,32:640").split(",").map((level) => {
  const [concurrency, requests] = level.split(":").map(Number);
  if (!Number.isInteger(concurrency) || !Number.isInteger(requests) || concurrency! < 1 || requests! < 1) {
    throw new Error(`BENCH_LEVELS: expected concurrency:requests pairs, got "${level}"`);
  }
  return { concurrency: concurrency!, requests: requests! };
});

const TARGETS = ["direct", "router", "responses"] as const;
type TargetName = (typeof TARGETS)[number];
type RoutedTarget = Exclude<TargetName, "direct">;
const ROUTED: readonly RoutedTarget[] = ["router", "responses"];
/** What each routed target is called on the figure lines below the table. */
const ROUTED_LABEL: Record<RoutedTarget, { ratio: string; cpu: string }> = {
  router: { ratio: "router/direct", cpu: "router CPU" },
  responses: { ratio: "responses/direct", cpu: "router CPU on /v1/responses" },
};

interface Cell {
  timings: Timing[];
  wallMs: number;
  failures: number;
  /** Router CPU over this cell's batches: all threads (user, system) and the main thread alone. */
  router: CpuTicks;
  routerMain: number;
  upstreamTicks: number;
  clientCpuUs: number;
}

const workload = buildWorkload(chunks);

const upstream = await startServerChild(
  "upstream",
  process.execPath,
  ["--import", "tsx", "bench/lib/upstream-main.ts"],
  {
    cwd: root,
    env: {
      ...env,
      BENCH_CHUNKS: String(chunks),
      BENCH_FRAMES_PER_TICK: String(framesPerTick),
      BENCH_UPSTREAM_WRITE: writeMode,
    },
    ready: /fake upstream listening on (\S+)/,
  },
);
let router: ServerChild | undefined;
try {
  router = await startServerChild(
    "router",
    process.execPath,
    [
      ...routerNodeArgs,
      "dist/cli/main.js",
      "router",
      "--upstream",
      upstream.url,
      "--model",
      MODEL,
      "--port",
      "0",
      "--log-level",
      "warn",
    ],
    { cwd: root, ready: /grove router listening on (\S+)/ },
  );
  await main(router);
} finally {
  await router?.stop();
  await upstream.stop();
}

async function main(router: ServerChild): Promise<void> {
  const specs: Record<TargetName, RequestSpec> = {
    direct: {
      url: `${upstream.url}/chat/completions`,
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body: JSON.stringify({
        model: MODEL,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 4096,
        messages: [{ role: "user", content: "Write something." }],
      }),
    },
    router: {
      url: `${router.url}/v1/messages`,
      headers: {
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        "x-api-key": "bench",
      },
      body: JSON.stringify({
        model: "claude-sonnet-4-5",
        max_tokens: 4096,
        stream: true,
        messages: [{ role: "user", content: "Write something." }],
      }),
    },
    responses: {
      url: `${router.url}/v1/responses`,
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body: JSON.stringify({
        model: "gpt-5.5",
        stream: true,
        store: false,
        input: [{ role: "user", content: [{ type: "input_text", text: "Write something." }] }],
      }),
    },
  };

  const rssAfterStartKb = statusKb(router.pid, "VmRSS");
  console.log(
    `grove router benchmark: ${chunks} content chunks/stream (+ finish, usage-only, [DONE]); ` +
      `upstream writes ${writeMode === "frames" ? `one res.write per chunk, ${framesPerTick} per event-loop turn` : "the whole body at once"}`,
  );
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, CLK_TCK ${clockTicksPerSecond()}; ` +
      `upstream pid ${upstream.pid}, router pid ${router.pid}; warm-up ${warmup}/target/level, ${rounds} alternating rounds`,
  );
  console.log(
    `load average (1, 5, 15 min) at the start: ${loadAverage()} (other work on the machine skews every figure)`,
  );
  console.log("");
  describeWorkload();
  await verifyAsync(specs);

  const cells = new Map<string, Cell>();
  for (const { concurrency, requests } of levels) {
    for (const target of TARGETS) await runBatch(specs[target], concurrency, warmup);
    for (let round = 0; round < rounds; round++) {
      const share = Math.floor(requests / rounds) + (round < requests % rounds ? 1 : 0);
      if (share === 0) continue;
      // Rotate the order each round, so no target always runs first (or right after another).
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
      for (const target of order) {
        const key = `${target}@${concurrency}`;
        const cell = cells.get(key) ?? {
          timings: [],
          wallMs: 0,
          failures: 0,
          router: { user: 0, system: 0 },
          routerMain: 0,
          upstreamTicks: 0,
          clientCpuUs: 0,
        };
        cells.set(key, cell);
        const routerBefore = cpuTicks(router.pid);
        const routerMainBefore = totalTicks(mainThreadCpuTicks(router.pid));
        const upstreamBefore = totalTicks(cpuTicks(upstream.pid));
        const clientBefore = process.cpuUsage();
        const batch = await runBatch(specs[target], concurrency, share);
        const client = process.cpuUsage(clientBefore);
        const routerAfter = cpuTicks(router.pid);
        cell.router.user += routerAfter.user - routerBefore.user;
        cell.router.system += routerAfter.system - routerBefore.system;
        cell.routerMain += totalTicks(mainThreadCpuTicks(router.pid)) - routerMainBefore;
        cell.upstreamTicks += totalTicks(cpuTicks(upstream.pid)) - upstreamBefore;
        cell.clientCpuUs += client.user + client.system;
        cell.timings.push(...batch.timings);
        cell.wallMs += batch.wallMs;
        cell.failures += batch.failures;
      }
    }
  }
  const peakRssKb = statusKb(router.pid, "VmHWM");
  report(cells, rssAfterStartKb, peakRssKb);
  console.log(`load average (1, 5, 15 min) at the end: ${loadAverage()}`);
}

function report(cells: Map<string, Cell>, rssAfterStartKb: number, peakRssKb: number): void {
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
      "CPU ms/req: router",
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
        target !== "direct" ? fmt(ticksToMs(totalTicks(cell.router)) / n) : "-",
        fmt(ticksToMs(cell.upstreamTicks) / n),
        fmt(cell.clientCpuUs / 1000 / n),
      ]);
    }
  }
  console.log(table(rows));
  console.log("(TTFB = first body bytes; TTLB = end of body; both from calling fetch, in the client.)");
  console.log(
    "(router = POST /v1/messages through the router; responses = POST /v1/responses through the same router; " +
      "direct = POST /v1/chat/completions to the upstream.)",
  );
  console.log("");

  for (const target of ROUTED) {
    for (const { concurrency } of levels) ratioLine(cells, target, concurrency);
  }
  for (const target of ROUTED) {
    for (const { concurrency } of levels) cpuLine(cells, target, concurrency);
  }
  console.log(
    `router RSS: ${fmt(rssAfterStartKb / 1024, 1)} MB after start-up, peak (VmHWM) ${fmt(peakRssKb / 1024, 1)} MB` +
      " (one process serving both endpoints)",
  );
}

/** TTLB/TTFB of a routed target against direct at one concurrency, with the TTLB target. */
function ratioLine(cells: Map<string, Cell>, target: RoutedTarget, concurrency: number): void {
  const direct = cells.get(`direct@${concurrency}`);
  const routed = cells.get(`${target}@${concurrency}`);
  if (!direct || !routed) return;
  const ratio = (pick: (t: Timing) => number, p: number) =>
    percentile(routed.timings.map(pick), p) / percentile(direct.timings.map(pick), p);
  const ttlbRatio = median(routed.timings.map((t) => t.ttlb)) / median(direct.timings.map((t) => t.ttlb));
  const ttfbRatio = median(routed.timings.map((t) => t.ttfb)) / median(direct.timings.map((t) => t.ttfb));
  const ratioTarget =
    concurrency === TARGET_TTLB_RATIO_CONCURRENCY
      ? `   [target ≤ ${TARGET_TTLB_RATIO}: ${ttlbRatio <= TARGET_TTLB_RATIO ? "met" : "MISSED"}]`
      : "";
  console.log(
    `${ROUTED_LABEL[target].ratio} at concurrency ${concurrency}: TTLB median ×${fmt(ttlbRatio)} (p90 ×${fmt(ratio((t) => t.ttlb, 90))})` +
      `, TTFB median ×${fmt(ttfbRatio)} (p90 ×${fmt(ratio((t) => t.ttfb, 90))})${ratioTarget}`,
  );
}

/** Router CPU per stream over a routed target's own batches at one concurrency, with the CPU target. */
function cpuLine(cells: Map<string, Cell>, target: RoutedTarget, concurrency: number): void {
  const routed = cells.get(`${target}@${concurrency}`);
  if (!routed) return;
  const n = routed.timings.length;
  const ticks = totalTicks(routed.router);
  const perStream = ticksToMs(ticks) / n;
  const per1000 = (perStream * 1000) / chunks;
  const stream = chunks === 1000 ? "" : ` (${fmt(perStream)} ms per ${chunks}-chunk stream)`;
  console.log(
    `${ROUTED_LABEL[target].cpu} at concurrency ${concurrency}: ${fmt(per1000)} ms per 1,000-chunk stream${stream}` +
      `   [target ≤ ${TARGET_CPU_MS_PER_1000} ms: ${per1000 <= TARGET_CPU_MS_PER_1000 ? "met" : "MISSED"}]` +
      `\n    ${ticks} ticks over ${n} streams; per stream: user ${fmt(ticksToMs(routed.router.user) / n)} ms, ` +
      `system ${fmt(ticksToMs(routed.router.system) / n)} ms; main thread alone ${fmt(ticksToMs(routed.routerMain) / n)} ms`,
  );
}

/** Prints what the upstream sends per request. */
function describeWorkload(): void {
  const bytes = workload.frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0);
  console.log(
    `upstream stream: ${workload.frames.length} frames, ${fmt(bytes / 1024, 1)} KB, ${workload.content.length} characters of content`,
  );
}

/** Checks once that every path delivers exactly the upstream's content. */
async function verifyAsync(specs: Record<TargetName, RequestSpec>): Promise<void> {
  const direct = await timedRequest(specs.direct, true);
  let directText = "";
  for (const data of sseData(direct.text)) {
    if (data === "[DONE]") continue;
    const chunk = parseJson(data) as { choices?: Array<{ delta?: { content?: string | null } }> } | undefined;
    directText += chunk?.choices?.[0]?.delta?.content ?? "";
  }
  const routed = await timedRequest(specs.router, true);
  let routedText = "";
  const types: string[] = [];
  let stopReason: unknown;
  for (const data of sseData(routed.text)) {
    const event = (parseJson(data) ?? { type: "(not JSON)" }) as {
      type: string;
      delta?: { type?: string; text?: string; stop_reason?: unknown };
    };
    types.push(event.type);
    if (event.type === "content_block_delta" && event.delta?.type === "text_delta") {
      routedText += event.delta.text ?? "";
    }
    if (event.type === "message_delta") stopReason = event.delta?.stop_reason;
  }
  const directOk = direct.status === 200 && directText === workload.content;
  const routedOk =
    routed.status === 200 &&
    routedText === workload.content &&
    types[types.length - 1] === "message_stop" &&
    stopReason === "end_turn";
  console.log(
    `verify: direct content ${directOk ? "matches" : "DIFFERS"}; router text_delta concatenation ` +
      `${routedOk ? "matches" : "DIFFERS"} (status ${routed.status}, ${types.length} events, ` +
      `last ${types[types.length - 1]}, stop_reason ${String(stopReason)})`,
  );
  const responsesOk = await verifyResponses(specs.responses);
  console.log("");
  if (!directOk || !routedOk || !responsesOk) {
    process.exitCode = 1;
    console.log(
      "WARNING: the router's output does not match the upstream's; the figures below are suspect.\n",
    );
  }
}

/** `/v1/responses`: the `response.output_text.delta` concatenation, and `response.completed` last. */
async function verifyResponses(spec: RequestSpec): Promise<boolean> {
  const reply = await timedRequest(spec, true);
  let text = "";
  const types: string[] = [];
  let status: unknown;
  for (const data of sseData(reply.text)) {
    const event = (parseJson(data) ?? { type: "(not JSON)" }) as {
      type: string;
      delta?: string;
      response?: { status?: unknown };
    };
    types.push(event.type);
    if (event.type === "response.output_text.delta") text += event.delta ?? "";
    if (event.type === "response.completed") status = event.response?.status;
  }
  const last = types[types.length - 1];
  const ok =
    reply.status === 200 &&
    text === workload.content &&
    last === "response.completed" &&
    status === "completed";
  console.log(
    `verify: responses output_text.delta concatenation ${ok ? "matches" : "DIFFERS"} ` +
      `(status ${reply.status}, ${types.length} events, last ${last}, response.status ${String(status)})`,
  );
  return ok;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `data:` payloads of an SSE body, one per event. */
function sseData(body: string): string[] {
  const out: string[] = [];
  for (const block of body.split("\n\n")) {
    const lines = block.split("\n").filter((line) => line.startsWith("data:"));
    if (lines.length > 0) out.push(lines.map((line) => line.slice(5).replace(/^ /, "")).join("\n"));
  }
  return out;
}

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
  } catch {
    return "n/a";
  }
}

function mean(xs: number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function intEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
