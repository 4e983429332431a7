/**
 * Keeps every path a tool touches inside its working directory. A path may be relative to the
 * working directory or absolute inside it; `..` escapes, absolute paths elsewhere and symlinks
 * (anywhere along the path, dangling ones included) that resolve outside are refused before
 * anything is read, written or created. Comparisons are made between real paths, so a working
 * directory behind a symlink (such as /tmp on macOS) works.
 */
import { lstat, readlink, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { errnoCode } from "./define.js";
import { ToolError } from "./tool.js";

export interface ConfinedPath {
  /** The path as the caller gave it. */
  input: string;
  /** The real absolute path, every symlink resolved (for a path that does not exist yet: where it would be). */
  absolute: string;
  /** The path relative to the working directory, with `/` separators; `.` for the directory itself. */
  relative: string;
}

const MAX_SYMLINK_HOPS = 40;

/** The real path of the working directory; an error result if it is gone. */
export async function realCwd(cwd: string): Promise<string> {
  try {
    return await realpath(cwd);
  } catch (error) {
    throw new ToolError(
      `the working directory ${cwd} is not accessible (${errnoCode(error) ?? String(error)})`,
    );
  }
}

/** Resolves `path` against `cwd`, refusing it (with a ToolError) unless it stays inside `cwd`. */
export async function confinePath(cwd: string, path: string): Promise<ConfinedPath> {
  const root = await realCwd(cwd);
  const lexical = isAbsolute(path) ? resolve(path) : resolve(cwd, path);
  const real = await resolveReal(lexical, 0, path);
  if (!isInside(root, real)) {
    const via = real === lexical ? "" : ` (it resolves to ${real})`;
    throw new ToolError(`path "${path}" is outside the working directory ${resolve(cwd)}${via}`);
  }
  return { input: path, absolute: real, relative: toPosix(relative(root, real)) || "." };
}

/** Whether the (real, absolute) `path` is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * Where `path` really points: `realpath` where it exists; for a path that does not (fully)
 * exist, dangling symlinks are followed by hand and missing components are appended to the
 * real path of the deepest existing ancestor.
 */
async function resolveReal(path: string, hops: number, input: string): Promise<string> {
  if (hops > MAX_SYMLINK_HOPS) throw new ToolError(`path "${input}" has too many levels of symbolic links`);
  try {
    return await realpath(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ELOOP") throw new ToolError(`path "${input}" has too many levels of symbolic links`);
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
  }
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const target = await readlink(path);
    return resolveReal(resolve(dirname(path), target), hops + 1, input);
  }
  const parent = dirname(path);
  if (parent === path) return path;
  return join(await resolveReal(parent, hops, input), basename(path));
}
