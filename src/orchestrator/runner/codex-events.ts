/**
 * `codex exec --json` stdout → grove's event protocol.
 *
 * One `codex exec` is one turn: thread.started, turn.started, item.started/item.completed
 * (agent_message, reasoning, command_execution, file_change, mcp_tool_call, web_search, error),
 * then turn.completed or turn.failed. Its usage is the thread's running total (a resumed thread
 * reports the earlier runs' tokens again), so each turn_completed carries the difference from
 * `previousUsage` as `usage`, and the raw total as `thread_usage` for the next run to subtract.
 */
import {
  type AgentEventBody,
  type AgentUsage,
  emptyUsage,
  parseAgentEvent,
  type SessionStatus,
} from "../../protocol/agent-events.js";
import {
  type AgentExit,
  type AgentTranslator,
  asNumber,
  asString,
  describeExit,
  isRecord,
  parseJsonLine,
  toolOutput,
} from "./translator.js";

export interface CodexTranslatorOptions {
  /** The model asked for (`-m`); Codex does not print it. */
  model?: string;
  cwd?: string;
  resumed?: boolean;
  /** The thread's usage total as the previous run reported it (for a resumed thread). */
  previousUsage?: AgentUsage;
}

interface OpenItem {
  name: string;
  startedAt: number;
}

export function createCodexTranslator(options: CodexTranslatorOptions = {}): AgentTranslator {
  const startedAt = Date.now();
  const open = new Map<string, OpenItem>();
  let sessionId: string | undefined;
  let finishedStatus: SessionStatus | undefined;
  let announced = false;
  let turns = 0;
  let lastText = "";
  let lastError: string | undefined;
  let threadUsage = options.previousUsage ?? emptyUsage();
  let usage = emptyUsage();

  const finish = (status: SessionStatus, summary: string): AgentEventBody => {
    finishedStatus = status;
    return { type: "session_finished", status, summary, usage, turns, duration_ms: Date.now() - startedAt };
  };

  const start = (id: string, name: string, input: unknown): AgentEventBody => {
    open.set(id, { name, startedAt: Date.now() });
    return { type: "tool_call_started", id, name, input };
  };

  /** tool_call_finished, preceded by its tool_call_started when Codex only reported the end. */
  const complete = (id: string, name: string, input: unknown, output: string, isError: boolean) => {
    const bodies: AgentEventBody[] = open.has(id) ? [] : [start(id, name, input)];
    const startedItem = open.get(id);
    open.delete(id);
    bodies.push({
      type: "tool_call_finished",
      id,
      name,
      ...toolOutput(output),
      is_error: isError,
      duration_ms: startedItem ? Date.now() - startedItem.startedAt : 0,
    });
    return bodies;
  };

  const itemStarted = (item: Record<string, unknown>): AgentEventBody[] => {
    const id = asString(item.id) ?? `item-${open.size + 1}`;
    const tool = describeTool(item);
    return tool ? [start(id, tool.name, tool.input)] : [];
  };

  const itemCompleted = (item: Record<string, unknown>): AgentEventBody[] => {
    const id = asString(item.id) ?? `item-${open.size + 1}`;
    switch (item.type) {
      case "agent_message": {
        const text = asString(item.text) ?? "";
        if (!text) return [];
        lastText = text;
        return [
          { type: "text_delta", text },
          { type: "message", role: "assistant", text },
        ];
      }
      case "reasoning": {
        const text = asString(item.text) ?? "";
        return text ? [{ type: "thinking", text }] : [];
      }
      case "error":
        return [
          { type: "error", message: asString(item.message) ?? "Codex reported an error", fatal: false },
        ];
      default: {
        const tool = describeTool(item);
        if (!tool) return [];
        return complete(id, tool.name, tool.input, tool.output, tool.failed);
      }
    }
  };

  const turnCompleted = (event: Record<string, unknown>): AgentEventBody[] => {
    turns += 1;
    const total = codexUsage(event.usage);
    const delta = subtractUsage(total, threadUsage);
    threadUsage = total;
    usage = {
      input_tokens: usage.input_tokens + delta.input_tokens,
      output_tokens: usage.output_tokens + delta.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens + delta.cache_read_input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens + delta.cache_creation_input_tokens,
    };
    return [{ type: "turn_completed", turn: turns, usage: delta, thread_usage: total }];
  };

  const translate = (line: string): AgentEventBody[] => {
    const event = parseJsonLine(line);
    if (!event) return [];
    switch (event.type) {
      case "thread.started": {
        sessionId = asString(event.thread_id) ?? sessionId;
        if (announced) return [];
        announced = true;
        return [
          {
            type: "session_started",
            agent: "codex",
            model: options.model ?? "default",
            cwd: options.cwd ?? "",
            resumed: options.resumed === true,
          },
        ];
      }
      case "item.started":
        return isRecord(event.item) ? itemStarted(event.item) : [];
      case "item.completed":
        return isRecord(event.item) ? itemCompleted(event.item) : [];
      case "turn.completed":
        return turnCompleted(event);
      case "error": {
        const message = asString(event.message) ?? "Codex reported an error";
        // "Reconnecting... 1/5 (…)" is Codex retrying on its own; anything else ends the turn.
        const fatal = !/^reconnecting/i.test(message);
        if (fatal) lastError = message;
        return [{ type: "error", message, fatal }];
      }
      case "turn.failed": {
        const error = isRecord(event.error) ? asString(event.error.message) : undefined;
        const message = error ?? lastError ?? "the Codex turn failed";
        const bodies: AgentEventBody[] =
          message === lastError ? [] : [{ type: "error", message, fatal: true }];
        lastError = message;
        bodies.push(finish("error", message));
        return bodies;
      }
      default:
        return []; // turn.started, item.updated, anything newer.
    }
  };

  const end = (exit: AgentExit): AgentEventBody[] => {
    if (finishedStatus) return [];
    if (turns > 0 && exit.code === 0) return [finish("success", lastText || "finished without a summary")];
    if (exit.aborted) return [finish("aborted", "stopped by grove")];
    const summary =
      lastError ?? `Codex ${describeExit(exit)} before finishing; see agent-stderr.log in the task directory`;
    return lastError
      ? [finish("error", summary)]
      : [{ type: "error", message: summary, fatal: true }, finish("error", summary)];
  };

  return Object.defineProperties(translate, {
    sessionId: { get: () => sessionId },
    finishedStatus: { get: () => finishedStatus },
    end: { value: end },
  }) as AgentTranslator;
}

