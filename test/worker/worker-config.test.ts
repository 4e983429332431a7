/**
 * What only the Worker does, in real workerd: config from bindings, secrets from the Worker's
 * env, both modes (key passthrough, and provider keys behind router tokens), the refusal to
 * run an open relay, and request records shipped to GROVE_LOG_URL under ctx.waitUntil.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bundleRouterWorker, WORKER_COMPATIBILITY_DATE } from "../../src/node/worker-bundle.js";
import { startWorkerRuntime, type WorkerRuntime } from "../../src/node/worker-runtime.js";
import { type FakeChatUpstream, startFakeChatUpstream, textChunks } from "../support/fake-chat-upstream.js";

let runtime: WorkerRuntime;
let upstream: FakeChatUpstream;
const lines: string[] = [];

beforeAll(async () => {
  upstream = await startFakeChatUpstream();
  runtime = await startWorkerRuntime({
    script: await bundleRouterWorker(),
    bindings: {},
    port: 0,
    compatibilityDate: WORKER_COMPATIBILITY_DATE,
    onLine: (line) => lines.push(line),
  });
});
afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.setResponder(() => ({ type: "stream", chunks: textChunks("ok", 1) }));
});

const ask = (key: string) =>
  fetch(`${runtime.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body: JSON.stringify({
      model: "claude-sonnet-4-6",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    }),
  });

const errorMessage = async (response: Response) =>
  ((await response.json()) as { error: { message: string } }).error.message;

describe("the router config on a Worker", () => {
  it("answers 500 saying how to configure it when there is no config", async () => {
    await runtime.setBindings({});
    const response = await ask("k");
    expect(response.status).toBe(500);
    expect(await errorMessage(response)).toContain("grove worker init");
  });

  it("names a secret that is not set, without guessing a value", async () => {
    await runtime.setBindings({
      GROVE_ROUTER_CONFIG: JSON.stringify({
        providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "$FAKE_KEY" } },
        routes: { default: "fake/m" },
        server: { tokens: ["$ROUTER_TOKEN"] },
      }),
      ROUTER_TOKEN: "t",
    });
    const response = await ask("t");
    expect(response.status).toBe(500);
    expect(await errorMessage(response)).toContain(
      "providers.fake.apiKey: environment variable FAKE_KEY is not set",
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses to spend a provider key without router tokens, unless told to", async () => {
    const config = {
      providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "$FAKE_KEY" } },
      routes: { default: "fake/m" },
    };
    await runtime.setBindings({ GROVE_ROUTER_CONFIG: JSON.stringify(config), FAKE_KEY: "provider-key" });
    const refused = await ask("anyone");
    expect(refused.status).toBe(500);
    expect(await errorMessage(refused)).toMatch(/fake has an API key but server\.tokens is empty/);
    expect(upstream.requests).toHaveLength(0);

    await runtime.setBindings({
      GROVE_ROUTER_CONFIG: JSON.stringify(config),
      FAKE_KEY: "provider-key",
      GROVE_INSECURE_NO_AUTH: "true",
    });
    expect((await ask("anyone")).status).toBe(200);
  });
});

describe("the two modes", () => {
  it("key passthrough (y-router's): each client's own key goes upstream", async () => {
    // A JSON var arrives as an object, not text.
    await runtime.setBindings({
      GROVE_ROUTER_CONFIG: {
        providers: { up: { type: "openai-chat", baseUrl: upstream.baseUrl } },
        routes: { default: "up/m" },
      },
    });
    expect((await ask("client-a-key")).status).toBe(200);
    expect((await ask("client-b-key")).status).toBe(200);
    expect(upstream.requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer client-a-key",
      "Bearer client-b-key",
    ]);
  });

  it("configured providers: the Worker's secret key goes upstream, behind a router token", async () => {
    await runtime.setBindings({
      GROVE_ROUTER_CONFIG: JSON.stringify({
        providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "$FAKE_KEY" } },
        routes: { default: "fake/m" },
        server: { tokens: ["$ROUTER_TOKEN"] },
      }),
      FAKE_KEY: "secret-provider-key",
      ROUTER_TOKEN: "router-token-1",
    });
    expect((await ask("wrong")).status).toBe(401);
    expect(upstream.requests).toHaveLength(0);
    const response = await ask("router-token-1");
    expect(response.status).toBe(200);
    expect(upstream.requests[0]?.headers.authorization).toBe("Bearer secret-provider-key");
  });
});

describe("logging", () => {
  it("prints a line per request and POSTs its record to GROVE_LOG_URL with GROVE_LOG_TOKEN", async () => {
    const received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const sink = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    try {
      await runtime.setBindings({
        GROVE_ROUTER_CONFIG: JSON.stringify({
          providers: { up: { type: "openai-chat", baseUrl: upstream.baseUrl } },
          routes: { default: "up/m" },
        }),
        GROVE_LOG_URL: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/log`,
        GROVE_LOG_TOKEN: "log-token",
      });
      expect((await ask("k")).status).toBe(200);
      await vi.waitFor(() => expect(received).toHaveLength(1));
      expect(received[0]?.headers.authorization).toBe("Bearer log-token");
      expect(received[0]?.body).toMatchObject({
        service: "grove-router",
        clientModel: "claude-sonnet-4-6",
        target: "up/m",
        status: 200,
      });
      await vi.waitFor(() =>
        expect(lines.some((line) => line.includes("claude-sonnet-4-6 → up/m json 200"))).toBe(true),
      );
    } finally {
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });
});
