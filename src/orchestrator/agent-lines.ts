/**
 * What a batch of lines of the agent event protocol means for its task: the events to store,
 * the changes to the task's record (session, token counts, summary, how far the file was read),
 * and the questions the agent asked. Pure: the orchestrator stores and publishes the result.
 */
import { parseAgentEvent } from "../protocol/agent-events.js";
import type { Task } from "./task-store.js";

export interface ReadLines {
  events: { type: string; body: Record<string, unknown>; ts?: string }[];
  changes: Partial<Task>;
  questions: string[];
  asked: boolean;
}

/**
 * `offset` is where the events file has been read to. While a reviewer runs (`reviewing`), its
 * session and summary stay the pipeline's business: the task keeps showing its implementer's.
 */
export function readAgentLines(
  task: Pick<Task, "inputTokens" | "outputTokens">,
  lines: string[],
  offset: number,
  reviewing: boolean,
): ReadLines {
  const result: ReadLines = { events: [], changes: { eventsOffset: offset }, questions: [], asked: false };
  const changes = result.changes;
  for (const line of lines) {
    const event = parseAgentEvent(line);
    if (!event) continue;
    const { v: _v, ts, session, ...rest } = event as Record<string, unknown> & { ts?: string };
    const body = event.type === "session_started" ? { ...rest, session } : rest;
    result.events.push({ type: event.type, body, ...(typeof ts === "string" ? { ts } : {}) });
    if (event.type === "session_started" && typeof event.session === "string" && !reviewing)
      changes.sessionId = event.session;
    if (event.type === "turn_completed" && "usage" in event) {
      const usage = event.usage as {
        input_tokens?: number;
        output_tokens?: number;
        cache_read_input_tokens?: number;
      };
      changes.inputTokens =
        (changes.inputTokens ?? task.inputTokens) +
        (usage.input_tokens ?? 0) +
        (usage.cache_read_input_tokens ?? 0);
      changes.outputTokens = (changes.outputTokens ?? task.outputTokens) + (usage.output_tokens ?? 0);
    }
    if (event.type === "session_finished" && typeof event.summary === "string" && !reviewing)
      changes.summary = event.summary;
    if (event.type === "question") {
      result.asked = true;
      if ("text" in event && typeof event.text === "string") result.questions.push(event.text);
    }
  }
  return result;
}
