/**
 * A fast fake OpenAI-compatible upstream for benchmarks. Unlike test/support/fake-chat-upstream.ts
 * (which serialises every chunk per request and awaits every write), it pre-encodes the frames
 * once and spends almost nothing per request, so it is never the bottleneck.
 *
 * How it writes (the `write` option):
 * - "frames" (default): every frame is its own `res.write`, i.e. its own HTTP chunk, as a real
 *   model server writes each token event. Writing all 1,000 at once would let Node and the
 *   kernel merge them into one big read on the router's side, which hides the router's
 *   per-read cost; writing one per event-loop turn makes the upstream itself the bottleneck
 *   (1,000 turns and syscalls per stream). So it writes `framesPerTick` frames per
 *   `setImmediate` turn: Node corks the socket for the rest of the turn, so a turn's frames leave
 *   in one writev, and the router typically reads about `framesPerTick` frames at a time (more
 *   when it lags). Backpressure is respected (`drain`).
 * - "coalesce": the whole body in a single `res.end` (the cheapest possible upstream).
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildWorkload } from "./workload.js";

/** Frames per event-loop turn unless told otherwise (see the comment above). */
export const DEFAULT_FRAMES_PER_TICK = 10;

export interface FastUpstreamOptions {
  chunks: number;
  framesPerTick: number;
  write: "frames" | "coalesce";
}

export interface FastUpstream {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

export async function startFastUpstream(options: FastUpstreamOptions): Promise<FastUpstream> {
  const { frames } = buildWorkload(options.chunks);
  const buffers = frames.map((frame) => Buffer.from(frame, "utf8"));
  const whole = Buffer.concat(buffers);
  const perTick = Math.max(1, Math.floor(options.framesPerTick));

  const stream = (res: ServerResponse) => {
    res.writeHead(200, SSE_HEADERS);
    if (options.write === "coalesce") {
      res.end(whole);
      return;
    }
    let next = 0;
    const turn = () => {
      if (res.destroyed) return;
      const stop = Math.min(next + perTick, buffers.length);
      let ok = true;
      while (next < stop) ok = res.write(buffers[next++]!);
      if (next >= buffers.length) res.end();
      else if (ok) setImmediate(turn);
      else res.once("drain", () => setImmediate(turn));
    };
    turn();
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    req.resume(); // The request body is not needed; drain it.
    req.once("end", () => {
      if (req.method === "POST" && path === "/v1/chat/completions") {
        stream(res);
      } else if (req.method === "GET" && path === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"object":"list","data":[{"id":"fake-model","object":"model"}]}');
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"error":{"message":"no route","type":"not_found"}}');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
