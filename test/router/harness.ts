/** Starts a real router on 127.0.0.1 in front of a fake upstream, for integration tests. */
import Anthropic from "@anthropic-ai/sdk";
import { type RunningRouter, serveRouter } from "../../src/node/serve-router.js";
import type { RouterConfigInput } from "../../src/router/config/config-schema.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import type { RequestRecord } from "../../src/router/handlers/messages.js";
import { createLogger } from "../../src/router/log.js";
import { type FakeChatUpstream, startFakeChatUpstream } from "../support/fake-chat-upstream.js";

export interface RouterHarness {
  upstream: FakeChatUpstream;
  router: RunningRouter;
  client: Anthropic;
  records: RequestRecord[];
  logs: string[];
  close(): Promise<void>;
}

export async function startHarness(
  makeConfig?: (upstreamBaseUrl: string) => RouterConfigInput,
  env: Record<string, string> = {},
): Promise<RouterHarness> {
  const upstream = await startFakeChatUpstream();
  const input: RouterConfigInput = makeConfig?.(upstream.baseUrl) ?? {
    providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "upstream-secret" } },
    routes: { default: "fake/fake-model" },
    server: { host: "127.0.0.1", port: 0 },
  };
  input.server = { host: "127.0.0.1", port: 0, ...input.server };
  const config = resolveRouterConfig(input, env);
  const logs: string[] = [];
  const records: RequestRecord[] = [];
  const router = await serveRouter({
    config,
    logger: createLogger("debug", (line) => logs.push(line)),
    onRequest: (record) => records.push(record),
  });
  const client = new Anthropic({
    baseURL: router.url,
    apiKey: config.server.tokens[0] ?? "client-key",
    maxRetries: 0,
  });
  return {
    upstream,
    router,
    client,
    records,
    logs,
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
