/**
 * A client that stops reading holds the upstream back: the router reads the upstream only as
 * fast as the client takes the translated stream, so a long answer is not gathered in memory.
 * Real sockets on 127.0.0.1: an upstream that writes as fast as its socket lets it, a router,
 * and a client that reads the headers, pauses, and then reads the rest.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningRouter, serveRouter } from "../../src/node/serve-router.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";
import { createLogger } from "../../src/router/log.js";

/** Long deltas, so that what the router writes is about what it reads. */
const WORD = "backpressure ".repeat(80);
/** About 42 MB of SSE in: several times what the sockets' kernel buffers on the way can hold. */
const CHUNKS = 40_000;
const frame = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: WORD } }] })}\n\n`;
const closing = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`;

/** Writes CHUNKS frames, waiting for 'drain' whenever its socket is full; counts what it wrote. */
async function startUpstream(): Promise<{ server: Server; url: string; written(): number }> {
  let written = 0;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream" });
    void (async () => {
      for (let i = 0; i < CHUNKS; i++) {
        written += frame.length;
        if (!res.write(frame)) {
          await drainedOrClosed(res);
          if (res.destroyed) return;
        }
      }
      res.end(closing);
    })();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    written: () => written,
  };
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

const bodies = {
  "/v1/messages": {
    model: "claude-sonnet-4-5",
    max_tokens: 100,
    stream: true,
    messages: [{ role: "user", content: "go" }],
  },
  "/v1/responses": { model: "gpt-5", stream: true, input: "go" },
};

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(Object.keys(bodies) as (keyof typeof bodies)[])(
  "%s with a client that stops reading",
  (path) => {
    it("reads the upstream only as the client reads, then delivers all of it", async () => {
      const upstream = await startUpstream();
      cleanup.push(() => new Promise((resolve) => upstream.server.close(() => resolve())));
      upstream.server.on("connection", (socket) => cleanup.push(async () => void socket.destroy()));
      const router: RunningRouter = await serveRouter({
        config: resolveRouterConfig(
          {
            providers: { up: { type: "openai-chat", baseUrl: `${upstream.url}/v1`, apiKey: "k" } },
            routes: { default: "up/model" },
            server: { host: "127.0.0.1", port: 0 },
          },
          {},
        ),
        logger: createLogger("error", () => {}),
      });
      cleanup.push(() => router.close());

      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(`${router.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "c", authorization: "Bearer c" },
        });
        req.on("response", resolve).on("error", reject);
        req.end(JSON.stringify(bodies[path]));
      });
      expect(response.statusCode).toBe(200);
      response.pause();

      // Paused: the upstream fills the sockets and the router's small queue, then waits.
      let before = -1;
      for (let i = 0; i < 100 && upstream.written() !== before; i++) {
        before = upstream.written();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const total = CHUNKS * frame.length;
      expect(upstream.written()).toBeLessThan(total / 2);

      // Reading again: everything arrives, to the last event.
      let received = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => {
        received += text;
      });
      response.resume();
      await once(response, "end");
      expect(upstream.written()).toBe(total);
      const words = received.split(WORD).length - 1;
      // Each word appears in its delta and again in the events that repeat the whole text.
      expect(words).toBeGreaterThanOrEqual(CHUNKS);
      expect(received).toMatch(
        path === "/v1/messages" ? /event: message_stop/ : /event: response\.completed/,
      );
    }, 60_000);
  },
);
