import { describe, expect, it } from "vitest";
import { resolveRouterConfig } from "../config/resolve-config.js";
import { silentLogger } from "../log.js";
import { inProcessUrl } from "../upstream/in-process.js";
import type { Exchange } from "./exchange.js";
import { upstreamLabeler, withRecording } from "./recording-fetch.js";

const encoder = new TextEncoder();
const frames = ['data: {"a":1}\n\n', 'data: {"b":', "2}\n\n", "data: [DONE]\n\n"];

/** A body that hands out `parts` one per pull, then ends or fails. */
function body(parts: string[], failWith?: Error): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[at++];
      if (part !== undefined) controller.enqueue(encoder.encode(part));
      else if (failWith) controller.error(failWith);
      else controller.close();
    },
  });
}

function recording(upstream: () => Response | Promise<Response>) {
  const exchanges: Exchange[] = [];
  const fetch = withRecording(
    async () => upstream(),
    { record: (exchange) => void exchanges.push(exchange) },
    () => ({ provider: "p", api: "chat" }),
    silentLogger,
  );
  const call = () =>
    fetch("http://upstream.test/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer sk-secret", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, messages: [] }),
    });
  return { exchanges, call };
}

describe("withRecording", () => {
  it("passes every byte through as it arrives and records the exchange when the body ends", async () => {
    const { exchanges, call } = recording(
      () => new Response(body(frames), { headers: { "content-type": "text/event-stream" } }),
    );
    const response = await call();
    const reader = response.body!.getReader();
    const first = await reader.read();
    // Live: the first chunk is readable before the upstream has finished, and nothing is recorded yet.
    expect(new TextDecoder().decode(first.value)).toBe(frames[0]);
    expect(exchanges).toHaveLength(0);
    let rest = "";
    for (let next = await reader.read(); !next.done; next = await reader.read())
      rest += new TextDecoder().decode(next.value);
    expect(frames[0] + rest).toBe(frames.join(""));
    expect(exchanges).toEqual([
      expect.objectContaining({
        seq: 1,
        provider: "p",
        api: "chat",
        model: "m",
        request: { model: "m", stream: true, messages: [] },
        status: 200,
        contentType: "text/event-stream",
        body: frames.join(""),
      }),
    ]);
    expect(JSON.stringify(exchanges)).not.toContain("sk-secret");
  });

  it("records a body that fails mid-stream as what was received, plus the error", async () => {
    const failure = new TypeError("terminated", { cause: new Error("other side closed") });
    const { exchanges, call } = recording(
      () =>
        new Response(body(frames.slice(0, 2), failure), { headers: { "content-type": "text/event-stream" } }),
    );
    const response = await call();
    await expect(response.text()).rejects.toThrow("terminated");
    expect(exchanges[0]).toMatchObject({
      body: frames[0]! + frames[1]!,
      error: "terminated (other side closed)",
    });
  });

  it("records error statuses with Retry-After, connection failures, and numbers exchanges in order", async () => {
    let call = 0;
    const { exchanges, call: send } = recording(() => {
      call += 1;
      if (call === 2) throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") });
      return Response.json({ error: { message: "busy" } }, { status: 429, headers: { "retry-after": "2" } });
    });
    const limited = await send();
    // The 429 is recorded once its body has been read, as the router always does.
    expect(exchanges).toHaveLength(0);
    expect(await limited.text()).toContain("busy");
    await expect(send()).rejects.toThrow("fetch failed");
    expect(exchanges.map((e) => [e.seq, e.status, e.retryAfter, e.error])).toEqual([
      [1, 429, "2", undefined],
      [2, 0, undefined, "fetch failed (connect ECONNREFUSED)"],
    ]);
  });

  it("passes a client cancel to the upstream and records what was read", async () => {
    let cancelled = false;
    const upstreamBody = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode("data: 1\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { exchanges, call } = recording(() => new Response(upstreamBody));
    const reader = (await call()).body!.getReader();
    await reader.read();
    await reader.cancel("client went away");
    expect(cancelled).toBe(true);
    expect(exchanges[0]).toMatchObject({
      body: "data: 1\n\n",
      error: expect.stringContaining("client went away"),
    });
  });

  it("keeps serving when the recorder fails", async () => {
    const warnings: string[] = [];
    const fetch = withRecording(
      async () => new Response("ok"),
      {
        record: () => {
          throw new Error("disk full");
        },
      },
      () => ({ api: "chat" }),
      { ...silentLogger, warn: (line) => warnings.push(line) },
    );
    expect(await (await fetch("http://x.test/v1/chat/completions", { body: "{}" })).text()).toBe("ok");
    expect(warnings).toEqual(["could not record exchange 1: disk full"]);
  });
});

describe("upstreamLabeler", () => {
  it("names in-process providers by URL and network providers by the longest matching base URL", () => {
    const config = resolveRouterConfig(
      {
        providers: {
          a: { type: "openai-chat", baseUrl: "http://host.test/v1" },
          b: { type: "openai-chat", baseUrl: "http://host.test/v1/sub" },
          n: { type: "anthropic", baseUrl: "http://native.test" },
          s: { type: "script", script: "builtin:demo" },
        },
        routes: { default: "a" },
      },
      {},
    );
    const label = upstreamLabeler(config);
    expect(label("http://host.test/v1/chat/completions")).toEqual({ provider: "a", api: "chat" });
    expect(label("http://host.test/v1/sub/chat/completions")).toEqual({ provider: "b", api: "chat" });
    expect(label("http://native.test/v1/messages")).toEqual({ provider: "n", api: "anthropic" });
    expect(label(inProcessUrl("s"))).toEqual({ provider: "s", api: "chat" });
    expect(label("http://elsewhere.test/v1/chat/completions")).toEqual({ api: "chat" });
  });
});
