/**
 * A backend's quirks, as data. Translators read these fields instead of testing provider
 * names, so supporting a new backend means writing a record, not editing translators.
 */
export type ReasoningRequestStyle =
  /** Send nothing: the backend has no reasoning control (or always reasons). */
  | "none"
  /** OpenAI style: `reasoning_effort: "low" | "medium" | "high"`. */
  | "reasoning_effort"
  /** OpenRouter style: `reasoning: { effort }`; nothing when the client switches thinking off. */
  | "openrouter"
  /** DeepSeek v3.1+/GLM style: `thinking: { type: "enabled" | "disabled" }`. */
  | "thinking_toggle";

export type SchemaDialect =
  /** Forward JSON Schema as-is (minus `$schema`). */
  | "full"
  /** OpenAI strict-mode style: no `format`, `propertyNames`, numeric bounds beyond JS safe ints. */
  | "strict"
  /** Gemini's OpenAPI subset: no `additionalProperties`, `default`, `const`, most `format`s. */
  | "gemini";

export interface CompatRecord {
  /** Which request field carries the output limit. */
  maxTokensField: "max_tokens" | "max_completion_tokens";
  /** The model's output limit; `max_tokens` is clamped to it. */
  maxOutputTokens?: number;
  reasoning: ReasoningRequestStyle;
  /** DeepSeek thinking mode rejects assistant turns whose reasoning is not echoed back. */
  echoReasoningContent: boolean;
  schemaDialect: SchemaDialect;
  /** Whether `stream_options.include_usage` is understood. */
  streamUsage: boolean;
  /** Whether sampling parameters may be sent (o-series and gpt-5 reject `temperature`). */
  samplingParams: boolean;
  /** Whether the non-standard `top_k` may be sent. */
  topK: boolean;
  /** Whether `parallel_tool_calls` may be sent. */
  parallelToolCalls: boolean;
  /** Whether `response_format: json_schema` is understood; otherwise it degrades to `json_object` or nothing. */
  responseFormat: "json_schema" | "json_object" | "none";
  /** Longest accepted tool name. Longer names are shortened and restored. */
  maxToolNameLength: number;
  /** The longest `user` field accepted, or 0 to never send one. */
  maxUserLength: number;
  /**
   * Where a `role:"system"` message from inside `messages[]` goes: kept as a system message
   * (fine for hosted APIs), or merged into the neighbouring user turn, for chat templates
   * that accept a system message only at the start.
   */
  midConversationSystem: "system" | "user";
  /** Extra HTTP headers sent with every request. */
  headers: Record<string, string>;
}

export const defaultCompat: CompatRecord = {
  maxTokensField: "max_tokens",
  reasoning: "none",
  echoReasoningContent: false,
  schemaDialect: "full",
  streamUsage: true,
  samplingParams: true,
  topK: false,
  parallelToolCalls: true,
  responseFormat: "json_schema",
  maxToolNameLength: 64,
  maxUserLength: 64,
  midConversationSystem: "system",
  headers: {},
};
