/**
 * `npm run bench:spawn`: how long grove takes to give 20 tasks their worktrees, against plain
 * `git worktree add`, and what the daemon costs while idle with those tasks open.
 *
 * Setup (once per run): a repository of BENCH_FILES small files in nested directories, one
 * commit on `main` (made with `git fast-import`), whose `.grove/config.json` sets concurrency to
 * BENCH_TASKS; a GROVE_HOME whose router.json has a `script` provider `s` that answers every
 * request at once, with "ok" (and the maintenance pipeline's review with an approval, so that
 * every task ends done); the real daemon (`node dist/cli/main.js serve --foreground`, free
 * port), followed through its change stream (`GET /api/stream`).
 *
 * Each round runs both, alternating which goes first so that drift on the machine hits both:
 * - plain: BENCH_TASKS sequential `git worktree add -b r<round>-b<i> <path> main` on the repository,
 *   timed from the first spawn to the last exit;
 * - grove: BENCH_TASKS `POST /api/tasks` (builtin agent, model `s`, all fired at once unless
 *   BENCH_POSTS=serial), timed from the first POST to the moment this process has seen every
 *   task leave `setting-up` on the stream (its worktree then exists and its agent was started).
 * Then the round waits for every agent to finish. Nothing is deleted between rounds: on ext4
 * without a journal (as here), creating files soon after deleting many is far slower
 * (ext4_new_inode skips every inode deleted in the last 60-360 s, one buffer lookup each), so
 * removing worktrees between rounds would slow the next round's checkouts several times over.
 * Branches and paths are per round instead. After the last round, the earlier rounds' tasks are
 * discarded, so exactly BENCH_TASKS stay open (done, not landed or discarded) for the idle
 * reading: the daemon's CPU (utime+stime, and the finer schedstat) and thread wake-ups over
 * BENCH_IDLE_MS, after BENCH_IDLE_SETTLE_MS.
 *
 * Not a test: it prints figures and the targets beside them, and asserts nothing (a task that
 * fails sets a non-zero exit code, since the figures are then suspect).
 *
 * Env (all optional):
 *   BENCH_FILES=20000          files in the generated repository
 *   BENCH_TASKS=20             tasks (and plain worktrees) per round
 *   BENCH_ROUNDS=3             alternating plain/grove rounds (medians are over these)
 *   BENCH_POSTS=parallel       "parallel" (all POSTs at once) or "serial" (one after the other)
 *   BENCH_PLAIN_PARALLEL=1     also time the same adds all started at once (a diagnostic: what
 *                              running git in parallel costs by itself, without grove)
 *   BENCH_IDLE_MS=10000        idle window; BENCH_IDLE_SETTLE_MS=6000 wait before it (past HTTP keep-alive)
 *   BENCH_DAEMON_NODE_ARGS=    extra node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
 *                              (the newest profile there is summarised over the grove windows)
 *   BENCH_DIR=                 where to build the repository and GROVE_HOME (default: a fresh temp dir)
 *   BENCH_KEEP=1               keep that directory afterwards (deleting it takes a while, and on
 *                              ext4 without a journal slows file creation for minutes afterwards)
 *   BENCH_FS_WAIT_S=420        how long to wait for file creation to be fast again at the start
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchGitEnv, createBigRepo, run } from "./lib/big-repo.js";
import { monotonicUs, newestProfile, summarizeProfile, type Window } from "./lib/cpu-profile.js";
import {
  cleanGroveEnv,
  type GroveDaemon,
  startGroveDaemon,
  type TaskView,
  TaskWatcher,
} from "./lib/grove-daemon.js";
import { clockTicksPerSecond, cpuTicks, mainThreadCpuTicks, ticksToMs, totalTicks } from "./lib/proc.js";
import { childCpuTicks, cpuNs, fdKinds, inotifyWatches, wakeups } from "./lib/proc-more.js";
import { fmt, median, table } from "./lib/stats.js";

const TARGET_RATIO = 1.3;
/** "About zero": below this many ms of CPU per second of idle. */
const TARGET_IDLE_MS_PER_S = 0.1;
/**
 * More git CPU per file than this, nearly all in the kernel, means the file system is slow to
 * create files right now (about 0.02 ms per file is normal here).
 */
