import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AgentEvent, type AgentEventBody, agentEventSchema } from "../../protocol/agent-events.js";
import { createClaudeTranslator } from "./claude-events.js";
import type { AgentTranslator } from "./translator.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), "utf8").split("\n");

/** Every body, checked against the protocol schema once enveloped. */
function translateAll(translator: AgentTranslator, lines: string[]): AgentEventBody[] {
  const bodies = lines.flatMap((line) => translator(line));
  for (const body of bodies) {
    agentEventSchema.parse({ v: 1, ts: "2026-01-01T00:00:00.000Z", session: "s", ...body });
  }
  return bodies;
}

const types = (bodies: AgentEventBody[]) => bodies.map((body) => body.type);
const ofType = <T extends AgentEvent["type"]>(bodies: AgentEventBody[], type: T) =>
  bodies.filter((body) => body.type === type) as Extract<AgentEvent, { type: T }>[];

describe("createClaudeTranslator", () => {
  it("translates a successful two-turn run", () => {
    const translator = createClaudeTranslator();
    const bodies = translateAll(translator, fixture("claude-stdout-stream-json.jsonl"));
    expect(types(bodies)).toEqual([
      "session_started",
      "text_delta",
      "message",
      "tool_call_started",
      "tool_call_finished",
      "text_delta",
      "message",
      "turn_completed",
      "session_finished",
    ]);
    expect(bodies[0]).toEqual({
      type: "session_started",
      agent: "claude",
      model: "claude-opus-4-8[1m]",
      cwd: "/home/user/project",
      resumed: false,
    });
    expect(translator.sessionId).toBe("00000000-0000-0000-0000-000000000001");
    expect(ofType(bodies, "message")[0]).toEqual({
      type: "message",
      role: "assistant",
      text: "I'll create hello.txt now.",
    });
    expect(ofType(bodies, "tool_call_started")[0]).toEqual({
      type: "tool_call_started",
      id: "toolu_c80b63f025a7482277305f30",
      name: "Write",
      input: { file_path: "/home/user/project/hello.txt", content: "hello from the fake model\n" },
    });
    expect(ofType(bodies, "tool_call_finished")[0]).toMatchObject({
      id: "toolu_c80b63f025a7482277305f30",
      name: "Write",
      is_error: false,
      output: expect.stringMatching(/^File created successfully at: \/home\/user\/project\/hello.txt/),
    });
    const usage = {
      input_tokens: 84,
      output_tokens: 34,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    expect(ofType(bodies, "turn_completed")[0]).toEqual({ type: "turn_completed", turn: 2, usage });
    expect(ofType(bodies, "session_finished")[0]).toEqual({
      type: "session_finished",
      status: "success",
      summary: "Done: created hello.txt",
      usage,
      turns: 2,
      duration_ms: 158,
    });
    expect(translator.finishedStatus).toBe("success");
    expect(translator.end({ code: 0, signal: null, aborted: false })).toEqual([]);
  });

  it("ignores the partial-message stream events and gives the same events", () => {
    const plain = translateAll(createClaudeTranslator(), fixture("claude-stdout-stream-json.jsonl"));
    const partial = translateAll(
      createClaudeTranslator(),
      fixture("claude-stdout-stream-json-include-partial-messages.jsonl"),
    );
    expect(types(partial)).toEqual(types(plain));
  });

  it("reads Claude Code 2.1.332's output too", () => {
    const translator = createClaudeTranslator({ resumed: true });
    const bodies = translateAll(translator, fixture("claude-v2.1.332-stdout-stream-json.jsonl"));
    expect(bodies[0]).toMatchObject({ type: "session_started", model: "claude-opus-5-5", resumed: true });
    expect(ofType(bodies, "tool_call_started").map((body) => body.name)).toEqual(["Write"]);
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ status: "success", turns: 2 });
  });

  it("turns a denied permission into one question, and still finishes", () => {
    const bodies = translateAll(createClaudeTranslator(), fixture("claude-stdout-permission-denied.jsonl"));
    const finished = ofType(bodies, "tool_call_finished")[0];
    expect(finished).toMatchObject({ name: "Write", is_error: true });
    const questions = ofType(bodies, "question");
    expect(questions).toHaveLength(1); // The tool_result and permission_denials[] name the same call.
    expect(questions[0]).toMatchObject({ id: "permission-toolu_32e494906fefc7e1c2b931f2", tool: "Write" });
    expect(questions[0]?.text).toContain("Write on /home/user/project/hello.txt");
    expect(questions[0]?.text).toContain("grove reply");
    expect(questions[0]?.text).toContain("--yolo");
    // The question comes right after the failed tool call, not at the end.
    expect(types(bodies).indexOf("question")).toBe(types(bodies).indexOf("tool_call_finished") + 1);
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ status: "success" });
  });

  it("asks about denials that only the result lists", () => {
    const result = JSON.parse(fixture("claude-stdout-permission-denied.jsonl")[5]!) as Record<
      string,
      unknown
    >;
    expect(result.type).toBe("result");
    const bodies = translateAll(createClaudeTranslator(), [JSON.stringify(result)]);
    expect(types(bodies)).toEqual(["question", "turn_completed", "session_finished"]);
    expect(ofType(bodies, "question")[0]?.text).toContain("Write on /home/user/project/hello.txt");
  });

  it("reports an API error as an error event and an error status with its message", () => {
    const translator = createClaudeTranslator();
    const bodies = translateAll(translator, fixture("claude-stdout-api-error-400.jsonl"));
    // The synthetic assistant message is not the model speaking.
    expect(types(bodies)).toEqual(["session_started", "error", "turn_completed", "session_finished"]);
    expect(ofType(bodies, "error")[0]).toEqual({
      type: "error",
      message: "API Error: 400 injected 400",
      fatal: true,
    });
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({
      status: "error",
      summary: "API Error: 400 injected 400",
    });
    expect(translator.finishedStatus).toBe("error");
  });

  it("reports API retries as non-fatal errors", () => {
    const retry = {
      type: "system",
      subtype: "api_retry",
      attempt: 1,
      max_retries: 10,
      retry_delay_ms: 579,
      error_status: 529,
      error: "overloaded_error",
      session_id: "s",
    };
    const bodies = translateAll(createClaudeTranslator(), [JSON.stringify(retry)]);
    expect(bodies).toEqual([
      {
        type: "error",
        message:
          "the model API failed with HTTP 529 (overloaded_error); Claude Code retries (attempt 1 of 10, in 579 ms)",
        fatal: false,
      },
    ]);
  });

  it("translates thinking, truncates long tool output and maps max turns", () => {
    const long = "x".repeat(5000);
    const lines = [
      { type: "assistant", message: { content: [{ type: "thinking", thinking: "hmm", signature: "sig" }] } },
      {
        type: "assistant",
        message: { content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }] },
      },
      {
        type: "user",
        message: {
          content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: long }] }],
        },
      },
      { type: "result", subtype: "error_max_turns", is_error: true, num_turns: 3, session_id: "s" },
    ].map((line) => JSON.stringify(line));
    const bodies = translateAll(createClaudeTranslator(), lines);
    expect(bodies[0]).toEqual({ type: "thinking", text: "hmm" });
    const finished = ofType(bodies, "tool_call_finished")[0]!;
    expect(finished.truncated).toBe(true);
    expect(finished.output.startsWith("x".repeat(2000))).toBe(true);
    expect(finished.output.length).toBeLessThan(2100);
    expect(ofType(bodies, "session_finished")[0]).toMatchObject({ status: "max_turns", turns: 3 });
  });

  it("ignores lines that are not Claude events", () => {
    const translator = createClaudeTranslator();
    expect(
      translateAll(translator, ["", "not json", "[1,2]", '{"type":"stream_event"}', '{"type":"new_kind"}']),
    ).toEqual([]);
  });

  it("ends a session Claude Code did not finish: aborted when stopped, an error otherwise", () => {
    const aborted = createClaudeTranslator();
    translateAll(aborted, fixture("claude-stdout-stream-json.jsonl").slice(0, 3));
    expect(aborted.end({ code: null, signal: "SIGTERM", aborted: true })).toMatchObject([
      { type: "session_finished", status: "aborted" },
    ]);
    expect(aborted.finishedStatus).toBe("aborted");

    const crashed = createClaudeTranslator();
    const bodies = crashed.end({ code: 1, signal: null, aborted: false });
    expect(types(bodies)).toEqual(["error", "session_finished"]);
    expect(ofType(bodies, "session_finished")[0]?.summary).toContain("exited with code 1");
  });
});
