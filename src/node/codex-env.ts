/** What points Codex CLI at a grove router: a `grove` model provider over the Responses API. */

/** The environment variable Codex reads the router key from (`env_key` of the provider entry). */
export const CODEX_KEY_VARIABLE = "GROVE_ROUTER_KEY";
/** A model slug Codex knows: an unknown one changes its tool set (and reports an error item). */
export const DEFAULT_CODEX_MODEL = "gpt-5.5";

export interface CodexProviderOptions {
  /** Codex's own retries of a failed request / a dropped stream (the router already retries upstream). */
  requestMaxRetries?: number;
  streamMaxRetries?: number;
}

/**
 * `-c` overrides selecting a `grove` provider at `<routerUrl>/v1` (Codex takes custom providers
 * only over the Responses API) with the key in CODEX_KEY_VARIABLE, plus no plugins or analytics
 * (both call home).
 */
export function codexProviderArgs(routerUrl: string, options: CodexProviderOptions = {}): string[] {
  const retries = [
    ...(options.requestMaxRetries === undefined ? [] : [`request_max_retries=${options.requestMaxRetries}`]),
    ...(options.streamMaxRetries === undefined ? [] : [`stream_max_retries=${options.streamMaxRetries}`]),
  ];
  const entry = [
    `name="grove"`,
    `base_url="${routerUrl}/v1"`,
    `env_key="${CODEX_KEY_VARIABLE}"`,
    `wire_api="responses"`,
    ...retries,
  ].join(",");
  return [
    "-c",
    "model_provider=grove",
    "-c",
    `model_providers.grove={${entry}}`,
    "--disable",
    "plugins",
    "-c",
    "analytics.enabled=false",
  ];
}
