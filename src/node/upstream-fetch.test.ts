/** upstreamFetch against real node:http servers on 127.0.0.1, checked the way the global fetch behaves. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { constants, createGzip, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { upstreamFetch } from "./upstream-fetch.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A server on 127.0.0.1 at a free port; `url` has no trailing slash. */
async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

async function readRequest(req: IncomingMessage): Promise<Seen> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return {
    method: req.method ?? "",
    url: req.url ?? "",
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  };
}

/** Resolves when `res` closes; `finished` says whether the whole response had been written. */
function closeOf(res: ServerResponse): Promise<{ finished: boolean }> {
  return new Promise((resolve) => res.once("close", () => resolve({ finished: res.writableFinished })));
}

/** `promise`, or a rejection naming `what` after `ms`: a hang fails the test instead of timing it out. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a read of `promise` settles to: the error it rejects with, or a failure if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Reads the whole body, counting reads. */
async function readAll(response: Response): Promise<{ text: string; reads: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let reads = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads += 1;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), reads };
}

describe("upstreamFetch", () => {
  describe("request and response", () => {
    it("delivers method, path with query, headers and a string body, and returns status, statusText and headers", async () => {
      let seen: Seen | undefined;
      const { url } = await serve(async (req, res) => {
        seen = await readRequest(req);
        res.statusMessage = "Made It";
        res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        res.setHeader("x-reply", "yes");
        res.writeHead(201, { "content-type": "text/plain" });
        res.end("created");
      });
      const body = JSON.stringify({ text: "héllo ✓" });
      const response = await upstreamFetch(`${url}/v1/chat/completions?beta=true&x=a%20b`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Custom": "custom value" },
        body,
      });

      expect(seen).toMatchObject({ method: "POST", url: "/v1/chat/completions?beta=true&x=a%20b", body });
      expect(seen?.headers["x-custom"]).toBe("custom value");
      expect(seen?.headers["content-type"]).toBe("application/json");
      // Bytes, not characters: the body has multi-byte UTF-8 in it.
      expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
      expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);

      expect(response).toBeInstanceOf(Response);
      expect(response.status).toBe(201);
      expect(response.statusText).toBe("Made It");
      expect(response.ok).toBe(true);
      expect(response.headers.get("x-reply")).toBe("yes");
      expect(response.headers.get("content-type")).toBe("text/plain");
      expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
      expect(await response.text()).toBe("created");
    });

    it("sends a byte body as is", async () => {
      let seen: Seen | undefined;
      const { url } = await serve(async (req, res) => {
        seen = await readRequest(req);
        res.end("ok");
      });
      const bytes = new TextEncoder().encode("raw bytes ✓");
      const response = await upstreamFetch(`${url}/bytes`, { method: "put", body: bytes });
      expect(await response.text()).toBe("ok");
      expect(seen).toMatchObject({ method: "PUT", body: "raw bytes ✓" });
      expect(seen?.headers["content-length"]).toBe(String(bytes.length));
    });

    it("passes an error status through as a Response, not a rejection", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(503, { "retry-after": "3" }).end('{"error":"busy"}');
      });
      const response = await upstreamFetch(`${url}/`);
      expect(response.status).toBe(503);
      expect(response.ok).toBe(false);
      expect(response.headers.get("retry-after")).toBe("3");
      expect(await response.json()).toEqual({ error: "busy" });
    });
  });

  describe("streamed bodies", () => {
    const WRITES = 2_000;
    const PER_TURN = 5;
    const frame = (i: number) => `data: {"i":${i},"delta":"tok"}\n\n`;
    const expected = Array.from({ length: WRITES }, (_, i) => frame(i)).join("");

    /** A chunked SSE body of WRITES small writes, PER_TURN of them per event-loop turn. */
    const sse: Handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < WRITES; i += 1) {
        res.write(frame(i));
        if (i % PER_TURN === PER_TURN - 1) await turn();
      }
      res.end();
    };

    it("delivers many small chunks complete and in order, in far fewer reads than writes", async () => {
      const { url } = await serve(sse);
      const response = await upstreamFetch(`${url}/stream`);
      expect(response.headers.get("transfer-encoding")).toBe("chunked");
      const { text, reads } = await readAll(response);
      expect(text).toBe(expected);
      expect(reads).toBeGreaterThan(0);
      expect(reads).toBeLessThan(WRITES / 2);
    });

    it("delivers the same body through response.text()", async () => {
      const { url } = await serve(sse);
      const response = await upstreamFetch(`${url}/stream`);
      expect(await response.text()).toBe(expected);
    });

    it("delivers a body far past the high-water mark intact to a slow reader", async () => {
      const piece = Buffer.alloc(64 * 1024);
      const pieces = 64; // 4 MiB, sixteen times the queue's high-water mark.
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        for (let i = 0; i < pieces; i += 1) {
          piece.fill(i);
          if (!res.write(Buffer.from(piece))) await new Promise((resolve) => res.once("drain", resolve));
        }
        res.end();
      });
      const response = await upstreamFetch(`${url}/big`);
      const reader = response.body!.getReader();
      const received: Buffer[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(Buffer.from(value));
        if (received.length % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const all = Buffer.concat(received);
      expect(all.length).toBe(pieces * piece.length);
      for (let i = 0; i < pieces; i += 1) {
        const at = i * piece.length;
        expect([all[at], all[at + piece.length - 1]]).toEqual([i, i]);
      }
    });
  });

  describe("failures", () => {
    it("rejects a refused connection with TypeError('fetch failed') whose cause says ECONNREFUSED", async () => {
      const { url, server } = await serve((_req, res) => {
        res.end();
      });
      servers.splice(servers.indexOf(server), 1);
      await new Promise<void>((resolve) => server.close(() => resolve()));

      const error = await rejectionOf(
        upstreamFetch(`${url}/v1/chat/completions`, { method: "POST", body: "{}" }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe("fetch failed");
      expect(((error as TypeError).cause as Error).message).toContain("ECONNREFUSED");
    });

    it("rejects a status no Response can carry (600) as a network error instead of hanging", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(600).end("odd");
      });
      const error = await within(rejectionOf(upstreamFetch(`${url}/`)), 5_000, "status 600");
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe("fetch failed");
    });

    it("rejects the body read, without hanging, when the server drops the connection mid-body", async () => {
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (let i = 0; i < 10; i += 1) res.write(`data: ${i}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.destroy();
      });
      const response = await upstreamFetch(`${url}/stream`);
      expect(response.status).toBe(200);
      const error = await within(rejectionOf(response.text()), 5_000, "body read after a reset");
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe("terminated");
    });

    it("rejects the body read when the server drops the connection before a Content-Length body is complete", async () => {
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-length": "1000" });
        res.write("only part of it");
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.destroy();
      });
      const response = await upstreamFetch(`${url}/short`);
      const error = await within(rejectionOf(response.arrayBuffer()), 5_000, "body read after a reset");
      expect(error).toBeInstanceOf(TypeError);
    });
  });

  describe("abort and cancel", () => {
    it("rejects with the reason of a signal aborted before the call, and sends nothing", async () => {
      let requests = 0;
      const { url } = await serve((_req, res) => {
        requests += 1;
        res.end();
      });
      const reason = new Error("gave up early");
      const error = await rejectionOf(upstreamFetch(`${url}/`, { signal: AbortSignal.abort(reason) }));
      expect(error).toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests).toBe(0);
    });

    it("rejects with the signal's reason when aborted before the response, and the server sees the close", async () => {
      let closed: Promise<{ finished: boolean }> | undefined;
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const { url } = await serve((_req, res) => {
        closed = closeOf(res); // and never answer
        arrived();
      });
      const controller = new AbortController();
      const pending = rejectionOf(
        upstreamFetch(`${url}/hang`, { method: "POST", body: "{}", signal: controller.signal }),
      );
      await within(arrival, 5_000, "request arrival");
      const reason = new Error("client left");
      controller.abort(reason);
      expect(await within(pending, 5_000, "fetch after abort")).toBe(reason);
      expect(await within(closed!, 5_000, "server-side close")).toEqual({ finished: false });
    });

    it("rejects at once when aborted while still connecting", async () => {
      // A TCP server that never answers the TLS handshake: the connection stays in undici's connect step.
      const sockets = new Set<Socket>();
      const tcp = createTcpServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
      try {
        const controller = new AbortController();
        const port = (tcp.address() as AddressInfo).port;
        const pending = rejectionOf(
          upstreamFetch(`https://127.0.0.1:${port}/`, { signal: controller.signal }),
        );
        while (sockets.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        const reason = new Error("client left during connect");
        controller.abort(reason);
        // Well inside undici's 10 s connect timeout, which is what an unheard abort would wait for.
        expect(await within(pending, 5_000, "fetch aborted during connect")).toBe(reason);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
      }
    });

    it("rejects the body read with the signal's reason when aborted mid-body, and the server sees the close", async () => {
      let closed: Promise<{ finished: boolean }> | undefined;
      const { url } = await serve((_req, res) => {
        closed = closeOf(res);
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: first\n\n"); // and nothing more
      });
      const controller = new AbortController();
      const response = await upstreamFetch(`${url}/stream`, { signal: controller.signal });
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
      const pendingRead = reader.read();
      const reason = new Error("client left mid-stream");
      controller.abort(reason);
      expect(await within(rejectionOf(pendingRead), 5_000, "body read after abort")).toBe(reason);
      expect(await within(closed!, 5_000, "server-side close")).toEqual({ finished: false });
    });

    it("closes the connection when the body is cancelled, before the server is done writing", async () => {
      let closed: Promise<{ finished: boolean }> | undefined;
      let writes = 0;
      const { url } = await serve(async (_req, res) => {
        closed = closeOf(res);
        res.writeHead(200, { "content-type": "text/event-stream" });
        // Five seconds of frames, unless the client goes away first.
        for (let i = 0; i < 500 && !res.destroyed; i += 1) {
          res.write(`data: ${i}\n\n`);
          writes += 1;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        res.end();
      });
      const response = await upstreamFetch(`${url}/stream`);
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
      expect(await within(closed!, 4_000, "server-side close after cancel")).toEqual({ finished: false });
      expect(writes).toBeLessThan(500);
    });
  });

  describe("content codings", () => {
    const text = "a compressible sentence, ".repeat(200);

    it("asks for gzip and undoes a gzip-encoded body", async () => {
      let acceptEncoding: string | undefined;
      const { url } = await serve((req, res) => {
        acceptEncoding = req.headers["accept-encoding"];
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end(gzipSync(text));
      });
      const response = await upstreamFetch(`${url}/gz`);
      expect(acceptEncoding).toMatch(/\bgzip\b/);
      expect(await response.text()).toBe(text);
    });

    it("undoes a deflate-encoded body streamed in chunks", async () => {
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "deflate" });
        const compressed = deflateSync(text);
        for (let at = 0; at < compressed.length; at += 7) {
          res.write(compressed.subarray(at, at + 7));
          await turn();
        }
        res.end();
      });
      const response = await upstreamFetch(`${url}/deflate`);
      expect(await response.text()).toBe(text);
    });

    it("reads an empty gzip-encoded body as empty", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(200, { "content-encoding": "gzip", "content-length": "0" }).end();
      });
      const response = await upstreamFetch(`${url}/empty`);
      expect(await response.text()).toBe("");
    });

    it("reads a gzip body missing its trailer, as the global fetch does", async () => {
      const { url } = await serve((_req, res) => {
        const compressed = gzipSync(text);
        res.writeHead(200, { "content-encoding": "gzip" }).end(compressed.subarray(0, compressed.length - 8));
      });
      const response = await upstreamFetch(`${url}/truncated`);
      expect(await response.text()).toBe(text);
    });

    it("undoes a raw (headerless) deflate body, as the global fetch does", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(200, { "content-encoding": "deflate" }).end(deflateRawSync(text));
      });
      const response = await upstreamFetch(`${url}/raw`);
      expect(await response.text()).toBe(text);
    });

    it("rejects the body read on a corrupt gzip body", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(200, { "content-encoding": "gzip" }).end("this is not gzip at all");
      });
      const response = await upstreamFetch(`${url}/corrupt`);
      await expect(within(response.text(), 5_000, "corrupt gzip")).rejects.toThrow();
    });

    it("closes the connection when a gzip-encoded body is cancelled mid-stream", async () => {
      let closed: Promise<{ finished: boolean }> | undefined;
      const { url } = await serve(async (_req, res) => {
        closed = closeOf(res);
        res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
        // One gzip member, flushed after each frame, so the client decodes as it goes.
        const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
        gzip.on("data", (chunk: Buffer) => res.write(chunk));
        for (let i = 0; i < 1000 && !res.destroyed; i += 1) {
          gzip.write(`data: ${"x".repeat(20_000)}${i}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        gzip.end(() => res.end());
      });
      const response = await upstreamFetch(`${url}/gz-stream`);
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^data: x/);
      await reader.cancel();
      expect(await within(closed!, 4_000, "server-side close after cancel")).toEqual({ finished: false });
      // Let any decoding still in flight finish: it must not throw into the process.
      await new Promise((resolve) => setTimeout(resolve, 100));
    });

    it("rejects the body read when a gzip-encoded body is cut off mid-stream", async () => {
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-encoding": "gzip" });
        const compressed = gzipSync(text);
        res.write(compressed.subarray(0, compressed.length >> 1));
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.destroy();
      });
      const response = await upstreamFetch(`${url}/gz-reset`);
      const error = await within(rejectionOf(response.text()), 5_000, "gzip body read after a reset");
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe("terminated");
    });

    it("keeps the caller's own accept-encoding", async () => {
      let acceptEncoding: string | undefined;
      const { url } = await serve((req, res) => {
        acceptEncoding = req.headers["accept-encoding"];
        res.end("plain");
      });
      const response = await upstreamFetch(`${url}/`, { headers: { "Accept-Encoding": "identity" } });
      expect(await response.text()).toBe("plain");
      expect(acceptEncoding).toBe("identity");
    });
  });

  describe("redirects", () => {
    it("follows a 307 with the same method and body", async () => {
      const seen: Seen[] = [];
      const { url } = await serve(async (req, res) => {
        seen.push(await readRequest(req));
        if (req.url === "/start") res.writeHead(307, { location: "/next?hop=1" }).end();
        else res.end(`arrived at ${req.url}`);
      });
      const response = await upstreamFetch(`${url}/start`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"keep":"me"}',
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("arrived at /next?hop=1");
      expect(seen.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
        { method: "POST", url: "/start", body: '{"keep":"me"}' },
        { method: "POST", url: "/next?hop=1", body: '{"keep":"me"}' },
      ]);
      expect(seen[1]?.headers["content-type"]).toBe("application/json");
    });

    it("turns a POST into a GET without a body on a 303", async () => {
      const seen: Seen[] = [];
      const { url } = await serve(async (req, res) => {
        seen.push(await readRequest(req));
        if (req.url === "/start") res.writeHead(303, { location: `${"/see-other"}` }).end();
        else res.end("done");
      });
      const response = await upstreamFetch(`${url}/start`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"drop":"me"}',
      });
      expect(await response.text()).toBe("done");
      expect(seen).toHaveLength(2);
      expect(seen[1]).toMatchObject({ method: "GET", url: "/see-other", body: "" });
      expect(seen[1]?.headers["content-type"]).toBeUndefined();
      expect(seen[1]?.headers["content-length"] ?? "0").toBe("0");
    });

    it("does not carry Authorization to another origin", async () => {
      let there: Seen | undefined;
      const other = await serve(async (req, res) => {
        there = await readRequest(req);
        res.end("other origin");
      });
      let here: Seen | undefined;
      const { url } = await serve(async (req, res) => {
        here = await readRequest(req);
        res.writeHead(302, { location: `${other.url}/landing` }).end();
      });
      const response = await upstreamFetch(`${url}/start`, {
        headers: { authorization: "Bearer secret-token", "x-trace": "t-1" },
      });
      expect(await response.text()).toBe("other origin");
      expect(here?.headers.authorization).toBe("Bearer secret-token");
      expect(there?.url).toBe("/landing");
      expect(there?.headers.authorization).toBeUndefined();
      expect(there?.headers["x-trace"]).toBe("t-1");
    });

    it("keeps Authorization on a redirect within the same origin", async () => {
      const seen: Seen[] = [];
      const { url } = await serve(async (req, res) => {
        seen.push(await readRequest(req));
        if (req.url === "/start") res.writeHead(302, { location: "/same" }).end();
        else res.end("same origin");
      });
      const response = await upstreamFetch(`${url}/start`, { headers: { authorization: "Bearer keep" } });
      expect(await response.text()).toBe("same origin");
      expect(seen.map((request) => request.headers.authorization)).toEqual(["Bearer keep", "Bearer keep"]);
    });
  });

  describe("responses without a body", () => {
    it("gives a 204 a null body", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(204, { "x-empty": "1" }).end();
      });
      const response = await upstreamFetch(`${url}/nothing`, { method: "DELETE" });
      expect(response.status).toBe(204);
      expect(response.body).toBeNull();
      expect(response.headers.get("x-empty")).toBe("1");
      expect(await response.text()).toBe("");
    });

    it("resolves a HEAD request without a body", async () => {
      let method: string | undefined;
      const { url } = await serve((req, res) => {
        method = req.method;
        res.writeHead(200, { "content-type": "text/plain", "content-length": "42" }).end();
      });
      const response = await within(upstreamFetch(`${url}/`, { method: "HEAD" }), 5_000, "HEAD");
      expect(method).toBe("HEAD");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("42");
      expect(response.body).toBeNull();
    });
  });

  describe("inputs it hands to the global fetch", () => {
    it("serves a Request object", async () => {
      let seen: Seen | undefined;
      const { url } = await serve(async (req, res) => {
        seen = await readRequest(req);
        res.end("from a Request");
      });
      const response = await upstreamFetch(
        new Request(`${url}/req?q=1`, { method: "POST", headers: { "x-custom": "r" }, body: "payload" }),
      );
      expect(await response.text()).toBe("from a Request");
      expect(seen).toMatchObject({ method: "POST", url: "/req?q=1", body: "payload" });
      expect(seen?.headers["x-custom"]).toBe("r");
    });

    it("serves a non-http URL", async () => {
      const response = await upstreamFetch("data:text/plain,hello%20data");
      expect(await response.text()).toBe("hello data");
    });

    it("serves a stream body", async () => {
      let seen: Seen | undefined;
      const { url } = await serve(async (req, res) => {
        seen = await readRequest(req);
        res.end("streamed up");
      });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("one,"));
          controller.enqueue(new TextEncoder().encode("two"));
          controller.close();
        },
      });
      const response = await upstreamFetch(`${url}/up`, {
        method: "POST",
        body,
        duplex: "half",
      } as RequestInit);
      expect(await response.text()).toBe("streamed up");
      expect(seen?.body).toBe("one,two");
    });

    it("leaves a manual redirect to the global fetch", async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(302, { location: "/elsewhere" }).end();
      });
      const response = await upstreamFetch(`${url}/start`, { redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/elsewhere");
    });
  });
});
