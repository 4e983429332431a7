/**
 * The shared first step of every stream translator: walk one batch of upstream Chat
 * Completions events, take the content fast path where it applies, parse the rest once, and
 * turn `[DONE]`, a read failure or a malformed event into the end of the stream.
 */
import { contentLiteralOf } from "./content-fast-path.js";
import { type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

export interface ChatEventHandlers<Chunk> {
  ended(): boolean;
  /** Ends the stream, with an error message or normally. */
  end(error?: string): void;
  /** Plain content, as its JSON string literal (quotes included). */
  text(literal: string): void;
  /** Any other chunk; returns an error message to end with, "" to end normally, undefined to go on. */
  chunk(chunk: Chunk): string | undefined;
}

export function dispatchChatEvents<Chunk>(
  events: readonly SseEvent[],
  handlers: ChatEventHandlers<Chunk>,
): void {
  for (const event of events) {
    if (handlers.ended()) return;
    if (event.event === UPSTREAM_FAILURE_EVENT)
      return handlers.end(`upstream connection failed mid-stream: ${event.data}`);
    if (event.data === "[DONE]") return handlers.end();
    const literal = contentLiteralOf(event.data);
    if (literal !== undefined) {
      if (literal !== '""') handlers.text(literal);
      continue;
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(event.data) as Chunk;
    } catch {
      return handlers.end(`upstream sent a malformed stream event: ${event.data.slice(0, 200)}`);
    }
    const outcome = handlers.chunk(chunk);
    if (outcome !== undefined) handlers.end(outcome === "" ? undefined : outcome);
  }
}
