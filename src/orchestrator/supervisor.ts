/**
 * Starts agent runs as detached wrapper processes and follows them through the files they
 * write in the task directory, so an agent keeps running (and keeps its output) when the
 * daemon stops, and a restarted daemon picks up where it left off.
 *
 * Following is event-driven (inotify through fs.watch); the only timer is a slow liveness
 * check for re-attached wrappers, which cannot report their own exit when killed with -9.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  type FSWatcher,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  watch,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { groveNodeFlags } from "../node/gc-mode.js";
import { backgroundNice, lowerPriority } from "../node/priority.js";
import { endProcessGroup } from "../node/process-group.js";
import { type RunExit, type RunnerSpec, runFiles, writeRunnerSpec } from "./runner/spec.js";

export type { RunExit };

export interface SupervisorHandlers {
  /** Complete lines appended to events.jsonl, with the offset just past them. */
  onLines(taskId: number, lines: string[], offset: number): void;
  /** The run ended; `exit` is undefined when the wrapper died without saying how. */
  onExit(taskId: number, run: number, exit: RunExit | undefined): void;
}

interface Followed {
  taskId: number;
  taskDir: string;
  run: number;
  offset: number;
  watcher: FSWatcher;
  pid: number;
  done: boolean;
}

const GROVE_MAIN = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const LIVENESS_INTERVAL_MS = 30_000;

export class Supervisor {
  private readonly followed = new Map<number, Followed>();
  private liveness: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly handlers: SupervisorHandlers) {}

  /** Starts run `run` of a task; returns the wrapper's pid. */
  start(spec: RunnerSpec, run: number, offset: number, env: NodeJS.ProcessEnv): number {
    const path = writeRunnerSpec(spec, run);
    const log = openSync(join(spec.taskDir, "wrapper.log"), "a");
    const child = spawn(process.execPath, [...groveNodeFlags(env), GROVE_MAIN, "_run-agent", path], {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    // Agents are background work: creating the next tasks' worktrees comes first.
    lowerPriority(child, backgroundNice(env));
    child.unref();
    const pid = child.pid ?? -1;
    // While this daemon lives it hears the exit directly; after a restart, follow() covers it.
    const taskId = Number(spec.taskId);
    child.once("exit", () => setImmediate(() => this.checkExit(taskId)));
    this.follow(taskId, spec.taskDir, run, offset, pid);
    return pid;
  }

  /** Follows a run started earlier (by this or a previous daemon). */
  follow(taskId: number, taskDir: string, run: number, offset: number, pid: number): void {
    this.unfollow(taskId);
    const watcher = watch(taskDir, (_event, file) => {
      if (file === "events.jsonl") this.readNew(taskId);
      else if (file === `run-${run}.exit.json`) this.checkExit(taskId);
    });
    this.followed.set(taskId, { taskId, taskDir, run, offset, watcher, pid, done: false });
    this.readNew(taskId);
    this.checkExit(taskId);
    this.liveness ??= setInterval(() => this.checkLiveness(), LIVENESS_INTERVAL_MS).unref();
  }

  stop(taskId: number, signal: NodeJS.Signals = "SIGTERM"): boolean {
    const followed = this.followed.get(taskId);
    if (!followed || !isWrapperAlive(followed.pid, followed.taskDir)) return false;
    process.kill(followed.pid, signal);
    return true;
  }

  isFollowing(taskId: number): boolean {
    return this.followed.has(taskId);
  }

  close(): void {
    for (const taskId of [...this.followed.keys()]) this.unfollow(taskId);
    if (this.liveness) clearInterval(this.liveness);
    this.liveness = undefined;
  }

  private unfollow(taskId: number): void {
    this.followed.get(taskId)?.watcher.close();
    this.followed.delete(taskId);
    if (this.followed.size === 0 && this.liveness) {
      // Nothing to watch: an idle daemon keeps no timer at all.
      clearInterval(this.liveness);
      this.liveness = undefined;
    }
  }

  private readNew(taskId: number): void {
    const followed = this.followed.get(taskId);
    if (!followed) return;
    const path = runFiles(followed.taskDir, followed.run).events;
    if (!existsSync(path)) return;
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size <= followed.offset) return;
      const buffer = Buffer.alloc(size - followed.offset);
      readSync(fd, buffer, 0, buffer.length, followed.offset);
      const lastNewline = buffer.lastIndexOf(10);
      if (lastNewline === -1) return; // Only part of a line so far.
      followed.offset += lastNewline + 1;
      const lines = buffer.subarray(0, lastNewline).toString("utf8").split("\n").filter(Boolean);
      this.handlers.onLines(taskId, lines, followed.offset);
    } finally {
      closeSync(fd);
    }
  }

  private checkExit(taskId: number): void {
    const followed = this.followed.get(taskId);
    if (!followed || followed.done) return;
    const path = runFiles(followed.taskDir, followed.run).exit;
    let exit: RunExit | undefined;
    if (existsSync(path)) exit = JSON.parse(readFileSync(path, "utf8")) as RunExit;
    else if (isWrapperAlive(followed.pid, followed.taskDir)) return;
    this.readNew(taskId); // Events written just before the exit come first.
    followed.done = true;
    this.unfollow(taskId);
    this.handlers.onExit(taskId, followed.run, exit);
  }

  private checkLiveness(): void {
    for (const taskId of this.followed.keys()) this.checkExit(taskId);
  }
}

/**
 * A wrapper killed with -9 leaves its agent running in the worktree. Stop that agent's process
 * group (TERM, then KILL) and wait until it is gone, but only if the pid still belongs to a
 * process working in this task's worktree.
 */
export async function stopOrphanedAgent(taskDir: string, run: number, worktree: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(runFiles(taskDir, run).agentPid, "utf8").trim());
    if (!isAlive(pid) || !realpathSync(`/proc/${pid}/cwd`).startsWith(realpathSync(worktree))) return;
  } catch {
    return;
  }
  await endProcessGroup(pid, { graceMs: 3000, settleMs: 2000 });
}

/** Alive, and (where /proc tells) still the wrapper for this task rather than a reused pid. */
export function isWrapperAlive(pid: number | null | undefined, taskDir: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(taskDir);
  } catch {
    return true; // No /proc here: trust the pid.
  }
}

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
