import { describe, expect, it } from "vitest";
import {
  AGENT_EVENT_VERSION,
  type AgentEvent,
  type AgentEventBody,
  addUsage,
  emptyUsage,
  encodeAgentEvent,
  isKnownAgentEvent,
  parseAgentEvent,
} from "./agent-events.js";

const envelope = { v: AGENT_EVENT_VERSION, ts: "2025-01-02T03:04:05.678Z", session: "ses_test" };
const usage = {
  input_tokens: 10,
  output_tokens: 5,
  cache_read_input_tokens: 2,
  cache_creation_input_tokens: 1,
};

/** One event of every type, each with its optional fields where it has any. */
const bodies: AgentEventBody[] = [
  { type: "session_started", agent: "builtin", model: "demo", cwd: "/tmp/repo", resumed: false },
  { type: "text_delta", text: "Hel" },
  { type: "message", role: "assistant", text: "Hello, “world” ✓\nsecond line" },
  { type: "thinking", text: "Let me think." },
  { type: "tool_call_started", id: "toolu_1", name: "read", input: { path: "src/a.js", limit: 3 } },
  {
    type: "tool_call_finished",
    id: "toolu_1",
    name: "read",
    output: "1\tline\n",
    is_error: false,
    duration_ms: 12,
    truncated: false,
  },
  { type: "turn_completed", turn: 1, usage },
  { type: "question", id: "q1", text: "Which one?", options: ["a", "b"] },
  {
    type: "session_finished",
    status: "success",
    summary: "done",
    usage,
    turns: 3,
    duration_ms: 1234,
  },
  { type: "error", message: "the model failed", fatal: true },
];
const events = bodies.map((body) => ({ ...envelope, ...body }) as AgentEvent);

