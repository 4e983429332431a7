/** Read-only questions about a git repository and its worktrees. */
import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { GitError, git } from "../../node/git-exec.js";

/** The top level of the repository's main worktree, wherever inside the repository (or a linked worktree) `cwd` is. */
export async function findRepoRoot(cwd: string): Promise<string> {
  if (!existsSync(cwd)) throw new Error(`${cwd} does not exist, so it is not inside a git repository`);
  try {
    await git(cwd, ["rev-parse", "--git-common-dir"]);
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr))
      throw new Error(`${cwd} is not inside a git repository`);
    throw error;
  }
  const main = parseWorktreeList(await git(cwd, ["worktree", "list", "--porcelain"]))[0];
  if (!main || main.bare)
    throw new Error(`${cwd} belongs to a bare git repository; grove needs a repository with a working tree`);
  return main.path;
}

/** The absolute path of the repository's common git directory (shared by all its worktrees). */
export async function gitCommonDir(repo: string): Promise<string> {
  const out = (await git(repo, ["rev-parse", "--git-common-dir"])).trim();
  const dir = resolve(repo, out);
  return existsSync(dir) ? realpathSync(dir) : dir;
}

/** The full commit id `rev` names (peeling tags); throws a clear error if it names no commit. */
export async function resolveCommit(repo: string, rev: string): Promise<string> {
  if (rev === "" || rev.startsWith("-")) throw new Error(`"${rev}" is not a valid revision`);
  try {
    return (await git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).trim();
  } catch (error) {
    if (error instanceof GitError) throw new Error(`"${rev}" does not name a commit in ${repo}`);
    throw error;
  }
}

/** The branch checked out in `worktree`, or undefined when its HEAD is detached (or mid-rebase). */
export async function currentBranch(worktree: string): Promise<string | undefined> {
  try {
    const ref = (await git(worktree, ["symbolic-ref", "--quiet", "HEAD"])).trim();
    return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return undefined;
    throw error;
  }
}

/** True when `worktree` has no staged, unstaged or untracked changes (ignored files do not count). */
export async function isClean(worktree: string): Promise<boolean> {
  const status = await git(worktree, [
    "--no-optional-locks",
    "status",
    "--porcelain=v1",
    "--untracked-files=normal",
  ]);
  return status.trim() === "";
}

export interface WorktreeEntry {
  path: string;
  head?: string;
  branch?: string;
  bare: boolean;
  detached: boolean;
}

/** Parses `git worktree list --porcelain`. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const line of output.split("\n")) {
    if (line.startsWith("worktree ")) {
      current = { path: line.slice("worktree ".length), bare: false, detached: false };
      entries.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith("HEAD ")) current.head = line.slice("HEAD ".length);
    else if (line.startsWith("branch ")) {
      const ref = line.slice("branch ".length);
      current.branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
    } else if (line === "bare") current.bare = true;
    else if (line === "detached") current.detached = true;
  }
  return entries;
}

/**
 * The worktree in which `branch` is checked out, or undefined. Registrations whose directory
 * has disappeared (prunable) are ignored.
 */
export async function worktreeForBranch(repo: string, branch: string): Promise<string | undefined> {
  const entries = parseWorktreeList(await git(repo, ["worktree", "list", "--porcelain"]));
  return entries.find((entry) => entry.branch === branch && !entry.bare && existsSync(entry.path))?.path;
}

/** True when `refs/heads/<branch>` exists. */
export async function branchExists(repo: string, branch: string): Promise<boolean> {
  if (branch === "" || branch.startsWith("-")) return false;
  try {
    await git(repo, ["show-ref", "--verify", "--quiet", `refs/heads/${branch}`]);
    return true;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return false;
    throw error;
  }
}
