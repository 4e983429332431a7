/**
 * The built-in agent's loop: ask the model, run the tools it calls (in parallel, results in
 * order), feed the results back, and stop when the model stops or a limit is reached.
 * Everything it needs comes in as arguments: the model stream, the tools (already bound to a
 * working directory), the abort signal and an event sink.
 */
import {
  type AgentEventBody,
  type AgentUsage,
  addUsage,
  emptyUsage,
  type SessionStatus,
} from "../protocol/agent-events.js";
import { pruneToolOutputs } from "./context-pruning.js";
import { type ContentBlock, type MessageParam, type ModelStream, runModelTurn } from "./model-turn.js";
import type { AgentTool } from "./tools/tool.js";

export interface AgentLimits {
  maxTurns: number;
  /** Input + output tokens over the whole session; 0 means no limit. */
  maxTokens: number;
  /** Wall-clock limit in milliseconds; 0 means no limit. */
  maxWallMs: number;
}

export interface AgentLoopOptions {
  model: string;
  system: string;
  /** The conversation so far, ending with the new user turn; the loop appends to it. */
  messages: MessageParam[];
  tools: readonly AgentTool[];
  stream: ModelStream;
  signal: AbortSignal;
  emit: (event: AgentEventBody) => void;
  limits: AgentLimits;
  maxOutputTokens?: number;
  contextWindow?: number;
  /** Longest tool output shown in events; the model always gets the whole output. */
  displayLimit?: number;
}

export interface AgentOutcome {
  status: SessionStatus;
  summary: string;
  usage: AgentUsage;
  turns: number;
}

export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentOutcome> {
  const { messages, emit } = options;
  const toolsByName = new Map(options.tools.map((tool) => [tool.definition.name, tool]));
  const toolDefinitions = options.tools.map((tool) => ({
    name: tool.definition.name,
    description: tool.definition.description,
    input_schema: tool.definition.inputSchema as { type: "object" },
  }));
  let usage = emptyUsage();
  let turns = 0;
  let lastText = "";
  const finish = (status: SessionStatus, summary: string): AgentOutcome => ({
    status,
    summary,
    usage,
    turns,
  });
  const timeLimit = `stopped: the time limit of ${Math.ceil(options.limits.maxWallMs / 1000)} s is reached`;

  // The wall-time limit also cuts a model stream or a tool that hangs, not only the gap between turns.
  const deadline = new AbortController();
  const timer =
    options.limits.maxWallMs > 0 ? setTimeout(() => deadline.abort(), options.limits.maxWallMs) : undefined;
  const signal = AbortSignal.any([options.signal, deadline.signal]);
  const stopped = () =>
    options.signal.aborted ? finish("aborted", "stopped by the user") : finish("error", timeLimit);

  try {
    for (;;) {
      if (signal.aborted) return stopped();
      if (turns >= options.limits.maxTurns)
        return finish("max_turns", `stopped after ${turns} turns (the limit)`);
      if (
        options.limits.maxTokens > 0 &&
        usage.input_tokens + usage.output_tokens >= options.limits.maxTokens
      ) {
        return finish("error", `stopped: the token budget of ${options.limits.maxTokens} is used up`);
      }
      if (options.contextWindow)
        pruneToolOutputs(messages, options.system, { contextWindow: options.contextWindow });

      const turn = await runModelTurn(
        options.stream,
        {
          model: options.model,
          max_tokens: options.maxOutputTokens ?? 8192,
          system: options.system,
          messages,
          tools: toolDefinitions,
          stream: true,
        },
        signal,
        emit,
      );
      turns += 1;
      usage = addUsage(usage, turn.usage);
      emit({ type: "turn_completed", turn: turns, usage: turn.usage });
      messages.push({ role: "assistant", content: turn.content });
      const text = turn.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
      if (text) lastText = text;

      const calls = turn.content.filter(
        (block): block is Extract<ContentBlock, { type: "tool_use" }> => block.type === "tool_use",
      );
      if (calls.length === 0) {
        if (turn.stopReason === "max_tokens")
          return finish("error", "the model hit its output limit without finishing");
        return finish("success", lastText || "finished without a summary");
      }
      // Reads run side by side; a turn that changes files or runs commands goes one call at a
      // time, in order, or two edits of one file would each write over the other.
      const parallel = calls.every((call) => toolsByName.get(call.name)?.readOnly === true);
      const results = parallel
        ? await Promise.all(calls.map((call) => runTool(call, toolsByName, options, signal)))
        : await runInOrder(calls, (call) => runTool(call, toolsByName, options, signal));
      messages.push({ role: "user", content: results });
    }
  } catch (error) {
    if (signal.aborted) return stopped();
    const message = error instanceof Error ? error.message : String(error);
    emit({ type: "error", message, fatal: true });
    return finish("error", message);
  } finally {
    clearTimeout(timer);
  }
}

async function runInOrder<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}

async function runTool(
  call: { id: string; name: string; input: unknown },
  tools: Map<string, AgentTool>,
  options: AgentLoopOptions,
  signal: AbortSignal,
): Promise<{ type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean }> {
  options.emit({ type: "tool_call_started", id: call.id, name: call.name, input: call.input });
  const started = Date.now();
  const tool = tools.get(call.name);
  let result: { output: string; isError: boolean };
  if (!tool) {
    result = {
      output: `unknown tool "${call.name}"; available: ${[...tools.keys()].join(", ")}`,
      isError: true,
    };
  } else {
    try {
      result = await tool.run(call.input, { signal });
    } catch (error) {
      // A tool that throws is a bug in the tool, not the end of the session: the model hears about it.
      result = {
        output: `the ${call.name} tool failed: ${error instanceof Error ? error.message : String(error)}`,
        isError: true,
      };
    }
  }
  const limit = options.displayLimit ?? 2000;
  options.emit({
    type: "tool_call_finished",
    id: call.id,
    name: call.name,
    output: result.output.length > limit ? `${result.output.slice(0, limit)}…` : result.output,
    is_error: result.isError,
    duration_ms: Date.now() - started,
    truncated: result.output.length > limit,
  });
  return {
    type: "tool_result",
    tool_use_id: call.id,
    content: result.output,
    ...(result.isError ? { is_error: true } : {}),
  };
}
