/**
 * The router's upstream `fetch` on Node: undici's dispatcher, without the Fetch layer on top.
 *
 * An OpenAI-compatible backend sends one HTTP chunk per token, and Node's global fetch does a
 * great deal of work per chunk (measured with `npm run bench:router`, more than all of the
 * router's translation). Here undici's parser hands each chunk to a handler that only queues
 * it; a read of the body takes everything queued so far in one piece, so a thousand chunks
 * cost a few dozen reads of the translating stream. Backpressure: past HIGH_WATER_BYTES queued,
 * the socket is paused until the reader catches up. Cancelling the body aborts the request.
 *
 * It takes what the router passes (a URL string or URL, a RequestInit with a string or byte
 * body, headers and signal) and hands anything else to the global fetch. Like the global fetch,
 * it follows redirects, asks for and undoes gzip and deflate, and rejects a network failure with a
 * TypeError("fetch failed") whose `cause` says why.
 */
import { Buffer } from "node:buffer";
import type { Transform } from "node:stream";
import { constants, createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { Agent, type Dispatcher, interceptors } from "undici";
import { markDirectRead } from "../router/stream/direct-read.js";

const HIGH_WATER_BYTES = 256 * 1024;
/** Past this much queued, a read takes it at once rather than waiting a turn for more. */
const COALESCE_MAX_BYTES = 64 * 1024;
/** Statuses whose responses have no body, which a Response must be built without. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 20 }));
/** The codings it undoes, asked for as the global fetch would. */
const CODINGS: Record<string, "gzip" | "deflate"> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" };
/** As lenient as the global fetch (and cURL): a body cut short of its trailer still decodes. */
const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

export const upstreamFetch: typeof fetch = (input, init) => {
  const url = typeof input === "string" ? safeUrl(input) : input instanceof URL ? input : undefined;
  const body = init?.body ?? undefined;
  const handled =
    url !== undefined &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    (body === undefined || typeof body === "string" || body instanceof Uint8Array) &&
    (init?.redirect ?? "follow") === "follow";
  if (!handled) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const method = (init?.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  headers["accept-encoding"] ??= "gzip, deflate";
  return new Promise<Response>((resolve, reject) => {
    const handler = new BodyQueue(method, signal, resolve, reject);
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
      },
      handler,
    );
  });
};

