/**
 * A `replay` provider: serves a cassette's recorded responses — status, content type and
 * body bytes exactly as recorded — in place of a backend. A body that failed mid-stream
 * fails again at the same byte, and a failed connection fails again.
 */
import type { ChatRequest } from "../../protocol/openai-chat.js";
import { decodeBody, type Exchange } from "./exchange.js";
import { requestKey } from "./match-request.js";

export type ReplayMatch = "sequence" | "request";
export type ReplayUpstream = (request: ChatRequest) => Promise<Response>;

export function createReplayUpstream(
  cassette: string,
  recorded: readonly Exchange[],
  match: ReplayMatch,
): ReplayUpstream {
  // Anthropic pass-through exchanges are not Chat Completions replies: they are skipped.
  const exchanges = recorded
    .map((exchange, index) => ({ exchange, order: exchange.seq ?? index + 1 }))
    .filter(({ exchange }) => exchange.api === "chat")
    .sort((a, b) => a.order - b.order)
    .map(({ exchange }) => exchange);
  const keys = match === "request" ? exchanges.map((exchange) => requestKey(exchange.request)) : [];
  const used = new Set<number>();
  let served = 0;
  return async (request) => {
    served += 1;
    const key = match === "request" ? requestKey(request) : "";
    const index = exchanges.findIndex((_, i) => !used.has(i) && (match === "sequence" || keys[i] === key));
    if (index === -1) {
      const left = exchanges.length - used.size;
      return errorResponse(
        left === 0
          ? `cassette "${cassette}" has no exchanges left for request ${served} (it holds ${exchanges.length})`
          : `no exchange in cassette "${cassette}" matches request ${served}; ${left} unused exchange${left === 1 ? "" : "s"} did not match`,
      );
    }
    used.add(index);
    return replay(exchanges[index]!);
  };
}

function replay(exchange: Exchange): Response {
  if (exchange.status === 0) {
    // Thrown as recorded, so the router reports (and falls back) as it did then.
    throw new TypeError(exchange.error ?? "fetch failed");
  }
  const headers: Record<string, string> = {};
  if (exchange.contentType) headers["content-type"] = exchange.contentType;
  if (exchange.retryAfter) headers["retry-after"] = exchange.retryAfter;
  const bytes = decodeBody(exchange);
  let sent = false;
  // Fails only on the read after the bytes, since erroring a stream discards what it queued.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sent && bytes.byteLength > 0) {
          sent = true;
          controller.enqueue(bytes);
        } else if (exchange.error === undefined) controller.close();
        else controller.error(new Error(exchange.error));
      },
    },
    { highWaterMark: 0 },
  );
  const nullBody = [101, 204, 205, 304].includes(exchange.status);
  return new Response(nullBody ? null : body, { status: exchange.status, headers });
}

function errorResponse(message: string): Response {
  return Response.json({ error: { message, type: "replay_error" } }, { status: 500 });
}
