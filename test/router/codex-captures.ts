/** Codex 0.171.0 captures (test/fixtures/codex-NN-request.json, sse-responses-*.txt) for Responses tests. */
import { readFileSync } from "node:fs";
import { type ResponsesRequest, responsesRequestSchema } from "../../src/router/responses/request-schema.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** The raw request body Codex sent. */
export function codexBody(name: string): Record<string, unknown> {
  return (JSON.parse(fixture(name)) as { body: Record<string, unknown> }).body;
}

/** The request body Codex sent, validated as the router validates it. */
export function codexRequest(name: string): ResponsesRequest {
  return responsesRequestSchema.parse(codexBody(name));
}

export interface ResponsesEvent {
  event: string;
  data: Record<string, unknown> & { type: string; sequence_number: number };
}

/** Responses SSE text → its events; comments (keep-alives) are skipped. */
export function parseResponsesSse(text: string): ResponsesEvent[] {
  return text
    .split("\n\n")
    .map((frame) => frame.trim())
    .filter((frame) => frame !== "" && !frame.startsWith(":"))
    .map((frame) => ({
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? "",
      data: JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? "null") as ResponsesEvent["data"],
    }));
}

/** An SSE body Codex accepted (sse-responses-*.txt). */
export function acceptedSse(name: string): ResponsesEvent[] {
  return parseResponsesSse(fixture(name));
}

/** A fixture file's text (Anthropic SSE and JSON bodies, for the Claude side of `/v1/responses`). */
export function fixtureText(name: string): string {
  return fixture(name);
}
