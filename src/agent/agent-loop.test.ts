/**
 * The agent loop driven directly: the model is a hand-written ModelStream that yields raw
 * Anthropic stream events, scripted per turn; the tools are grove's real ones on a temporary
 * directory, plus a few tiny custom tools where timing matters.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../protocol/agent-events.js";
import { type AgentLoopOptions, type AgentOutcome, runAgentLoop } from "./agent-loop.js";
import type { MessageParam, ModelStream, StreamEvent, TurnRequest } from "./model-turn.js";
import { type AgentTool, createTools } from "./tools/index.js";

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "grove-agent-loop-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// A scripted model

type ScriptBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: unknown; rawJson?: string };

interface ScriptTurn {
  blocks: ScriptBlock[];
  stopReason?: "end_turn" | "tool_use" | "max_tokens";
  usage?: { input: number; output: number; cacheRead?: number };
}

/** A turn as its own generator, for streams that stop, stall or throw part way. */
type CustomTurn = (signal: AbortSignal) => AsyncIterable<StreamEvent>;

function pieces(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function messageStart(input: number, cacheRead = 0): StreamEvent {
  return {
    type: "message_start",
    message: {
      id: "msg_test",
      type: "message",
      role: "assistant",
      model: "test-model",
      content: [],
      container: null,
      diagnostics: null,
      stop_details: null,
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: input,
        output_tokens: 1,
        cache_read_input_tokens: cacheRead,
        cache_creation_input_tokens: null,
        cache_creation: null,
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: null,
        speed: null,
      },
    },
  };
}

function blockStart(index: number, block: ScriptBlock): StreamEvent {
  const content_block =
    block.type === "text"
      ? { type: "text", text: "" }
      : block.type === "thinking"
        ? { type: "thinking", thinking: "", signature: "" }
        : { type: "tool_use", id: block.id, name: block.name, input: {} };
  return { type: "content_block_start", index, content_block } as Anthropic.RawContentBlockStartEvent;
}

function delta(index: number, value: Anthropic.RawContentBlockDelta): StreamEvent {
  return { type: "content_block_delta", index, delta: value };
}

