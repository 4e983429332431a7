/**
 * grove's normalized agent event protocol. Every agent (the built-in one, Claude Code, Codex)
 * is translated into these events; the orchestrator, CLI and dashboard read only this.
 *
 * On the wire it is JSONL, one event per line. It is versioned (`v`), and readers tolerate
 * unknown fields and unknown event types, so later agents can add to it without breaking
 * older readers.
 */
import { z } from "zod";

export const AGENT_EVENT_VERSION = 1;

export const usageSchema = z
  .object({
    input_tokens: z.number().default(0),
    output_tokens: z.number().default(0),
    cache_read_input_tokens: z.number().default(0),
    cache_creation_input_tokens: z.number().default(0),
  })
  .loose();

const base = { v: z.number().int(), ts: z.string(), session: z.string() };

export const agentEventSchema = z.discriminatedUnion("type", [
  z
    .object({
      ...base,
      type: z.literal("session_started"),
      agent: z.string(),
      model: z.string(),
      cwd: z.string(),
      resumed: z.boolean().optional(),
    })
    .loose(),
  z.object({ ...base, type: z.literal("text_delta"), text: z.string() }).loose(),
  z.object({ ...base, type: z.literal("message"), role: z.literal("assistant"), text: z.string() }).loose(),
  z.object({ ...base, type: z.literal("thinking"), text: z.string() }).loose(),
  z
    .object({
      ...base,
      type: z.literal("tool_call_started"),
      id: z.string(),
      name: z.string(),
      input: z.unknown(),
    })
    .loose(),
  z
    .object({
      ...base,
      type: z.literal("tool_call_finished"),
      id: z.string(),
      name: z.string(),
      output: z.string(),
      is_error: z.boolean(),
      duration_ms: z.number(),
      truncated: z.boolean().optional(),
    })
    .loose(),
  z
    .object({ ...base, type: z.literal("turn_completed"), turn: z.number().int(), usage: usageSchema })
    .loose(),
  z
    .object({
      ...base,
      type: z.literal("question"),
      id: z.string(),
      text: z.string(),
      options: z.array(z.string()).optional(),
    })
    .loose(),
  z
    .object({
      ...base,
      type: z.literal("session_finished"),
      status: z.enum(["success", "error", "aborted", "max_turns"]),
      summary: z.string(),
      usage: usageSchema,
      turns: z.number().int(),
      duration_ms: z.number(),
    })
    .loose(),
  z.object({ ...base, type: z.literal("error"), message: z.string(), fatal: z.boolean().optional() }).loose(),
]);

export type AgentEvent = z.infer<typeof agentEventSchema>;
export type AgentEventType = AgentEvent["type"];
export type AgentUsage = z.infer<typeof usageSchema>;
export type SessionStatus = Extract<AgentEvent, { type: "session_finished" }>["status"];

/** An event as emitted, before the envelope (`v`, `ts`, `session`) is added. */
export type AgentEventBody = AgentEvent extends infer E
  ? E extends AgentEvent
    ? Omit<E, "v" | "ts" | "session">
    : never
  : never;

/** An event of a type this reader does not know: kept, so it can be stored and passed on. */
export interface UnknownAgentEvent {
  v: number;
  type: string;
  ts?: string;
  session?: string;
  [field: string]: unknown;
}

export function emptyUsage(): AgentUsage {
  return { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
}

export function addUsage(total: AgentUsage, more: Partial<AgentUsage>): AgentUsage {
  return {
    input_tokens: total.input_tokens + (more.input_tokens ?? 0),
    output_tokens: total.output_tokens + (more.output_tokens ?? 0),
    cache_read_input_tokens: total.cache_read_input_tokens + (more.cache_read_input_tokens ?? 0),
    cache_creation_input_tokens: total.cache_creation_input_tokens + (more.cache_creation_input_tokens ?? 0),
  };
}

/** `body` in its envelope: the protocol version, the time now and the session it belongs to. */
export function agentEvent(session: string, body: AgentEventBody): AgentEvent {
  return { v: AGENT_EVENT_VERSION, ts: new Date().toISOString(), session, ...body } as AgentEvent;
}

export function encodeAgentEvent(event: AgentEvent | UnknownAgentEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/**
 * Parses one JSONL line. Known types are validated (a malformed one gives undefined); unknown
 * types are returned as they are; lines that are not events (blank, not JSON, no `type`) give
 * undefined.
 */
export function parseAgentEvent(line: string): AgentEvent | UnknownAgentEvent | undefined {
  if (line.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || typeof (value as { type?: unknown }).type !== "string") {
    return undefined;
  }
  const event = value as UnknownAgentEvent;
  if (!KNOWN_TYPES.has(event.type))
    return { ...event, v: typeof event.v === "number" ? event.v : AGENT_EVENT_VERSION };
  const parsed = agentEventSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const KNOWN_TYPES = new Set<string>(agentEventSchema.options.map((option) => option.shape.type.value));

export function isKnownAgentEvent(event: AgentEvent | UnknownAgentEvent): event is AgentEvent {
  return KNOWN_TYPES.has(event.type);
}
