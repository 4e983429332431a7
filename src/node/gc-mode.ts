/**
 * How V8 collects garbage in grove's long-running processes: routers, the daemon, agent wrappers.
 *
 * Their heaps are small and their work is a stream of short-lived allocations. By default V8
 * hands parts of each collection to helper threads. On a machine with two cores those threads
 * compete with the main thread, and with the agents and model servers beside it, and cost more
 * than they save: `npm run bench:router` measured 0.5–1.5 ms less router CPU per 1,000-chunk
 * stream with `--single-threaded-gc`, and a 10–15% shorter time to the last byte. So on small
 * machines grove runs these processes with that flag, as the JVM picks its serial collector on
 * small machines. `GROVE_GC=single` or `GROVE_GC=parallel` overrides the choice.
 */
import { availableParallelism } from "node:os";
import { ConfigError } from "../router/config/resolve-config.js";

export const SINGLE_THREADED_GC = "--single-threaded-gc";

/** Up to this many CPUs, V8's GC helper threads cost more than they save. */
const SMALL_MACHINE_CPUS = 2;

export type GcMode = "single" | "parallel";

export function gcMode(env: NodeJS.ProcessEnv = process.env, cpus = availableParallelism()): GcMode {
  const chosen = env.GROVE_GC?.trim();
  if (!chosen) return cpus <= SMALL_MACHINE_CPUS ? "single" : "parallel";
  if (chosen === "single" || chosen === "parallel") return chosen;
  throw new ConfigError(
    `must be "single" or "parallel" (or unset: single on machines with ${SMALL_MACHINE_CPUS} CPUs or fewer), not "${chosen}"`,
    "GROVE_GC",
  );
}

/** The node flags a long-running grove process gets. */
export function groveNodeFlags(
  env: NodeJS.ProcessEnv = process.env,
  cpus = availableParallelism(),
): string[] {
  return gcMode(env, cpus) === "single" ? [SINGLE_THREADED_GC] : [];
}

/**
 * The flags this process should have been started with but was not. None under a debugger
 * (`--inspect`): the user chose this very process, and a second one could not take its port.
 */
export function missingNodeFlags(
  execArgv: readonly string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
  cpus = availableParallelism(),
): string[] {
  if (execArgv.some((arg) => /^--(inspect|debug)/.test(arg))) return [];
  return groveNodeFlags(env, cpus).filter((flag) => !execArgv.includes(flag));
}
