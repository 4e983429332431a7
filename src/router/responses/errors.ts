/**
 * Errors in OpenAI's shape, `{ error: { message, type, param, code } }`, for the Responses
 * endpoint. Statuses are OpenAI's: the 529 that Claude Code needs for an overloaded or
 * unreachable backend is a 503 here, which OpenAI clients (Codex included) retry.
 */
import type { RouterError } from "../errors.js";

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiStatus(status: number): number {
  return status === 529 ? 503 : status;
}

export function openAiErrorBody(status: number, message: string): OpenAiErrorBody {
  const { type, code } = classify(openAiStatus(status), message);
  return { error: { message, type, param: null, code } };
}

export function openAiErrorResponse(error: RouterError): Response {
  const status = openAiStatus(error.status);
  return new Response(JSON.stringify(openAiErrorBody(status, error.message)), {
    status,
    headers: { "content-type": "application/json", ...error.headers },
  });
}

/** Codex compacts its history on this code instead of retrying. */
const CONTEXT_OVERFLOW = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long/i;

function classify(status: number, message: string): { type: string; code: string | null } {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return {
        type: "invalid_request_error",
        code: CONTEXT_OVERFLOW.test(message) ? "context_length_exceeded" : null,
      };
    case 401:
      return { type: "authentication_error", code: "invalid_api_key" };
    case 403:
      return { type: "permission_error", code: null };
    case 404:
      return { type: "not_found_error", code: null };
    case 429:
      return { type: "rate_limit_error", code: "rate_limit_exceeded" };
    default:
      return status >= 500
        ? { type: "server_error", code: "server_error" }
        : { type: "invalid_request_error", code: null };
  }
}
