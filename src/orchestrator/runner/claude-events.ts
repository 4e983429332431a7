/**
 * Claude Code's `-p --output-format stream-json --verbose` stdout → grove's event protocol.
 *
 * Claude writes one `assistant` line per content block (text, thinking, tool_use), a `user`
 * line with the tool results, and a closing `result` with the totals. Denied permissions do
 * not stop `-p`: the tool fails with "requested permissions" and the run carries on, so they
 * become `question` events the user can answer (`grove reply`) instead of a silent failure.
 */
import type { AgentEventBody, AgentUsage, SessionStatus } from "../../protocol/agent-events.js";
import { emptyUsage } from "../../protocol/agent-events.js";
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

export interface ClaudeTranslatorOptions {
  /** The run continues an earlier Claude session (`--resume`). */
  resumed?: boolean;
}

interface OpenToolCall {
  name: string;
  input: unknown;
  startedAt: number;
}

const PERMISSION_DENIED = /requested permissions?/i;

export function createClaudeTranslator(options: ClaudeTranslatorOptions = {}): AgentTranslator {
  const startedAt = Date.now();
  const toolCalls = new Map<string, OpenToolCall>();
  const asked = new Set<string>();
  let sessionId: string | undefined;
  let finishedStatus: SessionStatus | undefined;
  let announced = false;
  let lastText = "";

  const permissionQuestion = (toolUseId: string, name: string, input: unknown, detail?: string) => {
    asked.add(toolUseId);
    const target = describeTarget(input);
    const what = `${name}${target ? ` on ${target}` : ""}`;
    const why = detail ? ` Claude Code said: "${detail.replace(/^Error:\s*/, "")}"` : "";
    const body: AgentEventBody = {
      type: "question",
      id: `permission-${toolUseId}`,
      text:
        `Claude Code needs permission to use ${what}, and was denied.${why} ` +
        "Grant it with `grove reply`, or run the task with --yolo to skip permission checks.",
      kind: "permission",
      tool: name,
      tool_use_id: toolUseId,
    };
    return body;
  };

  const system = (event: Record<string, unknown>): AgentEventBody[] => {
    if (event.subtype === "init") {
      sessionId = asString(event.session_id) ?? sessionId;
      if (announced) return [];
      announced = true;
      return [
        {
          type: "session_started",
          agent: "claude",
          model: asString(event.model) ?? "unknown",
          cwd: asString(event.cwd) ?? "",
          resumed: options.resumed === true,
        },
      ];
    }
    if (event.subtype === "api_retry") {
      const status = asNumber(event.error_status);
      const error = asString(event.error);
      return [
        {
          type: "error",
          message:
            `the model API failed${status ? ` with HTTP ${status}` : ""}${error ? ` (${error})` : ""}; ` +
            `Claude Code retries (attempt ${asNumber(event.attempt)} of ${asNumber(event.max_retries)}, ` +
            `in ${asNumber(event.retry_delay_ms)} ms)`,
          fatal: false,
        },
      ];
    }
    return [];
  };

  const assistant = (event: Record<string, unknown>): AgentEventBody[] => {
    const message = event.message;
    // A synthetic message carrying an API error: the `result` that follows reports it.
    if (!isRecord(message) || event.error !== undefined) return [];
    const content = Array.isArray(message.content) ? message.content : [];
    const bodies: AgentEventBody[] = [];
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === "text") {
        const text = asString(block.text) ?? "";
        if (!text) continue;
        lastText = text;
        bodies.push({ type: "text_delta", text }, { type: "message", role: "assistant", text });
      } else if (block.type === "thinking") {
        const text = asString(block.thinking) ?? "";
        if (text) bodies.push({ type: "thinking", text });
      } else if (
        block.type === "tool_use" ||
        block.type === "server_tool_use" ||
        block.type === "mcp_tool_use"
      ) {
        const id = asString(block.id) ?? `tool-${toolCalls.size + 1}`;
        const name = asString(block.name) ?? "unknown";
        toolCalls.set(id, { name, input: block.input, startedAt: Date.now() });
        bodies.push({ type: "tool_call_started", id, name, input: block.input ?? {} });
      }
    }
    return bodies;
  };

  const user = (event: Record<string, unknown>): AgentEventBody[] => {
    const message = event.message;
    if (!isRecord(message) || !Array.isArray(message.content)) return [];
    const bodies: AgentEventBody[] = [];
    for (const block of message.content) {
      if (!isRecord(block) || block.type !== "tool_result") continue;
      const id = asString(block.tool_use_id) ?? "";
      const call = toolCalls.get(id);
      toolCalls.delete(id);
      const text = resultText(block.content);
      const isError = block.is_error === true;
      const name = call?.name ?? "unknown";
      bodies.push({
        type: "tool_call_finished",
        id,
        name,
        ...toolOutput(text),
        is_error: isError,
        duration_ms: call ? Date.now() - call.startedAt : 0,
      });
      if (isError && PERMISSION_DENIED.test(text) && !asked.has(id)) {
        bodies.push(permissionQuestion(id, name, call?.input, firstLine(text)));
      }
    }
    return bodies;
  };

  const result = (event: Record<string, unknown>): AgentEventBody[] => {
    sessionId = asString(event.session_id) ?? sessionId;
    const bodies: AgentEventBody[] = [];
    for (const denial of Array.isArray(event.permission_denials) ? event.permission_denials : []) {
      if (!isRecord(denial)) continue;
      const id = asString(denial.tool_use_id) ?? `denial-${asked.size + 1}`;
      if (asked.has(id)) continue;
      bodies.push(permissionQuestion(id, asString(denial.tool_name) ?? "a tool", denial.tool_input));
    }
    const subtype = asString(event.subtype) ?? "success";
    const status: SessionStatus =
      subtype === "error_max_turns"
        ? "max_turns"
        : event.is_error === true || subtype.startsWith("error")
          ? "error"
          : "success";
    const errors = Array.isArray(event.errors) ? event.errors.filter((e) => typeof e === "string") : [];
    const summary =
      asString(event.result) ||
      errors.join("\n") ||
      (status === "success" ? lastText || "finished without a summary" : `Claude Code ended with ${subtype}`);
    if (status === "error") bodies.push({ type: "error", message: summary, fatal: true });
    const usage = claudeUsage(event.usage);
    const turns = Math.trunc(asNumber(event.num_turns));
    bodies.push(
      { type: "turn_completed", turn: turns, usage },
      {
        type: "session_finished",
        status,
        summary,
        usage,
        turns,
        duration_ms: asNumber(event.duration_ms) || Date.now() - startedAt,
      },
    );
    finishedStatus = status;
    return bodies;
  };

  const translate = (line: string): AgentEventBody[] => {
    const event = parseJsonLine(line);
    if (!event) return [];
    switch (event.type) {
      case "system":
        return system(event);
      case "assistant":
        return assistant(event);
      case "user":
        return user(event);
      case "result":
        return result(event);
      default:
        return []; // stream_event, status updates, anything newer.
    }
  };

  const end = (exit: AgentExit): AgentEventBody[] => {
    if (finishedStatus) return [];
    const duration_ms = Date.now() - startedAt;
    if (exit.aborted) {
      finishedStatus = "aborted";
      return [
        {
          type: "session_finished",
          status: "aborted",
          summary: "stopped by grove",
          usage: emptyUsage(),
          turns: 0,
          duration_ms,
        },
      ];
    }
    finishedStatus = "error";
    const summary = `Claude Code ${describeExit(exit)} without reporting a result; see agent-stderr.log in the task directory`;
    return [
      { type: "error", message: summary, fatal: true },
      { type: "session_finished", status: "error", summary, usage: emptyUsage(), turns: 0, duration_ms },
    ];
  };

  return Object.defineProperties(translate, {
    sessionId: { get: () => sessionId },
    finishedStatus: { get: () => finishedStatus },
    end: { value: end },
  }) as AgentTranslator;
}

function claudeUsage(value: unknown): AgentUsage {
  if (!isRecord(value)) return emptyUsage();
  return {
    input_tokens: asNumber(value.input_tokens),
    output_tokens: asNumber(value.output_tokens),
    cache_read_input_tokens: asNumber(value.cache_read_input_tokens),
    cache_creation_input_tokens: asNumber(value.cache_creation_input_tokens),
  };
}

/** A tool_result's content: a string, or blocks (text joined; anything else named). */
function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined ? "" : JSON.stringify(content);
  return content
    .map((block) => {
      if (!isRecord(block)) return "";
      if (block.type === "text") return asString(block.text) ?? "";
      return `[${asString(block.type) ?? "content"}]`;
    })
    .join("\n");
}

/** The path, command or URL a tool call is about. */
function describeTarget(input: unknown): string | undefined {
  if (!isRecord(input)) return undefined;
  for (const key of ["file_path", "notebook_path", "path", "command", "url", "pattern"]) {
    const value = asString(input[key]);
    if (value) return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
