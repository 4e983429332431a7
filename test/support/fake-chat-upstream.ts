/**
 * A scripted fake OpenAI-compatible Chat Completions server for router tests: real HTTP on
 * 127.0.0.1, replies queued per test, every request recorded, client disconnects detected.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type {
  ChatChunk,
  ChatCompletion,
  ChatCompletionChoice,
  ChatDelta,
  ChatToolCallDelta,
  ChatUsage,
} from "../../src/protocol/openai-chat.js";

// biome-ignore lint/suspicious/noExplicitAny: recorded bodies are inspected ad hoc by tests; narrowing every access would only add noise.
type Json = any;

export type Reply =
  | {
      type: "stream";
      chunks: Array<ChatChunk | string>;
      /** Pause before every frame after the first (including `[DONE]`). */
      delayMs?: number;
      /** Pause before the status line and headers are sent. */
      firstByteDelayMs?: number;
      omitDone?: boolean;
      /** Destroy the socket after this many chunks: the client sees a truncated chunked body. */
      resetAfter?: number;
      /** Stop writing after this many chunks and keep the socket open. */
      hangAfter?: number;
      headers?: Record<string, string>;
      /** Write every frame in a single `res.write` (benchmarks). */
      coalesce?: boolean;
    }
  | { type: "json"; body: unknown; status?: number; headers?: Record<string, string>; delayMs?: number }
  | { type: "error"; status: number; body?: unknown; headers?: Record<string, string> }
  /** Accept the request and never answer, not even headers (for abort and timeout tests). */
  | { type: "hang" };

export interface RecordedRequest {
  method: string;
  /** The request target as sent, query string included. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the raw string when the body is not JSON ("" when empty). */
  body: Json;
  /** The client went away before the response finished (never set for scripted resets). */
  aborted: boolean;
  abortedAt?: number;
  receivedAt: number;
}

export interface FakeChatUpstream {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** Every request in arrival order, chat completions or not. */
  requests: RecordedRequest[];
  enqueue(...replies: Reply[]): void;
  setResponder(fn: (req: RecordedRequest) => Reply): void;
  /**
   * Resolves with the ms from response start to client disconnect of `requests[index]`
   * (default: the latest request, or the first one if none has arrived yet). Rejects if that
   * response ends without a client abort or nothing happens within `timeoutMs` (default 5000).
   */
  waitForAbort(index?: number, timeoutMs?: number): Promise<number>;
  /** Destroys open sockets (hanging replies included) and stops listening. */
  close(): Promise<void>;
}

interface RequestState {
  /** When the reply started being played, i.e. after the request body was read. */
  startedAt: number;
  /** The response's `close` fired: finished, aborted or reset. */
  settled: boolean;
  /** We destroyed the socket ourselves (resetAfter, close()); not a client abort. */
  selfClosed: boolean;
}

