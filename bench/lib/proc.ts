/**
 * Reads a process's CPU time and memory from /proc (Linux only). CPU comes in clock ticks
 * (`getconf CLK_TCK`, usually 100, i.e. 10 ms granularity): measure a whole batch and divide.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

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