const SLOW_CPU_MS_PER_FILE = 0.05;

const root = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const fileCount = intEnv("BENCH_FILES", 20_000);
const taskCount = Math.max(1, intEnv("BENCH_TASKS", 20));
const rounds = Math.max(1, intEnv("BENCH_ROUNDS", 3));
const idleMs = intEnv("BENCH_IDLE_MS", 10_000);
const idleSettleMs = intEnv("BENCH_IDLE_SETTLE_MS", 6_000);
const postMode = env.BENCH_POSTS === "serial" ? "serial" : "parallel";
const plainParallel = env.BENCH_PLAIN_PARALLEL === "1";
const daemonNodeArgs = (env.BENCH_DAEMON_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const profileDir = daemonNodeArgs
  .find((arg) => arg.startsWith("--cpu-prof-dir="))
  ?.slice("--cpu-prof-dir=".length);
const waitTimeoutMs = 300_000;

const LEFT_SETUP = (state: string) => state !== "queued" && state !== "setting-up";
const SETTLED = (state: string) => !["queued", "setting-up", "running", "waiting-for-input"].includes(state);

interface PlainResult {
  wallMs: number;
  addsMs: number[];
  gitCpuMs: number;
  /** The kernel's share of gitCpuMs. */
  gitSysMs: number;
  /** Adds that failed (only seen when they run at once). */
  errors: string[];
}

interface GroveResult {
  ids: number[];
  wallMs: number;
  /** From the first POST until every POST had answered. */
  postsMs: number;
  daemonCpuMs: number;
  daemonMainCpuMs: number;
  /** CPU of the processes the daemon ran and reaped (git) while the window lasted. */
  childCpuMs: number;
  /** Most tasks in `setting-up` at once (from the daemon's event timestamps). */
  maxSettingUp: number;
  /** Most worktrees being created at once (setting-up → "worktree … created" log line). */
  maxCreating: number;
  stages: Stages[];
  /** Until every agent had finished, and the CPU of everything the daemon reaped meanwhile. */
  settledMs: number;
  settledChildCpuMs: number;
  failed: string[];
}

/** Per task, from the daemon's event timestamps (ms, wall clock). */
interface Stages {
  /** First POST sent → task_created (the POST handler's git calls, and waiting for the others). */
  create: number;
  /** task_created → state setting-up (the scheduler). */
  queued: number;
  /** setting-up → the worktree log line (createWorktree: its git checks and `git worktree add`). */
  worktree: number;
  /** The worktree log line → state running (spawning the agent wrapper). */
  start: number;
}

const gitEnv = benchGitEnv(cleanGroveEnv({}));
const dir = env.BENCH_DIR ? env.BENCH_DIR : mkdtempSync(join(tmpdir(), "grove-bench-spawn-"));
const repoPath = join(dir, "repo");
const home = join(dir, "home");
const plainDir = join(dir, "plain");
const profileWindows: Window[] = [];

console.log(
  `grove spawn benchmark: ${taskCount} tasks vs ${taskCount} sequential \`git worktree add\` on a ${fileCount}-file repository; ` +
    `${rounds} alternating rounds; POSTs ${postMode === "parallel" ? "all at once" : "one after the other"}`,
);
console.log(
  `node ${process.version}, ${availableParallelism()} CPUs, ${(await run("git", ["--version"], root, gitEnv)).trim()}, ` +
    `CLK_TCK ${clockTicksPerSecond()}; working directory ${dir}`,
);
console.log(
  `load average (1, 5, 15 min) at the start: ${loadAverage()} (other work on the machine skews every figure)`,
);

mkdirSync(home, { recursive: true });
mkdirSync(plainDir, { recursive: true });
checkRoom();
const repo = await createBigRepo(repoPath, {
  files: fileCount,
  extra: { ".grove/config.json": `${JSON.stringify({ concurrency: taskCount })}\n` },
  env: gitEnv,
});
console.log(
  `repository: ${repo.files} files (${fmt(repo.bytes / 1024 / 1024, 1)} MB) in one commit ${repo.commit.slice(0, 12)}, ` +
    `made in ${fmt(repo.ms / 1000, 1)} s`,
);
writeFileSync(
  join(home, "router.json"),
  JSON.stringify({
    providers: {
      s: {
        type: "script",
        script: {
          name: "bench",
          // A maintenance task is a pipeline (implement, then review): the review must approve,
          // or the task would wait for input and never finish.
          replies: [
            {
              when: { lastUserContains: "(grove step: review)" },
              repeat: true,
              text: "ok\n\nVERDICT: APPROVED\nFINDINGS: none",
            },
            { repeat: true, text: "ok" },
          ],
        },
      },
    },
    routes: { default: "s" },
    log: { level: "silent" },
  }),
);

const daemon = await startGroveDaemon({ root, home, env: gitEnv, nodeArgs: daemonNodeArgs });
// Interrupted (e.g. by `timeout`): stop the daemon rather than leave it running.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void daemon.stop().finally(() => process.exit(130));
  });
}
let watcher: TaskWatcher | undefined;
try {
  watcher = await TaskWatcher.connect(daemon);
  console.log(
    `daemon pid ${daemon.pid} on ${daemon.url}${daemonNodeArgs.length ? ` (node ${daemonNodeArgs.join(" ")})` : ""}`,
  );
  console.log("");
  await main(daemon, watcher);
} finally {
  watcher?.close();
  await daemon.stop();
  if (profileDir) reportProfile(profileDir);
  if (env.BENCH_KEEP === "1") console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

async function main(daemon: GroveDaemon, watcher: TaskWatcher): Promise<void> {
  // Warm-up, not measured: the page cache, and the daemon's and the agent's code paths.
  progress("warm-up");
  await waitForFastFileCreation();
  const warm = await groveRound(daemon, watcher, 1, "warm");
  if (warm.failed.length > 0) console.log(`warm-up task failed: ${warm.failed.join("; ")}`);

  const plain: PlainResult[] = [];
  const parallel: PlainResult[] = [];
  const grove: GroveResult[] = [];
  const orders: string[] = [];
  type Variant = "plain" | "parallel" | "grove";
  const variants: Variant[] = plainParallel ? ["plain", "parallel", "grove"] : ["plain", "grove"];
  for (let round = 0; round < rounds; round++) {
    progress(`round ${round + 1} of ${rounds}`);
    // Rotate the order, so that each variant runs first, last (and in the middle) equally often.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    orders.push(order.join(", "));
    for (const variant of order) {
      if (variant === "plain") plain.push(await plainRound(taskCount, `r${round}`, 1));
      else if (variant === "parallel") parallel.push(await plainRound(taskCount, `p${round}`, taskCount));
      else grove.push(await groveRound(daemon, watcher, taskCount, `r${round}`));
    }
  }
  // Only the last grove round's tasks stay open; the others (and the warm-up) are discarded.
  const keep = new Set(grove.at(-1)!.ids);
  for (const id of [...warm.ids, ...grove.slice(0, -1).flatMap((g) => g.ids)]) {
    if (!keep.has(id)) await daemon.api("POST", `/api/tasks/${id}/discard`);
  }
  progress(`idle: ${idleSettleMs} ms to settle, then ${idleMs} ms measured`);
  const idle = await idleReading(daemon, watcher);
  report(plain, parallel, grove, orders);
  reportIdle(idle);
  console.log(`load average (1, 5, 15 min) at the end: ${loadAverage()}`);
}

/**
 * `count` × `git worktree add -b <label>-b<i> <path> main` (left in place), `at once` at a time:
 * 1 is the plain sequential loop; `count` starts them all together, as grove does.
 */
async function plainRound(count: number, label: string, atOnce: number): Promise<PlainResult> {
  const paths = Array.from({ length: count }, (_, i) => join(plainDir, label, `w${i}`));
  const addsMs: number[] = [];
  const errors: string[] = [];
  const cpuBefore = childCpuTicks(process.pid);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      try {
        await run("git", ["worktree", "add", "-b", `${label}-b${i}`, paths[i]!, "main"], repoPath, gitEnv);
      } catch (error) {
        errors.push((error as Error).message.trim());
      }
      addsMs.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, count) }, worker));
  const wallMs = performance.now() - started;
  const cpuAfter = childCpuTicks(process.pid);
  const gitCpuMs = ticksToMs(totalTicks(cpuAfter) - totalTicks(cpuBefore));
  const gitSysMs = ticksToMs(cpuAfter.system - cpuBefore.system);
  return { wallMs, addsMs, gitCpuMs, gitSysMs, errors };
}

