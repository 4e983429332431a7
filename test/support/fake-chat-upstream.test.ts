import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatChunk, ChatCompletion } from "../../src/protocol/openai-chat.js";
import {
  completion,
  type FakeChatUpstream,
  reasoningChunks,
  startFakeChatUpstream,
  textChunks,
  toolCallChunks,
} from "./fake-chat-upstream.js";

let upstream: FakeChatUpstream;

beforeEach(async () => {
  upstream = await startFakeChatUpstream();
});

afterEach(async () => {
  await upstream.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chat(body: unknown = { model: "fake-model", messages: [], stream: true }, init: RequestInit = {}) {
  return fetch(`${upstream.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The `data:` payloads of a complete SSE body, in order. */
function frames(text: string): string[] {
  return text
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      expect(frame.startsWith("data: ")).toBe(true);
      return frame.slice("data: ".length);
    });
}

function contentOf(chunks: ChatChunk[]): string {
  return chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? "").join("");
}

async function untilRequests(count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (upstream.requests.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${upstream.requests.length} requests arrived`);
    await sleep(5);
  }
}

/** Reads a streamed body until it ends or fails, keeping what arrived before a failure. */
async function readUntilError(res: Response): Promise<{ text: string; error: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe("streamed replies", () => {
  it("streams chunks as SSE frames followed by [DONE] and records the request", async () => {
    const text = "Hello, wörld 😀 from the fake";
    const chunks = textChunks(text, 4);
    upstream.enqueue({ type: "stream", chunks });

    const res = await chat({
      model: "fake-model",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const payloads = frames(await res.text());
    expect(payloads.at(-1)).toBe("[DONE]");
    const parsed = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as ChatChunk);
    expect(parsed).toEqual(chunks);
    expect(contentOf(parsed)).toBe(text);

    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(request?.body.messages[0].content).toBe("hi");
    expect(request?.aborted).toBe(false);
  });

  it("omits [DONE] on request and writes string chunks raw", async () => {
    const hostile = "data: {not json\n\n: keep-alive\n\n";
    upstream.enqueue({
      type: "stream",
      chunks: [hostile, ...textChunks("ok", 1, { usage: null })],
      omitDone: true,
    });
    const body = await (await chat()).text();
    expect(body.startsWith(hostile)).toBe(true);
    expect(body).not.toContain("[DONE]");
  });

  it("honours firstByteDelayMs and delayMs", async () => {
    upstream.enqueue({ type: "stream", chunks: textChunks("abc", 3), firstByteDelayMs: 150, delayMs: 30 });
    const started = Date.now();
    const res = await chat();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const afterHeaders = Date.now();
    await res.text();
    // 3 content + finish + usage + [DONE] = 6 frames, 5 gaps.
    expect(Date.now() - afterHeaders).toBeGreaterThanOrEqual(5 * 30 - 10);
  });

  it("resets the connection mid-stream after resetAfter chunks", async () => {
    upstream.enqueue({ type: "stream", chunks: textChunks("abcdef", 6), resetAfter: 2 });
    const res = await chat();
    expect(res.status).toBe(200);
    const { text, error } = await readUntilError(res);
    expect(error).toBeInstanceOf(TypeError); // undici: "terminated"
    expect(frames(text)).toHaveLength(2);
    // Our own reset is not a client abort.
    await expect(upstream.waitForAbort(0, 1000)).rejects.toThrow(/ended without a client abort/);
    expect(upstream.requests[0]?.aborted).toBe(false);
  });

  it("hangs after hangAfter chunks and detects the client going away", async () => {
    upstream.enqueue({ type: "stream", chunks: textChunks("abcdef", 6), hangAfter: 1 });
    const controller = new AbortController();
    const res = await chat(undefined, { signal: controller.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(frames(new TextDecoder().decode(first.value))).toHaveLength(1);
    await sleep(100);
    controller.abort();
    const ms = await upstream.waitForAbort(0);
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(ms).toBeLessThan(2000);
    expect(upstream.requests[0]?.aborted).toBe(true);
  });

  it("survives a large stream under backpressure, chunked or coalesced", async () => {
    const big = "x".repeat(4096);
    const chunks = textChunks(big.repeat(500), 500, { usage: null });
    upstream.enqueue({ type: "stream", chunks }, { type: "stream", chunks, coalesce: true });
    for (let i = 0; i < 2; i++) {
      const res = await chat();
      // Stall before reading so the server's socket buffer fills and write() returns false.
      await sleep(50);
      const payloads = frames(await res.text());
      expect(payloads).toHaveLength(chunks.length + 1);
      expect(contentOf(payloads.slice(0, -1).map((p) => JSON.parse(p) as ChatChunk))).toHaveLength(
        4096 * 500,
      );
    }
  });
});

describe("hang and abort detection", () => {
  it("reports the time from response start to client disconnect", async () => {
    upstream.enqueue({ type: "hang" });
    const controller = new AbortController();
    const pending = chat(undefined, { signal: controller.signal }).catch((error: unknown) => error);
    await untilRequests(1);
    await sleep(150);
    const abortedAt = Date.now();
    controller.abort();
    const ms = await upstream.waitForAbort();
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(2000);
    // Detection itself is prompt.
    expect(upstream.requests[0]!.abortedAt! - abortedAt).toBeLessThan(500);
    expect((await pending) as Error).toMatchObject({ name: "AbortError" });
  });

  it("waitForAbort can be called before the request arrives", async () => {
    upstream.enqueue({ type: "hang" });
    const waiting = upstream.waitForAbort(0);
    const controller = new AbortController();
    const pending = chat(undefined, { signal: controller.signal }).catch(() => undefined);
    await untilRequests(1);
    controller.abort();
    expect(await waiting).toBeGreaterThanOrEqual(0);
    await pending;
  });

  it("waitForAbort rejects when the response completes normally or on timeout", async () => {
    upstream.enqueue({ type: "json", body: completion("hi") }, { type: "hang" });
    await (await chat()).json();
    await expect(upstream.waitForAbort(0)).rejects.toThrow(/request 0 ended without a client abort/);
    const pending = chat().catch(() => undefined);
    await untilRequests(2);
    await expect(upstream.waitForAbort(1, 100)).rejects.toThrow(/not aborted within 100 ms/);
    await upstream.close();
    await pending;
  });

  it("close() destroys hanging sockets without counting them as aborts", async () => {
    upstream.enqueue({ type: "hang" });
    const pending = chat().then(
      () => "answered",
      () => "failed",
    );
    await untilRequests(1);
    await upstream.close();
    expect(await pending).toBe("failed");
    expect(upstream.requests[0]?.aborted).toBe(false);
  });
});

describe("non-stream replies", () => {
  it("answers scripted JSON with status and headers", async () => {
    const body = completion("Hello!", undefined, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    upstream.enqueue({ type: "json", body, headers: { "x-request-id": "req_1" } });
    const res = await chat({ model: "fake-model", messages: [] });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req_1");
    const json = (await res.json()) as ChatCompletion & { object: string };
    expect(json.object).toBe("chat.completion");
    expect(json.choices?.[0]).toMatchObject({
      message: { role: "assistant", content: "Hello!" },
      finish_reason: "stop",
    });
    expect(json.usage?.total_tokens).toBe(5);
  });

  it("answers error statuses with a default or a raw body", async () => {
    upstream.enqueue(
      { type: "error", status: 429, headers: { "retry-after": "2" } },
      { type: "error", status: 502, body: "<html>Bad Gateway</html>" },
    );
    const limited = await chat();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(await limited.json()).toMatchObject({ error: { code: 429 } });

    const gateway = await chat();
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await gateway.text()).toBe("<html>Bad Gateway</html>");
  });
});

describe("reply selection", () => {
  it("uses the queue first-in-first-out, then the responder", async () => {
    upstream.enqueue({ type: "json", body: { n: 1 } }, { type: "json", body: { n: 2 } });
    upstream.setResponder((req) => ({ type: "json", body: { echo: req.body.model } }));
    expect(await (await chat()).json()).toEqual({ n: 1 });
    expect(await (await chat()).json()).toEqual({ n: 2 });
    expect(await (await chat({ model: "m3" })).json()).toEqual({ echo: "m3" });
    expect(await (await chat({ model: "m4" })).json()).toEqual({ echo: "m4" });
  });

  it("takes replies and responder from the start options", async () => {
    const scripted = await startFakeChatUpstream({
      replies: [{ type: "json", body: { first: true } }],
      responder: () => ({ type: "error", status: 418 }),
    });
    try {
      const post = () => fetch(`${scripted.baseUrl}/chat/completions`, { method: "POST", body: "{}" });
      expect(await (await post()).json()).toEqual({ first: true });
      expect((await post()).status).toBe(418);
    } finally {
      await scripted.close();
    }
  });

  it("explains when the script runs out", async () => {
    upstream.enqueue({ type: "json", body: {} });
    await (await chat()).json();
    const res = await chat();
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      error: { message: "fake upstream: no scripted reply left for request 1" },
    });
  });

  it("records non-JSON bodies raw", async () => {
    upstream.enqueue({ type: "json", body: {} });
    await fetch(`${upstream.baseUrl}/chat/completions`, { method: "POST", body: "not json" });
    expect(upstream.requests[0]?.body).toBe("not json");
  });
});

describe("other routes", () => {
  it("lists models and 404s anything else", async () => {
    const models = (await (await fetch(`${upstream.baseUrl}/models`)).json()) as {
      object: string;
      data: unknown[];
    };
    expect(models.object).toBe("list");
    expect(models.data.length).toBeGreaterThan(0);
    const missing = await fetch(`${upstream.baseUrl}/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(upstream.requests.map((r) => r.path)).toEqual(["/v1/models", "/v1/embeddings"]);
  });
});

describe("chunk builders", () => {
  it("textChunks: role first, finish, then a usage-only chunk", () => {
    const chunks = textChunks("日本語のテキスト", 3, { model: "m", finishReason: "length" });
    expect(chunks).toHaveLength(5);
    expect(chunks[0]).toMatchObject({ object: "chat.completion.chunk", model: "m" });
    expect(chunks[0]?.choices?.[0]?.delta).toMatchObject({ role: "assistant" });
    expect(chunks[3]?.choices?.[0]).toMatchObject({ delta: {}, finish_reason: "length" });
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 12 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(contentOf(chunks)).toBe("日本語のテキスト");
    // Emoji are never split into lone surrogates.
    expect(contentOf(textChunks("😀😀", 2, { usage: null }).slice(0, 1))).toBe("😀");
    expect(textChunks("x", 1, { usage: null })).toHaveLength(2);
  });

  it("toolCallChunks: fragments carry id/name first, interleaved on request", () => {
    const calls = [
      { id: "call_a", name: "read", arguments: '{"path":"a.ts"}' },
      { id: "call_b", name: "grep", arguments: '{"q":"x"}' },
    ];
    const chunks = toolCallChunks(calls, { fragments: 2, interleave: true });
    const deltas = chunks.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? []);
    expect(deltas.map((d) => d.index)).toEqual([0, 1, 0, 1]);
    expect(deltas[0]).toMatchObject({ id: "call_a", type: "function", function: { name: "read" } });
    expect(deltas[2]).not.toHaveProperty("id");
    expect(chunks[0]?.choices?.[0]?.delta).toMatchObject({ role: "assistant", content: null });
    const args = (index: number) =>
      deltas
        .filter((d) => d.index === index)
        .map((d) => d.function?.arguments ?? "")
        .join("");
    expect(args(0)).toBe(calls[0]?.arguments);
    expect(args(1)).toBe(calls[1]?.arguments);
    expect(chunks.at(-2)?.choices?.[0]?.finish_reason).toBe("tool_calls");

    const sequential = toolCallChunks(calls, { fragments: 3, usage: null });
    const order = sequential.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? []).map((d) => d.index);
    expect(order).toEqual([0, 0, 0, 1, 1, 1]);
    expect(sequential.at(-1)?.choices?.[0]?.finish_reason).toBe("tool_calls");
  });

  it("reasoningChunks: thinking then content, in either field", () => {
    for (const field of ["reasoning_content", "reasoning"] as const) {
      const chunks = reasoningChunks("Let me think.", "Answer.", field);
      const thinking = chunks.map((c) => c.choices?.[0]?.delta?.[field] ?? "").join("");
      expect(thinking).toBe("Let me think.");
      expect(contentOf(chunks)).toBe("Answer.");
      const firstContent = chunks.findIndex((c) => c.choices?.[0]?.delta?.content);
      const lastThinking = chunks.findLastIndex((c) => c.choices?.[0]?.delta?.[field]);
      expect(lastThinking).toBeLessThan(firstContent);
      expect(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    }
  });

  it("completion: tool calls default the finish reason", () => {
    const body = completion({
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    });
    expect(body.choices?.[0]?.finish_reason).toBe("tool_calls");
    expect(completion("x", "length", null)).not.toHaveProperty("usage");
  });
});
