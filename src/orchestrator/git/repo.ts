/** Read-only questions about a git repository and its worktrees. */
import { existsSync, realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { GitError, git } from "../../node/git-exec.js";

/** The top level of the repository's main worktree, wherever inside the repository (or a linked worktree) `cwd` is. */
export async function findRepoRoot(cwd: string): Promise<string> {
  if (!(await pathExists(cwd)))
    throw new Error(`${cwd} does not exist, so it is not inside a git repository`);
  let list: string;
  try {
    // One git process: outside a repository it fails like `git rev-parse` would.
    list = await git(cwd, ["worktree", "list", "--porcelain"]);
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr))
      throw new Error(`${cwd} is not inside a git repository`);
    throw error;
  }
  const main = parseWorktreeList(list)[0];
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

/** A branch's tip: the object its ref names, and the commit it peels to when that is known. */
export interface BranchTip {
  object: string;
  /** Undefined when the ref names something other than a commit (resolveCommit peels it). */
  commit: string | undefined;
}

/**
 * The tips of those of `branches` that exist (`refs/heads/<branch>`), found with one git
 * process. Names that cannot be branches (empty, starting with "-") are never found.
 */
export async function branchTips(repo: string, branches: readonly string[]): Promise<Map<string, BranchTip>> {
  const wanted = [...new Set(branches.filter((branch) => branch !== "" && !branch.startsWith("-")))];
  const tips = new Map<string, BranchTip>();
  if (wanted.length === 0) return tips;
  // A pattern also matches refs under it (refs/heads/<branch>/…) and may hold glob characters:
  // only exact names count.
  const out = await git(repo, [
    "for-each-ref",
    "--format=%(refname)%00%(objectname)%00%(objecttype)",
    ...wanted.map((branch) => `refs/heads/${branch}`),
  ]);
  const exact = new Set(wanted.map((branch) => `refs/heads/${branch}`));
  for (const line of out.split("\n")) {
    const [ref, object, type] = line.split("\0");
    if (!ref || !object || !exact.has(ref)) continue;
    tips.set(ref.slice("refs/heads/".length), { object, commit: type === "commit" ? object : undefined });
  }
  return tips;
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

async function pathExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
