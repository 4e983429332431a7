/**
 * More /proc readings (Linux only), beside proc.ts: the CPU of a process's reaped children,
 * how often its threads woke up, and what file descriptors it holds.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { CpuTicks } from "./proc.js";

/**
 * cutime and cstime of `pid` in clock ticks: CPU used by children it has waited for (and by
 * their own waited-for children), e.g. the git processes a daemon ran and reaped.
 */
export function childCpuTicks(pid: number): CpuTicks {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3; cutime is field 16, cstime field 17.
  return { user: Number(fields[13]), system: Number(fields[14]) };
}

export interface Wakeups {
  /** Voluntary context switches, summed over all threads (a thread blocking, e.g. in epoll_wait). */
  voluntary: number;
  nonvoluntary: number;
  /** The same for the main thread alone (where timers and JS run). */
  mainVoluntary: number;
  threads: number;
}

/** Context switches of every thread of `pid`: each wake-up of an idle thread adds one. */
export function wakeups(pid: number): Wakeups {
  let voluntary = 0;
  let nonvoluntary = 0;
  let mainVoluntary = 0;
  let threads = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
    } catch {
      continue; // The thread ended meanwhile.
    }
    threads += 1;
    const v = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    voluntary += v;
    nonvoluntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    if (tid === String(pid)) mainVoluntary = v;
  }
  return { voluntary, nonvoluntary, mainVoluntary, threads };
}

/** What `pid`'s file descriptors point at, counted by kind (`socket`, `inotify`, `file`, …). */
export function fdKinds(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = target.startsWith("socket:")
      ? "socket"
      : target.startsWith("pipe:")
        ? "pipe"
        : target.startsWith("anon_inode:")
          ? target.slice("anon_inode:".length).replace(/^\[|\]$/g, "")
          : target.startsWith("/dev/")
            ? "dev"
            : "file";
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

/** inotify watches held by `pid` (one `inotify wd:` line per watch in the fdinfo of its inotify fds). */
export function inotifyWatches(pid: number): number {
  let watches = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== "anon_inode:inotify") continue;
      const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8");
      watches += info.split("\n").filter((line) => line.startsWith("inotify wd:")).length;
    } catch {
      // The fd closed meanwhile.
    }
  }
  return watches;
}

/**
 * CPU time of `pid` in nanoseconds, summed over its live threads, from /proc/<pid>/task/<tid>/schedstat
 * (the scheduler's own accounting, far finer than utime/stime's clock ticks). Threads that ended
 * are missing from the sum, so use it over windows in which threads come and go rarely (idle).
 * NaN where the kernel does not provide schedstat.
 */
export function cpuNs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return Number.NaN;
  }
  return total;
}
