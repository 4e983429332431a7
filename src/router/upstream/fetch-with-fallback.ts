/**
 * Tries a chain of targets. A 429, a 5xx or a connection failure is retried on the same
 * target with exponential backoff (honouring Retry-After) up to `attempts` times, then the
 * next target is tried. Any other status is final: it is the client's problem, not the
 * backend's. The client's abort signal cancels waits and requests alike.
 */
import type { RouterConfig } from "../config/config-schema.js";
import type { Target } from "../config/select-route.js";
import { clientStatusForUpstream, RouterError, upstreamErrorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { abortableSleep } from "../sleep.js";

export interface UpstreamAttempt<T> {
  response: Response;
  target: Target;
  prepared: T;
}

export interface FetchChainOptions<T> {
  targets: Target[];
  retry: RouterConfig["retry"];
  signal: AbortSignal;
  fetch: typeof fetch;
  logger: Logger;
  /** Builds the HTTP request for one target; may throw a RouterError (e.g. bad input for that target). */
  prepare(target: Target): { url: string; init: RequestInit; prepared: T };
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export async function fetchWithFallback<T>(options: FetchChainOptions<T>): Promise<UpstreamAttempt<T>> {
  let lastError: RouterError | undefined;
  for (const target of options.targets) {
    const label = `${target.providerName}/${target.model}`;
    for (let attempt = 1; attempt <= options.retry.attempts; attempt++) {
      const { url, init, prepared } = options.prepare(target);
      let response: Response;
      try {
        response = await options.fetch(url, { ...init, signal: options.signal });
      } catch (error) {
        if (options.signal.aborted) throw new RouterError(499, "client closed the request");
        lastError = new RouterError(529, `could not reach ${label}: ${describeFetchError(error)}`);
        options.logger.warn(
          `upstream ${label} unreachable (attempt ${attempt}): ${describeFetchError(error)}`,
        );
        if (attempt < options.retry.attempts) await sleep(backoff(options.retry, attempt), options.signal);
        continue;
      }
      if (response.ok) return { response, target, prepared };

      const text = await response.text().catch(() => "");
      const message = `${label} answered ${response.status}: ${upstreamErrorMessage(text)}`;
      const retryAfter = response.headers.get("retry-after");
      const headers: Record<string, string> = retryAfter ? { "retry-after": retryAfter } : {};
      lastError = new RouterError(clientStatusForUpstream(response.status), message, headers);
      if (!isRetryableStatus(response.status)) throw lastError;
      options.logger.warn(`upstream ${message} (attempt ${attempt})`);
      if (attempt === options.retry.attempts) break;
      const delay = retryAfterMs(retryAfter) ?? backoff(options.retry, attempt);
      if (delay > options.retry.maxDelayMs) break; // Waiting that long is worse than falling back.
      await sleep(delay, options.signal);
    }
  }
  throw lastError ?? new RouterError(500, "no upstream target was configured for this request");
}

function backoff(retry: RouterConfig["retry"], attempt: number): number {
  const base = retry.initialDelayMs * 2 ** (attempt - 1);
  return Math.min(retry.maxDelayMs, base * (0.5 + Math.random() / 2));
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A wait between attempts; the client leaving ends it at once. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await abortableSleep(ms, signal);
  } catch {
    throw new RouterError(499, "client closed the request");
  }
}

export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${error.message} (${cause.message})`;
  return error.message;
}
