/**
 * The headers of the router's streamed SSE: `transfer-encoding: chunked`, as Hono's own streamSSE
 * sets it, so that @hono/node-server sends headers and first bytes at once instead of reading
 * ahead to size the body. A whole SSE text (a non-streaming upstream answer to a streaming
 * client) and JSON keep a length. The app is called directly, in front of a scripted upstream.
 */
import { describe, expect, it } from "vitest";
import { createRouterApp } from "../../src/router/app.js";
import { resolveRouterConfig } from "../../src/router/config/resolve-config.js";

const SSE = [
  { choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
  { choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } },
]
  .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  .concat("data: [DONE]\n\n")
  .join("");

const COMPLETION = {
  id: "c",
  object: "chat.completion",
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1 },
};

const ANTHROPIC_SSE =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

/** A router whose one upstream answers every request with `reply`. */
function router(type: "openai-chat" | "anthropic", reply: () => Response) {
  const config = resolveRouterConfig(
    {
      providers: { up: { type, baseUrl: "http://upstream.test/v1", apiKey: "k" } },
      routes: { default: "up/m" },
    },
    {},
  );
  return createRouterApp({ config, fetch: async () => reply() });
}

const post = (path: string, body: unknown) =>
  new Request(`http://router.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify(body),
  });

const messages = (stream: boolean) =>
  post("/v1/messages", {
    model: "claude-sonnet-4-6",
    max_tokens: 64,
    stream,
    messages: [{ role: "user", content: "hi" }],
  });

const sse = (text: string) => new Response(text, { headers: { "content-type": "text/event-stream" } });

describe("streamed SSE headers", () => {
  it("are chunked for a translated /v1/messages stream, and not for JSON", async () => {
    const app = router("openai-chat", () => sse(SSE));
    const streamed = await app.fetch(messages(true));
    expect(streamed.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    expect(await streamed.text()).toContain("message_stop");
    const json = await app.fetch(messages(false));
    expect(json.headers.get("transfer-encoding")).toBeNull();
  });

  it("are chunked for a translated /v1/responses stream", async () => {
    const app = router("openai-chat", () => sse(SSE));
    const streamed = await app.fetch(post("/v1/responses", { model: "gpt-5.5", stream: true, input: "hi" }));
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    expect(await streamed.text()).toContain("response.completed");
  });

  it("are not chunked for SSE made whole from a JSON answer, which has its length", async () => {
    const app = router("openai-chat", () => Response.json(COMPLETION));
    const streamed = await app.fetch(messages(true));
    expect(streamed.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(streamed.headers.get("transfer-encoding")).toBeNull();
    expect(await streamed.text()).toContain("message_stop");
  });

  it("are chunked for an Anthropic backend's stream passed through", async () => {
    const app = router("anthropic", () => sse(ANTHROPIC_SSE));
    const streamed = await app.fetch(messages(true));
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    expect(await streamed.text()).toBe(ANTHROPIC_SSE);
  });
});