/** Receives one response from undici and serves its body as a web ReadableStream. */
class BodyQueue implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private responded = false;
  /** The first `queuedCount` are waiting. One array for the whole body: a read empties it in place. */
  private queued: (Buffer | undefined)[] = [];
  private queuedCount = 0;
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  /** The next read takes what is queued without waiting another turn (it just waited one). */
  private waitedForMore = false;

  constructor(
    private readonly method: string,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    // Listened for from the start: undici calls onRequestStart only once connected, and a connect
    // (a TLS handshake, an unanswered SYN) can take up to its 10 s timeout.
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  private readonly onAbort = () => {
    if (!this.responded) this.reject(this.signal?.reason);
    this.controller?.abort(this.signal?.reason);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Aborted while connecting (or between redirect hops): the fetch has already rejected.
    if (this.signal?.aborted) controller.abort(this.signal.reason);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    statusText?: string,
  ): void {
    if (status < 200) return; // 1xx: the real response follows.
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (Array.isArray(value)) for (const each of value) responseHeaders.append(name, each);
      else if (value !== undefined) responseHeaders.append(name, value);
    }
    const hasBody = !NULL_BODY_STATUSES.has(status) && this.method !== "HEAD";
    let body: ReadableStream<Uint8Array> | null = hasBody ? this.readable() : null;
    const coding = CODINGS[responseHeaders.get("content-encoding")?.trim().toLowerCase() ?? ""];
    if (body && coding) body = body.pipeThrough(decoder(coding));
    let response: Response;
    try {
      response = new Response(body, { status, statusText: statusText ?? "", headers: responseHeaders });
    } catch (error) {
      // A status the Response constructor refuses (600 and up): a network error, not a hang.
      controller.abort(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.responded = true;
    this.resolve(response);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.queued[this.queuedCount++] = chunk;
    this.queuedBytes += chunk.length;
    if (this.queuedBytes >= HIGH_WATER_BYTES) controller.pause();
    this.notify();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.done();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.done();
    if (!this.responded) {
      this.reject(
        this.signal?.aborted ? this.signal.reason : new TypeError("fetch failed", { cause: error }),
      );
      return;
    }
    this.failure = error;
  }

  private done(): void {
    this.signal?.removeEventListener("abort", this.onAbort);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The body as a web stream, marked with a direct reader of the same queue (see direct-read.ts). */
  private readable(): ReadableStream<Uint8Array> {
    const stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const next = await this.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: (reason) => this.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    markDirectRead(stream, this);
    return stream;
  }

  /**
   * Everything queued so far in one piece, waiting for some if none; done at the end. What came
   * in one event-loop turn is first left for one more: on a busy router, the socket reads of the
   * next turn join it, so the client gets fewer, larger writes. An idle loop comes round at once.
   */
  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    for (;;) {
      if (this.queuedCount > 0) {
        if (!this.waitedForMore && !this.ended && !this.failure && this.queuedBytes < COALESCE_MAX_BYTES) {
          this.waitedForMore = true;
          await nextTurn();
          continue;
        }
        this.waitedForMore = false;
        const chunk = this.takeQueued();
        if (this.controller?.paused) this.controller.resume();
        return { done: false, value: chunk };
      }
      if (this.failure) {
        throw this.signal?.aborted
          ? this.signal.reason
          : new TypeError("terminated", { cause: this.failure });
      }
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((wake) => {
        this.wake = wake;
      });
    }
  }

  /** Everything queued, in one piece (a copy when there are several). */
  private takeQueued(): Buffer {
    const { queued, queuedCount: count } = this;
    let chunk = queued[0]!;
    if (count > 1) {
      chunk = Buffer.allocUnsafe(this.queuedBytes);
      let at = 0;
      for (let i = 0; i < count; i++) {
        const piece = queued[i]!;
        chunk.set(piece, at);
        at += piece.length;
      }
    }
    queued.fill(undefined, 0, count); // the pieces are views of socket reads: let them go
    this.queuedCount = 0;
    this.queuedBytes = 0;
    return chunk;
  }

  async cancel(reason?: unknown): Promise<void> {
    this.queued = [];
    this.queuedCount = 0;
    if (!this.ended && !this.failure)
      this.controller?.abort(reason instanceof Error ? reason : new Error("cancelled"));
  }
}

/**
 * Undoes `coding` with node:zlib rather than a DecompressionStream, which rejects what the global
 * fetch accepts: an empty body, a missing gzip trailer, "deflate" sent raw (without its zlib header).
 */
function decoder(coding: "gzip" | "deflate"): TransformStream<Uint8Array, Uint8Array> {
  let zlib: Transform | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, stream) {
      if (chunk.length === 0) return;
      if (!zlib) {
        const started = zlibFor(coding, chunk);
        started.on("data", (out: Buffer) => {
          try {
            stream.enqueue(out);
          } catch {
            started.destroy(); // the reader cancelled: output still in flight has nowhere to go
          }
        });
        started.on("error", (error: Error) => stream.error(error));
        zlib = started;
      }
      const writing = zlib;
      return new Promise<void>((resolve) => writing.write(chunk, () => resolve()));
    },
    flush() {
      const ending = zlib;
      if (!ending || ending.destroyed) return;
      return new Promise<void>((resolve) => {
        ending.once("end", resolve).once("error", () => resolve());
        ending.end();
      });
    },
  });
}

function zlibFor(coding: "gzip" | "deflate", first: Uint8Array): Transform {
  if (coding === "gzip") return createGunzip(ZLIB_OPTIONS);
  // A zlib header's first byte names the deflate method (8) in its low bits; raw deflate has none.
  return (first[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_OPTIONS) : createInflateRaw(ZLIB_OPTIONS);
}

/**
 * Resolves in the next event-loop turn's check phase, after that turn's poll phase has read the
 * sockets (a single setImmediate would come before it, in this turn's check phase).
 */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
