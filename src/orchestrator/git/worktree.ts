/** Creating and removing task worktrees, and seeding them with the main worktree's local files. */
import { copyFile, lstat, mkdir, readdir, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, posix, resolve } from "node:path";
import picomatch from "picomatch";
import { GitError, git } from "../../node/git-exec.js";
import { KeyedQueue } from "../../node/keyed-queue.js";
import { assertValidBranchName } from "./branch-name.js";
import { branchTips, resolveCommit } from "./repo.js";

export interface CreateWorktreeOptions {
  repo: string;
  /** Where the worktree goes (relative paths are relative to `repo`); must not exist yet. */
  path: string;
  /** The new branch; must not exist yet. */
  branch: string;
  /** The branch (or other revision) to start from; its current tip is resolved once and returned. */
  base: string;
}

/**
 * One `git worktree add` at a time per repository: concurrent adds race in git 2.39 (a sibling's
 * half-written commondir file fails the other add), and running them in parallel gains nothing.
 */
const adding = new KeyedQueue();
/**
 * The checks before an add, one at a time per repository too, beside the adds: they are done
 * long before their add's turn comes, without a burst of git processes slowing the add under way.
 */
const checking = new KeyedQueue();

/**
 * `git worktree add -b <branch> <path> <base tip>`; returns the commit the branch starts at.
 *
 * The checks run while earlier adds are under way; the `git worktree add` itself waits for the
 * repository's previous one, in the order the calls were made (see `adding` and `checking`).
 */
export async function createWorktree(options: CreateWorktreeOptions): Promise<{ baseCommit: string }> {
  const { repo } = options;
  const path = resolve(repo, options.path);
  const checked = checking.run(resolve(repo), () => checkNewWorktree(options, path));
  checked.catch(() => undefined); // Reported below, in its turn.
  return adding.run(resolve(repo), async () => {
    const baseCommit = await checked;
    try {
      await git(repo, ["worktree", "add", "--quiet", "-b", options.branch, path, baseCommit]);
    } catch (error) {
      // Taken since the checks: the same words as theirs.
      if (error instanceof GitError && /a branch named '.*' already exists/.test(error.stderr))
        throw new Error(`Branch "${options.branch}" already exists in ${repo}`);
      if (error instanceof GitError && /'.*' already exists/.test(error.stderr))
        throw new Error(`Cannot create a worktree at ${path}: the path already exists`);
      throw error;
    }
    return { baseCommit };
  });
}

/** What createWorktree checks before adding; resolves with the base's tip. */
async function checkNewWorktree(options: CreateWorktreeOptions, path: string): Promise<string> {
  const { repo, branch, base } = options;
  // Started together, reported in this order: the branch name, the branch, the path, the base.
  const [valid, tips, taken] = await Promise.allSettled([
    assertValidBranchName(repo, branch),
    branchTips(repo, [branch, base]),
    exists(path),
  ]);
  if (valid.status === "rejected") throw valid.reason;
  if (tips.status === "rejected") throw tips.reason;
  if (tips.value.has(branch)) throw new Error(`Branch "${branch}" already exists in ${repo}`);
  if (taken.status === "rejected") throw taken.reason;
  if (taken.value) throw new Error(`Cannot create a worktree at ${path}: the path already exists`);
  const baseTip = tips.value.get(base);
  const baseCommit = baseTip?.commit ?? (await resolveCommit(repo, baseTip ? `refs/heads/${base}` : base));
  await mkdir(dirname(path), { recursive: true });
  return baseCommit;
}

/**
 * Unregisters a worktree and deletes its directory (`git worktree remove`, then `git worktree
 * prune`). Without `force`, git refuses when the worktree has uncommitted or untracked changes.
 * The worktree's branch, and so every commit on it, is always kept.
 */
export async function removeWorktree(
  repo: string,
  path: string,
  options: { force?: boolean } = {},
): Promise<void> {
  const target = resolve(repo, path);
  if (await exists(target))
    await git(repo, ["worktree", "remove", ...(options.force ? ["--force"] : []), target]);
  await git(repo, ["worktree", "prune"]);
}

