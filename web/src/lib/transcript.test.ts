import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../types";
import { buildTranscript, latestLanding, TranscriptBuilder } from "./transcript";

let seq = 0;
const event = (type: string, body: Record<string, unknown> = {}): StoredEvent => ({
  taskId: 1,
  seq: ++seq,
  ts: "2025-01-01T10:00:00.000Z",
  type,
  body,
});

describe("events as a transcript", () => {
  it("maps prompt, text, thinking, tool calls with their results, questions and errors", () => {
    const items = buildTranscript([
      event("task_created", {
        prompt: "Fix it",
        agent: "builtin",
        model: "demo",
        kind: "maintenance",
        branch: "grove/fix",
        base: "main",
      }),
      event("run_started", { run: 1, agent: "builtin", model: "demo", resumed: false }),
      event("thinking", { text: "Let me look" }),
      event("tool_call_started", { id: "t1", name: "bash", input: { command: "ls" } }),
      event("tool_call_finished", {
        id: "t1",
        name: "bash",
        output: "a\nb",
        is_error: false,
        duration_ms: 12,
      }),
      event("tool_call_started", { id: "t2", name: "read", input: { path: "nope" } }),
      event("tool_call_finished", {
        id: "t2",
        name: "read",
        output: "ENOENT",
        is_error: true,
        duration_ms: 1,
      }),
      event("message", { role: "assistant", text: "Done." }),
      event("question", { id: "q", text: "Which one?", options: ["a", "b"] }),
      event("error", { message: "boom", fatal: true }),
      event("turn_completed", { turn: 1, usage: {} }),
    ]);
    expect(items.map((item) => item.kind)).toEqual([
      "prompt",
      "run",
      "thinking",
      "tool",
      "tool",
      "text",
      "question",
      "error",
    ]);
    expect(items[0]).toMatchObject({
      text: "Fix it",
      meta: "maintenance · builtin/demo · grove/fix from main",
    });
    expect(items[3]).toMatchObject({
      name: "bash",
      input: { command: "ls" },
      done: true,
      output: "a\nb",
      isError: false,
    });
    expect(items[4]).toMatchObject({ isError: true, output: "ENOENT" });
    expect(items[6]).toMatchObject({ text: "Which one?", options: ["a", "b"] });
    expect(items[7]).toMatchObject({ message: "boom", fatal: true });
  });

  it("streams text deltas into one live item that the full message replaces", () => {
    const builder = new TranscriptBuilder();
    builder.add([event("text_delta", { text: "Hel" }), event("text_delta", { text: "lo" })]);
    expect(builder.items).toEqual([expect.objectContaining({ kind: "text", text: "Hello", live: true })]);
    const key = builder.items[0]!.key;
    builder.add([event("message", { role: "assistant", text: "Hello!" })]);
    expect(builder.items).toEqual([
      expect.objectContaining({ kind: "text", text: "Hello!", live: false, key }),
    ]);
  });

  it("skips events it has already seen, and merges consecutive setup output", () => {
    const first = event("setup_output", { text: "$ npm ci\n" });
    const second = event("setup_output", { text: "added 3 packages\n" });
    const builder = new TranscriptBuilder();
    expect(builder.add([first, second])).toBe(true);
    expect(builder.add([first, second])).toBe(false);
    expect(builder.items).toEqual([
      expect.objectContaining({ kind: "setup", text: "$ npm ci\nadded 3 packages\n" }),
    ]);
  });

  it("handles 10,000 events in one pass", () => {
    const events = Array.from({ length: 10_000 }, (_, index) =>
      index % 2 === 0
        ? event("tool_call_started", { id: `t${index}`, name: "bash", input: { command: "true" } })
        : event("tool_call_finished", {
            id: `t${index - 1}`,
            name: "bash",
            output: "",
            is_error: false,
            duration_ms: 1,
          }),
    );
    const started = performance.now();
    const items = buildTranscript(events);
    expect(items).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("follows the latest landing: steps, then landed, conflict or tests failed", () => {
    expect(latestLanding([event("message", { text: "hi" })])).toBeUndefined();
    const running = latestLanding([
      event("land_started", { base: "main", strategy: "rebase" }),
      event("land_progress", { step: "rebasing" }),
    ]);
    expect(running).toEqual({ running: true, steps: ["rebasing"] });
    const failed = latestLanding([
      event("land_started", {}),
      event("land_finished", { result: "conflict", files: ["a.js"] }),
      event("land_started", {}),
      event("land_progress", { step: "running the tests" }),
      event("land_finished", { result: "tests-failed", exitCode: 1, output: "1 failing" }),
    ]);
    expect(failed).toMatchObject({
      running: false,
      steps: ["running the tests"],
      result: { result: "tests-failed", text: "tests failed (exit 1); nothing landed", output: "1 failing" },
    });
  });
});
