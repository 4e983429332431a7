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
  const decoder = createUtf8ChunkDecoder();
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
      parser.feed(decoder.decode(chunk));
      return take();
    },
    end() {
      // A last event without its blank line still counts: upstreams often close without one.
      parser.feed(`${decoder.end()}\n\n`);
      return take();
    },
  };
}

/**
 * UTF-8 decoding across chunk boundaries. TextDecoder's `{stream: true}` mode is several times
 * slower in Node than a one-shot decode, so a character split across chunks is held back by
 * hand and each chunk is decoded in one shot.
 */
export function createUtf8ChunkDecoder(): { decode(chunk: Uint8Array): string; end(): string } {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let carry: Uint8Array | undefined;
  let first = true;
  const stripBom = (text: string) => {
    if (!first) return text;
    if (text === "") return text;
    first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  return {
    decode(chunk) {
      let bytes = chunk;
      if (carry) {
        bytes = new Uint8Array(carry.length + chunk.length);
        bytes.set(carry);
        bytes.set(chunk, carry.length);
        carry = undefined;
      }
      const complete = completeUtf8Length(bytes);
      if (complete < bytes.length) carry = bytes.slice(complete);
      return stripBom(decoder.decode(complete === bytes.length ? bytes : bytes.subarray(0, complete)));
    },
    end() {
      const rest = carry ? decoder.decode(carry) : "";
      carry = undefined;
      return stripBom(rest);
    },
  };
}

/** The length of the longest prefix that does not end inside a multi-byte character. */
function completeUtf8Length(bytes: Uint8Array): number {
  const length = bytes.length;
  // Look back over at most three continuation bytes for the lead byte of the last character.
  for (let back = 1; back <= Math.min(4, length); back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
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
