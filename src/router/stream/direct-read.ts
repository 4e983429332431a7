/**
 * A response body whose chunks its consumer can take without a web-stream read per chunk.
 *
 * A stream read costs a pull, a read request and a few promises; at a thousand chunks a stream
 * that shows. Node's upstream fetch (src/node/upstream-fetch.ts) marks the bodies it makes
 * with a reader that takes its queue directly, and the translating stream uses it when there.
 * Everything else reads bodies as streams, as before. A body read this way is not read as a
 * stream too: the one consumer takes one or the other.
 */
export const DIRECT_READ = Symbol.for("grove.direct-read");

export interface DirectRead {
  /** Everything queued since the last read (waiting for some if none), or done at the end. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

type MarkedBody = ReadableStream<Uint8Array> & { [DIRECT_READ]?: DirectRead };

export function markDirectRead(body: ReadableStream<Uint8Array>, reader: DirectRead): void {
  (body as MarkedBody)[DIRECT_READ] = reader;
}

/** The body's direct reader, if its maker gave it one and the body was not read as a stream. */
export function directReadOf(body: ReadableStream<Uint8Array>): DirectRead | undefined {
  return body.locked ? undefined : (body as MarkedBody)[DIRECT_READ];
}