/** Directories never searched by `**` patterns unless a pattern names them explicitly. */
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/**
 * Copies files such as `.env`, `.env.local` or `config/*.local.json` (glob patterns relative to
 * the repository root) from the main worktree `repo` into `worktree`, at the same relative paths.
 * A pattern naming a directory copies the files under it. Tracked files are skipped (the worktree
 * has its own), as are files that already exist in the worktree. Patterns that are absolute or
 * climb out with `..` are refused before anything is copied. Returns the copied relative paths.
 */
export async function copyIntoWorktree(
  repo: string,
  worktree: string,
  patterns: string[],
): Promise<string[]> {
  for (const pattern of patterns) assertInsideRepo(pattern);
  const candidates = new Set<string>();
  for (const pattern of patterns) {
    const normalized = normalizePattern(pattern);
    const scan = picomatch.scan(normalized);
    if (!scan.isGlob) {
      const info = await stat(join(repo, normalized)).catch(() => undefined);
      if (info?.isFile()) candidates.add(normalized);
      else if (info?.isDirectory())
        for (const file of await walk(repo, normalized, () => true)) candidates.add(file);
      continue;
    }
    const isMatch = picomatch(normalized, { dot: true });
    // Without `**`, a match has at most as many segments as the pattern has `/`-separated parts.
    const maxDepth = normalized.includes("**") ? Number.POSITIVE_INFINITY : normalized.split("/").length;
    const mentions = (name: string) => normalized.split("/").includes(name);
    const enter = (relative: string, name: string) =>
      relative.split("/").length < maxDepth && (!SKIPPED_DIRS.has(name) || mentions(name));
    const files = await walk(repo, scan.base, isMatch, enter);
    for (const file of files) candidates.add(file);
  }
  const tracked = await trackedAmong(repo, [...candidates]);
  const copied: string[] = [];
  for (const file of [...candidates].sort()) {
    if (tracked.has(file)) continue;
    const target = join(worktree, file);
    if (await exists(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(repo, file), target);
    copied.push(file);
  }
  return copied;
}

function normalizePattern(pattern: string): string {
  return posix.normalize(pattern.replaceAll("\\", "/")).replace(/^(\.\/)+|\/+$/g, "");
}

function assertInsideRepo(pattern: string): void {
  const slashed = pattern.replaceAll("\\", "/");
  if (normalizePattern(pattern) === "." || normalizePattern(pattern) === "")
    throw new Error(`Refusing copy pattern "${pattern}": it names the whole repository`);
  if (pattern === "" || isAbsolute(pattern) || /^[A-Za-z]:/.test(slashed) || slashed.startsWith("/"))
    throw new Error(`Refusing copy pattern "${pattern}": patterns must be relative to the repository root`);
  if (slashed.split("/").includes("..") || posix.normalize(slashed).startsWith(".."))
    throw new Error(`Refusing copy pattern "${pattern}": it escapes the repository`);
}

/**
 * Files (as repo-relative posix paths) under `start` that satisfy `accept`. Symlinked
 * directories are not followed, and nested repositories or worktrees are not entered.
 */
async function walk(
  repo: string,
  start: string,
  accept: (relative: string) => boolean,
  enter: (relative: string, name: string) => boolean = (_, name) => name !== ".git",
): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(join(repo, dir), { withFileTypes: true }).catch(() => []);
    if (dir !== "" && entries.some((entry) => entry.name === ".git")) return;
    for (const entry of entries) {
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (enter(relative, entry.name)) await visit(relative);
      } else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileTarget(join(repo, relative))))) {
        if (accept(relative)) found.push(relative);
      }
    }
  };
  await visit(start);
  return found;
}

async function isFileTarget(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function trackedAmong(repo: string, files: string[]): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const out = await git(repo, ["ls-files", "-z", "--full-name", "--", ...files.map((f) => `:(literal)${f}`)]);
  return new Set(out.split("\0").filter((line) => line !== ""));
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
