/**
 * The byte-level plumbing every streaming translator shares: upstream SSE bytes are parsed
 * once per network read, handed to a pure translator, and its text is written out once. A
 * keep-alive frame goes out whenever the upstream is silent for a ping interval, and a read
 * failure (reset, timeout) is reported to the translator in-band instead of tearing the
 * client's stream down.
 */
import { createChatSseParser, type SseItem } from "./chat-sse-parser.js";
import { directReadOf } from "./direct-read.js";
import { type SseOutput, toBytes } from "./sse-output.js";
import { createSseBatchParser, type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

/** A pure translator: upstream events in, client SSE out. */
export interface StreamTranslator {
  /** What the client sees before the upstream says anything. */
  start(): string;
  /** Translates one batch of upstream events; the result may be empty. */
  push(events: readonly SseItem[]): SseOutput;
  /** The upstream body ended. */
  finish(): SseOutput;
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

/** The glue around one translator: parser, output assembly and ping timer, for either stream shape. */
interface Translation {
  /** Sends the opening frames and starts the ping timer. */
  start(enqueue: (bytes: Uint8Array) => void): void;
  /** One upstream read → the client's bytes for it (undefined when there are none). */
  chunk(bytes: Uint8Array): Uint8Array | undefined;
  /** The upstream ended: the last frames, if any (what its last bytes held, then the closing ones). */
  end(): Uint8Array[];
  cancel(): void;
}

function createTranslation(translator: StreamTranslator, options: TranslatingStreamOptions): Translation {
  const parser = translator.takesContentLiterals ? createChatSseParser() : createSseBatchParser();
  let wroteSinceTick = true;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPings = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const bytesOf = (output: SseOutput): Uint8Array | undefined => {
    const bytes = toBytes(output);
    if (bytes.length === 0) return undefined;
    wroteSinceTick = true;
    if (translator.ended) stopPings();
    return bytes;
  };
  return {
    start(enqueue) {
      const opening = bytesOf(translator.start());
      if (opening) enqueue(opening);
      options.signal?.addEventListener("abort", stopPings, { once: true });
      if (options.pingIntervalMs <= 0 || translator.ended) return;
      const pingBytes = encoder.encode(options.pingFrame);
      timer = setInterval(() => {
        if (wroteSinceTick) {
          wroteSinceTick = false;
          return;
        }
        try {
          enqueue(pingBytes);
        } catch {
          stopPings(); // The stream is already closed or cancelled.
        }
      }, options.pingIntervalMs);
    },
    chunk(bytes) {
      if (translator.ended) return undefined;
      const events = parser.feed(bytes);
      return events.length > 0 ? bytesOf(translator.push(events)) : undefined;
    },
    end() {
      stopPings();
      if (translator.ended) return [];
      const last = bytesOf(translator.push(parser.end()));
      const closing = bytesOf(translator.finish());
      return [last, closing].filter((bytes) => bytes !== undefined);
    },
    cancel() {
      stopPings();
      translator.cancel();
    },
  };
}

/** The translator as a TransformStream: upstream SSE bytes in, client SSE bytes out. */
export function createTranslatingStream(
  translator: StreamTranslator,
  options: TranslatingStreamOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const translation = createTranslation(translator, options);
  const enqueueTo = (controller: TransformStreamDefaultController<Uint8Array>, bytes?: Uint8Array) => {
    if (bytes) controller.enqueue(bytes);
  };
  // `cancel` is in the Streams spec and Node 20, but not yet in TypeScript's DOM types.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(reason: unknown): void } = {
    start: (controller) => translation.start((bytes) => controller.enqueue(bytes)),
    transform: (chunk, controller) => enqueueTo(controller, translation.chunk(chunk)),
    flush: (controller) => {
      for (const bytes of translation.end()) controller.enqueue(bytes);
    },
    cancel: () => translation.cancel(),
  };
  return new TransformStream<Uint8Array, Uint8Array>(transformer);
}

/**
 * An upstream body, translated: the client's stream pulls from the upstream's reader (its
 * direct reader when it has one, see direct-read.ts), so one read costs one promise and
 * backpressure and cancellation reach the upstream directly (no pipe between two streams). A
 * read failure does not tear the client's stream down: it reaches the translator as an
 * `UPSTREAM_FAILURE_EVENT`.
 */
export function pipeUpstream(
  body: ReadableStream<Uint8Array>,
  translator: StreamTranslator,
  options: TranslatingStreamOptions,
): ReadableStream<Uint8Array> {
  const translation = createTranslation(translator, options);
  const reader = directReadOf(body) ?? body.getReader();
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, failure?: Uint8Array) => {
    if (failure) controller.enqueue(failure);
    for (const bytes of translation.end()) controller.enqueue(bytes);
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    start: (controller) => translation.start((bytes) => controller.enqueue(bytes)),
    async pull(controller) {
      for (;;) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          finish(controller, translation.chunk(encoder.encode(failureEvent(error))));
          return;
        }
        if (read.done) return finish(controller);
        const bytes = translation.chunk(read.value);
        if (bytes) return controller.enqueue(bytes);
      }
    },
    cancel(reason) {
      translation.cancel();
      return reader.cancel(reason);
    },
  });
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
