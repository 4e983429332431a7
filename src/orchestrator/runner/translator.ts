/** What the Claude Code and Codex stdout translators share. */
import type { AgentEventBody, SessionStatus } from "../../protocol/agent-events.js";

/** How the agent's process ended, as the wrapper saw it. */
export interface AgentExit {
  code: number | null;
  signal: string | null;
  /** The wrapper stopped it (SIGTERM/SIGINT to the wrapper). */
  aborted: boolean;
}

/**
 * Turns one line of an agent's stdout into grove event bodies (without the `v`/`ts`/`session`
 * envelope). Lines it does not understand give no events.
 */
export interface AgentTranslator {
  (line: string): AgentEventBody[];
  /** The agent's own session id (Claude's session_id, Codex's thread_id), once it said it. */
  readonly sessionId: string | undefined;
  /** The status of the session_finished emitted so far, if any. */
  readonly finishedStatus: SessionStatus | undefined;
  /** The process ended: the session_finished still owed, if the agent did not say how it went. */
  end(exit: AgentExit): AgentEventBody[];
}

export const MAX_TOOL_OUTPUT_CHARS = 2000;

/** Tool output for an event: at most MAX_TOOL_OUTPUT_CHARS, with `truncated` when cut. */
export function toolOutput(text: string): { output: string; truncated?: true } {
  if (text.length <= MAX_TOOL_OUTPUT_CHARS) return { output: text };
  const omitted = text.length - MAX_TOOL_OUTPUT_CHARS;
  return {
    output: `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}\n… (${omitted} more characters)`,
    truncated: true,
  };
}

export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asNumber(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

export function describeExit(exit: AgentExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? "unknown"}`;
}