/** The raw events a real Anthropic stream sends for this turn: text in pieces, tool input in pieces. */
function turnEvents(turn: ScriptTurn): StreamEvent[] {
  const hasTools = turn.blocks.some((block) => block.type === "tool_use");
  const events: StreamEvent[] = [messageStart(turn.usage?.input ?? 100, turn.usage?.cacheRead ?? 0)];
  turn.blocks.forEach((block, index) => {
    events.push(blockStart(index, block));
    if (block.type === "text")
      for (const text of pieces(block.text, 3)) events.push(delta(index, { type: "text_delta", text }));
    else if (block.type === "thinking") {
      for (const thinking of pieces(block.thinking, 2))
        events.push(delta(index, { type: "thinking_delta", thinking }));
      events.push(delta(index, { type: "signature_delta", signature: block.signature }));
    } else {
      const json = block.rawJson ?? JSON.stringify(block.input);
      for (const partial_json of pieces(json, 3))
        events.push(delta(index, { type: "input_json_delta", partial_json }));
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push({
    type: "message_delta",
    delta: { stop_reason: turn.stopReason ?? (hasTools ? "tool_use" : "end_turn"), stop_sequence: null },
    usage: {
      output_tokens: turn.usage?.output ?? 20,
      input_tokens: null,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
    },
  } as Anthropic.RawMessageDeltaEvent);
  events.push({ type: "message_stop" });
  return events;
}

async function* fromEvents(events: StreamEvent[]): AsyncIterable<StreamEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}

/** A model that answers turn n with `turns[n]`; it records (a copy of) every request. */
function scriptedModel(turns: (ScriptTurn | CustomTurn)[]) {
  const requests: TurnRequest[] = [];
  const stream: ModelStream = (request, signal) => {
    requests.push(structuredClone(request));
    const turn = turns[requests.length - 1];
    if (turn === undefined) throw new Error(`the script has no turn ${requests.length}`);
    return typeof turn === "function" ? turn(signal) : fromEvents(turnEvents(turn));
  };
  return { stream, requests };
}

const text = (value: string): ScriptBlock => ({ type: "text", text: value });
const call = (id: string, name: string, input: unknown): ScriptBlock => ({
  type: "tool_use",
  id,
  name,
  input,
});
const say = (value: string): ScriptTurn => ({ blocks: [text(value)] });

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new DOMException("This operation was aborted", "AbortError"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Running the loop

/**
 * An emitted event with its fields. (The exported AgentEventBody is `Omit<…>` over zod's loose
 * objects, whose index signature makes it `{ [k: string]: unknown }`, so it cannot be narrowed.)
 */
type AgentEventBody = AgentEvent extends infer E
  ? E extends AgentEvent
    ? { [K in keyof E as K extends "v" | "ts" | "session" ? never : K]: E[K] }
    : never
  : never;

interface Run {
  outcome: AgentOutcome;
  events: AgentEventBody[];
  messages: MessageParam[];
}

async function run(
  stream: ModelStream,
  options: Partial<Omit<AgentLoopOptions, "limits">> & { limits?: Partial<AgentLoopOptions["limits"]> } = {},
): Promise<Run> {
  const events: AgentEventBody[] = [];
  const messages = options.messages ?? [{ role: "user", content: "do the task" }];
  const outcome = await runAgentLoop({
    model: "test-model",
    system: "You are a test agent.",
    tools: createTools({ cwd }),
    signal: new AbortController().signal,
    emit: (event) => events.push(event as AgentEventBody),
    ...options,
    messages,
    stream,
    limits: { maxTurns: 20, maxTokens: 0, maxWallMs: 0, ...options.limits },
  });
  return { outcome, events, messages };
}

const ofType = <T extends AgentEventBody["type"]>(events: AgentEventBody[], type: T) =>
  events.filter((event): event is Extract<AgentEventBody, { type: T }> => event.type === type);

/** Event types in order, with runs of text_delta folded into one. */
function shape(events: AgentEventBody[]): string[] {
  const out: string[] = [];
  for (const event of events) {
    const label =
      event.type === "turn_completed"
        ? `turn_completed ${event.turn}`
        : event.type === "tool_call_started" || event.type === "tool_call_finished"
          ? `${event.type} ${event.id}`
          : event.type;
    if (label === "text_delta" && out.at(-1) === "text_delta") continue;
    out.push(label);
  }
  return out;
}

/** The tool_result blocks of a user turn. */
function toolResults(message: MessageParam | undefined) {
  expect(message?.role).toBe("user");
  if (!message || typeof message.content === "string") throw new Error("not a tool result turn");
  return message.content.flatMap((block) => (block.type === "tool_result" ? [block] : []));
}

/** A custom tool that logs when it starts and ends and answers after `ms`. */
function timedTool(name: string, ms: number, log: string[], readOnly = true): AgentTool {
  return {
    definition: { name, description: `waits ${ms} ms`, inputSchema: { type: "object", properties: {} } },
    readOnly,
    async run() {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return { output: `${name} finished`, isError: false };
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe("runAgentLoop: finishing", () => {
  it("ends a text-only turn with success and that text as the summary", async () => {
    const model = scriptedModel([
      { blocks: [text("All done: nothing to change.")], usage: { input: 30, output: 7 } },
    ]);
    const { outcome, events, messages } = await run(model.stream);
    expect(outcome).toEqual({
      status: "success",
      summary: "All done: nothing to change.",
      turns: 1,
      usage: {
        input_tokens: 30,
        output_tokens: 7,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
    const deltas = ofType(events, "text_delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((event) => event.text).join("")).toBe("All done: nothing to change.");
    expect(shape(events)).toEqual(["text_delta", "message", "turn_completed 1"]);
    expect(ofType(events, "message")).toEqual([
      { type: "message", role: "assistant", text: "All done: nothing to change." },
    ]);
    expect(messages).toEqual([
      { role: "user", content: "do the task" },
      { role: "assistant", content: [{ type: "text", text: "All done: nothing to change." }] },
    ]);
  });

  it("sends the model the system prompt, the conversation and every tool's definition", async () => {
    const model = scriptedModel([say("ok")]);
    await run(model.stream, { maxOutputTokens: 1234 });
    const [request] = model.requests;
    expect(request).toMatchObject({
      model: "test-model",
      system: "You are a test agent.",
      max_tokens: 1234,
      stream: true,
      messages: [{ role: "user", content: "do the task" }],
    });
    expect(request?.tools?.map((tool) => ("name" in tool ? tool.name : ""))).toEqual([
      "read",
      "write",
      "edit",
      "list",
      "glob",
      "grep",
      "bash",
    ]);
    for (const tool of request?.tools ?? [])
      expect(tool).toMatchObject({ description: expect.any(String), input_schema: { type: "object" } });
  });

  it("uses 8192 output tokens unless told otherwise", async () => {
    const model = scriptedModel([say("ok")]);
    await run(model.stream);
    expect(model.requests[0]?.max_tokens).toBe(8192);
  });

  it("adds up usage from message_start and message_delta over the turns", async () => {
    const model = scriptedModel([
      { blocks: [call("t1", "list", {})], usage: { input: 100, output: 10, cacheRead: 40 } },
      { blocks: [text("done")], usage: { input: 200, output: 5 } },
    ]);
    const { outcome, events } = await run(model.stream);
    expect(ofType(events, "turn_completed").map((event) => event.usage)).toEqual([
      { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 40, cache_creation_input_tokens: 0 },
      { input_tokens: 200, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ]);
    expect(outcome.usage).toEqual({
      input_tokens: 300,
      output_tokens: 15,
      cache_read_input_tokens: 40,
      cache_creation_input_tokens: 0,
    });
  });

  it("keeps the last text as the summary when the final turn says nothing", async () => {
    const model = scriptedModel([
      { blocks: [text("I looked around."), call("t1", "list", {})] },
      { blocks: [] },
    ]);
    const { outcome } = await run(model.stream);
    expect(outcome).toMatchObject({ status: "success", summary: "I looked around.", turns: 2 });
    const silent = await run(scriptedModel([{ blocks: [] }]).stream);
    expect(silent.outcome).toMatchObject({ status: "success", summary: "finished without a summary" });
  });

  it("fails when the model hits its output limit without calling a tool", async () => {
    const model = scriptedModel([{ blocks: [text("I was about to say")], stopReason: "max_tokens" }]);
    const { outcome, events } = await run(model.stream);
    expect(outcome).toMatchObject({
      status: "error",
      summary: "the model hit its output limit without finishing",
      turns: 1,
    });
    expect(ofType(events, "message")[0]?.text).toBe("I was about to say");
    expect(ofType(events, "error")).toEqual([]);
  });
});

describe("runAgentLoop: tools", () => {
  it("runs a real tool and feeds the result back as a user turn of tool_result blocks", async () => {
    await writeFile(join(cwd, "notes.txt"), "alpha\nbeta\n");
    const model = scriptedModel([
      { blocks: [text("Reading the notes."), call("toolu_read", "read", { path: "notes.txt" })] },
      {
        blocks: [call("toolu_edit", "edit", { path: "notes.txt", old_string: "beta", new_string: "gamma" })],
      },
      { blocks: [call("toolu_bash", "bash", { command: "cat notes.txt" })] },
      say("Changed beta to gamma."),
    ]);
    const { outcome, events, messages } = await run(model.stream);
    expect(outcome).toMatchObject({ status: "success", summary: "Changed beta to gamma.", turns: 4 });
    expect(await readFile(join(cwd, "notes.txt"), "utf8")).toBe("alpha\ngamma\n");

    // Each request after the first ends with the results of the previous turn's calls.
    expect(model.requests).toHaveLength(4);
    const second = model.requests[1]!.messages;
    expect(second).toHaveLength(3);
    expect(second[1]).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Reading the notes." },
        { type: "tool_use", id: "toolu_read", name: "read", input: { path: "notes.txt" } },
      ],
    });
    const [read] = toolResults(second[2]);
    expect(read).toMatchObject({ type: "tool_result", tool_use_id: "toolu_read" });
    expect(read?.is_error).toBeUndefined();
    expect(read?.content).toContain("alpha");
    expect(read?.content).toContain("beta");
    const [bash] = toolResults(model.requests[3]!.messages.at(-1));
    expect(bash).toMatchObject({ tool_use_id: "toolu_bash" });
    expect(bash?.content).toContain("gamma");

    // The loop's own messages are the whole conversation.
    expect(messages).toHaveLength(8);
    expect(messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);

    const started = ofType(events, "tool_call_started");
    expect(started).toEqual([
      { type: "tool_call_started", id: "toolu_read", name: "read", input: { path: "notes.txt" } },
      {
        type: "tool_call_started",
        id: "toolu_edit",
        name: "edit",
        input: { path: "notes.txt", old_string: "beta", new_string: "gamma" },
      },
      { type: "tool_call_started", id: "toolu_bash", name: "bash", input: { command: "cat notes.txt" } },
    ]);
    for (const finished of ofType(events, "tool_call_finished")) {
      expect(finished).toMatchObject({ is_error: false, truncated: false, duration_ms: expect.any(Number) });
    }
  });

  it("emits events in order: text, message, turn_completed, then each call's start before its finish", async () => {
    const model = scriptedModel([
      { blocks: [text("Listing."), call("a", "list", {}), call("b", "glob", { pattern: "*" })] },
      say("Nothing here."),
    ]);
    const { events } = await run(model.stream);
    expect(shape(events)).toEqual([
      "text_delta",
      "message",
      "turn_completed 1",
      "tool_call_started a",
      "tool_call_started b",
      ...shape(events).slice(5, 7), // The two finishes, in whichever order they completed.
      "text_delta",
      "message",
      "turn_completed 2",
    ]);
    expect(shape(events).slice(5, 7).sort()).toEqual(["tool_call_finished a", "tool_call_finished b"]);
  });

  it("runs parallel tool calls concurrently and returns the results in call order", async () => {
    const log: string[] = [];
    const tools = [timedTool("slow", 150, log), timedTool("fast", 5, log)];
    const model = scriptedModel([
      { blocks: [call("c1", "slow", {}), call("c2", "fast", {})] },
      say("both done"),
    ]);
    const started = Date.now();
    const { outcome, events } = await run(model.stream, { tools });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.status).toBe("success");
    expect(log).toEqual(["start slow", "start fast", "end fast", "end slow"]);
    const results = toolResults(model.requests[1]!.messages.at(-1));
    expect(results.map((result) => [result.tool_use_id, result.content])).toEqual([
      ["c1", "slow finished"],
      ["c2", "fast finished"],
    ]);
    // Starts are announced in call order; finishes as they happen.
    expect(shape(events).filter((label) => label.startsWith("tool_call"))).toEqual([
      "tool_call_started c1",
      "tool_call_started c2",
      "tool_call_finished c2",
      "tool_call_finished c1",
    ]);
    const slow = ofType(events, "tool_call_finished").find((event) => event.id === "c1");
    expect(slow?.duration_ms).toBeGreaterThanOrEqual(100);
  });

  it("runs a turn with a tool that changes things one call at a time, in call order", async () => {
    const log: string[] = [];
    const tools = [timedTool("slow", 60, log, false), timedTool("fast", 5, log)];
    const model = scriptedModel([{ blocks: [call("c1", "slow", {}), call("c2", "fast", {})] }, say("done")]);
    const { outcome } = await run(model.stream, { tools });
    expect(outcome.status).toBe("success");
    expect(log).toEqual(["start slow", "end slow", "start fast", "end fast"]);
  });

  it("applies two edits of one file made in the same turn", async () => {
    await writeFile(join(cwd, "two.txt"), "alpha\nbeta\n");
    const model = scriptedModel([
      {
        blocks: [
          call("e1", "edit", { path: "two.txt", old_string: "alpha", new_string: "ALPHA" }),
          call("e2", "edit", { path: "two.txt", old_string: "beta", new_string: "BETA" }),
        ],
      },
      say("both edited"),
    ]);
    const { outcome } = await run(model.stream);
    expect(outcome.status).toBe("success");
    expect(await readFile(join(cwd, "two.txt"), "utf8")).toBe("ALPHA\nBETA\n");
  });

  it("answers an unknown tool with an error result and carries on", async () => {
    const model = scriptedModel([
      { blocks: [call("x1", "teleport", { to: "mars" })] },
      say("fine, no teleport"),
    ]);
    const { outcome, events } = await run(model.stream);
    expect(outcome).toMatchObject({ status: "success", summary: "fine, no teleport", turns: 2 });
    const [result] = toolResults(model.requests[1]!.messages.at(-1));
    expect(result).toEqual({
      type: "tool_result",
      tool_use_id: "x1",
      content: 'unknown tool "teleport"; available: read, write, edit, list, glob, grep, bash',
      is_error: true,
    });
    expect(ofType(events, "tool_call_finished")[0]).toMatchObject({
      id: "x1",
      name: "teleport",
      is_error: true,
    });
  });

  it("turns a tool that throws into an error result", async () => {
    const boom: AgentTool = {
      definition: { name: "boom", description: "always throws", inputSchema: { type: "object" } },
      run: () => Promise.reject(new Error("kaboom")),
    };
    const odd: AgentTool = {
      definition: { name: "odd", description: "throws a string", inputSchema: { type: "object" } },
      run: () => {
        throw "not an Error"; // A synchronous throw of a non-Error.
      },
    };
    const model = scriptedModel([{ blocks: [call("b1", "boom", {}), call("o1", "odd", {})] }, say("noted")]);
    const { outcome, events } = await run(model.stream, { tools: [boom, odd] });
    expect(outcome.status).toBe("success");
    const results = toolResults(model.requests[1]!.messages.at(-1));
    expect(results).toEqual([
      { type: "tool_result", tool_use_id: "b1", content: "the boom tool failed: kaboom", is_error: true },
      {
        type: "tool_result",
        tool_use_id: "o1",
        content: "the odd tool failed: not an Error",
        is_error: true,
      },
    ]);
    expect(ofType(events, "tool_call_finished").every((event) => event.is_error)).toBe(true);
    expect(ofType(events, "error")).toEqual([]);
  });

  it("passes broken tool arguments to the tool, which rejects them", async () => {
    const model = scriptedModel([
      { blocks: [{ type: "tool_use", id: "r1", name: "read", input: undefined, rawJson: '{"path": "no' }] },
      say("the arguments were broken"),
    ]);
    const { outcome, events } = await run(model.stream);
    expect(outcome.status).toBe("success");
    expect(ofType(events, "tool_call_started")[0]?.input).toEqual({ _raw_arguments: '{"path": "no' });
    const [result] = toolResults(model.requests[1]!.messages.at(-1));
    expect(result?.is_error).toBe(true);
    expect(result?.content).toMatch(/^Invalid input for tool "read"/);
  });

  it("shortens long outputs in events but gives the model the whole output", async () => {
    const long: AgentTool = {
      definition: { name: "long", description: "long output", inputSchema: { type: "object" } },
      run: async () => ({ output: "x".repeat(50), isError: false }),
    };
    const model = scriptedModel([{ blocks: [call("l1", "long", {})] }, say("ok")]);
    const { events } = await run(model.stream, { tools: [long], displayLimit: 10 });
    expect(ofType(events, "tool_call_finished")[0]).toMatchObject({
      output: `${"x".repeat(10)}…`,
      truncated: true,
    });
    expect(toolResults(model.requests[1]!.messages.at(-1))[0]?.content).toBe("x".repeat(50));
  });
});

describe("runAgentLoop: thinking", () => {
  it("emits a thinking event and keeps the block, signature included, in the history", async () => {
    const model = scriptedModel([
      {
        blocks: [
          { type: "thinking", thinking: "The user wants a listing.", signature: "sig-123" },
          text("Listing files."),
          call("t1", "list", {}),
        ],
      },
      say("done"),
    ]);
    const { events, messages } = await run(model.stream);
    expect(ofType(events, "thinking")).toEqual([{ type: "thinking", text: "The user wants a listing." }]);
    expect(shape(events).slice(0, 4)).toEqual(["thinking", "text_delta", "message", "turn_completed 1"]);
    const assistant = {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "The user wants a listing.", signature: "sig-123" },
        { type: "text", text: "Listing files." },
        { type: "tool_use", id: "t1", name: "list", input: {} },
      ],
    };
    expect(messages[1]).toEqual(assistant);
    expect(model.requests[1]?.messages[1]).toEqual(assistant);
    expect(ofType(events, "message")[0]?.text).toBe("Listing files."); // Thinking is not part of the message.
  });
});

describe("runAgentLoop: limits", () => {
  it("stops at the turn limit with status max_turns", async () => {
    const looping: ScriptTurn = { blocks: [call("l", "list", {})] };
    const model = scriptedModel([looping, looping, looping, looping]);
    const { outcome, events } = await run(model.stream, { limits: { maxTurns: 2 } });
    expect(outcome).toMatchObject({
      status: "max_turns",
      turns: 2,
      summary: "stopped after 2 turns (the limit)",
    });
    expect(model.requests).toHaveLength(2);
    expect(ofType(events, "turn_completed").map((event) => event.turn)).toEqual([1, 2]);
  });

  it("stops with an error once the token budget is used up", async () => {
    const looping: ScriptTurn = { blocks: [call("l", "list", {})], usage: { input: 100, output: 50 } };
    const model = scriptedModel([looping, looping, looping, looping]);
    const { outcome } = await run(model.stream, { limits: { maxTokens: 200 } });
    // 150 after one turn is under 200, 300 after two is not.
    expect(outcome.status).toBe("error");
    expect(outcome.summary).toMatch(/token budget of 200/);
    expect(outcome.turns).toBe(2);
    expect(outcome.usage).toMatchObject({ input_tokens: 200, output_tokens: 100 });
    expect(model.requests).toHaveLength(2);
  });

  it("stops with an error once the wall-time limit is reached", async () => {
    const log: string[] = [];
    const tools = [timedTool("wait", 60, log)];
    const looping: ScriptTurn = { blocks: [call("w", "wait", {})] };
    const model = scriptedModel([looping, looping, looping]);
    const { outcome } = await run(model.stream, { tools, limits: { maxWallMs: 30 } });
    expect(outcome.status).toBe("error");
    expect(outcome.summary).toMatch(/time limit/);
    expect(outcome.turns).toBe(1);
    expect(model.requests).toHaveLength(1);
  });

  // The wall-time limit must also cut a model stream that stalls, not only the gap between turns.
  it("stops a stalled model stream at the wall-time limit", async () => {
    const controller = new AbortController();
    const model = scriptedModel([
      async function* stalled(signal) {
        yield messageStart(10);
        await untilAborted(signal);
      },
    ]);
    const loop = run(model.stream, { signal: controller.signal, limits: { maxWallMs: 50 } });
    const outcome = await Promise.race([
      loop.then((result) => result.outcome),
      sleep(1000).then(() => undefined),
    ]);
    controller.abort(); // Let the stalled stream end either way.
    await loop;
    expect(outcome).toMatchObject({ status: "error", summary: expect.stringMatching(/time limit/) });
  });
});

describe("runAgentLoop: aborts and model errors", () => {
  it("ends with status aborted when the signal fires during a model stream", async () => {
    const controller = new AbortController();
    let sawSignal: AbortSignal | undefined;
    const model = scriptedModel([
      async function* slow(signal) {
        sawSignal = signal;
        yield messageStart(10);
        yield blockStart(0, text(""));
        yield delta(0, { type: "text_delta", text: "Working on" });
        await untilAborted(signal);
      },
    ]);
    const events: AgentEventBody[] = [];
    const { outcome, messages } = await run(model.stream, {
      signal: controller.signal,
      emit: (event) => {
        events.push(event as AgentEventBody);
        if (event.type === "text_delta") controller.abort();
      },
    });
    expect(sawSignal?.aborted).toBe(true); // The model stream saw the user's abort.
    expect(outcome).toMatchObject({ status: "aborted", summary: "stopped by the user", turns: 0 });
    expect(events.map((event) => event.type)).toEqual(["text_delta"]); // No fatal error, no turn.
    expect(messages).toEqual([{ role: "user", content: "do the task" }]);
  });

  it("does not call the model when the signal has already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const model = scriptedModel([say("never")]);
    const { outcome } = await run(model.stream, { signal: controller.signal });
    expect(outcome).toMatchObject({ status: "aborted", turns: 0 });
    expect(model.requests).toHaveLength(0);
  });

  it("ends with status aborted when the signal fires while tools run", async () => {
    const controller = new AbortController();
    const waiting: AgentTool = {
      definition: { name: "wait", description: "waits for the signal", inputSchema: { type: "object" } },
      async run(_input, { signal }) {
        setTimeout(() => controller.abort(), 10);
        await untilAborted(signal).catch(() => undefined);
        return { output: "interrupted", isError: true };
      },
    };
    const model = scriptedModel([{ blocks: [call("w1", "wait", {})] }, say("never asked")]);
    const { outcome, messages } = await run(model.stream, { tools: [waiting], signal: controller.signal });
    expect(outcome).toMatchObject({ status: "aborted", turns: 1 });
    expect(model.requests).toHaveLength(1);
    expect(toolResults(messages.at(-1))[0]).toMatchObject({ tool_use_id: "w1", is_error: true });
  });

  it("ends with status error and a fatal error event when the model call fails", async () => {
    const message =
      '400 {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}';
    const model = scriptedModel([
      // biome-ignore lint/correctness/useYield: the request fails before anything streams.
      async function* rejected() {
        throw new Error(message);
      },
    ]);
    const { outcome, events } = await run(model.stream);
    expect(outcome).toMatchObject({ status: "error", summary: message, turns: 0 });
    expect(events).toEqual([{ type: "error", message, fatal: true }]);
  });

  it("reports a stream that breaks part way, keeping the turns before it", async () => {
    const model = scriptedModel([
      { blocks: [call("l1", "list", {})], usage: { input: 10, output: 2 } },
      async function* broken() {
        yield messageStart(10);
        yield blockStart(0, text(""));
        yield delta(0, { type: "text_delta", text: "Half a" });
        throw new Error("stream ended unexpectedly");
      },
    ]);
    const { outcome, events } = await run(model.stream);
    expect(outcome).toMatchObject({ status: "error", summary: "stream ended unexpectedly", turns: 1 });
    expect(outcome.usage).toMatchObject({ input_tokens: 10, output_tokens: 2 });
    expect(events.at(-1)).toEqual({ type: "error", message: "stream ended unexpectedly", fatal: true });
    expect(ofType(events, "turn_completed")).toHaveLength(1);
  });

  it("reports a model stream that throws synchronously, and one that throws a non-Error", async () => {
    const sync: ModelStream = () => {
      throw new Error("no connection");
    };
    const first = await run(sync);
    expect(first.outcome).toMatchObject({ status: "error", summary: "no connection" });
    expect(first.events).toEqual([{ type: "error", message: "no connection", fatal: true }]);

    const model = scriptedModel([
      // biome-ignore lint/correctness/useYield: the request fails before anything streams.
      async function* odd() {
        throw "socket hang up";
      },
    ]);
    const second = await run(model.stream);
    expect(second.outcome).toMatchObject({ status: "error", summary: "socket hang up" });
  });
});
