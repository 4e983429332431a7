/**
 * Bytes → SSE events, batched: each network read yields one array holding every event it
 * completed, so later stages do one enqueue per read instead of one per event.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Name of the synthetic event that reports an upstream read failure (reset, timeout) in-band. */
export const UPSTREAM_FAILURE_EVENT = "grove_upstream_failure";

export interface SseBatchParser {
  feed(chunk: Uint8Array): SseEvent[];
  end(): SseEvent[];
}

export function createSseBatchParser(): SseBatchParser {
  const decoder = new TextDecoder();
  let batch: SseEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      batch.push({ event: message.event, data: message.data });
    },
  });
  const take = () => {
    const events = batch;
    batch = [];
    return events;
  };
  return {
    feed(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      return take();
    },
    end() {
      // A last event without its blank line still counts: upstreams often close without one.
      parser.feed(`${decoder.decode()}\n\n`);
      return take();
    },
  };
}

export function createSseParseStream(): TransformStream<Uint8Array, SseEvent[]> {
  const parser = createSseBatchParser();
  return new TransformStream<Uint8Array, SseEvent[]>({
    transform(chunk, controller) {
      const events = parser.feed(chunk);
      if (events.length > 0) controller.enqueue(events);
    },
    flush(controller) {
      const events = parser.end();
      if (events.length > 0) controller.enqueue(events);
    },
  });
}

/**
 * Reads an upstream SSE body as event batches. It pulls only when its reader wants more
 * (backpressure), cancels the upstream body when cancelled (abort), and turns a read failure
 * into a final `UPSTREAM_FAILURE_EVENT` so the translator can still tell the client.
 */
export function readSseEvents(body: ReadableStream<Uint8Array>): ReadableStream<SseEvent[]> {
  const reader = body.getReader();
  const parser = createSseBatchParser();
  return new ReadableStream<SseEvent[]>(
    {
      async pull(controller) {
        for (;;) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            controller.enqueue([...parser.end(), { event: UPSTREAM_FAILURE_EVENT, data: message }]);
            controller.close();
            return;
          }
          if (result.done) {
            const events = parser.end();
            if (events.length > 0) controller.enqueue(events);
            controller.close();
            return;
          }
          const events = parser.feed(result.value);
          if (events.length > 0) {
            controller.enqueue(events);
            return;
          }
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
