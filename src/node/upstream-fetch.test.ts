/** upstreamFetch against real node:http servers on 127.0.0.1: requests, streamed bodies, failures, abort. */
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  closeOf,
  closeServers,
  type Handler,
  readAll,
  readRequest,
  rejectionOf,
  type Seen,
  serve,
  turn,
  within,
} from "../../test/support/http-test-servers.js";
import { directReadOf } from "../router/stream/direct-read.js";
import { upstreamFetch } from "./upstream-fetch.js";

afterEach(closeServers);

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
      const { url } = await serve((_req, res) => {
        res.end();
      });
      await closeServers(); // The port is free again: nothing listens there now.

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

  describe("direct reader (see router/stream/direct-read.ts)", () => {
    const drain = async (read: () => Promise<ReadableStreamReadResult<Uint8Array>>) => {
      const decoder = new TextDecoder();
      let text = "";
      for (;;) {
        const { done, value } = await read();
        if (done) return text + decoder.decode();
        text += decoder.decode(value, { stream: true });
      }
    };

    it("reads the body's queue directly, complete and in order, and is not offered once the stream is locked", async () => {
      const frames = Array.from({ length: 300 }, (_, i) => `data: {"n":${i}}\n\n`);
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const [i, frame] of frames.entries()) {
          res.write(frame);
          if (i % 7 === 0) await turn();
        }
        res.end();
      });
      const direct = directReadOf((await upstreamFetch(`${url}/a`)).body!);
      expect(direct).toBeDefined();
      expect(await drain(() => direct!.read())).toBe(frames.join(""));

      const locked = (await upstreamFetch(`${url}/b`)).body!;
      const reader = locked.getReader();
      expect(directReadOf(locked)).toBeUndefined();
      await reader.cancel();
    });

    it("rejects with TypeError('terminated') when the server drops the connection mid-body", async () => {
      const { url } = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: 1\n\n");
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.destroy();
      });
      const direct = directReadOf((await upstreamFetch(`${url}/drop`)).body!)!;
      const error = await within(rejectionOf(drain(() => direct.read())), 5_000, "direct read after a reset");
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe("terminated");
    });

    it("closes the connection when cancelled, before the server is done writing", async () => {
      let closed: Promise<{ finished: boolean }> | undefined;
      const { url } = await serve(async (_req, res) => {
        closed = closeOf(res);
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (let i = 0; i < 500 && !res.destroyed; i += 1) {
          res.write(`data: ${i}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        res.end();
      });
      const direct = directReadOf((await upstreamFetch(`${url}/cancel`)).body!)!;
      await direct.read();
      await direct.cancel(new Error("client left"));
      expect(await within(closed!, 4_000, "server-side close after cancel")).toEqual({ finished: false });
    });
  });
});
