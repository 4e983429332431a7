/**
 * The byte-level plumbing every streaming translator shares: upstream SSE bytes are parsed
 * once per network read, handed to a pure translator, and its text is written out once. A
 * keep-alive frame goes out whenever the upstream is silent for a ping interval, and a read
 * failure (reset, timeout) is reported to the translator in-band instead of tearing the
 * client's stream down.
 */
import { createChatSseParser, type SseItem } from "./chat-sse-parser.js";
import { asPieces, type SseOutput, toBytes } from "./sse-output.js";
import { createSseBatchParser, type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

/** A pure translator: upstream events in, client SSE out. */
export interface StreamTranslator {
  /** What the client sees before the upstream says anything. */
  start(): string;
  /** Translates one batch of upstream events; the result may be empty. */
  push(events: readonly SseItem[]): SseOutput;
  /** The upstream body ended. */
  finish(): string;
  /** The client went away: nothing more is sent, but the translator may still report. */
  cancel(): void;
  readonly ended: boolean;
  /**
   * The upstream speaks Chat Completions and the translator takes its plain content deltas as
   * ContentLiterals (see chat-sse-parser); otherwise it gets only parsed events.
   */
  readonly takesContentLiterals?: boolean;
}

export interface TranslatingStreamOptions {
  /** Milliseconds of upstream silence before `pingFrame`; 0 disables pings. */
  pingIntervalMs: number;
  pingFrame: string;
  /** Aborted when the client goes away; stops the ping timer at once. */
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

export function createTranslatingStream(
  translator: StreamTranslator,
  options: TranslatingStreamOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const parser = translator.takesContentLiterals ? createChatSseParser() : createSseBatchParser();
  const pingBytes = encoder.encode(options.pingFrame);
  let wroteSinceTick = true;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPings = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const send = (controller: TransformStreamDefaultController<Uint8Array>, output: SseOutput) => {
    const bytes = toBytes(output);
    if (bytes.length === 0) return;
    controller.enqueue(bytes);
    wroteSinceTick = true;
    if (translator.ended) stopPings();
  };
  // `cancel` is in the Streams spec and Node 20, but not yet in TypeScript's DOM types.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(reason: unknown): void } = {
    start(controller) {
      send(controller, translator.start());
      options.signal?.addEventListener("abort", stopPings, { once: true });
      if (options.pingIntervalMs <= 0) return;
      timer = setInterval(() => {
        if (wroteSinceTick) {
          wroteSinceTick = false;
          return;
        }
        try {
          controller.enqueue(pingBytes);
        } catch {
          stopPings(); // The stream is already closed or cancelled.
        }
      }, options.pingIntervalMs);
    },
    transform(chunk, controller) {
      if (translator.ended) return;
      const events = parser.feed(chunk);
      if (events.length > 0) send(controller, translator.push(events));
    },
    flush(controller) {
      stopPings();
      if (!translator.ended)
        send(controller, [...asPieces(translator.push(parser.end())), translator.finish()]);
    },
    cancel() {
      stopPings();
      translator.cancel();
    },
  };
  return new TransformStream<Uint8Array, Uint8Array>(transformer);
}

/**
 * Pipes an upstream body through a translating stream. A read failure does not tear the
 * client's stream down: it reaches the translator as an `UPSTREAM_FAILURE_EVENT`.
 */
export function pipeUpstream(
  body: ReadableStream<Uint8Array>,
  translating: TransformStream<Uint8Array, Uint8Array>,
): ReadableStream<Uint8Array> {
  body
    .pipeTo(translating.writable, { preventAbort: true })
    .catch(async (error: unknown) => {
      const writer = translating.writable.getWriter();
      await writer.write(encoder.encode(failureEvent(error)));
      await writer.close();
    })
    .catch(() => {
      // The client is gone too: there is nobody left to tell.
    });
  return translating.readable;
}

function failureEvent(error: unknown): string {
  const event: SseEvent = { event: UPSTREAM_FAILURE_EVENT, data: describe(error) };
  return `event: ${event.event}\ndata: ${event.data.replace(/\n/g, " ")}\n\n`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
