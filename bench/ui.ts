/**
 * `npm run bench:ui`: how fast the dashboard shows what agents do, in real headless Chromium
 * (Debian's `chromium`, driven by playwright-core) against the real daemon.
 *
 * 1. Live transcript latency. A sample repository whose `.grove/config.json` allows BENCH_AGENTS
 *    agents at once; `$GROVE_HOME/router.json` has a `script` provider `s` whose one reply is
 *    BENCH_TOKENS numbered words (`w0001 w0002 …`), streamed one word per chunk every
 *    BENCH_CHUNK_MS ms (and, to the maintenance lane's architect review that follows each run,
 *    an approving verdict). BENCH_AGENTS built-in agents start on it together. While they
 *    stream, the page visits their task views in turn (in-app navigation, BENCH_DWELL_MS each). A
 *    MutationObserver in the page records, with the page's wall clock (`Date.now()`), when each
 *    word first appears in a transcript text row. Each word's latency is that time minus the
 *    `ts` of the agent's `text_delta` event that completed it (the agent's own wall clock, stamped
 *    as it emits the event; same machine, same clock). Only words emitted while the view's stream
 *    was live count; before leaving a view the page is given up to 5 s to show every word emitted
 *    until then, and a word it still has not shown counts as missed.
 * 2. Board with many tasks. A second daemon with BENCH_BOARD_TASKS tasks on a repository with
 *    concurrency 1 whose setup command sleeps, so one task sits in setting-up and the rest stay
 *    queued (no agent runs). Each load navigates the page to `/` and measures, from navigation
 *    start (`performance.now()` in the new document, observed by an init script), until the
 *    columns' `data-count` attributes add up to every task (columns are virtualized, so cards are
 *    counted through the columns, not the DOM). Also timed: switching to the Board in-app from the
 *    review page (a click on the nav link until the same count).
 *
 * Not a test: it prints medians and percentiles and asserts nothing (a task that fails, or a word
 * never shown, sets a non-zero exit code, since the figures are then suspect).
 *
 * Env (all optional):
 *   BENCH_AGENTS=20        agents streaming at once
 *   BENCH_TOKENS=300       words per reply (each its own chunk)
 *   BENCH_CHUNK_MS=50      delay between chunks
 *   BENCH_DWELL_MS=1000    time on each task view before moving to the next
 *   BENCH_BOARD_TASKS=200  tasks on the Board
 *   BENCH_BOARD_LOADS=7    measured Board loads (after one warm-up)
 *   BENCH_DIR=             working directory (default: a fresh temp dir); BENCH_KEEP=1 keeps it
 */
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { createSampleRepo, SAMPLE_AUTHOR } from "../src/node/sample-repo.js";
import { launchChromium, newDashboardContext, signIn } from "../test/e2e/browser.js";
import {
  cleanGroveEnv,
  type GroveDaemon,
  startGroveDaemon,
  type TaskEvent,
  type TaskView,
  TaskWatcher,
} from "./lib/grove-daemon.js";
import { fmt, median, percentile, table } from "./lib/stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const agents = intEnv("BENCH_AGENTS", 20);
const tokens = intEnv("BENCH_TOKENS", 300);
const chunkMs = intEnv("BENCH_CHUNK_MS", 50);
const dwellMs = intEnv("BENCH_DWELL_MS", 1000);
const boardTasks = intEnv("BENCH_BOARD_TASKS", 200);
const boardLoads = intEnv("BENCH_BOARD_LOADS", 7);
const dir = process.env.BENCH_DIR || mkdtempSync(join(tmpdir(), "grove-bench-ui-"));
const env = cleanGroveEnv({});

/** `w0001 `: every word is WORD_WIDTH characters, so one chunk carries exactly one word. */
const WORD_WIDTH = 6;
const word = (n: number) => `w${String(n).padStart(4, "0")} `;
/** The architect review's answer: pipeline prompts start with `(grove step: <step>)`. */
const REVIEW_APPROVED = "VERDICT: APPROVED\nFINDINGS: none";
const SETTLED = (state: string) => !["queued", "setting-up", "running", "waiting-for-input"].includes(state);

console.log(
  `grove dashboard benchmark: ${agents} built-in agents streaming ${tokens} words each (one every ${chunkMs} ms); ` +
    `the Board with ${boardTasks} tasks`,
);
console.log(
  `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}; working directory ${dir}`,
);

