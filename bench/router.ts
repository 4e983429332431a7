/**
 * `npm run bench:router`: what the router costs on a long stream of small chunks, on Node and
 * as a Cloudflare Worker in workerd.
 *
 * A fast fake OpenAI-compatible upstream (its own child process) streams BENCH_CHUNKS content
 * chunks per request, then a finish chunk, a usage-only chunk and `[DONE]`. The real router
 * (`node dist/cli/main.js router …`, another child process) translates them to Anthropic SSE
 * (POST /v1/messages, target "router") or to OpenAI Responses events (POST /v1/responses,
 * target "responses"). The same router as a Worker (`grove worker init` in key passthrough,
 * then `grove worker dev`: real workerd, its own process) serves POST /v1/messages as target
 * "worker". As a floor under the router's figures, "passthrough" is a bare Node proxy (node:http
 * and undici, bytes copied, nothing parsed: bench/lib/passthrough-main.ts, its own process) in
 * front of the same upstream. This process is the client: it calls the upstream directly
 * (POST /v1/chat/completions) and through each router, with plain `fetch` for all, at each
 * concurrency, in rounds whose order rotates (direct, passthrough, router, responses, worker;
 * then passthrough, router, responses, worker, direct; …) so that noise on the machine hits
 * every target alike.
 *
 * Server CPU (utime+stime) and peak RSS (VmHWM) are read from /proc/<pid> of the process that
 * serves the target (the Node router, the passthrough proxy, or workerd; on a machine with two
 * CPUs or fewer `grove router` runs again as a child of its launcher with --single-threaded-gc,
 * see src/node/gc-mode.ts, and the CPU of both counts); CPU comes in clock
 * ticks (10 ms at CLK_TCK 100), so it is measured over whole batches and divided; each routed
 * target's CPU is summed over that target's own batches only. The Node router's peak RSS covers both its endpoints.
 * Not a test: it prints figures and the targets beside them, and asserts nothing (only a failed
 * correctness check sets a non-zero exit code). The targets are the Node router's; the worker's
 * figures are printed beside them for comparison.
 *
 * Env (all optional):
 *   BENCH_CHUNKS=1000            content chunks per stream
 *   BENCH_LEVELS=1:200,32:2560   concurrency:requests per target (measured, after warm-up); a
 *                                round of each needs to be long against the concurrency, or the
 *                                ramp up and down at its ends (fewer streams in flight, smaller
 *                                reads) weighs on the per-stream CPU
 *   BENCH_WORKER_MAX=200         at most this many requests per level for the worker (workerd
 *                                is some 15 times slower; its figures are only for comparison)
 *   BENCH_JIT_WARMUP=2000        streams per target before anything is measured, at the highest
 *                                concurrency: V8 compiles a router's hot paths over its first
 *                                thousand or so streams (0 skips; the CPU they cost is printed)
 *   BENCH_JIT_WARMUP_S=20        ...but at most this many seconds per target
 *   BENCH_WARMUP=20              warm-up requests per target and concurrency
 *   BENCH_ROUNDS=4               measured requests are split into this many rounds (every target each)
 *   BENCH_UPSTREAM_WRITE=frames  "frames" (one res.write per chunk) or "coalesce" (one write)
 *   BENCH_FRAMES_PER_TICK=10     frames the upstream writes per event-loop turn ("frames" mode)
 *   BENCH_ROUTER_NODE_ARGS=      extra node flags for the router, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
 *   BENCH_ROUTER_FLAGS=          extra `grove router` flags, e.g. "--no-coalesce-deltas" (one delta per
 *                                upstream chunk: by default the router joins the text deltas of one read)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerChild, startServerChild } from "./lib/child.js";
import { type RequestSpec, runBatch } from "./lib/client.js";
import { DEFAULT_FRAMES_PER_TICK } from "./lib/fast-upstream.js";
import {
  clockTicksPerSecond,
  cpuTicks,
  mainThreadCpuTicks,
  statusKb,
  totalTicks,
  treeCpuTicks,
  workingPid,
} from "./lib/proc.js";
import { type Cell, report, TARGETS, type TargetName } from "./lib/router-report.js";
import { verifyDirect, verifyMessages, verifyResponses } from "./lib/router-verify.js";
import { fmt } from "./lib/stats.js";
import { warmUpTargets } from "./lib/warm-up.js";
import { startWorkerdChild, type WorkerdChild } from "./lib/workerd-child.js";
import { buildWorkload, MODEL } from "./lib/workload.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const chunks = intEnv("BENCH_CHUNKS", 1000);
const warmup = intEnv("BENCH_WARMUP", 20);
const jitWarmup = intEnv("BENCH_JIT_WARMUP", 2000);
const jitWarmupSeconds = intEnv("BENCH_JIT_WARMUP_S", 20);
const rounds = Math.max(1, intEnv("BENCH_ROUNDS", 4));
const framesPerTick = intEnv("BENCH_FRAMES_PER_TICK", DEFAULT_FRAMES_PER_TICK);
const writeMode = env.BENCH_UPSTREAM_WRITE === "coalesce" ? "coalesce" : "frames";
const routerNodeArgs = (env.BENCH_ROUTER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const routerFlags = (env.BENCH_ROUTER_FLAGS ?? "").split(/\s+/).filter(Boolean);
const workerMax = intEnv("BENCH_WORKER_MAX", 200);
const levels = (env.BENCH_LEVELS ?? "1:200,32:2560").split(",").map((level) => {
  const [concurrency, requests] = level.split(":").map(Number);
  if (!Number.isInteger(concurrency) || !Number.isInteger(requests) || concurrency! < 1 || requests! < 1) {
    throw new Error(`BENCH_LEVELS: expected concurrency:requests pairs, got "${level}"`);
  }
  return { concurrency: concurrency!, requests: requests! };
});

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
let passthrough: ServerChild | undefined;
let router: ServerChild | undefined;
let worker: WorkerdChild | undefined;
// The router's request log (on, as for users) goes to a scratch GROVE_HOME, not the user's.
const routerHome = mkdtempSync(join(tmpdir(), "grove-bench-router-"));
try {
  passthrough = await startServerChild(
    "passthrough",
    process.execPath,
    ["--import", "tsx", "bench/lib/passthrough-main.ts", upstream.url],
    { cwd: root, ready: /passthrough listening on (\S+)/ },
  );
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
      ...routerFlags,
    ],
    { cwd: root, env: { ...env, GROVE_HOME: routerHome }, ready: /grove router listening on (\S+)/ },
  );
  worker = await startWorkerdChild(root, upstream.url, MODEL);
  await main(passthrough, router, worker);
} finally {
  await worker?.stop();
  await router?.stop();
  await passthrough?.stop();
  await upstream.stop();
  rmSync(routerHome, { recursive: true, force: true });
}

async function main(passthrough: ServerChild, router: ServerChild, worker: WorkerdChild): Promise<void> {
  const messages = (url: string): RequestSpec => ({
    url: `${url}/v1/messages`,
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "bench" },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      stream: true,
      messages: [{ role: "user", content: "Write something." }],
    }),
  });
  const chat = (url: string): RequestSpec => ({
    url,
    headers: { "content-type": "application/json", authorization: "Bearer bench" },
    body: JSON.stringify({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 4096,
      messages: [{ role: "user", content: "Write something." }],
    }),
  });
  const specs: Record<TargetName, RequestSpec> = {
    direct: chat(`${upstream.url}/chat/completions`),
    passthrough: chat(`${passthrough.url}/v1/chat/completions`),
    router: messages(router.url),
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
    worker: messages(worker.url),
  };
  const servingPid = (target: TargetName) =>
    target === "worker" ? worker.workerdPid : target === "passthrough" ? passthrough.pid : router.pid;
  // On a small machine `grove router` runs again in a child node with V8 flags (src/node/relaunch.ts):
  // its CPU counts with the launcher's, and the child's main thread and memory are the router's.
  const routerWorker = workingPid(router.pid);
  const mainThreadOf = (pid: number) => (pid === router.pid ? routerWorker : pid);

  const rssAfterStartKb = {
    router: statusKb(routerWorker, "VmRSS"),
    workerd: statusKb(worker.workerdPid, "VmRSS"),
  };
  console.log(
    `grove router benchmark: ${chunks} content chunks/stream (+ finish, usage-only, [DONE]); ` +
      `upstream writes ${writeMode === "frames" ? `one res.write per chunk, ${framesPerTick} per event-loop turn` : "the whole body at once"}; ` +
      (routerFlags.includes("--no-coalesce-deltas")
        ? "the router sends one delta per upstream chunk (--no-coalesce-deltas)"
        : "the router joins the text deltas of each upstream read (the default)"),
  );
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, CLK_TCK ${clockTicksPerSecond()}; ` +
      `upstream pid ${upstream.pid}, router pid ${routerLabel(router.pid, routerWorker)}, workerd pid ${worker.workerdPid}; ` +
      `JIT warm-up ${jitWarmup} streams/target (at most ${jitWarmupSeconds} s each), then warm-up ` +
      `${warmup}/target/level, ${rounds} alternating rounds`,
  );
  console.log(
    `load average (1, 5, 15 min) at the start: ${loadAverage()} (other work on the machine skews every figure)`,
  );
  console.log("");
  describeWorkload();
  await verifyAll(specs);
  if (jitWarmup > 0) {
    const concurrency = Math.max(...levels.map((level) => level.concurrency));
    const cpuOf = (target: TargetName) => (target === "direct" ? undefined : servingPid(target));
    const summary = await warmUpTargets(TARGETS, specs, cpuOf, {
      streams: jitWarmup,
      seconds: jitWarmupSeconds,
      concurrency,
    });
    console.log(`JIT warm-up at concurrency ${concurrency}, not counted below: ${summary}\n`);
  }

  const cells = new Map<string, Cell>();
  for (const { concurrency, requests } of levels) {
    for (const target of TARGETS) await runBatch(specs[target], concurrency, warmup);
    for (let round = 0; round < rounds; round++) {
      const share = Math.floor(requests / rounds) + (round < requests % rounds ? 1 : 0);
      if (share === 0) continue;
      // Rotate the order each round, so no target always runs first (or right after another).
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
      for (const target of order) {
        const count = target === "worker" ? Math.min(share, Math.ceil(workerMax / rounds)) : share;
        if (count === 0) continue;
        const key = `${target}@${concurrency}`;
        const cell = cells.get(key) ?? {
          timings: [],
          wallMs: 0,
          failures: 0,
          server: { user: 0, system: 0 },
          serverMain: 0,
          upstreamTicks: 0,
          clientCpuUs: 0,
        };
        cells.set(key, cell);
        const pid = servingPid(target);
        const serverBefore = treeCpuTicks(pid);
        const serverMainBefore = totalTicks(mainThreadCpuTicks(mainThreadOf(pid)));
        const upstreamBefore = totalTicks(cpuTicks(upstream.pid));
        const clientBefore = process.cpuUsage();
        const batch = await runBatch(specs[target], concurrency, count);
        const client = process.cpuUsage(clientBefore);
        const serverAfter = treeCpuTicks(pid);
        cell.server.user += serverAfter.user - serverBefore.user;
        cell.server.system += serverAfter.system - serverBefore.system;
        cell.serverMain += totalTicks(mainThreadCpuTicks(mainThreadOf(pid))) - serverMainBefore;
        cell.upstreamTicks += totalTicks(cpuTicks(upstream.pid)) - upstreamBefore;
        cell.clientCpuUs += client.user + client.system;
        cell.timings.push(...batch.timings);
        cell.wallMs += batch.wallMs;
        cell.failures += batch.failures;
      }
    }
  }
  report(cells, { levels, chunks });
  console.log(
    `router RSS: ${fmt(rssAfterStartKb.router / 1024, 1)} MB after start-up, peak (VmHWM) ` +
      `${fmt(statusKb(routerWorker, "VmHWM") / 1024, 1)} MB (one process serving both endpoints${launcherRss(router.pid, routerWorker)}); ` +
      `workerd RSS: ${fmt(rssAfterStartKb.workerd / 1024, 1)} MB after start-up, peak ` +
      `${fmt(statusKb(worker.workerdPid, "VmHWM") / 1024, 1)} MB`,
  );
  console.log(`load average (1, 5, 15 min) at the end: ${loadAverage()}`);
}

function routerLabel(launcher: number, worker: number): string {
  if (launcher === worker) return String(launcher);
  const args = readFileSync(`/proc/${worker}/cmdline`, "utf8").split("\0").slice(1);
  const script = args.findIndex((arg) => !arg.startsWith("-"));
  const flags = script > 0 ? args.slice(0, script).join(" ") : "no node flags";
  return `${worker} (run by launcher ${launcher} with ${flags})`;
}

function launcherRss(launcher: number, worker: number): string {
  return launcher === worker ? "" : `; its launcher: ${fmt(statusKb(launcher, "VmRSS") / 1024, 1)} MB more`;
}

/** Prints what the upstream sends per request. */
function describeWorkload(): void {
  const bytes = workload.frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0);
  console.log(
    `upstream stream: ${workload.frames.length} frames, ${fmt(bytes / 1024, 1)} KB, ${workload.content.length} characters of content`,
  );
}

/** Checks once that every path delivers exactly the upstream's content. */
async function verifyAll(specs: Record<TargetName, RequestSpec>): Promise<void> {
  const checks = [
    await verifyDirect(specs.direct, workload.content),
    await verifyDirect(specs.passthrough, workload.content, "passthrough"),
    await verifyMessages("router", specs.router, workload.content),
    await verifyResponses("responses", specs.responses, workload.content),
    await verifyMessages("worker (workerd)", specs.worker, workload.content),
  ];
  console.log("");
  if (checks.includes(false)) {
    process.exitCode = 1;
    console.log("WARNING: a router's output does not match the upstream's; the figures below are suspect.\n");
  }
}

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
  } catch {
    return "n/a";
  }
}

function intEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
