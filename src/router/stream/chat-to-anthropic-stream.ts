/**
 * The upstream's SSE bytes → Anthropic SSE bytes in one TransformStream: each network read is
 * decoded and parsed once, translated, and written out once. `message_start` goes out at
 * once, and a `ping` whenever the upstream is silent for a ping interval (Claude Code drops
 * idle streams).
 */

import {
  createChatToAnthropicTranslator,
  PING_FRAME,
  type StreamSummary,
  type TranslatorOptions,
} from "./chat-to-anthropic-translator.js";
import type { SseEvent } from "./sse-parse-stream.js";
import { createSseBatchParser, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

export type { StreamSummary };

export interface ChatToAnthropicOptions extends TranslatorOptions {
  /** Milliseconds of upstream silence before a `ping`; 0 disables pings. */
  pingIntervalMs: number;
  /** Aborted when the client goes away; stops the ping timer at once. */
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

export function createChatToAnthropicStream(
  options: ChatToAnthropicOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const parser = createSseBatchParser();
  const translator = createChatToAnthropicTranslator(options);
  let wroteSinceTick = true;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPings = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const send = (controller: TransformStreamDefaultController<Uint8Array>, text: string) => {
    if (text === "") return;
    controller.enqueue(encoder.encode(text));
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
          controller.enqueue(encoder.encode(PING_FRAME));
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
      if (!translator.ended) send(controller, translator.push(parser.end()) + translator.finish());
    },
    cancel() {
      stopPings();
      translator.cancel();
    },
  };
  return new TransformStream<Uint8Array, Uint8Array>(transformer);
}

/**
 * Pipes an upstream body through the translator. A read failure (reset, timeout) does not
 * tear the client's stream down: it is reported in-band as an `event: error` frame.
 */
export function translateChatStream(
  body: ReadableStream<Uint8Array>,
  options: ChatToAnthropicOptions,
): ReadableStream<Uint8Array> {
  const translator = createChatToAnthropicStream(options);
  body
    .pipeTo(translator.writable, { preventAbort: true })
    .catch(async (error: unknown) => {
      const writer = translator.writable.getWriter();
      await writer.write(encoder.encode(failureEvent(error)));
      await writer.close();
    })
    .catch(() => {
      // The client is gone too: there is nobody left to tell.
    });
  return translator.readable;
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
