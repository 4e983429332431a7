/** The environment that points Claude Code at a grove router. */
import type { RouterConfig } from "../router/config/config-schema.js";

export function routerClientUrl(config: RouterConfig): string {
  const { host, port } = config.server;
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * ANTHROPIC_API_KEY carries the router token when there is one; otherwise the caller's own key
 * (forwarded upstream by providers without a key of their own), or a placeholder so Claude
 * Code does not ask for a login. Non-essential traffic is off: it would go to api.anthropic.com.
 */
export function claudeEnvironment(
  baseUrl: string,
  config: RouterConfig,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const key = config.server.tokens[0] ?? env.ANTHROPIC_API_KEY ?? "grove-local";
  return {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: key,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}
