/**
 * What the dashboard's new-task form offers: model names from the user's router config (names
 * only: never a URL, key or header), and the agents and kinds the daemon accepts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS, TASK_KINDS } from "../orchestrator/task-states.js";

export interface WebConfig {
  models: string[];
  agents: readonly string[];
  kinds: readonly string[];
}

export function routerConfigPathFor(home: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.GROVE_ROUTER_CONFIG || join(home, "router.json");
}

/** Provider names, `provider/model` ids from each provider's `models`, route model names, and `demo`. */
export function modelNames(config: unknown): string[] {
  const names = new Set<string>();
  const record = (value: unknown) => (typeof value === "object" && value !== null ? value : {}) as object;
  const providers = record((config as { providers?: unknown } | null)?.providers);
  for (const [name, provider] of Object.entries(providers)) {
    names.add(name);
    const models = (provider as { models?: unknown } | null)?.models;
    if (Array.isArray(models))
      for (const model of models) if (typeof model === "string") names.add(`${name}/${model}`);
  }
  const routes = record((config as { routes?: unknown } | null)?.routes) as { models?: unknown };
  for (const name of Object.keys(record(routes.models))) names.add(name);
  names.add("demo");
  return [...names];
}

export function loadWebConfig(home: string, env: NodeJS.ProcessEnv = process.env): WebConfig {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(routerConfigPathFor(home, env), "utf8"));
  } catch {
    config = undefined;
  }
  return { models: modelNames(config), agents: AGENTS, kinds: TASK_KINDS };
}
