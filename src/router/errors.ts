/**
 * Errors that know their HTTP status and Anthropic error type, so every failure path ends in
 * the same JSON body (before headers) or `event: error` frame (after).
 */
import type { AnthropicErrorBody, AnthropicErrorType } from "../protocol/anthropic.js";

export class RouterError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "RouterError";
  }

  get errorType(): AnthropicErrorType {
    return anthropicErrorType(this.status);
  }
}

export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** 502/503/504 become 529 so Claude Code applies its own retry loop. */
export function clientStatusForUpstream(status: number): number {
  if (status === 502 || status === 503 || status === 504 || status === 529) return 529;
  if (status === 422) return 400;
  if (status >= 400 && status < 600) return status;
  return 500;
}

export function anthropicErrorBody(status: number, message: string): AnthropicErrorBody {
  return { type: "error", error: { type: anthropicErrorType(status), message } };
}

export function errorResponse(error: RouterError): Response {
  return new Response(JSON.stringify(anthropicErrorBody(error.status, error.message)), {
    status: error.status,
    headers: { "content-type": "application/json", ...error.headers },
  });
}

/** Pulls a readable message out of whatever error JSON (or text) a backend returned. */
export function upstreamErrorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    if (typeof parsed.error === "string") return parsed.error;
    if (typeof parsed.error?.message === "string") return parsed.error.message;
    if (typeof parsed.message === "string") return parsed.message;
    if (typeof parsed.detail === "string") return parsed.detail;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.slice(0, 2000) || "empty response";
}
