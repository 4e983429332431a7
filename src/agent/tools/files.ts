/**
 * The set of files that glob and grep search: in a git work tree, what
 * `git ls-files --cached --others --exclude-standard` lists; elsewhere a walk of the tree that
 * honours every .gitignore from the working directory down. `.git` is always skipped, and
 * symlinks are kept only when they resolve to a file inside the working directory (symlinked
 * directories are never descended into).
 */
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { git } from "../../node/git-exec.js";
import { isInside, toPosix } from "./confine.js";
import { ToolError } from "./tool.js";

/** How many bytes are inspected for a NUL byte to call a file binary. */
export const BINARY_SNIFF_BYTES = 8192;

export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * Files under the directory `dir` (a real path inside the real working directory `root`), as
 * real-path-relative paths from `root` with `/` separators, sorted.
 */
export async function listFiles(root: string, dir: string, signal: AbortSignal): Promise<string[]> {
  const fromGit = await gitFiles(dir);
  const candidates = fromGit ?? (await walkFiles(root, dir, signal));
  const kept = await filterFiles(root, candidates, signal);
  return kept.map((file) => toPosix(relative(root, file))).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ToolError("aborted");
}

/** Absolute paths from git, or undefined when `dir` is not in a git work tree (or git is missing). */
async function gitFiles(dir: string): Promise<string[] | undefined> {
  try {
    const inside = await git(dir, ["rev-parse", "--is-inside-work-tree"]);
    if (inside.trim() !== "true") return undefined;
    const listed = await git(dir, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
    const unique = new Set(listed.split("\0").filter((name) => name !== ""));
    return [...unique].map((name) => join(dir, name));
  } catch {
    return undefined;
  }
}

/** Keeps regular files, and symlinks that resolve to a regular file inside `root`; drops deleted ones. */
async function filterFiles(root: string, paths: string[], signal: AbortSignal): Promise<string[]> {
  const kept: string[] = [];
  const BATCH = 64;
  for (let start = 0; start < paths.length; start += BATCH) {
    throwIfAborted(signal);
    const batch = paths.slice(start, start + BATCH);
    const verdicts = await Promise.all(batch.map((path) => isSearchableFile(root, path)));
    batch.forEach((path, index) => {
      if (verdicts[index]) kept.push(path);
    });
  }
  return kept;
}

async function isSearchableFile(root: string, path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return false;
  if (stats.isFile()) return true;
  if (!stats.isSymbolicLink()) return false;
  return symlinkToFileInside(root, path);
}

async function symlinkToFileInside(root: string, path: string): Promise<boolean> {
  const target = await realpath(path).catch(() => undefined);
  if (!target || !isInside(root, target)) return false;
  const stats: Stats | undefined = await stat(target).catch(() => undefined);
  return stats?.isFile() ?? false;
}

interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

async function loadGitignore(dir: string): Promise<IgnoreLevel | undefined> {
  const text = await readFile(join(dir, ".gitignore"), "utf8").catch(() => undefined);
  return text === undefined ? undefined : { base: dir, rules: ignore().add(text) };
}

function isIgnored(levels: readonly IgnoreLevel[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = toPosix(relative(level.base, path)) + (isDirectory ? "/" : "");
    const verdict = level.rules.test(rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** Walks `dir`, honouring the .gitignore files of `root`, of every directory between, and below. */
async function walkFiles(root: string, dir: string, signal: AbortSignal): Promise<string[]> {
  const levels: IgnoreLevel[] = [];
  let ancestor = root;
  for (const part of relative(root, dir)
    .split(sep)
    .filter((name) => name !== "")) {
    const level = await loadGitignore(ancestor);
    if (level) levels.push(level);
    ancestor = join(ancestor, part);
  }
  const files: string[] = [];
  await walkDirectory(dir, levels, files, signal);
  return files;
}

async function walkDirectory(
  dir: string,
  levels: IgnoreLevel[],
  files: string[],
  signal: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable directories are skipped
  }
  const own = await loadGitignore(dir);
  const here = own ? [...levels, own] : levels;
  entries.sort((a, b) => compareStrings(a.name, b.name));
  for (const entry of entries) {
    if (entry.name === ".git") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isIgnored(here, path, true)) await walkDirectory(path, here, files, signal);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(here, path, false)) {
      files.push(path);
    }
  }
}
