/**
 * Shared helpers for the orchestrator's end-to-end tests: a sandbox per test (its own GROVE_HOME,
 * HOME and temp repositories), the built CLI and real daemon processes on port 0, a small client
 * for the daemon's HTTP API, scripted models in `$GROVE_HOME/router.json`, file barriers that hold
 * agents at a known point, and cleanup that kills every process started for a sandbox.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createParser } from "eventsource-parser";
import { expect } from "vitest";
import { createSampleRepo } from "../../src/node/sample-repo.js";
import type { StoredEvent, Task } from "../../src/orchestrator/task-store.js";
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import type { DaemonInfo } from "../../src/server/daemon.js";
import {
  assertBuilt,
  cleanEnv,
  groveMain,
  killAllChildren,
  type ProcessResult,
  runGrove,
} from "../cli/spawn-grove.js";

export type { StoredEvent, Task };

export interface Sandbox {
  /** A temp directory holding everything below. */
  root: string;
  /** GROVE_HOME. */
  home: string;
  /** HOME for grove and its agents (Claude Code writes its config here). */
  userHome: string;
  /** The environment for every grove process of this sandbox. */
  env: NodeJS.ProcessEnv;
}

const sandboxes = new Set<Sandbox>();

export function makeSandbox(prefix = "grove-orch-"): Sandbox {
  assertBuilt();
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, "home");
  const userHome = join(root, "user-home");
  mkdirSync(home);
  mkdirSync(userHome);
  const sandbox = {
    root,
    home,
    userHome,
    env: cleanEnv({ GROVE_HOME: home, GROVE_DAEMON_PORT: "0", HOME: userHome }),
  };
  sandboxes.add(sandbox);
  return sandbox;
}

/** Stops the sandbox's daemon, kills everything started for it, and removes its files. */
export async function disposeSandbox(sandbox: Sandbox): Promise<void> {
  sandboxes.delete(sandbox);
  const info = readInfo(sandbox.home);
  if (info) {
    await fetch(`${info.url}/api/shutdown`, {
      method: "POST",
      headers: { authorization: `Bearer ${info.token}` },
      signal: AbortSignal.timeout(2000),
    }).catch(() => undefined);
  }
  killAllChildren();
  // Daemons, wrappers, agents and their commands all carry GROVE_HOME (or a path under the
  // sandbox) in their environment or command line.
  for (let round = 0; round < 3; round++) {
    const pids = processesOf(sandbox.root);
    if (pids.length === 0) break;
    for (const pid of pids) killQuietly(pid, "SIGKILL");
    await sleep(50);
  }
  rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 3 });
}

/** For afterEach/afterAll: disposes every sandbox still open. */
export async function disposeAll(): Promise<void> {
  for (const sandbox of [...sandboxes]) await disposeSandbox(sandbox);
}

