/**
 * bench:router's JIT warm-up: each target is called until V8 has compiled its hot paths (or time
 * runs out), so that the measured figures are those of a server that has been serving for a
 * while. What those first streams cost (what a freshly started server costs) is returned as text.
 */
import { type RequestSpec, runBatch } from "./client.js";
import { ticksToMs, totalTicks, treeCpuTicks } from "./proc.js";
import { fmt } from "./stats.js";

export interface WarmUp {
  /** Streams per target. */
  streams: number;
  /** At most this long per target. */
  seconds: number;
  concurrency: number;
}

export async function warmUpTargets<Target extends string>(
  targets: readonly Target[],
  specs: Record<Target, RequestSpec>,
  /** The process serving a target, whose CPU (with its children's) is reported; undefined for none (the upstream itself). */
  servingPid: (target: Target) => number | undefined,
  { streams: wanted, seconds, concurrency }: WarmUp,
): Promise<string> {
  const parts: string[] = [];
  for (const target of targets) {
    const pid = servingPid(target);
    const ticksBefore = pid === undefined ? 0 : totalTicks(treeCpuTicks(pid));
    const started = performance.now();
    let streams = 0;
    while (streams < wanted && performance.now() - started < seconds * 1000) {
      const batch = await runBatch(specs[target], concurrency, Math.min(concurrency * 4, wanted - streams));
      streams += batch.timings.length + batch.failures;
    }
    const cpu =
      pid === undefined || streams === 0
        ? ""
        : `, ${fmt(ticksToMs(totalTicks(treeCpuTicks(pid)) - ticksBefore) / streams, 2)} ms server CPU/stream`;
    parts.push(`${target} ${streams} streams in ${fmt((performance.now() - started) / 1000, 1)} s${cpu}`);
  }
  return parts.join("; ");
}
