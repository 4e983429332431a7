/**
 * Validates a parsed config and resolves `$NAME` references against an environment record,
 * which is `process.env` on Node and the Worker's bindings on Cloudflare. Every problem is
 * reported with the path of the field that caused it.
 */
import type { z } from "zod";
import { resolveCassette } from "../record/resolve-cassette.js";
import { builtinScripts } from "../script/builtin-scripts.js";
import { type Script, scriptSchema } from "../script/script-schema.js";
import { type RouterConfig, type RouterConfigInput, routerConfigSchema } from "./config-schema.js";

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
    this.name = "ConfigError";
  }
}

export type EnvRecord = Record<string, string | undefined>;

const ENV_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

export interface ResolveOptions {
  /** Reads a file named in the config (a script, a cassette) as text; only runtimes with a file system provide one. */
  loadFile?: (path: string) => string;
}

export function resolveRouterConfig(
  input: unknown,
  env: EnvRecord,
  source?: string,
  options: ResolveOptions = {},
): RouterConfig {
  const parsed = routerConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatZodIssues(parsed.error), source);
  const config = parsed.data;
  const problems: string[] = [];
  const resolve = (value: string, path: string): string => {
    const match = ENV_REFERENCE.exec(value);
    if (!match) return value;
    const name = (match[1] ?? match[2])!;
    const resolved = env[name];
    if (resolved === undefined || resolved === "") {
      problems.push(`${path}: environment variable ${name} is not set`);
      return "";
    }
    return resolved;
  };
  for (const [name, provider] of Object.entries(config.providers)) {
    if (provider.type === "script") {
      provider.script = resolveScript(provider.script, `providers.${name}.script`, options, problems);
      continue;
    }
    if (provider.type === "replay") {
      resolveCassette(provider, `providers.${name}.cassette`, options.loadFile, problems);
      continue;
    }
    provider.baseUrl = resolve(provider.baseUrl, `providers.${name}.baseUrl`).replace(/\/+$/, "");
    if (provider.apiKey !== undefined) provider.apiKey = resolve(provider.apiKey, `providers.${name}.apiKey`);
    for (const [header, value] of Object.entries(provider.headers ?? {})) {
      provider.headers![header] = resolve(value, `providers.${name}.headers.${header}`);
    }
    if (!/^https?:\/\//.test(provider.baseUrl) && !problems.some((p) => p.includes(`${name}.baseUrl`))) {
      problems.push(
        `providers.${name}.baseUrl: must start with http:// or https:// (got "${provider.baseUrl}")`,
      );
    }
  }
  config.server.tokens = config.server.tokens.map((token, index) => resolve(token, `server.tokens.${index}`));
  checkRouteTargets(config, problems);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"), source);
  return config;
}

function resolveScript(
  script: string | Script,
  path: string,
  options: ResolveOptions,
  problems: string[],
): Script {
  if (typeof script !== "string") return script;
  const builtin = script.startsWith("builtin:") ? builtinScripts[script.slice("builtin:".length)] : undefined;
  if (builtin) return builtin;
  if (script.startsWith("builtin:")) {
    problems.push(
      `${path}: unknown built-in script "${script}" (available: ${Object.keys(builtinScripts)
        .map((n) => `builtin:${n}`)
        .join(", ")})`,
    );
    return { replies: [] };
  }
  if (!options.loadFile) {
    problems.push(`${path}: script files cannot be read on this runtime; put the script inline`);
    return { replies: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(options.loadFile(script));
  } catch (error) {
    problems.push(
      `${path}: cannot load "${script}": ${error instanceof SyntaxError ? "not valid JSON: " : ""}${error instanceof Error ? error.message : String(error)}`,
    );
    return { replies: [] };
  }
  const parsed = scriptSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(`${path} ("${script}"): ${formatZodIssues(parsed.error).replaceAll("\n", `\n${path}: `)}`);
    return { replies: [] };
  }
  return parsed.data;
}

function checkRouteTargets(config: RouterConfig, problems: string[]): void {
  const check = (route: string | string[] | undefined, path: string) => {
    if (route === undefined) return;
    const targets = typeof route === "string" ? [route] : route;
    targets.forEach((target, index) => {
      const provider = target.split("/", 1)[0]!;
      if (!(provider in config.providers)) {
        const where = typeof route === "string" ? path : `${path}.${index}`;
        const known = Object.keys(config.providers).join(", ") || "none";
        problems.push(`${where}: unknown provider "${provider}" in "${target}" (configured: ${known})`);
      }
    });
  };
  const { routes } = config;
  check(routes.default, "routes.default");
  for (const key of ["background", "think", "longContext", "image"] as const)
    check(routes[key], `routes.${key}`);
  for (const [model, route] of Object.entries(routes.models ?? {})) check(route, `routes.models.${model}`);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => formatIssue(issue, [])).join("\n");
}

/** zod nests the real reason for a bad record key inside the issue; show that, not "Invalid key". */
function formatIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_key" && issue.issues.length > 0) {
    return issue.issues.map((inner) => formatIssue(inner, path)).join("\n");
  }
  return `${path.length > 0 ? path.map(String).join(".") : "(top level)"}: ${issue.message}`;
}

export type { RouterConfig, RouterConfigInput };
