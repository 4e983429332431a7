/**
 * What a Cloudflare Worker is handed as `env` and `ctx`, typed only as far as grove uses them,
 * so the Worker code needs no Cloudflare type package.
 */
import type { EnvRecord } from "../router/config/resolve-config.js";

/** The `ctx` of a Worker's `fetch(request, env, ctx)`. */
export interface WorkerContext {
  /** Keeps the Worker alive until `promise` settles, after the response has gone out. */
  waitUntil(promise: Promise<unknown>): void;
}

/** Worker vars, secrets and other bindings, by name. */
export type WorkerEnv = Record<string, unknown>;

/** The bindings grove reads itself; every other string binding can fill a `$NAME` in the config. */
export const BINDINGS = {
  /** The router config as JSON text or a JSON var; wins over the bundled router.json. */
  config: "GROVE_ROUTER_CONFIG",
  /** Where each finished request's record is POSTed as JSON (optional). */
  logUrl: "GROVE_LOG_URL",
  /** Sent as `Authorization: Bearer` to GROVE_LOG_URL (optional, a secret). */
  logToken: "GROVE_LOG_TOKEN",
  /** "true" lets a config with provider keys run without router tokens. */
  insecureNoAuth: "GROVE_INSECURE_NO_AUTH",
} as const;

/** The string-valued bindings (vars and secrets), which is what `$NAME` references resolve against. */
export function stringBindings(env: WorkerEnv): EnvRecord {
  const record: EnvRecord = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string") record[name] = value;
  }
  return record;
}
