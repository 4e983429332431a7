/** upstreamFetch against real node:http servers on 127.0.0.1: codings, redirects, empty bodies, hand-offs. */
import { constants, createGzip, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  closeOf,
  closeServers,
  readRequest,
  rejectionOf,
  type Seen,
  serve,
  turn,
  within,
} from "../../test/support/http-test-servers.js";
import { upstreamFetch } from "./upstream-fetch.js";

afterEach(closeServers);

describe("upstreamFetch", () => {
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