interface ToolItem {
  name: string;
  input: unknown;
  output: string;
  failed: boolean;
}

/** The grove tool call a Codex item stands for, if it is one. */
function describeTool(item: Record<string, unknown>): ToolItem | undefined {
  const status = asString(item.status);
  const failedStatus = status === "failed" || status === "declined";
  switch (item.type) {
    case "command_execution": {
      const exitCode = item.exit_code;
      return {
        name: "bash",
        input: { command: asString(item.command) ?? "" },
        output: asString(item.aggregated_output) ?? "",
        failed: failedStatus || (typeof exitCode === "number" && exitCode !== 0),
      };
    }
    case "file_change": {
      const changes = Array.isArray(item.changes) ? item.changes.filter(isRecord) : [];
      return {
        name: "apply_patch",
        input: { changes },
        output: changes
          .map((change) => `${asString(change.kind) ?? "update"} ${asString(change.path) ?? ""}`)
          .join("\n"),
        failed: failedStatus,
      };
    }
    case "mcp_tool_call": {
      const error = isRecord(item.error) ? asString(item.error.message) : undefined;
      return {
        name: `mcp__${asString(item.server) ?? "server"}__${asString(item.tool) ?? "tool"}`,
        input: item.arguments ?? {},
        output: error ?? (item.result === undefined ? "" : JSON.stringify(item.result)),
        failed: failedStatus || error !== undefined,
      };
    }
    case "web_search":
      return {
        name: "web_search",
        input: { query: asString(item.query) ?? "" },
        output: "",
        failed: failedStatus,
      };
    default:
      return undefined;
  }
}

function codexUsage(value: unknown): AgentUsage {
  if (!isRecord(value)) return emptyUsage();
  return {
    input_tokens: asNumber(value.input_tokens),
    output_tokens: asNumber(value.output_tokens),
    cache_read_input_tokens: asNumber(value.cached_input_tokens),
    cache_creation_input_tokens: asNumber(value.cache_write_input_tokens),
  };
}

function subtractUsage(total: AgentUsage, before: AgentUsage): AgentUsage {
  return {
    input_tokens: Math.max(0, total.input_tokens - before.input_tokens),
    output_tokens: Math.max(0, total.output_tokens - before.output_tokens),
    cache_read_input_tokens: Math.max(0, total.cache_read_input_tokens - before.cache_read_input_tokens),
    cache_creation_input_tokens: Math.max(
      0,
      total.cache_creation_input_tokens - before.cache_creation_input_tokens,
    ),
  };
}

/**
 * The thread usage total the last run of Codex thread `threadId` reported, from the task's
 * events.jsonl text (turn_completed events carry it as `thread_usage`).
 */
export function lastCodexThreadUsage(eventsJsonl: string, threadId: string): AgentUsage | undefined {
  let found: AgentUsage | undefined;
  for (const line of eventsJsonl.split("\n")) {
    if (!line.includes('"thread_usage"')) continue;
    const event = parseAgentEvent(line);
    if (event?.type !== "turn_completed" || event.session !== threadId) continue;
    const raw = (event as { thread_usage?: unknown }).thread_usage;
    if (isRecord(raw)) {
      found = {
        input_tokens: asNumber(raw.input_tokens),
        output_tokens: asNumber(raw.output_tokens),
        cache_read_input_tokens: asNumber(raw.cache_read_input_tokens),
        cache_creation_input_tokens: asNumber(raw.cache_creation_input_tokens),
      };
    }
  }
  return found;
}
