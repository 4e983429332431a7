/**
 * Reads a process's CPU time and memory from /proc (Linux only). CPU comes in clock ticks
 * (`getconf CLK_TCK`, usually 100, i.e. 10 ms granularity): measure a whole batch and divide.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface CpuTicks {
  user: number;
  system: number;
}

/** utime and stime of `pid` in clock ticks (all its threads, children excluded). */
export function cpuTicks(pid: number): CpuTicks {
  return ticksFromStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** The same for `pid` and every process under it: a server that runs in a child of its launcher. */
export function treeCpuTicks(pid: number): CpuTicks {
  const total: CpuTicks = { user: 0, system: 0 };
  for (const each of processTree(pid)) {
    try {
      const ticks = cpuTicks(each);
      total.user += ticks.user;
      total.system += ticks.system;
    } catch {
      // Gone between the listing and the read: it was not the server.
    }
  }
  return total;
}

/** `pid` and its descendants, parents first. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...childPids(tree[i]!));
  return tree;
}

/**
 * The process that does the work: `pid` itself, or its only child, and so on down (`grove router`
 * on a small machine runs again as a child with V8 flags: src/node/relaunch.ts).
 */
export function workingPid(pid: number): number {
  const children = childPids(pid);
  return children.length === 1 ? workingPid(children[0]!) : pid;
}

/** The processes `pid` started, whichever of its threads started them; none once it is gone. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The same for the main thread only (JS runs there; GC helpers and libuv's pool do not). */
export function mainThreadCpuTicks(pid: number): CpuTicks {
  return ticksFromStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8"));
}

export function totalTicks(ticks: CpuTicks): number {
  return ticks.user + ticks.system;
}

function ticksFromStat(stat: string): CpuTicks {
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

export function ticksToMs(ticks: number): number {
  return (ticks * 1000) / clockTicksPerSecond();
}

/** A /proc/<pid>/status memory field (VmHWM = peak RSS, VmRSS = current RSS) in kB. */
export function statusKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : Number.NaN;
}
