import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type AgentEvent,
  type AgentEventBody,
  agentEventSchema,
  encodeAgentEvent,
} from "../../protocol/agent-events.js";
import { createCodexTranslator, lastCodexThreadUsage } from "./codex-events.js";
import type { AgentTranslator } from "./translator.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), "utf8").split("\n");

const OK = { code: 0, signal: null, aborted: false };
const FAILED = { code: 1, signal: null, aborted: false };

/** Every line, then the end of the process; each body checked against the protocol schema. */
function translateRun(
  translator: AgentTranslator,
  lines: string[],
  exit: { code: number | null; signal: string | null; aborted: boolean } = OK,
): AgentEventBody[] {
  const bodies = [...lines.flatMap((line) => translator(line)), ...translator.end(exit)];
  for (const body of bodies) {
    agentEventSchema.parse({ v: 1, ts: "2026-01-01T00:00:00.000Z", session: "s", ...body });
  }
  return bodies;
}

const types = (bodies: AgentEventBody[]) => bodies.map((body) => body.type);
const ofType = <T extends AgentEvent["type"]>(bodies: AgentEventBody[], type: T) =>
  bodies.filter((body) => body.type === type) as Extract<AgentEvent, { type: T }>[];

const USAGE = {
  input_tokens: 84,
  output_tokens: 34,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

describe("createCodexTranslator", () => {
  it("translates a run with a shell command", () => {
    const translator = createCodexTranslator({ model: "gpt-5.5", cwd: "/work/task" });
    const bodies = translateRun(translator, fixture("codex-stdout-json-exec_command.jsonl"));
    expect(types(bodies)).toEqual([
      "session_started",
      "tool_call_started",
      "tool_call_finished",
      "text_delta",
      "message",
      "turn_completed",
      "session_finished",
    ]);
    expect(bodies[0]).toEqual({
      type: "session_started",
      agent: "codex",
      model: "gpt-5.5",
      cwd: "/work/task",
      resumed: false,
    });
    expect(translator.sessionId).toBe("00000000-0000-0000-0000-000000000133");
    expect(ofType(bodies, "tool_call_started")[0]).toEqual({
      type: "tool_call_started",
      id: "item_0",
      name: "bash",
      input: { command: "/bin/bash -lc \"printf 'hello from the fake model\\\\n' > hello.txt\"" },
    });
    expect(ofType(bodies, "tool_call_finished")[0]).toMatchObject({
      id: "item_0",
      name: "bash",
      output: "",
      is_error: false,
    });
    expect(ofType(bodies, "message")[0]).toEqual({
      type: "message",
      role: "assistant",
      text: "Done: created hello.txt",
    });
    expect(ofType(bodies, "turn_completed")[0]).toMatchObject({ turn: 1, usage: USAGE });
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({
      status: "success",
      summary: "Done: created hello.txt",
      usage: USAGE,
      turns: 1,
    });
    expect(translator.finishedStatus).toBe("success");
  });

  it("translates a file change as an apply_patch call", () => {
    const bodies = translateRun(createCodexTranslator(), fixture("codex-stdout-json-apply_patch.jsonl"));
    expect(ofType(bodies, "tool_call_started")[0]).toMatchObject({
      name: "apply_patch",
      input: { changes: [{ path: "/home/user/project/hello.txt", kind: "add" }] },
    });
    expect(ofType(bodies, "tool_call_finished")[0]).toMatchObject({
      id: "item_0",
      name: "apply_patch",
      output: "add /home/user/project/hello.txt",
      is_error: false,
    });
    expect(bodies[0]).toMatchObject({ type: "session_started", model: "default" });
  });

  it("marks failed commands as errors, and reports commands Codex only shows completed", () => {
    const lines = [
      { type: "thread.started", thread_id: "t" },
      {
        type: "item.completed",
        item: {
          id: "i1",
          type: "command_execution",
          command: "false",
          aggregated_output: "boom",
          exit_code: 1,
          status: "failed",
        },
      },
      {
        type: "item.completed",
        item: {
          id: "i2",
          type: "command_execution",
          command: "grep x",
          aggregated_output: "",
          exit_code: 2,
          status: "completed",
        },
      },
      { type: "item.completed", item: { id: "i3", type: "reasoning", text: "thinking it over" } },
      {
        type: "item.completed",
        item: { id: "i4", type: "file_change", changes: [{ path: "a", kind: "update" }], status: "failed" },
      },
    ].map((line) => JSON.stringify(line));
    const bodies = translateRun(createCodexTranslator(), lines, FAILED);
    expect(ofType(bodies, "tool_call_started").map((body) => body.id)).toEqual(["i1", "i2", "i4"]);
    expect(ofType(bodies, "tool_call_finished").map((body) => [body.id, body.is_error])).toEqual([
      ["i1", true],
      ["i2", true],
      ["i4", true],
    ]);
    expect(ofType(bodies, "thinking")[0]?.text).toBe("thinking it over");
  });

  it("reports an API error once and finishes with an error status", () => {
    const translator = createCodexTranslator();
    const bodies = translateRun(translator, fixture("codex-stdout-json-api-error-400.jsonl"), FAILED);
    expect(types(bodies)).toEqual(["session_started", "error", "session_finished"]);
    expect(ofType(bodies, "error")[0]).toMatchObject({
      fatal: true,
      message: expect.stringContaining("injected 400"),
    });
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({
      status: "error",
      summary: expect.stringContaining("injected 400"),
    });
    expect(translator.finishedStatus).toBe("error");
  });

  it("reports a missing key as an error", () => {
    const bodies = translateRun(
      createCodexTranslator(),
      fixture("codex-stdout-json-missing-env-key.jsonl"),
      FAILED,
    );
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({
      status: "error",
      summary: "Missing environment variable: `FAKE_API_KEY`.",
    });
  });

  it("treats a reconnect as a non-fatal error in a run that succeeds", () => {
    const bodies = translateRun(createCodexTranslator(), fixture("codex-stdout-json-stream-retry.jsonl"));
    expect(ofType(bodies, "error")).toEqual([
      {
        type: "error",
        message:
          "Reconnecting... 1/5 (stream disconnected before completion: stream closed before response.completed)",
        fatal: false,
      },
    ]);
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ status: "success" });
  });

  it("reports error items (warnings) without failing the run", () => {
    const bodies = translateRun(
      createCodexTranslator(),
      fixture("codex-stdout-json-unknown-model-warning.jsonl"),
    );
    expect(ofType(bodies, "error")[0]).toMatchObject({
      fatal: false,
      message: expect.stringContaining("fake-model"),
    });
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ status: "success" });
  });

  it("passes a run with only a message through", () => {
    const bodies = translateRun(
      createCodexTranslator(),
      fixture("codex-stdout-json-readonly-sandbox-denied.jsonl"),
    );
    expect(types(bodies)).toEqual([
      "session_started",
      "text_delta",
      "message",
      "turn_completed",
      "session_finished",
    ]);
  });

  it("counts only this run's tokens when a resumed thread reports its running total", () => {
    const first = createCodexTranslator();
    const firstBodies = translateRun(first, fixture("codex-stdout-json-exec_command.jsonl"));
    const events = firstBodies
      .map((body) => encodeAgentEvent({ v: 1, ts: "t", session: first.sessionId!, ...body } as AgentEvent))
      .join("");
    const previousUsage = lastCodexThreadUsage(events, first.sessionId!);
    expect(previousUsage).toEqual(USAGE);
    expect(lastCodexThreadUsage(events, "another-thread")).toBeUndefined();

    const resumed = createCodexTranslator({ resumed: true, previousUsage });
    const lines = [
      JSON.stringify({ type: "thread.started", thread_id: first.sessionId }),
      JSON.stringify({
        type: "turn.completed",
        usage: { input_tokens: 126, cached_input_tokens: 10, output_tokens: 50, reasoning_output_tokens: 0 },
      }),
    ];
    const bodies = translateRun(resumed, lines);
    expect(bodies[0]).toMatchObject({ type: "session_started", resumed: true });
    const delta = {
      input_tokens: 42,
      output_tokens: 16,
      cache_read_input_tokens: 10,
      cache_creation_input_tokens: 0,
    };
    expect(ofType(bodies, "turn_completed")[0]).toMatchObject({ usage: delta });
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ usage: delta });
  });

  it("ends a run without a turn: aborted when stopped, an error otherwise", () => {
    const started = [JSON.stringify({ type: "thread.started", thread_id: "t" })];
    const aborted = translateRun(createCodexTranslator(), started, {
      code: null,
      signal: "SIGTERM",
      aborted: true,
    });
    expect(ofType(aborted, "session_finished")[0]).toMatchObject({ status: "aborted" });
    const crashed = translateRun(createCodexTranslator(), started, {
      code: null,
      signal: "SIGKILL",
      aborted: false,
    });
    expect(types(crashed)).toEqual(["session_started", "error", "session_finished"]);
    expect(ofType(crashed, "session_finished")[0]).toMatchObject({
      status: "error",
      summary: expect.stringContaining("killed by SIGKILL"),
    });
  });

  it("ignores lines that are not Codex events", () => {
    const translator = createCodexTranslator();
    for (const line of [
      "",
      "Reading additional input from stdin...",
      "[1]",
      '{"type":"turn.started"}',
      '{"type":"new"}',
    ]) {
      expect(translator(line)).toEqual([]);
    }
    expect(translator.sessionId).toBeUndefined();
  });
});