export async function startFakeChatUpstream(
  options: { replies?: Reply[]; responder?: (req: RecordedRequest) => Reply } = {},
): Promise<FakeChatUpstream> {
  const queue: Reply[] = [...(options.replies ?? [])];
  let responder = options.responder;
  const requests: RecordedRequest[] = [];
  const states: RequestState[] = [];
  const watchers = new Set<() => void>();
  const sockets = new Set<Socket>();
  let closing = false;

  const notify = () => {
    for (const watcher of [...watchers]) watcher();
  };

  const nextReply = (req: RecordedRequest, index: number): Reply => {
    const queued = queue.shift();
    if (queued) return queued;
    if (responder) return responder(req);
    return {
      type: "error",
      status: 500,
      body: {
        error: {
          message: `fake upstream: no scripted reply left for request ${index}`,
          type: "fake_upstream_exhausted",
        },
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: { ...req.headers },
      body: undefined,
      aborted: false,
      receivedAt: Date.now(),
    };
    const index = requests.push(record) - 1;
    const state: RequestState = { startedAt: record.receivedAt, settled: false, selfClosed: false };
    states[index] = state;
    // `res` close is the reliable disconnect signal: `req` close fires as soon as the body is read.
    res.on("close", () => {
      if (!res.writableFinished && !state.selfClosed && !closing) {
        record.aborted = true;
        record.abortedAt = Date.now();
      }
      state.settled = true;
      notify();
    });
    notify();

    record.body = parseBody(await readBody(req));
    if (res.destroyed) return;
    state.startedAt = Date.now();

    const { pathname } = new URL(record.path, "http://127.0.0.1");
    if (record.method === "GET" && pathname === "/v1/models") {
      sendBody(res, 200, MODELS);
      return;
    }
    if (record.method !== "POST" || pathname !== "/v1/chat/completions") {
      sendBody(res, 404, {
        error: { message: `fake upstream: no route for ${record.method} ${pathname}`, type: "not_found" },
      });
      return;
    }
    let reply: Reply;
    try {
      reply = nextReply(record, index);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sendBody(res, 500, {
        error: { message: `fake upstream: responder threw: ${message}`, type: "fake_upstream" },
      });
      return;
    }
    await play(res, reply, state);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent && !res.destroyed) {
        sendBody(res, 500, {
          error: { message: `fake upstream: internal error: ${message}`, type: "fake_upstream" },
        });
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(...replies) {
      queue.push(...replies);
    },
    setResponder(fn) {
      responder = fn;
    },
    waitForAbort(index, timeoutMs = 5000) {
      const target = index ?? Math.max(0, requests.length - 1);
      return new Promise<number>((resolve, reject) => {
        const finish = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        const check = () => {
          const record = requests[target];
          const state = states[target];
          if (!record || !state) return;
          if (record.aborted && record.abortedAt !== undefined) {
            finish();
            resolve(record.abortedAt - state.startedAt);
          } else if (state.settled) {
            finish();
            reject(new Error(`fake upstream: request ${target} ended without a client abort`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`fake upstream: request ${target} was not aborted within ${timeoutMs} ms`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    async close() {
      closing = true;
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const MODELS = {
  object: "list",
  data: [
    { id: "fake-model", object: "model", created: 1_700_000_000, owned_by: "grove-test" },
    { id: "fake-reasoner", object: "model", created: 1_700_000_000, owned_by: "grove-test" },
  ],
};

const DONE_FRAME = "data: [DONE]\n\n";

async function play(res: ServerResponse, reply: Reply, state: RequestState): Promise<void> {
  switch (reply.type) {
    case "hang":
      return;
    case "json":
      if (reply.delayMs) await sleep(reply.delayMs);
      if (!res.destroyed) sendBody(res, reply.status ?? 200, reply.body, reply.headers);
      return;
    case "error":
      sendBody(
        res,
        reply.status,
        reply.body ?? {
          error: {
            message: `fake upstream error ${reply.status}`,
            type: "upstream_error",
            code: reply.status,
          },
        },
        reply.headers,
      );
      return;
    case "stream":
      await playStream(res, reply, state);
      return;
  }
}

async function playStream(
  res: ServerResponse,
  reply: Extract<Reply, { type: "stream" }>,
  state: RequestState,
): Promise<void> {
  if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs);
  if (res.destroyed) return;
  res.writeHead(
    200,
    withHeaders(
      {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
      },
      reply.headers,
    ),
  );
  // Send headers now so the client's fetch resolves even if no chunk follows (hangAfter: 0).
  res.flushHeaders();

  const frames = reply.chunks.map((chunk) =>
    typeof chunk === "string" ? chunk : `data: ${JSON.stringify(chunk)}\n\n`,
  );
  const resetAt = reply.resetAfter ?? Number.POSITIVE_INFINITY;
  const hangAt = reply.hangAfter ?? Number.POSITIVE_INFINITY;
  const cut = Math.min(resetAt, hangAt, frames.length);
  const ending: "reset" | "hang" | "done" =
    resetAt <= frames.length && resetAt <= hangAt ? "reset" : hangAt <= frames.length ? "hang" : "done";
  const tail = ending === "done" && !reply.omitDone ? DONE_FRAME : "";
  const writer = new FrameWriter(res);

  if (reply.coalesce) {
    await writer.write(frames.slice(0, cut).join("") + tail);
  } else {
    const body = tail ? [...frames.slice(0, cut), tail] : frames.slice(0, cut);
    for (const [i, frame] of body.entries()) {
      if (i > 0 && reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      await writer.write(frame);
    }
  }
  if (res.destroyed) return;

  if (ending === "done") {
    res.end();
  } else if (ending === "reset") {
    // Let written frames reach the kernel first, so the client reliably sees exactly `resetAfter` chunks.
    await writer.flushed;
    state.selfClosed = true;
    res.socket?.destroy();
  }
  // "hang": leave the socket open until the client or close() ends it.
}

/** Writes that respect backpressure and remember when the last one reached the socket. */
class FrameWriter {
  flushed: Promise<void> = Promise.resolve();
  private settleFlushed: () => void = () => {};

  constructor(private readonly res: ServerResponse) {
    // A destroyed socket may never call back; one listener, not one per frame (MaxListeners).
    res.once("close", () => this.settleFlushed());
  }

  async write(data: string): Promise<void> {
    const { res } = this;
    if (res.destroyed || data === "") return;
    this.flushed = new Promise<void>((resolve) => {
      this.settleFlushed = resolve;
    });
    const settle = this.settleFlushed;
    if (!res.write(data, () => settle())) await untilEither(res, "drain", "close");
  }
}

function untilEither(res: ServerResponse, a: string, b: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off(a, done);
      res.off(b, done);
      resolve();
    };
    res.on(a, done);
    res.on(b, done);
  });
}

function sendBody(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  // A string body is sent raw, so tests can return HTML error pages or broken JSON.
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  const contentType = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
  res.writeHead(
    status,
    withHeaders({ "content-type": contentType, "content-length": String(Buffer.byteLength(text)) }, headers),
  );
  res.end(text);
}

function withHeaders(defaults: Record<string, string>, extra: Record<string, string> | undefined) {
  const merged: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(extra ?? {})) merged[name.toLowerCase()] = value;
  return merged;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    // `close` without `end` means the client vanished mid-upload: keep what arrived.
    const done = () => resolve(Buffer.concat(parts).toString("utf8"));
    req.on("end", done);
    req.on("close", done);
    req.on("error", done);
  });
}

function parseBody(raw: string): Json {
  if (raw === "") return "";
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Chunk builders: realistic OpenAI wire shapes (id, object, created, model, choices[0].delta).
// ---------------------------------------------------------------------------------------------

const DEFAULT_MODEL = "fake-model";
let idCounter = 0;

/** What OpenAI actually sends; `object` and `created` are not in grove's read-side types. */
interface WireChunk extends ChatChunk {
  object: "chat.completion.chunk";
  created: number;
}

interface WireCompletion extends ChatCompletion {
  object: "chat.completion";
  created: number;
}

function chunkFactory(model: string) {
  idCounter += 1;
  const id = `chatcmpl-fake${idCounter.toString().padStart(6, "0")}`;
  const created = Math.floor(Date.now() / 1000);
  return {
    delta(delta: ChatDelta, finishReason: string | null = null): WireChunk {
      return {
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      };
    },
    usage(usage: ChatUsage): WireChunk {
      return { id, object: "chat.completion.chunk", created, model, choices: [], usage };
    },
  };
}

/** Splits by code point (never inside a surrogate pair) into at most `pieces` non-empty parts. */
function splitPieces(text: string, pieces: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [""];
  const count = Math.max(1, Math.min(Math.floor(pieces), chars.length));
  const size = Math.floor(chars.length / count);
  const extra = chars.length % count;
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = size + (i < extra ? 1 : 0);
    out.push(chars.slice(at, at + len).join(""));
    at += len;
  }
  return out;
}

function defaultUsage(completionChars: number, reasoningChars = 0): ChatUsage {
  const reasoning = Math.ceil(reasoningChars / 4);
  const completion = Math.max(1, Math.ceil(completionChars / 4) + reasoning);
  return {
    prompt_tokens: 12,
    completion_tokens: completion,
    total_tokens: 12 + completion,
    ...(reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
  };
}

/** `undefined` → the default usage-only chunk (`choices: []`, as with include_usage); `null` → none. */
function withUsage(
  chunks: WireChunk[],
  make: ReturnType<typeof chunkFactory>,
  usage: ChatUsage | null | undefined,
  fallback: ChatUsage,
): ChatChunk[] {
  if (usage !== null) chunks.push(make.usage(usage ?? fallback));
  return chunks;
}

/**
 * A plain text answer in `pieces` content chunks (clamped to the text's code point count), then
 * a finish chunk and by default a usage-only chunk. The first chunk carries `role: "assistant"`.
 */
export function textChunks(
  text: string,
  pieces: number,
  opts: { model?: string; finishReason?: string; usage?: ChatUsage | null } = {},
): ChatChunk[] {
  const make = chunkFactory(opts.model ?? DEFAULT_MODEL);
  const chunks = splitPieces(text, pieces).map((content, i) =>
    make.delta(i === 0 ? { role: "assistant", content } : { content }),
  );
  chunks.push(make.delta({}, opts.finishReason ?? "stop"));
  return withUsage(chunks, make, opts.usage, defaultUsage(text.length));
}

/**
 * Streamed tool calls: each call's arguments split into `fragments` pieces (default 3), the
 * first carrying index/id/type/name; `interleave` alternates fragments across calls, as
 * parallel-calling backends do. The first chunk also carries `role: "assistant", content: null`.
 */
export function toolCallChunks(
  calls: Array<{ id: string; name: string; arguments: string; index?: number }>,
  opts: {
    fragments?: number;
    interleave?: boolean;
    finishReason?: string;
    usage?: ChatUsage | null;
    model?: string;
  } = {},
): ChatChunk[] {
  const make = chunkFactory(opts.model ?? DEFAULT_MODEL);
  const perCall: ChatToolCallDelta[][] = calls.map((call, position) => {
    const index = call.index ?? position;
    return splitPieces(call.arguments, opts.fragments ?? 3).map((piece, i) =>
      i === 0
        ? { index, id: call.id, type: "function", function: { name: call.name, arguments: piece } }
        : { index, function: { arguments: piece } },
    );
  });
  const ordered: ChatToolCallDelta[] = [];
  if (opts.interleave) {
    const longest = Math.max(0, ...perCall.map((fragments) => fragments.length));
    for (let i = 0; i < longest; i++) {
      for (const fragments of perCall) {
        const fragment = fragments[i];
        if (fragment) ordered.push(fragment);
      }
    }
  } else {
    for (const fragments of perCall) ordered.push(...fragments);
  }
  const chunks = ordered.map((toolCall, i) =>
    make.delta(
      i === 0 ? { role: "assistant", content: null, tool_calls: [toolCall] } : { tool_calls: [toolCall] },
    ),
  );
  chunks.push(make.delta({}, opts.finishReason ?? "tool_calls"));
  const argChars = calls.reduce((sum, call) => sum + call.arguments.length, 0);
  return withUsage(chunks, make, opts.usage, defaultUsage(argChars));
}

/**
 * Thinking then answer, DeepSeek style: reasoning chunks carry `content: null` and content
 * chunks carry `<field>: null`, as real backends send. Empty `text` gives a reasoning-only reply.
 */
export function reasoningChunks(
  reasoning: string,
  text: string,
  field: "reasoning_content" | "reasoning" = "reasoning_content",
  opts: { pieces?: number; model?: string; finishReason?: string; usage?: ChatUsage | null } = {},
): ChatChunk[] {
  const make = chunkFactory(opts.model ?? DEFAULT_MODEL);
  const pieces = opts.pieces ?? 3;
  const thinking = (value: string | null): ChatDelta =>
    field === "reasoning" ? { reasoning: value } : { reasoning_content: value };
  const chunks = splitPieces(reasoning, pieces).map((piece, i) =>
    make.delta({ ...(i === 0 ? { role: "assistant" } : {}), content: null, ...thinking(piece) }),
  );
  if (text !== "") {
    for (const piece of splitPieces(text, pieces))
      chunks.push(make.delta({ content: piece, ...thinking(null) }));
  }
  chunks.push(make.delta({}, opts.finishReason ?? "stop"));
  return withUsage(chunks, make, opts.usage, defaultUsage(text.length, reasoning.length));
}

export type CompletionMessage = NonNullable<ChatCompletionChoice["message"]>;

/**
 * A non-stream response body. A string message is shorthand for `{ content }`; the finish
 * reason defaults to "tool_calls" when the message has tool calls, else "stop"; `usage: null`
 * omits usage.
 */
export function completion(
  message: string | CompletionMessage,
  finishReason?: string,
  usage?: ChatUsage | null,
  opts: { model?: string } = {},
): ChatCompletion {
  const body: CompletionMessage = typeof message === "string" ? { content: message } : message;
  idCounter += 1;
  const result: WireCompletion = {
    id: `chatcmpl-fake${idCounter.toString().padStart(6, "0")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: opts.model ?? DEFAULT_MODEL,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, ...body },
        finish_reason: finishReason ?? (body.tool_calls?.length ? "tool_calls" : "stop"),
      },
    ],
  };
  if (usage !== null) result.usage = usage ?? defaultUsage((body.content ?? "").length);
  return result;
}
