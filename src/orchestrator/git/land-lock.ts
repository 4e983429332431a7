/**
 * A cross-process mutex for landings: the file `grove-land.lock` in the repository's git common
 * directory, created exclusively and holding the owner's pid. Waiters poll; a lock whose pid is
 * no longer alive is taken over.
 */
import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { gitCommonDir } from "./repo.js";

export const LAND_LOCK_FILE = "grove-land.lock";

interface LockContent {
  pid: number;
  host?: string;
  token?: string;
  taskId?: string;
  since?: string;
}

export interface LandLockOptions {
  /** Give up waiting after this long (default 30 minutes: a landing may be running a test suite). */
  timeoutMs?: number;
  pollMs?: number;
  taskId?: string;
}

export class LandLockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`Timed out waiting for the landing lock ${lockPath} (held by ${holder})`);
    this.name = "LandLockTimeoutError";
  }
}

/** Runs `body` while holding the repository's landing lock. */
export async function withLandLock<T>(
  repo: string,
  options: LandLockOptions,
  body: () => Promise<T>,
): Promise<T> {
  const lockPath = join(await gitCommonDir(repo), LAND_LOCK_FILE);
  const token = await acquire(lockPath, options);
  try {
    return await body();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LandLockOptions): Promise<string> {
  const token = randomUUID();
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    token,
    ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
    since: new Date().toISOString(),
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  const pollMs = options.pollMs ?? 50;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(content)}\n`);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const held = await readLock(lockPath);
    if (held ? isStale(held) : await isAbandoned(lockPath)) {
      await breakStaleLock(lockPath, held);
      continue;
    }
    if (Date.now() >= deadline) throw new LandLockTimeoutError(lockPath, describe(held));
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const held = await readLock(lockPath);
  // Never remove a lock that someone else holds (ours may have been broken as stale).
  if (held?.token === token) await unlink(lockPath).catch(() => undefined);
}

/** The lock's content; undefined when it is missing or not (yet) readable as JSON. */
async function readLock(lockPath: string): Promise<LockContent | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockPath, "utf8"));
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as LockContent).pid === "number")
      return parsed as LockContent;
    return undefined;
  } catch {
    return undefined;
  }
}

/** A lock is stale when it was taken on this host by a process that no longer exists. */
function isStale(held: LockContent): boolean {
  if (held.host !== undefined && held.host !== hostname()) return false;
  try {
    process.kill(held.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** An unreadable lock (its writer died between creating and writing it) older than 10 seconds. */
async function isAbandoned(lockPath: string): Promise<boolean> {
  const info = await stat(lockPath).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > 10_000;
}

/**
 * Moves the stale lock aside atomically, then checks that what was moved is the stale lock it
 * read; if another waiter replaced it in between, the live lock is put back.
 */
async function breakStaleLock(lockPath: string, stale: LockContent | undefined): Promise<void> {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readLock(aside);
  if (moved && (moved.token !== stale?.token || moved.pid !== stale?.pid))
    await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function describe(held: LockContent | undefined): string {
  if (!held) return "an unknown process";
  return `pid ${held.pid}${held.taskId ? ` landing task ${held.taskId}` : ""}${held.since ? ` since ${held.since}` : ""}`;
}
