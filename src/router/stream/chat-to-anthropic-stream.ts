/**
 * The upstream's SSE bytes → Anthropic SSE bytes, as a TransformStream or (for a live upstream
 * body) a stream that pulls from it: each network read is parsed once, translated, and written
 * out once. `message_start` goes out at once, and a `ping` whenever the upstream is silent for a
 * ping interval (Claude Code drops idle streams).
 */

import {
  createChatToAnthropicTranslator,
  PING_FRAME,
  type StreamSummary,
  type TranslatorOptions,
} from "./chat-to-anthropic-translator.js";
import { createTranslatingStream, pipeUpstream } from "./translating-stream.js";

export type { StreamSummary };

export interface ChatToAnthropicOptions extends TranslatorOptions {
  /** Milliseconds of upstream silence before a `ping`; 0 disables pings. */
  pingIntervalMs: number;
  /** Aborted when the client goes away; stops the ping timer at once. */
  signal?: AbortSignal;
}

export function createChatToAnthropicStream(
  options: ChatToAnthropicOptions,
): TransformStream<Uint8Array, Uint8Array> {
  return createTranslatingStream(createChatToAnthropicTranslator(options), {
    pingIntervalMs: options.pingIntervalMs,
    pingFrame: PING_FRAME,
    signal: options.signal,
  });
}

/**
 * Pipes an upstream body through the translator. A read failure (reset, timeout) does not
 * tear the client's stream down: it is reported in-band as an `event: error` frame.
 */
export function translateChatStream(
  body: ReadableStream<Uint8Array>,
  options: ChatToAnthropicOptions,
): ReadableStream<Uint8Array> {
  return pipeUpstream(body, createChatToAnthropicTranslator(options), {
    pingIntervalMs: options.pingIntervalMs,
    pingFrame: PING_FRAME,
    signal: options.signal,
  });
}