async function groveRound(
  daemon: GroveDaemon,
  watcher: TaskWatcher,
  count: number,
  label: string,
): Promise<GroveResult> {
  const bodies = Array.from({ length: count }, (_, i) => ({
    cwd: repoPath,
    prompt: `Reply with ok (${label} task ${i}).`,
    agent: "builtin",
    model: "s",
    kind: "maintenance",
    base: "main",
    name: `${label}-t${i}`,
  }));
  const post = (body: (typeof bodies)[number]) => daemon.api<TaskView>("POST", "/api/tasks", body);

  const cpuBefore = cpuTicks(daemon.pid);
  const mainBefore = totalTicks(mainThreadCpuTicks(daemon.pid));
  const childBefore = totalTicks(childCpuTicks(daemon.pid));
  const windowStart = monotonicUs();
  const wallStart = Date.now();
  const started = performance.now();
  let created: TaskView[];
  if (postMode === "parallel") created = await Promise.all(bodies.map(post));
  else {
    created = [];
    for (const body of bodies) created.push(await post(body));
  }
  const postsMs = performance.now() - started;
  const ids = created.map((task) => task.id);
  const leftAt = (id: number) => {
    const seen = watcher.seenAt.get(id);
    if (!seen) return undefined;
    const times = [...seen].filter(([state]) => LEFT_SETUP(state)).map(([, t]) => t);
    return times.length > 0 ? Math.min(...times) : undefined;
  };
  await watcher.waitUntil(
    () => ids.every((id) => leftAt(id) !== undefined),
    waitTimeoutMs,
    `${label}: every task out of setting-up`,
  );
  const cpuAfter = cpuTicks(daemon.pid);
  const mainAfter = totalTicks(mainThreadCpuTicks(daemon.pid));
  const childAfter = totalTicks(childCpuTicks(daemon.pid));
  if (label !== "warm") profileWindows.push({ startUs: windowStart, endUs: monotonicUs() });
  const wallMs = Math.max(...ids.map((id) => leftAt(id)!)) - started;

  await watcher.waitUntil(
    () => ids.every((id) => SETTLED(watcher.tasks.get(id)?.state ?? "queued")),
    waitTimeoutMs,
    `${label}: every agent finished`,
  );
  const settledMs = performance.now() - started;
  const settledChildCpuMs = ticksToMs(totalTicks(childCpuTicks(daemon.pid)) - childBefore);
  const failed = ids
    .map((id) => watcher.tasks.get(id)!)
    .filter((task) => task.state !== "done")
    .map((task) => `task ${task.id} ${task.state}: ${task.error ?? "(no error)"}`);
  if (failed.length > 0) process.exitCode = 1;

  const stages = ids.map((id) => taskStages(watcher, id, wallStart));
  const result: GroveResult = {
    ids,
    wallMs,
    postsMs,
    daemonCpuMs: ticksToMs(totalTicks(cpuAfter) - totalTicks(cpuBefore)),
    daemonMainCpuMs: ticksToMs(mainAfter - mainBefore),
    childCpuMs: ticksToMs(childAfter - childBefore),
    maxSettingUp: maxOverlap(ids.map((id) => interval(watcher, id, "setting-up", "running"))),
    maxCreating: maxOverlap(ids.map((id) => interval(watcher, id, "setting-up", "worktree"))),
    stages,
    settledMs,
    settledChildCpuMs,
    failed,
  };
  return result;
}

