/**
 * Records every upstream exchange at the fetch boundary. The response body is observed as it
 * passes to the router (no buffering, so the client still streams live) and the exchange is
 * handed to the recorder once the body ends, fails or is cancelled.
 */
import { concatBytes } from "../bytes.js";
import type { RouterConfig } from "../config/config-schema.js";
import type { Logger } from "../log.js";
import { IN_PROCESS_URL_PREFIX } from "../upstream/in-process.js";
import { describeError, type Exchange, encodeBody, type Recorder } from "./exchange.js";

type Label = Pick<Exchange, "provider" | "api">;

export function withRecording(
  inner: typeof fetch,
  recorder: Recorder,
  labelFor: (url: string) => Label,
  logger: Logger,
): typeof fetch {
  let seq = 0;
  const save = (exchange: Exchange) => {
    // A failing sink must not fail the request it records.
    const warn = (error: unknown) =>
      logger.warn(`could not record exchange ${exchange.seq}: ${describeError(error)}`);
    try {
      Promise.resolve(recorder.record(exchange)).catch(warn);
    } catch (error) {
      warn(error);
    }
  };
  return async (input, init) => {
    seq += 1;
    const started = Date.now();
    const request = parseBody(init?.body);
    const model = (request as { model?: unknown } | undefined)?.model;
    const base: Exchange = {
      seq,
      ...labelFor(input instanceof Request ? input.url : String(input)),
      ...(typeof model === "string" ? { model } : {}),
      request,
      status: 0,
      contentType: "",
      body: "",
      startedAt: new Date(started).toISOString(),
    };
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      save({ ...base, error: describeError(error), durationMs: Date.now() - started });
      throw error;
    }
    const retryAfter = response.headers.get("retry-after");
    const head: Exchange = {
      ...base,
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      ...(retryAfter ? { retryAfter } : {}),
    };
    if (!response.body) {
      save({ ...head, durationMs: Date.now() - started });
      return response;
    }
    const body = observeBody(response.body, (bytes, error) =>
      save({
        ...head,
        ...encodeBody(bytes),
        ...(error === undefined ? {} : { error }),
        durationMs: Date.now() - started,
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * A pass-through that keeps a copy. Unlike `ReadableStream.tee()` it pulls only when the
 * router does, so backpressure and the client's cancel still reach the upstream.
 */
export function observeBody(
  source: ReadableStream<Uint8Array>,
  onDone: (bytes: Uint8Array, error?: string) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let settled = false;
  const finish = (error?: string) => {
    if (settled) return;
    settled = true;
    onDone(concatBytes(chunks), error);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          finish(describeError(error));
          controller.error(error);
          return;
        }
        if (next.done) {
          finish();
          controller.close();
          return;
        }
        chunks.push(next.value);
        controller.enqueue(next.value);
      },
      cancel(reason) {
        finish(`the router stopped reading: ${describeError(reason ?? "cancelled")}`);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function parseBody(body: RequestInit["body"] | undefined): unknown {
  if (typeof body !== "string") return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** Names the provider behind an upstream URL: in-process ones by name, others by base URL. */
export function upstreamLabeler(config: RouterConfig): (url: string) => Label {
  const byBaseUrl = Object.entries(config.providers)
    .flatMap(([name, provider]) => ("baseUrl" in provider ? [{ name, provider }] : []))
    .sort((a, b) => b.provider.baseUrl.length - a.provider.baseUrl.length);
  return (url) => {
    if (url.startsWith(IN_PROCESS_URL_PREFIX)) {
      return { provider: url.slice(IN_PROCESS_URL_PREFIX.length).split("/", 1)[0]!, api: "chat" };
    }
    const match = byBaseUrl.find(({ provider }) => url.startsWith(`${provider.baseUrl}/`));
    if (!match) return { api: "chat" };
    return { provider: match.name, api: match.provider.type === "anthropic" ? "anthropic" : "chat" };
  };
}
