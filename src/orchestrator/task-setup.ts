/**
 * Prepares a task's workspace: a worktree on a fresh branch from the base's current tip,
 * the files a fresh checkout lacks (.env and the like), a private port block, and the
 * repository's setup command. Its output goes to the task log, and a failure fails the task.
 */
import { spawn } from "node:child_process";
import { copyIntoWorktree, createWorktree } from "./git/worktree.js";
import type { RepoConfig } from "./repo-config.js";
import type { Task } from "./task-store.js";

export class SetupError extends Error {}

export interface SetupReport {
  baseCommit: string;
  copied: string[];
}

export async function prepareWorkspace(
  task: Task,
  config: RepoConfig,
  log: (text: string) => void,
): Promise<SetupReport> {
  // createWorktree runs one `git worktree add` at a time per repository (git 2.39 races otherwise).
  const { baseCommit } = await createWorktree({
    repo: task.repo,
    path: task.worktree,
    branch: task.branch,
    base: task.baseBranch,
  });
  log(`worktree ${task.worktree} on ${task.branch} from ${task.baseBranch} at ${baseCommit.slice(0, 12)}\n`);
  const copied =
    config.copyFiles.length > 0 ? await copyIntoWorktree(task.repo, task.worktree, config.copyFiles) : [];
  if (copied.length > 0) log(`copied ${copied.join(", ")}\n`);
  if (config.setup) {
    log(`$ ${config.setup}\n`);
    const code = await runCommand(config.setup, task.worktree, portEnv(task.portBase, config), log);
    if (code !== 0) throw new SetupError(`setup command "${config.setup}" failed with exit code ${code}`);
  }
  return { baseCommit, copied };
}

/** PORT is the first port of the task's block; GROVE_PORT_BASE and GROVE_PORT_COUNT describe the block. */
export function portEnv(portBase: number | null, config: RepoConfig): Record<string, string> {
  if (portBase === null) return {};
  return {
    PORT: String(portBase),
    GROVE_PORT_BASE: String(portBase),
    GROVE_PORT_COUNT: String(config.ports.blockSize),
  };
}

/** The lowest port block not used by another active task. */
export function allocatePortBase(used: readonly (number | null)[], config: RepoConfig): number {
  const taken = new Set(used.filter((port): port is number => port !== null));
  for (let slot = 0; ; slot++) {
    const base = config.ports.start + slot * config.ports.blockSize;
    if (!taken.has(base)) return base;
  }
}

function runCommand(
  command: string,
  cwd: string,
  env: Record<string, string>,
  log: (text: string) => void,
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.setEncoding("utf8").on("data", log);
    child.stderr.setEncoding("utf8").on("data", log);
    child.once("error", (error) => {
      log(`could not run the setup command: ${error.message}\n`);
      resolve(null);
    });
    child.once("close", (code) => resolve(code));
  });
}