function eventTime(watcher: TaskWatcher, id: number, mark: string): number | undefined {
  const events = watcher.events.get(id) ?? [];
  const event =
    mark === "created"
      ? events.find((e) => e.type === "task_created")
      : mark === "worktree"
        ? events.find((e) => e.type === "setup_output" && String(e.body.text).startsWith("worktree "))
        : events.find((e) => e.type === "state_changed" && e.body.to === mark);
  return event ? Date.parse(event.ts) : undefined;
}

function taskStages(watcher: TaskWatcher, id: number, wallStart: number): Stages {
  const created = eventTime(watcher, id, "created") ?? Number.NaN;
  const settingUp = eventTime(watcher, id, "setting-up") ?? Number.NaN;
  const worktree = eventTime(watcher, id, "worktree") ?? Number.NaN;
  const running = eventTime(watcher, id, "running") ?? Number.NaN;
  return {
    create: created - wallStart,
    queued: settingUp - created,
    worktree: worktree - settingUp,
    start: running - worktree,
  };
}

function interval(watcher: TaskWatcher, id: number, from: string, to: string): [number, number] {
  return [eventTime(watcher, id, from) ?? Number.NaN, eventTime(watcher, id, to) ?? Number.NaN];
}

/** The most intervals open at one instant (an interval ending exactly as another starts does not overlap). */
function maxOverlap(intervals: [number, number][]): number {
  const points: [number, number][] = [];
  for (const [start, end] of intervals) {
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    points.push([start, 1], [end, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) {
    open += delta;
    most = Math.max(most, open);
  }
  return most;
}

interface IdleResult {
  openTasks: number;
  seconds: number;
  ticks: number;
  ns: number;
  mainTicks: number;
  wake: { voluntary: number; nonvoluntary: number; mainVoluntary: number; threads: number };
  streamMessages: number;
  fds: Record<string, number>;
  watches: number;
}

/** The daemon's CPU and wake-ups over an idle window, with the last round's tasks open. */
async function idleReading(daemon: GroveDaemon, watcher: TaskWatcher): Promise<IdleResult> {
  // Asked before settling, so that this request's keep-alive socket closes before the window.
  const tasks = await daemon.api<TaskView[]>("GET", "/api/tasks");
  const openTasks = tasks.filter((task) => task.state !== "landed" && task.state !== "discarded").length;
  await sleep(idleSettleMs);
  const ticksBefore = totalTicks(cpuTicks(daemon.pid));
  const mainBefore = totalTicks(mainThreadCpuTicks(daemon.pid));
  const nsBefore = cpuNs(daemon.pid);
  const wakeBefore = wakeups(daemon.pid);
  const messagesBefore = watcher.messages;
  const started = performance.now();
  await sleep(idleMs);
  const seconds = (performance.now() - started) / 1000;
  const wakeAfter = wakeups(daemon.pid);
  return {
    openTasks,
    seconds,
    ticks: totalTicks(cpuTicks(daemon.pid)) - ticksBefore,
    ns: cpuNs(daemon.pid) - nsBefore,
    mainTicks: totalTicks(mainThreadCpuTicks(daemon.pid)) - mainBefore,
    wake: {
      voluntary: wakeAfter.voluntary - wakeBefore.voluntary,
      nonvoluntary: wakeAfter.nonvoluntary - wakeBefore.nonvoluntary,
      mainVoluntary: wakeAfter.mainVoluntary - wakeBefore.mainVoluntary,
      threads: wakeAfter.threads,
    },
    streamMessages: watcher.messages - messagesBefore,
    fds: fdKinds(daemon.pid),
    watches: inotifyWatches(daemon.pid),
  };
}

function report(plain: PlainResult[], parallel: PlainResult[], grove: GroveResult[], orders: string[]): void {
  const withParallel = parallel.length > 0;
  const rows: string[][] = [
    [
      "round",
      "order",
      "plain",
      ...(withParallel ? ["plain at once"] : []),
      "grove",
      "grove/plain",
      "POSTs answered",
      "max setting-up",
      "max creating",
      "daemon CPU (main)",
      "git CPU: plain",
      ...(withParallel ? ["at once"] : []),
      "grove",
      "all agents done",
    ],
  ];
  for (let i = 0; i < grove.length; i++) {
    const p = plain[i]!;
    const q = parallel[i];
    const g = grove[i]!;
    rows.push([
      String(i + 1),
      orders[i]!,
      `${fmt(p.wallMs, 0)} ms`,
      ...(q ? [`${fmt(q.wallMs, 0)} ms${q.errors.length ? ` (${q.errors.length} failed)` : ""}`] : []),
      `${fmt(g.wallMs, 0)} ms${g.failed.length ? ` (${g.failed.length} failed)` : ""}`,
      `×${fmt(g.wallMs / p.wallMs)}`,
      `${fmt(g.postsMs, 0)} ms`,
      String(g.maxSettingUp),
      String(g.maxCreating),
      `${fmt(g.daemonCpuMs, 0)} ms (${fmt(g.daemonMainCpuMs, 0)})`,
      `${fmt(p.gitCpuMs, 0)} ms`,
      ...(q ? [`${fmt(q.gitCpuMs, 0)} ms`] : []),
      `${fmt(g.childCpuMs, 0)} ms`,
      `${fmt(g.settledMs, 0)} ms`,
    ]);
  }
  console.log(table(rows));
  console.log(
    "(plain: first spawn → last exit of the sequential adds. grove: first POST → every task seen out of setting-up on\n" +
      " /api/stream. max setting-up / max creating: most tasks at once in setting-up / inside createWorktree, from the\n" +
      " daemon's event timestamps. daemon CPU: utime+stime over the grove window, all threads (main thread alone).\n" +
      " git CPU: children reaped during the window, i.e. every git process; for grove also each agent wrapper that\n" +
      " exited within the window, with its agent and its `git add -A`. all agents done: first POST → every task done.)",
  );
  console.log("");

  const addMs = plain.flatMap((p) => p.addsMs);
  const gitCpu = plain.reduce((sum, p) => sum + p.gitCpuMs, 0);
  const gitSys = plain.reduce((sum, p) => sum + p.gitSysMs, 0);
  console.log(
    `plain \`git worktree add\`: median ${fmt(median(addMs), 0)} ms per worktree (min ${fmt(Math.min(...addMs), 0)}, ` +
      `max ${fmt(Math.max(...addMs), 0)}) over ${addMs.length}; git CPU ${fmt(gitCpu / addMs.length, 0)} ms per add, ` +
      `${fmt((100 * gitSys) / gitCpu, 0)}% of it in the kernel`,
  );
  for (const [i, p] of plain.entries()) {
    if (slowFileCreation(p))
      console.log(
        `  round ${i + 1}: ${fmt(p.gitCpuMs / p.addsMs.length, 0)} ms of git CPU per add, nearly all in the kernel: the file system was ` +
          "slow to create files (on ext4 without a journal: many files deleted in the last minutes); that round is suspect",
      );
  }
  if (withParallel) {
    const atOnce = parallel.flatMap((p) => p.addsMs);
    const errors = parallel.flatMap((p) => p.errors);
    console.log(
      `${taskCount} \`git worktree add\` at once: each took median ${fmt(median(atOnce), 0)} ms; all ${taskCount} done in ` +
        `median ${fmt(median(parallel.map((p) => p.wallMs)), 0)} ms (×${fmt(median(parallel.map((p) => p.wallMs)) / median(plain.map((p) => p.wallMs)))} the sequential loop)` +
        (errors.length ? `; ${errors.length} failed, e.g. ${errors[0]}` : "; none failed"),
    );
  }
  const stages = grove.flatMap((g) => g.stages);
  const describe = (pick: (s: Stages) => number) => {
    const values = stages.map(pick).filter(Number.isFinite);
    return `median ${fmt(median(values), 0)}, max ${fmt(Math.max(...values), 0)}`;
  };
  console.log(`grove per task (ms, daemon clock, over ${stages.length} tasks):`);
  console.log(
    `  first POST → task_created (POST handler: git checks, branch name)   ${describe((s) => s.create)}`,
  );
  console.log(
    `  task_created → setting-up (scheduler)                              ${describe((s) => s.queued)}`,
  );
  console.log(
    `  setting-up → worktree created (createWorktree)                      ${describe((s) => s.worktree)}`,
  );
  console.log(
    `  worktree created → running (wrapper spawned)                        ${describe((s) => s.start)}`,
  );
  console.log(
    `grove: CPU of every process the daemon ran (git, agent wrappers, agents), first POST → all agents done: median ` +
      `${fmt(median(grove.map((g) => g.settledChildCpuMs)), 0)} ms per round, against ${fmt(median(plain.map((p) => p.gitCpuMs)), 0)} ms of git CPU for the plain loop`,
  );
  const mostCreating = Math.max(...grove.map((g) => g.maxCreating));
  console.log(
    `grove's daemon created worktrees ${mostCreating > 1 ? `in parallel (up to ${mostCreating} at once)` : "one at a time"}; ` +
      `concurrency limit ${taskCount} (.grove/config.json)`,
  );
  console.log("");

  const plainMedian = median(plain.map((p) => p.wallMs));
  const groveMedian = median(grove.map((g) => g.wallMs));
  const ratio = groveMedian / plainMedian;
  const ratioMedian = median(grove.map((g, i) => g.wallMs / plain[i]!.wallMs));
  console.log(
    `time until all ${taskCount} worktrees are ready: grove ${fmt(groveMedian, 0)} ms, plain ${fmt(plainMedian, 0)} ms (medians of ${grove.length}); ` +
      `grove/plain ×${fmt(ratio)} (median of per-round ratios ×${fmt(ratioMedian)})` +
      `   [target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "MISSED"}]`,
  );
  const failed = grove.flatMap((g) => g.failed);
  if (failed.length > 0)
    console.log(`WARNING: ${failed.length} tasks did not end done:\n  ${failed.join("\n  ")}`);
}

function reportIdle(idle: IdleResult): void {
  const msPerS = ticksToMs(idle.ticks) / idle.seconds;
  const nsMsPerS = idle.ns / 1e6 / idle.seconds;
  const precise = Number.isFinite(nsMsPerS);
  const shown = precise ? nsMsPerS : msPerS;
  console.log(
    `daemon CPU while idle with ${idle.openTasks} tasks open, over ${fmt(idle.seconds, 1)} s: ` +
      `${fmt(shown, 3)} ms of CPU per second${precise ? " (schedstat, all threads)" : ""}` +
      `   [target ≈ 0 (≤ ${TARGET_IDLE_MS_PER_S}): ${shown <= TARGET_IDLE_MS_PER_S ? "met" : "MISSED"}]`,
  );
  console.log(
    `    utime+stime ${idle.ticks} ticks (${fmt(msPerS, 2)} ms/s; main thread ${idle.mainTicks} ticks); ` +
      `wake-ups ${fmt(idle.wake.voluntary / idle.seconds, 2)}/s over ${idle.wake.threads} threads ` +
      `(main thread ${fmt(idle.wake.mainVoluntary / idle.seconds, 2)}/s, involuntary ${idle.wake.nonvoluntary}); ` +
      `stream messages ${idle.streamMessages}`,
  );
  if (daemonNodeArgs.some((arg) => arg.startsWith("--cpu-prof")))
    console.log(
      "    (the daemon runs under --cpu-prof: its sampling thread wakes ~1,000 times a second, so ignore these idle figures)",
    );
  console.log(
    `    daemon fds: ${Object.entries(idle.fds)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ")}; inotify watches ${idle.watches}`,
  );
}

function reportProfile(dir: string): void {
  const path = newestProfile(dir);
  if (!path) {
    console.log(`no .cpuprofile in ${dir}`);
    return;
  }
  const summary = summarizeProfile(path, profileWindows);
  console.log("");
  console.log(
    `daemon CPU profile ${path}: ${summary.windowsMatched ? `the ${profileWindows.length} grove windows` : "whole run (windows did not match the profile clock)"}, ` +
      `${fmt(summary.sampledMs, 0)} ms sampled, ${fmt(summary.idleMs, 0)} ms idle`,
  );
  const top = (rows: typeof summary.functions, n: number, by: "selfMs" | "totalMs") =>
    table([
      ["", "self ms", "total ms"],
      ...[...rows]
        .sort((a, b) => b[by] - a[by])
        .slice(0, n)
        .map((row) => [row.key, fmt(row.selfMs, 0), fmt(row.totalMs, 0)]),
    ]);
  console.log("by script (self time):");
  console.log(top(summary.scripts, 15, "selfMs"));
  console.log("functions by self time:");
  console.log(top(summary.functions, 25, "selfMs"));
  console.log("functions by total time:");
  console.log(top(summary.functions, 40, "totalMs"));
}

/**
 * Every checkout is kept until the end (see the header), so the run needs room for
 * (rounds × tasks × variants + 3) copies of the repository: warns when the file system lacks the
 * inodes or blocks (a full file system, e.g. a tmpfs out of inodes, makes checkouts fail).
 */
function checkRoom(): void {
  const copies = rounds * taskCount * (plainParallel ? 3 : 2) + 3;
  const inodes = copies * Math.ceil(fileCount * 1.05); // files, their directories, git's admin files
  try {
    const fs = statfsSync(dir);
    const bytes = inodes * fs.bsize; // each small file takes at least one block
    const short: string[] = [];
    if (fs.ffree < inodes) short.push(`${inodes} inodes (${fs.ffree} free)`);
    if (fs.bavail * fs.bsize < bytes)
      short.push(`${fmt(bytes / 2 ** 30, 1)} GB (${fmt((fs.bavail * fs.bsize) / 2 ** 30, 1)} GB free)`);
    if (short.length > 0)
      console.log(
        `WARNING: ${copies} checkouts need about ${short.join(" and ")} in ${dir}; checkouts may fail`,
      );
  } catch {
    // No statfs here: go ahead.
  }
}

function slowFileCreation(p: PlainResult): boolean {
  return p.gitSysMs > 0.8 * p.gitCpuMs && p.gitCpuMs / p.addsMs.length / fileCount > SLOW_CPU_MS_PER_FILE;
}

/**
 * One warm-up checkout, repeated every 30 s (up to BENCH_FS_WAIT_S) while file creation is
 * pathologically slow, as it is on ext4 without a journal for minutes after many deletions
 * (e.g. the previous run's clean-up): such a start would skew the first rounds.
 */
async function waitForFastFileCreation(): Promise<void> {
  const maxWaitS = intEnv("BENCH_FS_WAIT_S", 420);
  let warm = await plainRound(1, "warm0", 1);
  for (let waited = 0, n = 1; slowFileCreation(warm) && waited < maxWaitS; waited += 30, n++) {
    progress(
      `file creation is slow (${fmt(warm.gitCpuMs, 0)} ms of git CPU for one checkout, ${fmt((100 * warm.gitSysMs) / warm.gitCpuMs, 0)}% in the kernel); waiting 30 s`,
    );
    await sleep(30_000);
    warm = await plainRound(1, `warm${n}`, 1);
  }
  if (slowFileCreation(warm))
    console.log(
      `WARNING: file creation is still slow after ${maxWaitS} s (${fmt(warm.gitCpuMs, 0)} ms of git CPU for one checkout); the figures are suspect`,
    );
}

/** Progress goes to stderr, so stdout holds only the results. */
function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
