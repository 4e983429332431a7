import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../protocol/openai-chat.js";
import { type Exchange, type ExchangeInput, encodeBody, exchangeSchema } from "./exchange.js";
import { requestKey } from "./match-request.js";
import { createReplayUpstream } from "./replay-upstream.js";
import { parseCassette, resolveCassette } from "./resolve-cassette.js";

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "m",
  messages: [{ role: "user", content: text }],
  ...extra,
});

const exchange = (input: ExchangeInput): Exchange => exchangeSchema.parse(input);

describe("createReplayUpstream", () => {
  const cassette = [
    exchange({ seq: 2, request: ask("second"), status: 200, body: '{"n":2}' }),
    exchange({ seq: 1, request: ask("first"), status: 200, body: '{"n":1}' }),
    exchange({ seq: 3, api: "anthropic", request: {}, status: 200, body: "native" }),
  ];

  it("serves chat exchanges in recorded order, then a 500 naming the cassette and request", async () => {
    const replay = createReplayUpstream("c.jsonl", cassette, "sequence");
    expect(await (await replay(ask("anything"))).json()).toEqual({ n: 1 });
    expect(await (await replay(ask("anything"))).json()).toEqual({ n: 2 });
    const exhausted = await replay(ask("anything"));
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain('cassette \\"c.jsonl\\" has no exchanges left for request 3');
  });

  it("matches on the request, ignoring model, user and tool-call ids", async () => {
    const replay = createReplayUpstream("c", cassette, "request");
    expect(await (await replay(ask("second", { model: "other", user: "u" }))).json()).toEqual({ n: 2 });
    const miss = await replay(ask("third"));
    expect(miss.status).toBe(500);
    expect(await miss.text()).toContain(
      'no exchange in cassette \\"c\\" matches request 2; 1 unused exchange did not match',
    );
  });

  it("replays status, headers and exact bytes, a mid-stream failure and a connection failure", async () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x41]);
    const replay = createReplayUpstream(
      "c",
      [
        exchange({ request: {}, status: 429, retryAfter: "3", contentType: "application/json", body: "{}" }),
        exchange({ request: {}, status: 200, contentType: "application/octet-stream", ...encodeBody(bytes) }),
        exchange({
          request: {},
          status: 200,
          contentType: "text/event-stream",
          body: "data: 1\n\n",
          error: "terminated",
        }),
        exchange({ request: {}, status: 0, error: "fetch failed (connect ECONNREFUSED)" }),
      ],
      "sequence",
    );
    const limited = await replay(ask("x"));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    expect(new Uint8Array(await (await replay(ask("x"))).arrayBuffer())).toEqual(bytes);
    const cut = (await replay(ask("x"))).body!.getReader();
    expect(new TextDecoder().decode((await cut.read()).value)).toBe("data: 1\n\n");
    await expect(cut.read()).rejects.toThrow("terminated");
    await expect(replay(ask("x"))).rejects.toThrow("fetch failed (connect ECONNREFUSED)");
  });
});

describe("requestKey", () => {
  it("compares tool-call ids by position and ignores key order", () => {
    const turn = (id: string): ChatRequest => ({
      model: "m",
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id, type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: id, content: "done" },
      ],
    });
    expect(requestKey(turn("toolu_a"))).toBe(requestKey(turn("toolu_b")));
    expect(requestKey({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(requestKey({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(requestKey(ask("x"))).not.toBe(requestKey(ask("y")));
  });
});

describe("parseCassette", () => {
  it("reads JSON lines and names the line of a bad one", () => {
    const good = JSON.stringify({ seq: 1, request: {}, status: 200, body: "{}" });
    expect(parseCassette(`${good}\n\n${good}\n`)).toMatchObject({ exchanges: [{ seq: 1 }, { seq: 1 }] });
    expect(parseCassette(`${good}\nnot json\n`)).toEqual({
      error: expect.stringContaining("line 2 is not valid JSON"),
    });
    expect(parseCassette(JSON.stringify({ request: {}, status: "x" }))).toEqual({
      error: expect.stringMatching(/^line 1: status: /),
    });
  });
});

describe("resolveCassette", () => {
  const provider = () => ({
    type: "replay" as const,
    cassette: "c.jsonl" as string | Exchange[],
    match: "sequence" as const,
  });

  it("loads a cassette file and names the provider after it", () => {
    const replay: { cassette: string | Exchange[]; name?: string } & ReturnType<typeof provider> = provider();
    const problems: string[] = [];
    resolveCassette(
      replay,
      "providers.r.cassette",
      () => JSON.stringify({ request: {}, status: 200 }),
      problems,
    );
    expect(problems).toEqual([]);
    expect(replay).toMatchObject({ name: "c.jsonl", cassette: [{ status: 200, body: "" }] });
  });

  it("reports a runtime without files, an unreadable file and a bad line", () => {
    const problems: string[] = [];
    resolveCassette(provider(), "p", undefined, problems);
    resolveCassette(
      provider(),
      "p",
      () => {
        throw new Error("ENOENT");
      },
      problems,
    );
    resolveCassette(provider(), "p", () => "{", problems);
    expect(problems).toEqual([
      "p: cassette files cannot be read on this runtime; put the exchanges inline",
      'p: cannot load "c.jsonl": ENOENT',
      expect.stringMatching(/^p \("c.jsonl"\): line 1 is not valid JSON/),
    ]);
  });
});