let exitCode = 0;
let browser: Browser | undefined;
const daemons: GroveDaemon[] = [];
try {
  browser = await launchChromium();
  console.log(`chromium ${browser.version()} (headless)\n`);
  await streamingLatency(browser);
  console.log("");
  await boardLoad(browser);
} finally {
  await browser?.close().catch(() => undefined);
  for (const daemon of daemons) await daemon.stop().catch(() => undefined);
  killLeftovers(dir);
  if (process.env.BENCH_KEEP === "1") console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
process.exitCode = exitCode;

// ---------------------------------------------------------------------------------------------

async function streamingLatency(browser: Browser): Promise<void> {
  const home = join(dir, "home-stream");
  const repo = join(dir, "stream-repo");
  await sampleRepo(repo, { test: "node --test", concurrency: agents });
  const text = Array.from({ length: tokens }, (_, i) => word(i + 1)).join("");
  writeRouterConfig(home, [
    // Each task is a maintenance task: after its one run, the architect reviews it (read-only).
    { when: { lastUserContains: "(grove step: review)" }, repeat: true, text: REVIEW_APPROVED },
    { when: { turn: 0 }, repeat: true, text, chunkSize: WORD_WIDTH, chunkDelayMs: chunkMs },
  ]);
  const daemon = await startDaemon(home);
  const watcher = await TaskWatcher.connect(daemon);
  try {
    const page = await (await newDashboardContext(browser)).newPage();
    await signIn(page, daemon);
    await installWordObserver(page);

    const ids: number[] = [];
    for (let i = 0; i < agents; i++) {
      const task = await daemon.api<TaskView>("POST", "/api/tasks", {
        cwd: repo,
        prompt: `Stream ${i + 1}`,
        agent: "builtin",
        model: "s",
      });
      ids.push(task.id);
    }
    progress(`${agents} tasks created; visiting their views while they stream`);

    const latencies: number[] = [];
    let missed = 0;
    let visits = 0;
    const deadline = Date.now() + 300_000;
    for (let next = 0; Date.now() < deadline; next++) {
      const streaming = ids.filter((id) => watcher.tasks.get(id)?.state === "running");
      if (streaming.length === 0) {
        if (ids.every((id) => SETTLED(watcher.tasks.get(id)?.state ?? "queued"))) break;
        await sleep(50);
        continue;
      }
      const id = streaming[next % streaming.length]!;
      const result = await visit(page, watcher, id);
      visits += 1;
      latencies.push(...result.latencies);
      missed += result.missed;
    }
    await watcher.waitUntil(
      () => ids.every((id) => SETTLED(watcher.tasks.get(id)?.state ?? "queued")),
      300_000,
      "every agent to finish",
    );
    const failed = ids.filter((id) => watcher.tasks.get(id)?.state !== "done");
    if (failed.length > 0) {
      exitCode = 1;
      for (const id of failed)
        console.log(`task ${id} ended ${watcher.tasks.get(id)?.state}: ${watcher.tasks.get(id)?.error}`);
    }
    const events = ids.reduce((sum, id) => sum + (watcher.events.get(id)?.length ?? 0), 0);
    if (missed > 0) exitCode = 1;
    console.log(`Live transcript: agent event → its text on the page (${agents} agents streaming at once)`);
    console.log(
      table([
        ["words measured", "visits", "median ms", "p90 ms", "p99 ms", "max ms", "missed"],
        [
          String(latencies.length),
          String(visits),
          fmt(median(latencies), 0),
          fmt(percentile(latencies, 90), 0),
          fmt(percentile(latencies, 99), 0),
          fmt(Math.max(...latencies), 0),
          String(missed),
        ],
      ]),
    );
    console.log(`(${events} events from ${agents} agents; ${failed.length} tasks did not end done)`);
  } finally {
    watcher.close();
  }
}

/** Words of a task's streamed text, each with the wall-clock ms of the event that completed it. */
function wordTimes(events: readonly TaskEvent[]): Map<number, number> {
  const times = new Map<number, number>();
  let text = "";
  for (const event of events) {
    if (event.type !== "text_delta") continue;
    const start = text.length;
    text += String(event.body.text ?? "");
    const ts = Date.parse(event.ts);
    // Words that end inside this delta (a word is complete with its trailing space).
    for (const match of text.slice(Math.max(0, start - WORD_WIDTH)).matchAll(/w(\d{4}) /g)) {
      const number = Number(match[1]);
      if (!times.has(number)) times.set(number, ts);
    }
  }
  return times;
}

/**
 * In the page: a MutationObserver that records, per visited task view, when each word first
 * appears in a transcript text row (scanning only the text each row gained). Page code is passed
 * as text: tsx would otherwise wrap its named functions in a helper the page does not have.
 */
async function installWordObserver(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const width = ${WORD_WIDTH};
    const state = { taskId: 0, seen: new Map(), scanned: new Map() };
    window.__words = state;
    new MutationObserver(() => {
      if (state.taskId === 0) return;
      const now = Date.now();
      for (const row of document.querySelectorAll('[data-testid="transcript-text"]')) {
        const key = row.getAttribute("data-seq") ?? "";
        const text = row.textContent ?? "";
        const from = Math.max(0, (state.scanned.get(key) ?? 0) - width);
        if (text.length <= from) continue;
        state.scanned.set(key, text.length);
        for (const match of text.slice(from).matchAll(/w(\\d{4}) /g)) {
          const number = Number(match[1]);
          if (!state.seen.has(number)) state.seen.set(number, now);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** One task view: open it in-app, wait for its stream, dwell, then collect the words it showed. */
async function visit(
  page: Page,
  watcher: TaskWatcher,
  id: number,
): Promise<{ latencies: number[]; missed: number }> {
  await page.evaluate((taskId) => {
    const state = (
      window as unknown as {
        __words: { taskId: number; seen: Map<number, number>; scanned: Map<string, number> };
      }
    ).__words;
    state.taskId = taskId;
    state.seen = new Map();
    state.scanned = new Map();
    window.history.pushState(null, "", `/tasks/${taskId}`);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, id);
  await page.locator(`[data-testid="task-view"][data-task-id="${id}"]`).waitFor();
  await page.locator('[data-testid="task-stream-status"][data-status="live"]').waitFor();
  const liveAt = await page.evaluate(() => Date.now());
  await sleep(dwellMs);
  const leaveAt = Date.now();
  // Every event the agent emitted before `leaveAt` has reached this process once a later one has
  // (events of a task arrive in order), or once the task has finished.
  await watcher
    .waitUntil(
      () => {
        const events = watcher.events.get(id) ?? [];
        const last = events.at(-1);
        return (
          (last !== undefined && Date.parse(last.ts) >= leaveAt) ||
          SETTLED(watcher.tasks.get(id)?.state ?? "")
        );
      },
      10_000,
      `task ${id}'s events up to the end of its visit`,
    )
    .catch(() => undefined);
  const expected = [...wordTimes(watcher.events.get(id) ?? [])].filter(
    ([, ts]) => ts >= liveAt && ts < leaveAt,
  );
  const wanted = expected.map(([number]) => number);
  let seen: [number, number][] = [];
  const giveUp = Date.now() + 5000;
  for (;;) {
    seen = await page.evaluate((numbers) => {
      const state = (window as unknown as { __words: { seen: Map<number, number> } }).__words;
      return numbers.filter((n) => state.seen.has(n)).map((n) => [n, state.seen.get(n)!] as [number, number]);
    }, wanted);
    if (seen.length === wanted.length || Date.now() > giveUp) break;
    await sleep(50);
  }
  const shownAt = new Map(seen);
  const latencies: number[] = [];
  for (const [number, ts] of expected) {
    const at = shownAt.get(number);
    if (at !== undefined) latencies.push(at - ts);
  }
  return { latencies, missed: wanted.length - seen.length };
}

// ---------------------------------------------------------------------------------------------

async function boardLoad(browser: Browser): Promise<void> {
  const home = join(dir, "home-board");
  const repo = join(dir, "board-repo");
  // One task at a time, held in its setup: the others stay queued, and no agent ever starts.
  await sampleRepo(repo, { setup: "sleep 600", concurrency: 1 });
  writeRouterConfig(home, [{ repeat: true, text: "never asked" }]);
  const daemon = await startDaemon(home);
  progress(`creating ${boardTasks} tasks`);
  for (let i = 0; i < boardTasks; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, boardTasks - i) }, (_, j) =>
        daemon.api("POST", "/api/tasks", {
          cwd: repo,
          prompt: `Board task ${i + j + 1}: tidy up module ${i + j + 1}`,
          agent: "builtin",
          model: "s",
        }),
      ),
    );
  }
  const tasks = await daemon.api<TaskView[]>("GET", "/api/tasks");
  const states = new Map<string, number>();
  for (const task of tasks) states.set(task.state, (states.get(task.state) ?? 0) + 1);

  const context = await newDashboardContext(browser);
  // Runs in every new document before its scripts: records when the columns first add up to
  // every task, from navigation start (or from `__boardWatch.arm()` for an in-app switch).
  await context.addInitScript(`(() => {
    const watch = { target: ${tasks.length}, armedAt: 0, at: undefined, cardsInDom: 0 };
    watch.arm = () => {
      watch.armedAt = performance.now();
      watch.at = undefined;
    };
    window.__boardWatch = watch;
    new MutationObserver(() => {
      if (watch.at !== undefined) return;
      let total = 0;
      for (const column of document.querySelectorAll('[data-testid^="board-column-"]'))
        total += Number(column.getAttribute("data-count") ?? 0);
      if (total >= watch.target) {
        watch.at = performance.now() - watch.armedAt;
        watch.cardsInDom = document.querySelectorAll('[data-testid="task-card"]').length;
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-count"] });
  })()`);
  const page = await context.newPage();
  await signIn(page, daemon);

  const loads: number[] = [];
  const switches: number[] = [];
  let cards = 0;
  for (let round = 0; round <= boardLoads; round++) {
    await page.goto(`${daemon.url}/`);
    const loaded = await boardReady(page);
    if (round > 0) loads.push(loaded.at);
    cards = loaded.cardsInDom;

    await page.getByTestId("nav-review").click();
    await page.locator('[data-testid="review-empty"], [data-testid="review-queue"]').first().waitFor();
    await page.evaluate(() => {
      (window as unknown as { __boardWatch: { arm(): void } }).__boardWatch.arm();
      (document.querySelector('[data-testid="nav-board"]') as HTMLElement).click();
    });
    const switched = await boardReady(page);
    if (round > 0) switches.push(switched.at);
  }
  console.log(
    `Board: ${tasks.length} tasks (${[...states].map(([state, count]) => `${count} ${state}`).join(", ")}); ` +
      `${cards} cards in the DOM once counted (columns are virtualized)`,
  );
  console.log(
    table([
      ["", "runs", "median ms", "min ms", "max ms"],
      [
        "page load: navigation start → all tasks counted",
        String(loads.length),
        fmt(median(loads), 0),
        fmt(Math.min(...loads), 0),
        fmt(Math.max(...loads), 0),
      ],
      [
        "in-app: click on Board → all tasks counted",
        String(switches.length),
        fmt(median(switches), 0),
        fmt(Math.min(...switches), 0),
        fmt(Math.max(...switches), 0),
      ],
    ]),
  );
}

async function boardReady(page: Page): Promise<{ at: number; cardsInDom: number }> {
  await page.waitForFunction(
    () => (window as unknown as { __boardWatch: { at?: number } }).__boardWatch.at !== undefined,
    undefined,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const watch = (window as unknown as { __boardWatch: { at: number; cardsInDom: number } }).__boardWatch;
    return { at: watch.at, cardsInDom: watch.cardsInDom };
  });
}

// ---------------------------------------------------------------------------------------------

async function startDaemon(home: string): Promise<GroveDaemon> {
  const daemon = await startGroveDaemon({ root, home, env });
  daemons.push(daemon);
  return daemon;
}

/** The sample repository with `config` as its committed `.grove/config.json`. */
async function sampleRepo(path: string, config: Record<string, unknown>): Promise<void> {
  await createSampleRepo(path);
  writeFileSync(join(path, ".grove/config.json"), `${JSON.stringify(config, null, 2)}\n`);
  execFileSync("git", [...SAMPLE_AUTHOR, "commit", "-qam", "grove config for the benchmark"], {
    cwd: path,
    env,
  });
}

function writeRouterConfig(home: string, replies: unknown[]): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, "router.json"),
    JSON.stringify({
      providers: { s: { type: "script", script: { name: "bench-ui", replies } } },
      routes: { default: "s" },
      log: { level: "silent" },
    }),
  );
}

/** Ends what this run started and left behind (the held setup command, a stray agent), by pid. */
function killLeftovers(under: string): void {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (cwd.startsWith(under) || environ.includes(under)) process.kill(Number(entry), "SIGKILL");
    } catch {
      // Gone, or not ours.
    }
  }
}

function progress(message: string): void {
  process.stderr.write(`… ${message}\n`);
}

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
