/**
 * Refuses request bodies over the router's limit with a 413 before they are parsed.
 *
 * Hono's own bodyLimit asks for the request's `body` stream first, which makes Node's adapter
 * build a full web Request (a stream over the socket) for every call, even when a
 * Content-Length settles the question at once (measured: most of the request-side cost of a
 * /v1/messages call). Here the header decides whenever there is one: the HTTP layer (Node's
 * server, or the Workers runtime) never delivers more bytes than it says. Only a chunked body
 * is read and counted.
 */
import type { MiddlewareHandler } from "hono";
import { RouterError } from "./errors.js";

export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = () =>
    new RouterError(413, `request body is larger than the router's limit of ${maxBytes} bytes`);
  return async (c, next) => {
    const request = c.req.raw;
    if (request.method === "GET" || request.method === "HEAD") return next();
    const length = request.headers.get("content-length");
    if (length !== null && !request.headers.has("transfer-encoding")) {
      if (Number.parseInt(length, 10) > maxBytes) throw tooLarge();
      return next();
    }
    if (!request.body) return next();
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        // The client went away mid-upload, or sent broken chunked framing: its fault, not ours.
        const reason = error instanceof Error ? error.message : String(error);
        throw new RouterError(400, `could not read the request body: ${reason}`);
      }
      const { done, value } = read;
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      body.set(chunk, at);
      at += chunk.length;
    }
    c.req.raw = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
    });
    return next();
  };
}
