/**
 * Summarises a V8 `.cpuprofile` (as written by `node --cpu-prof`): self and total time per
 * function, optionally only for samples inside given time windows. Profile timestamps are
 * CLOCK_MONOTONIC microseconds, the same clock as `process.hrtime.bigint()` in another process
 * on the same machine, so a benchmark can record its windows with `monotonicUs()`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  startUs: number;
  endUs: number;
}

export interface ProfileRow {
  key: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  /** Sampled time inside the windows (idle included). */
  sampledMs: number;
  idleMs: number;
  /** Per function (`name file:line`), sorted by self time. */
  functions: ProfileRow[];
  /** Per script (package or file), sorted by self time. */
  scripts: ProfileRow[];
  windowsMatched: boolean;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The newest `.cpuprofile` in `dir`, if any. */
export function newestProfile(dir: string): string | undefined {
  let best: { path: string; mtime: number } | undefined;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".cpuprofile")) continue;
    const path = join(dir, name);
    const mtime = statSync(path).mtimeMs;
    if (!best || mtime > best.mtime) best = { path, mtime };
  }
  return best?.path;
}

export function summarizeProfile(path: string, windows: Window[] = []): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const inWindows = (t: number) => windows.some((w) => t >= w.startUs && t <= w.endUs);
  // Only use the windows if they overlap the profile at all (same clock); else take everything.
  const windowsMatched =
    windows.length > 0 && windows.some((w) => w.endUs >= profile.startTime && w.startUs <= profile.endTime);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const scriptSelf = new Map<string, number>();
  const scriptTotal = new Map<string, number>();
  let sampledUs = 0;
  let idleUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (windowsMatched && !inWindows(t)) continue;
    // The delta before a sample is the time it stands for (close enough at the default 1 ms interval).
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    sampledUs += us;
    if (leaf.callFrame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    add(self, functionKey(leaf), us);
    add(scriptSelf, scriptKey(leaf), us);
    const seen = new Set<string>();
    const seenScripts = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      const key = functionKey(node);
      if (!seen.has(key)) {
        seen.add(key);
        add(total, key, us);
      }
      const script = scriptKey(node);
      if (!seenScripts.has(script)) {
        seenScripts.add(script);
        add(scriptTotal, script, us);
      }
    }
  }
  const rows = (selfMap: Map<string, number>, totalMap: Map<string, number>) =>
    [...totalMap.keys()]
      .map((key) => ({ key, selfMs: (selfMap.get(key) ?? 0) / 1000, totalMs: totalMap.get(key)! / 1000 }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    sampledMs: sampledUs / 1000,
    idleMs: idleUs / 1000,
    functions: rows(self, total),
    scripts: rows(scriptSelf, scriptTotal),
    windowsMatched,
  };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || "(anonymous)";
  if (!url) return name;
  return `${name} ${shortUrl(url)}:${lineNumber + 1}`;
}

function scriptKey(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return url;
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return `npm:${rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return shortUrl(url);
}

function shortUrl(url: string): string {
  const dist = url.indexOf("/dist/");
  if (dist !== -1) return url.slice(dist + 1);
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) return url.slice(modules + 1);
  return url.replace(/^file:\/\//, "");
}
