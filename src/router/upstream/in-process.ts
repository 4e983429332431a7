/**
 * Providers that answer inside the router (`script`, `replay`) are reached through this URL
 * scheme, so their replies travel the same fetch → translation path as a real backend's.
 */
import type { ChatRequest } from "../../protocol/openai-chat.js";
import type { RouterConfig } from "../config/config-schema.js";
import { createReplayUpstream } from "../record/replay-upstream.js";
import { createScriptUpstream } from "../script/script-upstream.js";

export const IN_PROCESS_URL_PREFIX = "grove-upstream://";

/** Behaves like an OpenAI-compatible server's `POST /chat/completions`. */
export type InProcessUpstream = (request: ChatRequest, signal?: AbortSignal | null) => Promise<Response>;

export function inProcessUrl(providerName: string): string {
  return `${IN_PROCESS_URL_PREFIX}${providerName}/chat/completions`;
}

export function withInProcessUpstreams(config: RouterConfig, networkFetch: typeof fetch): typeof fetch {
  const upstreams = new Map<string, InProcessUpstream>();
  for (const [name, provider] of Object.entries(config.providers)) {
    if (provider.type === "script") {
      if (typeof provider.script === "string") throw new Error(`providers.${name}.script was not resolved`);
      upstreams.set(name, createScriptUpstream(provider.script.name ?? name, provider.script));
    } else if (provider.type === "replay") {
      if (typeof provider.cassette === "string")
        throw new Error(`providers.${name}.cassette was not resolved`);
      upstreams.set(name, createReplayUpstream(provider.name ?? name, provider.cassette, provider.match));
    }
  }
  if (upstreams.size === 0) return networkFetch;
  return (input, init) => {
    const url = String(input);
    if (!url.startsWith(IN_PROCESS_URL_PREFIX)) return networkFetch(input, init);
    const name = url.slice(IN_PROCESS_URL_PREFIX.length).split("/", 1)[0]!;
    return upstreams.get(name)!(JSON.parse(String(init?.body)) as ChatRequest, init?.signal);
  };
}