describe("encodeAgentEvent / parseAgentEvent", () => {
  it("covers every event type of the schema", () => {
    expect(new Set(events.map((event) => event.type)).size).toBe(10);
  });

  it.each(events.map((event) => [event.type, event] as const))("round-trips %s", (_type, event) => {
    const line = encodeAgentEvent(event);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n"); // One event, one line, even with newlines in text.
    const parsed = parseAgentEvent(line);
    expect(parsed).toEqual(event);
    expect(parsed && isKnownAgentEvent(parsed)).toBe(true);
  });

  it("round-trips events without their optional fields", () => {
    const minimal = [
      { ...envelope, type: "session_started", agent: "claude", model: "m", cwd: "/" },
      { ...envelope, type: "question", id: "q", text: "?" },
      { ...envelope, type: "error", message: "warn only" },
      {
        ...envelope,
        type: "tool_call_finished",
        id: "t",
        name: "bash",
        output: "",
        is_error: true,
        duration_ms: 0,
      },
    ] as AgentEvent[];
    for (const event of minimal) expect(parseAgentEvent(encodeAgentEvent(event))).toEqual(event);
  });

  it("tolerates and keeps unknown fields, also inside usage", () => {
    const line = JSON.stringify({
      ...envelope,
      type: "turn_completed",
      turn: 2,
      usage: { ...usage, reasoning_tokens: 7 },
      provider: "openrouter",
      extra: { nested: [1, 2] },
    });
    expect(parseAgentEvent(line)).toEqual({
      ...envelope,
      type: "turn_completed",
      turn: 2,
      usage: { ...usage, reasoning_tokens: 7 },
      provider: "openrouter",
      extra: { nested: [1, 2] },
    });
  });

  it("fills usage fields a writer left out with 0", () => {
    const parsed = parseAgentEvent(
      JSON.stringify({ ...envelope, type: "turn_completed", turn: 1, usage: { input_tokens: 4 } }),
    );
    expect(parsed).toMatchObject({ usage: { ...emptyUsage(), input_tokens: 4 } });
  });

  it("returns an unknown event type as it is", () => {
    const event = { ...envelope, v: 7, type: "plan_updated", steps: ["a", "b"], done: false };
    const parsed = parseAgentEvent(encodeAgentEvent(event));
    expect(parsed).toEqual(event);
    expect(parsed && isKnownAgentEvent(parsed)).toBe(false);
  });

  it("gives an unknown event without a version the current one", () => {
    expect(parseAgentEvent('{"type":"future_thing","x":1}')).toEqual({
      type: "future_thing",
      x: 1,
      v: AGENT_EVENT_VERSION,
    });
    expect(parseAgentEvent('{"type":"future_thing","v":"2"}')).toEqual({
      type: "future_thing",
      v: AGENT_EVENT_VERSION,
    });
  });

  it("rejects a malformed event of a known type", () => {
    const finished = {
      ...envelope,
      type: "tool_call_finished",
      id: "t",
      name: "read",
      output: "x",
      duration_ms: 1,
    };
    expect(parseAgentEvent(JSON.stringify(finished))).toBeUndefined(); // No is_error.
    expect(parseAgentEvent(JSON.stringify({ ...finished, is_error: "no" }))).toBeUndefined();
    expect(parseAgentEvent(JSON.stringify({ ...finished, is_error: false }))).toMatchObject({
      is_error: false,
    });
    const cases: Record<string, unknown>[] = [
      { ...envelope, type: "message", role: "user", text: "not an assistant" },
      {
        ...envelope,
        type: "session_finished",
        status: "crashed",
        summary: "",
        usage,
        turns: 1,
        duration_ms: 1,
      },
      { ...envelope, type: "turn_completed", turn: 1.5, usage },
      { ...envelope, type: "text_delta" },
      { type: "text_delta", text: "no envelope" },
      { ...envelope, v: 1.5, type: "text_delta", text: "fractional version" },
      { ...envelope, ts: 5, type: "text_delta", text: "numeric ts" },
    ];
    for (const value of cases)
      expect(parseAgentEvent(JSON.stringify(value)), JSON.stringify(value)).toBeUndefined();
  });

  it("gives undefined for lines that are not events", () => {
    for (const line of [
      "",
      "   ",
      "\n",
      "\t\r\n",
      "not json",
      "{",
      "{'type':'x'}",
      "null",
      "42",
      '"text_delta"',
      "[]",
    ])
      expect(parseAgentEvent(line), JSON.stringify(line)).toBeUndefined();
    expect(parseAgentEvent('{"v":1}')).toBeUndefined();
    expect(parseAgentEvent('{"type":3}')).toBeUndefined();
    expect(parseAgentEvent('[{"type":"text_delta"}]')).toBeUndefined();
  });

  it("parses a line with surrounding whitespace or a CRLF ending", () => {
    const event = events[1]!;
    expect(parseAgentEvent(`  ${JSON.stringify(event)}\r\n`)).toEqual(event);
  });

  it("reads a whole JSONL stream, skipping what is not an event", () => {
    const text = `${events.map(encodeAgentEvent).join("")}garbage\n\n${encodeAgentEvent({ v: 1, type: "new_kind" })}`;
    const parsed = text.split("\n").map(parseAgentEvent);
    const kept = parsed.filter((event) => event !== undefined);
    expect(kept).toEqual([...events, { v: 1, type: "new_kind" }]);
  });
});

describe("usage", () => {
  it("starts empty", () => {
    expect(emptyUsage()).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
    const first = emptyUsage();
    first.input_tokens = 5;
    expect(emptyUsage().input_tokens).toBe(0); // A fresh object each time.
  });

  it("adds field by field, treating missing fields as 0, without changing its inputs", () => {
    const total = {
      input_tokens: 1,
      output_tokens: 2,
      cache_read_input_tokens: 3,
      cache_creation_input_tokens: 4,
    };
    const more = { input_tokens: 10, cache_read_input_tokens: 30 };
    expect(addUsage(total, more)).toEqual({
      input_tokens: 11,
      output_tokens: 2,
      cache_read_input_tokens: 33,
      cache_creation_input_tokens: 4,
    });
    expect(total).toEqual({
      input_tokens: 1,
      output_tokens: 2,
      cache_read_input_tokens: 3,
      cache_creation_input_tokens: 4,
    });
    expect(more).toEqual({ input_tokens: 10, cache_read_input_tokens: 30 });
    expect(addUsage(emptyUsage(), {})).toEqual(emptyUsage());
    expect(addUsage(addUsage(emptyUsage(), usage), usage)).toEqual({
      input_tokens: 20,
      output_tokens: 10,
      cache_read_input_tokens: 4,
      cache_creation_input_tokens: 2,
    });
  });
});
