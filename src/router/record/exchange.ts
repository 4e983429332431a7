/**
 * One recorded upstream exchange, as a cassette stores it (one JSON line each). Request
 * headers are never stored: they carry the provider's keys.
 */
import { z } from "zod";

export const exchangeSchema = z
  .object({
    seq: z.number().int().min(1).optional().describe("Order the router sent the request in."),
    provider: z.string().optional(),
    api: z
      .enum(["chat", "anthropic"])
      .default("chat")
      .describe("Chat Completions, or an `anthropic` pass-through (recorded, not replayed)."),
    model: z.string().optional(),
    request: z.unknown().describe("The upstream request body (translated Chat Completions JSON)."),
    status: z.number().int().min(0).max(599).describe("0: the connection failed (see `error`)."),
    contentType: z.string().default("application/json"),
    retryAfter: z.string().optional(),
    body: z.string().default("").describe("The response body exactly as received (SSE or JSON text)."),
    bodyBase64: z.string().optional().describe("Replaces `body` when the bytes were not valid UTF-8."),
    error: z.string().optional().describe("The body (or connection) failed after what `body` holds."),
    startedAt: z.string().optional(),
    durationMs: z.number().optional(),
  })
  .strict();

export type Exchange = z.output<typeof exchangeSchema>;
export type ExchangeInput = z.input<typeof exchangeSchema>;

/** Where recorded exchanges go: a cassette file on Node, anything else in tests or Workers. */
export interface Recorder {
  record(exchange: Exchange): void | Promise<void>;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Text when the bytes are UTF-8 (the usual case, and readable in the file), else base64. */
export function encodeBody(bytes: Uint8Array): Pick<Exchange, "body" | "bodyBase64"> {
  try {
    return { body: strictUtf8.decode(bytes) };
  } catch {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return { body: "", bodyBase64: btoa(binary) };
  }
}

export function decodeBody(exchange: Pick<Exchange, "body" | "bodyBase64">): Uint8Array {
  if (exchange.bodyBase64 === undefined) return encoder.encode(exchange.body);
  return Uint8Array.from(atob(exchange.bodyBase64), (char) => char.charCodeAt(0));
}

/** `message (cause)`, the way the stream translator reports a failure, so replays read the same. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
