import { describe, expect, it } from "vitest";
import { readAgentLines } from "./agent-lines.js";

const ts = "2026-11-28T10:00:00.000Z";
const line = (event: Record<string, unknown>) => JSON.stringify({ v: 1, ts, session: "ses_1", ...event });
const usage = (input: number, output: number, cached = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_input_tokens: cached,
});

describe("readAgentLines", () => {
  const lines = [
    line({ type: "session_started", agent: "builtin", model: "m", cwd: "/w" }),
    "not json at all",
    line({ type: "turn_completed", turn: 1, usage: usage(100, 10, 50) }),
    line({ type: "question", id: "q1", text: "Which name?" }),
    line({ type: "turn_completed", turn: 2, usage: usage(20, 5) }),
    line({
      type: "session_finished",
      status: "success",
      summary: "Did it.",
      usage: usage(0, 0),
      turns: 2,
      duration_ms: 9,
    }),
  ];

  it("stores every event without v/ts/session (the session only on session_started), and adds up the tokens", () => {
    const read = readAgentLines({ inputTokens: 1000, outputTokens: 100 }, lines, 4096, false);
    expect(read.events.map((event) => event.type)).toEqual([
      "session_started",
      "turn_completed",
      "question",
      "turn_completed",
      "session_finished",
    ]);
    expect(read.events[0]).toEqual({
      type: "session_started",
      body: { type: "session_started", agent: "builtin", model: "m", cwd: "/w", session: "ses_1" },
      ts,
    });
    expect(read.events[2]!.body).toEqual({ type: "question", id: "q1", text: "Which name?" });
    expect(read.changes).toEqual({
      eventsOffset: 4096,
      sessionId: "ses_1",
      inputTokens: 1000 + 150 + 20,
      outputTokens: 100 + 10 + 5,
      summary: "Did it.",
    });
    expect(read).toMatchObject({ asked: true, questions: ["Which name?"] });
  });

  it("keeps a reviewer's session and summary off the task, but still counts its tokens", () => {
    const read = readAgentLines({ inputTokens: 0, outputTokens: 0 }, lines, 10, true);
    expect(read.changes).toEqual({ eventsOffset: 10, inputTokens: 170, outputTokens: 15 });
  });

  it("only moves the offset for lines that hold no events", () => {
    expect(readAgentLines({ inputTokens: 0, outputTokens: 0 }, ["", "{}"], 2, false)).toEqual({
      events: [],
      changes: { eventsOffset: 2 },
      questions: [],
      asked: false,
    });
  });
});
