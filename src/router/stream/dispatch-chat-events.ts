/**
 * The shared first step of every stream translator: walk one batch of upstream Chat
 * Completions events, take the content fast path where it applies, parse the rest once, and
 * turn `[DONE]`, a read failure or a malformed event into the end of the stream.
 */
import { type ContentLiterals, isContentLiterals, type SseItem } from "./chat-sse-parser.js";
import { contentLiteralOf } from "./content-fast-path.js";
import { type SseEvent, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";

export interface ChatEventHandlers<Chunk> {
  ended(): boolean;
  /** Ends the stream, with an error message or normally. */
  end(error?: string): void;
  /** Plain content, as its JSON string literal (quotes included). */
  text(literal: string): void;
  /** Plain content deltas in a row, as their literals in the upstream's bytes. */
  texts(literals: ContentLiterals): void;
  /** Any other chunk; returns an error message to end with, "" to end normally, undefined to go on. */
  chunk(chunk: Chunk): string | undefined;
}

export function dispatchChatEvents<Chunk>(
  events: readonly SseItem[],
  handlers: ChatEventHandlers<Chunk>,
): void {
  for (const event of events) {
    if (handlers.ended()) return;
    if (isContentLiterals(event)) {
      handlers.texts(event);
      continue;
    }
    const outcome = dispatchOne(event, handlers);
    if (outcome !== undefined) handlers.end(outcome === "" ? undefined : outcome);
  }
}

/** Returns an error message to end with, "" to end normally, or undefined to go on. */
function dispatchOne<Chunk>(event: SseEvent, handlers: ChatEventHandlers<Chunk>): string | undefined {
  if (event.event === UPSTREAM_FAILURE_EVENT) return `upstream connection failed mid-stream: ${event.data}`;
  if (event.data === "[DONE]") return "";
  const literal = contentLiteralOf(event.data);
  if (literal !== undefined) {
    if (literal !== '""') handlers.text(literal);
    return undefined;
  }
  let chunk: Chunk;
  try {
    chunk = JSON.parse(event.data) as Chunk;
  } catch {
    return `upstream sent a malformed stream event: ${event.data.slice(0, 200)}`;
  }
  return handlers.chunk(chunk);
}
