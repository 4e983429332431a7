/** Starts a real router on 127.0.0.1 (on a given target) in front of a fake upstream, for integration tests. */
import Anthropic from "@anthropic-ai/sdk";
import { serveRouter } from "../../src/node/serve-router.js";
import type { RouterConfigInput } from "../../src/router/config/config-schema.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import type { RequestRecord } from "../../src/router/handlers/messages.js";
import { createLogger } from "../../src/router/log.js";
import { type FakeChatUpstream, startFakeChatUpstream } from "../support/fake-chat-upstream.js";

/** Where a suite's router runs: a Node HTTP server here, a Worker in workerd (test/worker). */
export interface RouterTarget {
  readonly name: string;
  /**
   * workerd run locally notices a client that left only when it next writes to it, so an idle
   * stream (or one still waiting for the upstream's headers) keeps its upstream request until
   * then. Node, like Cloudflare's edge, notices at once.
   */
  readonly noticesDisconnectOnlyOnWrite?: boolean;
  /** Serves `config`, whose `$NAME` references read `env`, and says where. */
  start(config: RouterConfigInput, env: Record<string, string>): Promise<ServedRouter>;
}

export interface ServedRouter {
  url: string;
  /** Finished requests and log lines; a remote target may deliver them just after the response. */
  records: RequestRecord[];
  logs: string[];
  close(): Promise<void>;
}

export const nodeTarget: RouterTarget = {
  name: "node",
  async start(input, env) {
    const logs: string[] = [];
    const records: RequestRecord[] = [];
    const router = await serveRouter({
      config: resolveRouterConfig(input, env),
      logger: createLogger("debug", (line) => logs.push(line)),
      onRequest: (record) => records.push(record),
    });
    return { url: router.url, records, logs, close: () => router.close() };
  },
};

export interface RouterHarness {
  upstream: FakeChatUpstream;
  router: ServedRouter;
  client: Anthropic;
  records: RequestRecord[];
  logs: string[];
  close(): Promise<void>;
}

/** One fake provider with its own key, and every request routed to it. */
export function defaultConfig(upstreamBaseUrl: string): RouterConfigInput {
  return {
    providers: { fake: { type: "openai-chat", baseUrl: upstreamBaseUrl, apiKey: "upstream-secret" } },
    routes: { default: "fake/fake-model" },
    server: { host: "127.0.0.1", port: 0 },
  };
}

export async function startHarness(
  target: RouterTarget,
  makeConfig?: (upstreamBaseUrl: string) => RouterConfigInput,
  env: Record<string, string> = {},
): Promise<RouterHarness> {
  const upstream = await startFakeChatUpstream();
  const input: RouterConfigInput = makeConfig?.(upstream.baseUrl) ?? defaultConfig(upstream.baseUrl);
  input.server = { host: "127.0.0.1", port: 0, ...input.server };
  const tokens = resolveRouterConfig(input, env).server.tokens;
  const router = await target.start(input, env);
  const client = new Anthropic({ baseURL: router.url, apiKey: tokens[0] ?? "client-key", maxRetries: 0 });
  return {
    upstream,
    router,
    client,
    records: router.records,
    logs: router.logs,
    async close() {
      await router.close();
      await upstream.close();
    },
  };
}

/** Reads a raw SSE response into `{event, data}` pairs. */
export async function readSse(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "";
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "null";
      return { event, data: JSON.parse(data) as unknown };
    });
}
