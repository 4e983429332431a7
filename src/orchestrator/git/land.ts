/**
 * Landing a task branch onto its base, one landing at a time per repository: integrate the base's
 * current tip into the task branch (rebase, merge or squash), run the tests, then advance the base
 * to the result with a compare-and-swap. Conflicts and test failures never touch the base.
 */
import { GitError, git } from "../../node/git-exec.js";
import { LandLockTimeoutError, withLandLock } from "./land-lock.js";
import { advanceBase, integrate, type Strategy, sameTree } from "./land-steps.js";
import { branchExists, currentBranch, isClean, resolveCommit, worktreeForBranch } from "./repo.js";
import { runTestCommand, type TestCommand } from "./test-command.js";

export interface LandOptions {
  repo: string;
  /** The task's worktree, where `branch` is checked out. */
  worktree: string;
  branch: string;
  base: string;
  taskId: string;
  strategy: Strategy;
  /** The message of the merge or squash commit. */
  message: string;
  test?: TestCommand;
  /** Called with "lock" (once the lock is held), then the strategy's name, "test" and "advance". */
  onProgress?: (step: string) => void;
  /** Called once the backup ref of the task's tip exists, so its owner can record it (gc deletes only what was recorded). */
  onBackup?: (ref: string, commit: string) => void;
  /** How long to wait for another landing in the same repository (default 30 minutes). */
  lockTimeoutMs?: number;
}

export type LandResult =
  | { kind: "landed"; commit: string; previousBase: string; backupRef?: string }
  | { kind: "conflict"; files: string[]; backupRef?: string }
  | { kind: "tests-failed"; output: string; exitCode: number | null; backupRef?: string }
  | { kind: "refused"; reason: string };

export const BACKUP_REF_PREFIX = "refs/grove/backup/";

export async function landBranch(options: LandOptions): Promise<LandResult> {
  const { repo, taskId } = options;
  if (!(await isValidRef(repo, `${BACKUP_REF_PREFIX}${taskId}/0`)))
    return { kind: "refused", reason: `"${taskId}" cannot be used as a task id in a git ref name` };
  try {
    return await withLandLock(repo, { taskId, ...lockTimeout(options) }, async () => {
      report(options, "lock");
      return await landLocked(options);
    });
  } catch (error) {
    if (error instanceof LandLockTimeoutError) return { kind: "refused", reason: error.message };
    throw error;
  }
}

async function landLocked(options: LandOptions): Promise<LandResult> {
  const { repo, worktree, branch, base, taskId, strategy } = options;
  const progress = (step: string) => report(options, step);
  const refused = (reason: string): LandResult => ({ kind: "refused", reason });

  if (branch === base) return refused(`The task branch and the base branch are both "${base}"`);
  const checkedOut = await currentBranch(worktree).catch(() => undefined);
  if (checkedOut !== branch)
    return refused(
      `The task worktree ${worktree} does not have "${branch}" checked out (${checkedOut === undefined ? "detached HEAD or not a worktree" : `it has "${checkedOut}"`})`,
    );
  if (!(await isClean(worktree)))
    return refused(`The task worktree ${worktree} has uncommitted changes; commit or discard them first`);
  if (!(await branchExists(repo, base))) return refused(`The base branch "${base}" does not exist`);
  const baseWorktree = await worktreeForBranch(repo, base);
  if (baseWorktree !== undefined && !(await isClean(baseWorktree)))
    return refused(
      `The base branch "${base}" is checked out in ${baseWorktree}, which has uncommitted changes; commit or stash them first`,
    );
  const baseTip = await resolveCommit(repo, `refs/heads/${base}`);
  const taskTip = await resolveCommit(worktree, "HEAD");
  const ahead = Number((await git(repo, ["rev-list", "--count", `${baseTip}..${taskTip}`])).trim());
  if (ahead === 0) return refused(`Nothing to land: "${branch}" has no commits that are not on "${base}"`);

  const backupRef = await writeBackupRef(repo, taskId, taskTip);
  notify(() => options.onBackup?.(backupRef, taskTip));
  progress(strategy);
  const integrated = await integrate(worktree, strategy, baseTip, options.message);
  if (integrated.kind === "conflict") {
    const after = await resolveCommit(worktree, "HEAD");
    if (after !== taskTip)
      throw new Error(
        `Aborting the ${strategy} left ${worktree} at ${after}, not ${taskTip}; see ${backupRef}`,
      );
    return { kind: "conflict", files: integrated.files, backupRef };
  }
  const newTip = integrated.tip;
  if (await sameTree(repo, newTip, baseTip)) {
    await git(worktree, ["reset", "--keep", taskTip]);
    await git(repo, ["update-ref", "-d", backupRef, taskTip]);
    return refused(`Nothing to land: the changes on "${branch}" are already on "${base}"`);
  }

  if (options.test) {
    progress("test");
    const run = await runTestCommand(worktree, options.test);
    if (run.exitCode !== 0)
      return { kind: "tests-failed", output: run.output, exitCode: run.exitCode, backupRef };
  }

  progress("advance");
  const advanced = await advanceBase(repo, base, baseTip, newTip, `grove: land ${taskId} (${strategy})`);
  if (!advanced.ok)
    return refused(`${advanced.reason} (the task branch was kept at ${newTip}; see ${backupRef})`);
  return { kind: "landed", commit: newTip, previousBase: baseTip, backupRef };
}

/** Creates `refs/grove/backup/<taskId>/<unix-ms>` = `commit`, never overwriting an existing ref. */
async function writeBackupRef(repo: string, taskId: string, commit: string): Promise<string> {
  for (let ms = Date.now(); ; ms++) {
    const ref = `${BACKUP_REF_PREFIX}${taskId}/${ms}`;
    try {
      await git(repo, ["update-ref", "-m", `grove: backup before landing ${taskId}`, ref, commit, ""]);
      return ref;
    } catch (error) {
      if (!(error instanceof GitError) || ms > Date.now() + 1000) throw error;
    }
  }
}

async function isValidRef(repo: string, ref: string): Promise<boolean> {
  try {
    await git(repo, ["check-ref-format", ref]);
    return true;
  } catch {
    return false;
  }
}

/** A throwing progress callback must not interrupt a landing halfway. */
function report(options: LandOptions, step: string): void {
  notify(() => options.onProgress?.(step));
}

function notify(callback: () => void): void {
  try {
    callback();
  } catch {
    // Ignored on purpose.
  }
}

function lockTimeout(options: LandOptions): { timeoutMs?: number } {
  return options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs };
}
