/**
 * Process groups: an agent, a bash tool call or a dev server runs as the leader of its own group
 * (spawned `detached`), so that stopping it reaches everything it started.
 */
import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Whether a process group has a live member. A group whose members have all died but not yet been
 * reaped (zombies, orphaned to an init that reaps slowly) counts as gone; this is read from /proc
 * where there is one.
 */
export async function processGroupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  const pids = await readdir("/proc").catch(() => undefined);
  if (!pids) return true;
  for (const name of pids) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => undefined);
    if (!stat) continue;
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** Whether the group is gone within `withinMs`. */
export async function waitForGroupExit(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
    if (!(await processGroupAlive(pgid))) return true;
    await sleep(delay);
  }
  return !(await processGroupAlive(pgid));
}

/**
 * Ends whatever is left of the group: SIGTERM (unless `term` is false) and `graceMs` to exit,
 * then SIGKILL and up to `settleMs` until no live member remains.
 */
export async function endProcessGroup(
  pgid: number,
  options: { graceMs: number; settleMs: number; term?: boolean },
): Promise<void> {
  if (!(await processGroupAlive(pgid))) return;
  if (options.term !== false) {
    signalGroup(pgid, "SIGTERM");
    if (await waitForGroupExit(pgid, options.graceMs)) return;
  }
  signalGroup(pgid, "SIGKILL");
  await waitForGroupExit(pgid, options.settleMs);
}
