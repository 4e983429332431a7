/**
 * CPU priority for background work: agent runs yield to the daemon (creating the next tasks'
 * worktrees) and to whatever else the user is doing when the machine is busy, and run at full
 * speed when it is not.
 *
 * Two knobs, because either may be the one the kernel uses:
 * - the process's nice value (setpriority), inherited by everything it starts;
 * - on Linux with autogroups (CONFIG_SCHED_AUTOGROUP, on by default in many distributions), the
 *   nice value of the process's session: each session (a `detached` child calls setsid) is then
 *   scheduled as one group against the others, and a process's own nice value only ranks it
 *   within its session, so a detached agent would otherwise weigh as much as the whole daemon.
 * Both are best effort: where neither exists, or the system refuses, nothing changes.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * The nice value of agent runs, unless GROVE_AGENT_NICE (0 to 19; 0 leaves them as they are) says
 * otherwise. Nice values run from -20 (first) to 19 (last). At 19 a busy agent gets a small share
 * of the CPU while something at 0 wants it (a weight of 15 against 1024), and all of it when
 * nothing else does. Lower than that is not enough when many agents start at once: each one is
 * weighed on its own against the daemon, so ten at nice 10 already outweigh it.
 */
export const BACKGROUND_NICE = 19;

export function backgroundNice(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GROVE_AGENT_NICE?.trim();
  if (raw === undefined || raw === "") return BACKGROUND_NICE;
  const nice = Number(raw);
  return Number.isInteger(nice) && nice >= 0 && nice <= 19 ? nice : BACKGROUND_NICE;
}

/**
 * Retries of an autogroup change the kernel refused for now: without CAP_SYS_ADMIN it accepts one
 * such change every 100 ms, system-wide.
 */
const AUTOGROUP_RETRIES = 20;
const AUTOGROUP_RETRY_MS = 110;

/** Lowers a child (and what it starts from then on) to `nice`; returns at once. */
export function lowerPriority(child: ChildProcess, nice = BACKGROUND_NICE): void {
  if (child.pid === undefined || nice <= 0) return;
  try {
    setPriority(child.pid, nice);
  } catch {
    // Gone already, or not ours to change.
  }
  setAutogroupNice(child, nice);
}

/**
 * Gives the session a child leads (one started with `detached`) the autogroup nice value of this
 * process's own session, so that what a background process starts stays in the background.
 */
export function inheritAutogroupNice(child: ChildProcess): void {
  const own = autogroupNice("self");
  if (own !== undefined && own > 0) setAutogroupNice(child, own);
}

/** The nice value of the autogroup of `pid` ("self" for this process), or undefined without autogroups. */
export function autogroupNice(pid: number | "self"): number | undefined {
  try {
    const match = /\bnice\s+(-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function setAutogroupNice(child: ChildProcess, nice: number, retries = AUTOGROUP_RETRIES): void {
  // Never touch a pid that may already belong to another process.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    writeFileSync(`/proc/${child.pid}/autogroup`, String(nice));
  } catch (error) {
    // EAGAIN: another autogroup changed less than 100 ms ago. Anything else (no autogroups, no
    // such process, not permitted) will not change by waiting.
    if ((error as NodeJS.ErrnoException).code === "EAGAIN" && retries > 0)
      setTimeout(() => setAutogroupNice(child, nice, retries - 1), AUTOGROUP_RETRY_MS).unref();
  }
}