/** Pids (never this process) whose command line or environment mentions `needle`. */
export function processesOf(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (cmdline.includes(needle) || environ.includes(needle)) found.push(pid);
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

// ---------------------------------------------------------------------------------------------
// Repositories

const AUTHOR_ENV = {
  GIT_AUTHOR_NAME: "grove test",
  GIT_AUTHOR_EMAIL: "test@grove.invalid",
  GIT_COMMITTER_NAME: "grove test",
  GIT_COMMITTER_EMAIL: "test@grove.invalid",
};

/** Runs git synchronously (no shell) and returns its trimmed stdout. */
export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...AUTHOR_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** Whether `git args` exits 0. */
export function gitOk(cwd: string, args: string[]): boolean {
  try {
    git(cwd, args);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sample repository (greet.js, a node --test suite, `.grove/config.json` with test and
 * concurrency 3) under the sandbox; `config` replaces the committed grove config.
 */
export async function sampleRepo(
  sandbox: Sandbox,
  name = "repo",
  config?: Record<string, unknown>,
): Promise<string> {
  const repo = join(sandbox.root, name);
  await createSampleRepo(repo);
  git(repo, ["config", "user.name", "grove test"]);
  git(repo, ["config", "user.email", "test@grove.invalid"]);
  git(repo, ["config", "commit.gpgsign", "false"]);
  if (config) commitFile(repo, ".grove/config.json", `${JSON.stringify(config, null, 2)}\n`, "grove config");
  return repo;
}

/** Writes a file in `dir`, commits everything, and returns the new HEAD. */
export function commitFile(dir: string, file: string, content: string, message = `edit ${file}`): string {
  writeFile(dir, file, content);
  git(dir, ["add", "-A"]);
  if (git(dir, ["status", "--porcelain"]) !== "") git(dir, ["commit", "-q", "-m", message]);
  return git(dir, ["rev-parse", "HEAD"]);
}

export function writeFile(dir: string, file: string, content: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
}

export const tip = (repo: string, ref: string): string => git(repo, ["rev-parse", ref]);

export function isAncestor(repo: string, ancestor: string, descendant: string): boolean {
  return gitOk(repo, ["merge-base", "--is-ancestor", ancestor, descendant]);
}

// ---------------------------------------------------------------------------------------------
// Scripted models

/** The maintenance lane's two runs: the agent's own, then its read-only review, which approved. */
export function expectImplementedThenApproved(events: StoredEvent[]): void {
  const roles = eventsOf(events, "run_started").map((event) => [
    event.body.role,
    event.body.readOnly ?? false,
  ]);
  expect(roles).toEqual([
    ["implementer", false],
    ["reviewer", true],
  ]);
  expect(eventsOf(events, "review_finished").at(-1)?.body.verdict).toBe("APPROVED");
}

/** What a maintenance task's architect review answers in tests that are not about reviews. */
export const APPROVING_REVIEW: ScriptReply = {
  when: { lastUserContains: "(grove step: review)" },
  repeat: true,
  text: "Looks right.\n\nVERDICT: APPROVED\nFINDINGS: none",
};

/**
 * `$GROVE_HOME/router.json` with one script provider `s` (use `--model s`). A script that does
 * not answer pipeline steps itself gets APPROVING_REVIEW first, so maintenance tasks pass review.
 */
export function useScript(sandbox: Sandbox, replies: ScriptReply[]): void {
  const pipelineAware = JSON.stringify(replies).includes("(grove step:");
  const all = pipelineAware ? replies : [APPROVING_REVIEW, ...replies];
  const config = {
    providers: { s: { type: "script", script: { name: "orchestrator-test", replies: all } } },
    routes: { default: "s" },
    log: { level: "silent" },
  };
  writeFileSync(join(sandbox.home, "router.json"), JSON.stringify(config, null, 2));
}

/**
 * A point agents wait at: `command` (for a bash tool call) leaves a ready file, then waits until
 * the barrier is released. Makes overlaps and "still running" moments deterministic.
 */
export interface Barrier {
  command: string;
  /** How many commands have reached the barrier. */
  arrived(): number;
  waitArrived(count: number, timeoutMs?: number): Promise<void>;
  release(): void;
}

export function barrier(sandbox: Sandbox, name: string): Barrier {
  const dir = join(sandbox.root, "barriers", name);
  mkdirSync(dir, { recursive: true });
  const go = join(dir, "go");
  const command = `mktemp ${dir}/ready.XXXXXX >/dev/null; while [ ! -e ${go} ]; do sleep 0.05; done; echo released ${name}`;
  const arrived = () => readdirSync(dir).filter((file) => file.startsWith("ready.")).length;
  return {
    command,
    arrived,
    waitArrived: (count, timeoutMs = 30_000) =>
      waitFor(() => arrived() >= count, timeoutMs, `${count} agents at barrier ${name}`, 100),
    release: () => writeFileSync(go, ""),
  };
}

// ---------------------------------------------------------------------------------------------
// The CLI, the daemon and its API

/** `grove ...args` (the built CLI) in `cwd` with the sandbox's environment. */
export function grove(
  sandbox: Sandbox,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<ProcessResult> {
  return runGrove(args, {
    env: { ...sandbox.env, ...options.env },
    cwd: options.cwd ?? sandbox.root,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

/** `grove ...args`, which must exit 0; returns stdout. */
export async function groveOk(
  sandbox: Sandbox,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<string> {
  const result = await grove(sandbox, args, options);
  if (result.code !== 0)
    throw new Error(
      `grove ${args.join(" ")} exited ${result.code ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  return result.stdout;
}

export function readInfo(home: string): DaemonInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(home, "daemon.json"), "utf8")) as DaemonInfo;
  } catch {
    return undefined;
  }
}

export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  info: DaemonInfo;
  output(): string;
}

/** `grove serve --foreground` as a child process; resolves once its API answers. */
export async function startDaemonProcess(sandbox: Sandbox): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [groveMain, "serve", "--foreground"], {
    cwd: sandbox.root,
    env: sandbox.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    output += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    output += text;
  });
  let info: DaemonInfo | undefined;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`grove serve exited ${child.exitCode}: ${output}`);
      const current = readInfo(sandbox.home);
      if (!current || current.pid !== child.pid) return false;
      const ok = await fetch(`${current.url}/api/health`, {
        headers: { authorization: `Bearer ${current.token}` },
      })
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) info = current;
      return ok;
    },
    15_000,
    "grove serve to answer",
  );
  return { child, pid: child.pid!, info: info!, output: () => output };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One call to the daemon of `sandbox` (found through daemon.json, with its token). */
export async function api<T>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const info = readInfo(sandbox.home);
  if (!info) throw new Error(`no daemon.json in ${sandbox.home}`);
  const response = await fetch(`${info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${info.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, `${method} ${path}: ${response.status} ${text}`);
  return (response.headers.get("content-type") ?? "").includes("json")
    ? (JSON.parse(text) as T)
    : (text as T);
}

export interface NewTask {
  cwd: string;
  prompt: string;
  model?: string;
  name?: string;
  agent?: string;
  kind?: string;
  base?: string;
}

export const createTask = (sandbox: Sandbox, task: NewTask): Promise<Task> =>
  api<Task>(sandbox, "POST", "/api/tasks", { model: "s", ...task });

export const getTask = (sandbox: Sandbox, id: number): Promise<Task> =>
  api<Task>(sandbox, "GET", `/api/tasks/${id}`);

export const taskEvents = (sandbox: Sandbox, id: number): Promise<StoredEvent[]> =>
  api<StoredEvent[]>(sandbox, "GET", `/api/tasks/${id}/events`);

/** States a task rests in until someone acts. */
export const SETTLED: readonly Task["state"][] = [
  "done",
  "failed",
  "interrupted",
  "conflict",
  "landed",
  "discarded",
  "archived",
  "waiting-for-input",
];

const settled = (task: Task) => SETTLED.includes(task.state);

/** Polls the task until `accept` holds; returns it. */
export async function waitForTask(
  sandbox: Sandbox,
  id: number,
  accept: (task: Task) => boolean = settled,
  timeoutMs = 45_000,
): Promise<Task> {
  return (await waitForTasks(sandbox, [id], accept, timeoutMs))[0]!;
}

/** Polls the task list (one request per round, whatever the number of tasks) until `accept` holds for each. */
export async function waitForTasks(
  sandbox: Sandbox,
  ids: number[],
  accept: (task: Task) => boolean = settled,
  timeoutMs = 60_000,
): Promise<Task[]> {
  let last: Task[] = [];
  await waitFor(
    async () => {
      const all = await api<Task[]>(sandbox, "GET", "/api/tasks").catch(() => undefined);
      if (!all) return false;
      last = ids.map((id) => all.find((task) => task.id === id)!);
      return last.every((task) => task !== undefined && accept(task));
    },
    timeoutMs,
    () =>
      `tasks ${ids.join(", ")} (last seen: ${JSON.stringify(last.map((task) => [task?.id, task?.state]))})`,
    200,
  );
  return last;
}

/** Waits for every task to settle and asserts each ended `state` (with its log in the error otherwise). */
export async function expectAllSettled(
  sandbox: Sandbox,
  ids: number[],
  state: Task["state"],
): Promise<Task[]> {
  await waitForTasks(sandbox, ids);
  const tasks: Task[] = [];
  for (const id of ids) tasks.push(await expectSettled(sandbox, id, state));
  return tasks;
}

/** Waits for the task to settle and asserts it ended `state`, with its log in the error otherwise. */
export async function expectSettled(sandbox: Sandbox, id: number, state: Task["state"]): Promise<Task> {
  const task = await waitForTask(sandbox, id);
  if (task.state !== state) {
    const events = await taskEvents(sandbox, id).catch(() => []);
    const stderr = existsSync(join(task.taskDir, "agent-stderr.log"))
      ? readFileSync(join(task.taskDir, "agent-stderr.log"), "utf8")
      : "";
    throw new Error(
      `task ${id} ended ${task.state} (${task.error}), expected ${state}\nevents: ${JSON.stringify(events, null, 1)}\nagent stderr: ${stderr}`,
    );
  }
  return task;
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await sleep(intervalMs);
  }
}

/** Events of one type, in order. */
export const eventsOf = (events: StoredEvent[], type: string): StoredEvent[] =>
  events.filter((event) => event.type === type);

/** When the task entered `state` (first time), from its stored state_changed events. */
export function enteredAt(events: StoredEvent[], state: Task["state"]): string | undefined {
  return events.find((event) => event.type === "state_changed" && event.body.to === state)?.ts;
}

/** Reads the daemon's change stream (`/api/stream`) in the background until `stop()`. */
export function followStream(
  sandbox: Sandbox,
  onChange: (kind: string, data: unknown) => void,
  query = "",
): { stop(): void; ready: Promise<void> } {
  const info = readInfo(sandbox.home);
  if (!info) throw new Error(`no daemon.json in ${sandbox.home}`);
  const controller = new AbortController();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  void (async () => {
    try {
      const response = await fetch(`${info.url}/api/stream${query}`, {
        headers: { authorization: `Bearer ${info.token}` },
        signal: controller.signal,
      });
      markReady();
      const parser = createParser({
        onEvent: (message) => onChange(message.event ?? "message", JSON.parse(message.data)),
      });
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      markReady();
    }
  })();
  return { stop: () => controller.abort(), ready };
}
