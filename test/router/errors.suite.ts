import { type IncomingHttpHeaders, request } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { completion, textChunks } from "../support/fake-chat-upstream.js";
import { defaultConfig, type RouterHarness, type RouterTarget, readSse, startHarness } from "./harness.js";

const ask = {
  model: "claude-sonnet-4-6",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "hi" }],
};

async function statusOf(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

/** A /v1/messages body of exactly `bytes` bytes (ASCII), valid whatever its size. */
function askOfSize(bytes: number): string {
  const empty = JSON.stringify({ ...ask, messages: [{ role: "user", content: "" }] });
  const body = JSON.stringify({
    ...ask,
    messages: [{ role: "user", content: "x".repeat(bytes - empty.length) }],
  });
  expect(body.length).toBe(bytes);
  return body;
}

/** `text` in `count` pieces of about equal length. */
function piecesOf(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size));
}

/**
 * POSTs `pieces` as a chunked body (no Content-Length), one write a few ms apart, and reads the
 * answer. A server may answer before the body is all sent; the answer is what counts then.
 */
function postChunked(
  url: string,
  pieces: string[],
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: "POST", headers: { "content-type": "application/json", "x-api-key": "k" } },
      (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const piece of pieces) {
        if (answered || req.destroyed) return;
        req.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      req.end();
    })();
  });
}

