import { describe, expect, it } from "vitest";
import { parseToolArguments } from "./repair-tool-arguments.js";

describe("parseToolArguments", () => {
  it("returns {} for blank text", () => {
    for (const text of ["", "  ", "\n\t"]) {
      expect(parseToolArguments(text)).toEqual({ input: {}, json: "{}", repaired: false });
    }
  });

  it("keeps a valid object and its original text", () => {
    const text = '{ "command": "ls -la",\n  "timeout": 1000 }';
    const out = parseToolArguments(text);
    expect(out.input).toEqual({ command: "ls -la", timeout: 1000 });
    expect(out.json).toBe(text);
    expect(out.repaired).toBe(false);
  });

  it("repairs Qwen-style single-quoted JSON", () => {
    const out = parseToolArguments("{'command': 'git status', 'description': \"Show status\"}");
    expect(out.input).toEqual({ command: "git status", description: "Show status" });
    expect(out.repaired).toBe(true);
    expect(JSON.parse(out.json)).toEqual(out.input);
  });

  it("repairs trailing commas, unquoted keys and Python literals", () => {
    expect(parseToolArguments('{"a": [1, 2,], "b": 3,}').input).toEqual({ a: [1, 2], b: 3 });
    expect(parseToolArguments("{path: 'x', replace_all: True, old: None}").input).toEqual({
      path: "x",
      replace_all: true,
      old: null,
    });
  });

  it("repairs truncated objects", () => {
    const out = parseToolArguments('{"file_path": "/tmp/a.ts", "content": "hello');
    expect(out.input).toEqual({ file_path: "/tmp/a.ts", content: "hello" });
    expect(out.repaired).toBe(true);
    expect(parseToolArguments('{"todos": [{"id": 1').input).toEqual({ todos: [{ id: 1 }] });
  });

  it("strips markdown fences", () => {
    expect(parseToolArguments('```json\n{"pattern": "*.ts"}\n```').input).toEqual({ pattern: "*.ts" });
  });

  it("unwraps double-encoded JSON", () => {
    const out = parseToolArguments(JSON.stringify(JSON.stringify({ command: "ls" })));
    expect(out).toEqual({ input: { command: "ls" }, json: '{"command":"ls"}', repaired: true });
    // Double-encoded and single-quoted inside.
    expect(parseToolArguments(JSON.stringify("{'command': 'ls'}")).input).toEqual({ command: "ls" });
  });

  it("wraps other valid JSON values", () => {
    expect(parseToolArguments("[1, 2]").input).toEqual({ value: [1, 2] });
    expect(parseToolArguments("42").input).toEqual({ value: 42 });
    expect(parseToolArguments('"just text"').input).toEqual({ value: "just text" });
    expect(parseToolArguments("null")).toEqual({ input: {}, json: "{}", repaired: true });
  });

  it("returns garbage as _raw_arguments", () => {
    for (const text of ["}}}{{", "<tool>x</tool>", "I will now run the command"]) {
      const out = parseToolArguments(text);
      expect(out.input).toEqual({ _raw_arguments: text });
      expect(JSON.parse(out.json)).toEqual(out.input);
      expect(out.repaired).toBe(true);
    }
  });
});
