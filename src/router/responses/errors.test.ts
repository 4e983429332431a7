import { describe, expect, it } from "vitest";
import { RouterError } from "../errors.js";
import { openAiErrorBody, openAiErrorResponse } from "./errors.js";

describe("OpenAI-shaped errors", () => {
  it("gives each status OpenAI's type and code", () => {
    const cases: [number, string, string | null][] = [
      [400, "invalid_request_error", null],
      [401, "authentication_error", "invalid_api_key"],
      [403, "permission_error", null],
      [404, "not_found_error", null],
      [413, "invalid_request_error", null],
      [429, "rate_limit_error", "rate_limit_exceeded"],
      [500, "server_error", "server_error"],
      [503, "server_error", "server_error"],
    ];
    for (const [status, type, code] of cases) {
      expect(openAiErrorBody(status, "m")).toEqual({ error: { message: "m", type, param: null, code } });
    }
  });

  it("names a context overflow so Codex compacts instead of retrying", () => {
    const body = openAiErrorBody(400, "This model's maximum context length is 8192 tokens");
    expect(body.error.code).toBe("context_length_exceeded");
  });

  it("turns the router's 529 into 503 and keeps Retry-After", async () => {
    const response = openAiErrorResponse(new RouterError(529, "busy", { "retry-after": "3" }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.json()).toEqual({
      error: { message: "busy", type: "server_error", param: null, code: "server_error" },
    });
  });
});
