/**
 * The router config on a Worker: from the GROVE_ROUTER_CONFIG binding or the router.json
 * bundled by `grove worker init`, with `$NAME` references filled from the Worker's secrets.
 * There is no file system, so script and cassette files must be inline (init inlines them).
 */
import type { RouterConfig } from "../router/config/config-schema.js";
import { ConfigError, resolveRouterConfig } from "../router/config/resolve-config.js";
import { BINDINGS, stringBindings, type WorkerEnv } from "./worker-env.js";

export function workerRouterConfig(env: WorkerEnv, bundled: unknown): RouterConfig {
  const { input, source } = configInput(env, bundled);
  const config = resolveRouterConfig(input, stringBindings(env), source);
  assertNotOpenRelay(config, env, source);
  return config;
}

function configInput(env: WorkerEnv, bundled: unknown): { input: unknown; source: string } {
  const fromBinding = env[BINDINGS.config];
  if (typeof fromBinding === "string") {
    try {
      return { input: JSON.parse(fromBinding), source: BINDINGS.config };
    } catch (error) {
      throw new ConfigError(`not valid JSON: ${(error as Error).message}`, BINDINGS.config);
    }
  }
  // A JSON var (`"vars": { "GROVE_ROUTER_CONFIG": { … } }`) arrives already parsed.
  if (fromBinding !== undefined && fromBinding !== null)
    return { input: fromBinding, source: BINDINGS.config };
  if (bundled !== undefined) return { input: bundled, source: "router.json (bundled)" };
  throw new ConfigError(
    `no router config: bundle one with \`grove worker init\`, or set the ${BINDINGS.config} variable to its JSON`,
  );
}

/**
 * A Worker is reachable by anyone who learns its URL, so provider keys held by the Worker need
 * router tokens in front of them. Key passthrough (no provider key) needs none: callers pay.
 */
function assertNotOpenRelay(config: RouterConfig, env: WorkerEnv, source: string): void {
  if (config.server.tokens.length > 0 || env[BINDINGS.insecureNoAuth] === "true") return;
  const keyed = Object.entries(config.providers)
    .filter(([, provider]) => "apiKey" in provider && provider.apiKey)
    .map(([name]) => name);
  if (keyed.length === 0) return;
  throw new ConfigError(
    `provider${keyed.length > 1 ? "s" : ""} ${keyed.join(", ")} ${keyed.length > 1 ? "have" : "has"} an API key but server.tokens is empty, ` +
      "so anyone who finds this Worker could spend it. Add a router token " +
      '(server.tokens: ["$GROVE_ROUTER_TOKEN"], then `wrangler secret put GROVE_ROUTER_TOKEN`), ' +
      `or set the variable ${BINDINGS.insecureNoAuth}=true if that is really what you want.`,
    source,
  );
}
