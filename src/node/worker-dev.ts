/**
 * `grove worker dev`: runs a project written by `grove worker init` in real workerd, as
 * `wrangler dev` would: its wrangler.jsonc (date, flags, vars), its `.dev.vars`, and the secrets
 * its router config references, taken from the environment.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../router/config/resolve-config.js";
import { parseJsonc } from "./jsonc.js";
import { bundleWorkerProject } from "./worker-bundle.js";
import { startWorkerRuntime, type WorkerRuntime } from "./worker-runtime.js";
import { referencesIn } from "./worker-secrets.js";

export interface WorkerDevOptions {
  dir: string;
  host?: string;
  port: number;
  /** Where secrets not in `.dev.vars` come from. */
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}

interface WranglerConfig {
  main?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
}

export async function startWorkerDev(options: WorkerDevOptions): Promise<WorkerRuntime> {
  const { dir } = options;
  const wrangler = readWrangler(dir);
  if (!wrangler.main || !wrangler.compatibility_date) {
    throw new ConfigError("needs `main` and `compatibility_date`", join(dir, "wrangler.jsonc"));
  }
  const devVars = readDevVars(join(dir, ".dev.vars"));
  const known: Record<string, unknown> = { ...wrangler.vars, ...devVars };
  const secrets: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of referencedNames(dir, known)) {
    if (name in known) continue;
    const value = (options.env ?? process.env)[name];
    if (value) secrets[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `the router config needs ${missing.join(", ")}: set ${missing.length > 1 ? "them" : "it"} in the environment or in ${join(dir, ".dev.vars")} (NAME=value lines)`,
    );
  }
  const entry = join(dir, wrangler.main);
  const runtime = await startWorkerRuntime({
    script: await bundleWorkerProject(entry),
    scriptPath: entry,
    bindings: { ...known, ...secrets },
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    compatibilityDate: wrangler.compatibility_date,
    ...(wrangler.compatibility_flags ? { compatibilityFlags: wrangler.compatibility_flags } : {}),
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  // The Worker reads its config on the first request: ask now, so a bad one fails here, not in Claude Code.
  const health = await fetch(`${runtime.url}/health`);
  if (!health.ok) {
    const body = (await health.json().catch(() => ({}))) as { error?: { message?: string } };
    await runtime.close();
    throw new ConfigError(body.error?.message ?? `the Worker answered ${health.status} on /health`);
  }
  return runtime;
}

function readWrangler(dir: string): WranglerConfig {
  const path = join(dir, "wrangler.jsonc");
  if (!existsSync(path)) {
    throw new ConfigError(`no wrangler.jsonc here: run \`grove worker init ${dir}\` first`, dir);
  }
  try {
    return parseJsonc(readFileSync(path, "utf8")) as WranglerConfig;
  } catch (error) {
    throw new ConfigError(`not valid JSON with comments: ${(error as Error).message}`, path);
  }
}

/** `.dev.vars`, wrangler's file of local secrets: `NAME=value` lines, `#` comments. */
function readDevVars(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    vars[match[1]!] = match[2]!.replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

/** The `$NAME`s of the config the Worker will use: the GROVE_ROUTER_CONFIG var, else router.json. */
function referencedNames(dir: string, known: Record<string, unknown>): string[] {
  const fromVar = known.GROVE_ROUTER_CONFIG;
  const [text, source] =
    typeof fromVar === "string"
      ? [fromVar, "GROVE_ROUTER_CONFIG"]
      : fromVar === undefined && existsSync(join(dir, "router.json"))
        ? [readFileSync(join(dir, "router.json"), "utf8"), join(dir, "router.json")]
        : [undefined, ""];
  if (text === undefined) return [...new Set(referencesIn(fromVar))];
  try {
    return [...new Set(referencesIn(JSON.parse(text)))];
  } catch (error) {
    throw new ConfigError(`not valid JSON: ${(error as Error).message}`, source);
  }
}