/** Runs against `target`: the Node server here, the Worker in workerd in test/worker. */
export function errorsSuite(target: RouterTarget): void {
  let h: RouterHarness;
  beforeEach(async () => {
    h = await startHarness(target);
  });
  afterEach(async () => {
    await h.close();
  });

  describe("upstream errors before the first byte", () => {
    it("passes 429 through as rate_limit_error with Retry-After", async () => {
      h.upstream.enqueue({
        type: "error",
        status: 429,
        body: { error: { message: "slow down" } },
        headers: { "retry-after": "7" },
      });
      const error = await statusOf(h.client.messages.create(ask));
      expect(error.status).toBe(429);
      expect(error.headers?.get("retry-after")).toBe("7");
      expect(error.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
      expect((error.error as { error: { message: string } }).error.message).toContain("slow down");
    });

    it("maps 401 to authentication_error", async () => {
      h.upstream.enqueue({ type: "error", status: 401, body: { error: { message: "bad key" } } });
      const error = await statusOf(h.client.messages.create({ ...ask, stream: true }));
      expect(error.status).toBe(401);
      expect(error.error).toMatchObject({ error: { type: "authentication_error" } });
    });

    it("maps 500 to api_error", async () => {
      h.upstream.enqueue({ type: "error", status: 500, body: "<html>oops</html>" });
      const error = await statusOf(h.client.messages.create(ask));
      expect(error.status).toBe(500);
      expect(error.error).toMatchObject({ error: { type: "api_error" } });
    });

    it("maps 503 to 529 overloaded_error so Claude Code retries", async () => {
      h.upstream.enqueue({ type: "error", status: 503, body: { error: { message: "busy" } } });
      const error = await statusOf(h.client.messages.create(ask));
      expect(error.status).toBe(529);
      expect(error.error).toMatchObject({ error: { type: "overloaded_error" } });
    });

    it("maps an unreachable upstream to 529", async () => {
      await h.upstream.close();
      const error = await statusOf(h.client.messages.create(ask));
      expect(error.status).toBe(529);
      expect((error.error as { error: { message: string } }).error.message).toContain(
        "could not reach fake/fake-model",
      );
    });
  });

  describe("malformed requests", () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${h.router.url}/v1/messages?beta=true`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k", ...headers },
        body,
      });

    it("rejects invalid JSON with 400 invalid_request_error and asks nothing upstream", async () => {
      const response = await post("{not json");
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe("invalid_request_error");
      expect(body.error.message).toContain("not valid JSON");
      expect(h.upstream.requests).toHaveLength(0);
    });

    it("names the offending field", async () => {
      const response = await post(
        JSON.stringify({ model: "m", messages: [{ role: "robot", content: "x" }], max_tokens: 5 }),
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain("messages.0.role");
    });

    it("requires max_tokens", async () => {
      const response = await post(JSON.stringify({ model: "m", messages: [] }));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        "max_tokens",
      );
    });

    describe("body limit", () => {
      const LIMIT = 1000;
      const limited = async () => {
        await h.close();
        h = await startHarness(target, (baseUrl) => ({
          providers: { fake: { type: "openai-chat", baseUrl } },
          routes: { default: "fake/m" },
          server: { host: "127.0.0.1", port: 0, bodyLimitBytes: LIMIT },
        }));
      };
      const tooLarge = {
        type: "error",
        error: { type: "request_too_large", message: expect.stringContaining(`${LIMIT} bytes`) },
      };

      it("answers 413 past the body limit", async () => {
        await limited();
        const response = await post(
          JSON.stringify({ ...ask, messages: [{ role: "user", content: "x".repeat(5000) }] }),
        );
        expect(response.status).toBe(413);
        expect(((await response.json()) as { error: { type: string } }).error.type).toBe("request_too_large");
      });

      it("accepts a Content-Length body of exactly the limit and refuses one byte more", async () => {
        await limited();
        h.upstream.enqueue({ type: "json", body: completion("at the limit") });
        const atLimit = await post(askOfSize(LIMIT));
        expect(atLimit.status).toBe(200);
        expect(await atLimit.json()).toMatchObject({ content: [{ type: "text", text: "at the limit" }] });

        const over = await post(askOfSize(LIMIT + 1));
        expect(over.status).toBe(413);
        expect(await over.json()).toEqual(tooLarge);
        expect(h.upstream.requests).toHaveLength(1);
      });

      it("answers 413 to a chunked body past the limit, and asks nothing upstream", async () => {
        await limited();
        const body = askOfSize(LIMIT * 3);
        const response = await postChunked(`${h.router.url}/v1/messages`, piecesOf(body, 12));
        expect(response.status).toBe(413);
        expect(response.headers["content-type"]).toContain("application/json");
        expect(JSON.parse(response.body)).toEqual(tooLarge);
        expect(h.upstream.requests).toHaveLength(0);
      });

      it("reads a chunked body under the limit whole and serves the request", async () => {
        await limited();
        h.upstream.enqueue({ type: "json", body: completion("read it all") });
        const body = askOfSize(LIMIT - 100);
        const response = await postChunked(`${h.router.url}/v1/messages`, piecesOf(body, 6));
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ content: [{ type: "text", text: "read it all" }] });
        const sent = JSON.parse(body) as typeof ask;
        expect(h.upstream.requests[0]?.body.messages).toEqual([
          { role: "user", content: sent.messages[0]!.content },
        ]);
      });

      it("accepts a chunked body of exactly the limit", async () => {
        await limited();
        h.upstream.enqueue({ type: "json", body: completion("exactly") });
        const response = await postChunked(`${h.router.url}/v1/messages`, piecesOf(askOfSize(LIMIT), 4));
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ content: [{ type: "text", text: "exactly" }] });
      });
    });

    it("answers unknown paths with Anthropic's 404 shape", async () => {
      const response = await fetch(`${h.router.url}/v1/nothing`, { headers: { "x-api-key": "k" } });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    });
  });

  describe("failures after the headers are out", () => {
    it("sends an event: error frame when the upstream resets mid-stream", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: textChunks("partial answer that will be cut", 8),
        resetAfter: 3,
      });
      const response = await fetch(`${h.router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k" },
        body: JSON.stringify({ ...ask, stream: true }),
      });
      expect(response.status).toBe(200);
      const frames = await readSse(response);
      expect(frames[0]?.event).toBe("message_start");
      const last = frames[frames.length - 1]!;
      expect(last.event).toBe("error");
      expect(last.data).toMatchObject({ type: "error", error: { type: "api_error" } });
      expect(frames.some((frame) => frame.event === "message_stop")).toBe(false);
    });

    it("sends an event: error frame for an error chunk inside a 200 stream", async () => {
      h.upstream.enqueue({
        type: "stream",
        chunks: [
          ...textChunks("hi", 1, { usage: null }).slice(0, 1),
          { error: { message: "provider exploded", code: 502 } },
        ],
      });
      const stream = h.client.messages.stream(ask);
      await expect(stream.finalMessage()).rejects.toThrow(/provider exploded/);
    });
  });

  describe("keep-alive", () => {
    it("sends message_start at once and pings while the upstream is silent", async () => {
      await h.close();
      h = await startHarness(target, (baseUrl) => ({
        providers: { fake: { type: "openai-chat", baseUrl } },
        routes: { default: "fake/m" },
        server: { host: "127.0.0.1", port: 0, pingIntervalMs: 40 },
      }));
      const chunks = textChunks("slow", 1);
      h.upstream.enqueue({ type: "stream", chunks, delayMs: 200 });
      const response = await fetch(`${h.router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k" },
        body: JSON.stringify({ ...ask, stream: true }),
      });
      const frames = await readSse(response);
      expect(frames[0]?.event).toBe("message_start");
      expect(frames.filter((frame) => frame.event === "ping").length).toBeGreaterThan(2);
      expect(frames[frames.length - 1]?.event).toBe("message_stop");
    });
  });

  describe("client abort", () => {
    it("aborts the upstream request within a second of the client leaving mid-stream", async () => {
      if (target.noticesDisconnectOnlyOnWrite) {
        // The keep-alive ping is the write that lets such a runtime notice within the second.
        await h.close();
        h = await startHarness(target, (baseUrl) => ({
          ...defaultConfig(baseUrl),
          server: { pingIntervalMs: 100 },
        }));
      }
      h.upstream.enqueue({ type: "stream", chunks: textChunks("never finishes", 4), hangAfter: 2 });
      const controller = new AbortController();
      const response = await fetch(`${h.router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k" },
        body: JSON.stringify({ ...ask, stream: true }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      // The upstream must see the disconnect well within a second, not when its stream ends (never).
      await h.upstream.waitForAbort(0, 1000);
      expect(h.upstream.requests[0]?.aborted).toBe(true);
    });

    // Nothing is written before the upstream's headers, so only a runtime that notices at once can pass.
    it.skipIf(target.noticesDisconnectOnlyOnWrite)(
      "aborts the upstream request when the client leaves before the upstream answers",
      async () => {
        h.upstream.enqueue({ type: "hang" });
        const controller = new AbortController();
        const pending = fetch(`${h.router.url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "k" },
          body: JSON.stringify({ ...ask, stream: true }),
          signal: controller.signal,
        }).catch(() => undefined);
        while (h.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        controller.abort();
        await pending;
        await h.upstream.waitForAbort(0, 1000);
        expect(h.upstream.requests[0]?.aborted).toBe(true);
      },
    );
  });
}
