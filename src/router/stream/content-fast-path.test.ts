import { describe, expect, it } from "vitest";
import { contentLiteralOf } from "./content-fast-path.js";

const chunk = (delta: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
    ...extra,
  });

describe("contentLiteralOf", () => {
  it.each([
    "plain",
    'quotes "inside" and \\ backslashes',
    "new\nline\ttab",
    "unicode é 日本 🎉",
    'looks like "finish_reason":"stop" but is text',
    "",
  ])("returns the exact JSON literal of %j", (text) => {
    const literal = contentLiteralOf(chunk({ content: text }));
    expect(literal).toBeDefined();
    expect(JSON.parse(literal!)).toBe(text);
  });

  it("accepts the first chunk's role", () => {
    expect(contentLiteralOf(chunk({ role: "assistant", content: "hi" }))).toBe('"hi"');
  });

  it.each([
    ["a finish reason", chunk({ content: "x" }).replace('"finish_reason":null', '"finish_reason":"stop"')],
    ["usage", chunk({ content: "x" }, { usage: { prompt_tokens: 1 } })],
    ["an error", chunk({ content: "x" }, { error: { message: "boom" } })],
    ["tool calls", chunk({ content: "x", tool_calls: [{ index: 0 }] })],
    ["reasoning beside content", chunk({ content: "x", reasoning_content: "y" })],
    ["a null content", chunk({ content: null })],
    ["reasoning only", chunk({ reasoning: "thinking" })],
  ])("defers to the full path for %s", (_label, data) => {
    expect(contentLiteralOf(data)).toBeUndefined();
  });
});
