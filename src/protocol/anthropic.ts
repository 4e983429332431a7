/**
 * The Anthropic Messages API as grove receives it. The request schema is the validation
 * boundary: anything that passes it is safe for the translators to read without checks.
 * Unknown fields are tolerated (clients add betas all the time) but never forwarded.
 */
import { z } from "zod";

const cacheControl = z.object({ type: z.string() }).loose().optional();

export const textBlockSchema = z
  .object({ type: z.literal("text"), text: z.string(), cache_control: cacheControl })
  .loose();

const imageSourceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("base64"), media_type: z.string(), data: z.string() }).loose(),
  z.object({ type: z.literal("url"), url: z.string() }).loose(),
]);

export const imageBlockSchema = z
  .object({ type: z.literal("image"), source: imageSourceSchema, cache_control: cacheControl })
  .loose();

const documentBlockSchema = z
  .object({
    type: z.literal("document"),
    source: z
      .object({
        type: z.string(),
        media_type: z.string().optional(),
        data: z.string().optional(),
        url: z.string().optional(),
      })
      .loose(),
    title: z.string().nullish(),
  })
  .loose();

const toolResultContentSchema = z.union([
  z.string(),
  z.array(z.union([textBlockSchema, imageBlockSchema, documentBlockSchema])),
]);

export const toolUseBlockSchema = z
  .object({
    type: z.literal("tool_use"),
    id: z.string(),
    name: z.string(),
    input: z.unknown(),
    cache_control: cacheControl,
  })
  .loose();

export const toolResultBlockSchema = z
  .object({
    type: z.literal("tool_result"),
    tool_use_id: z.string(),
    content: toolResultContentSchema.optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControl,
  })
  .loose();

export const thinkingBlockSchema = z
  .object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() })
  .loose();

const redactedThinkingBlockSchema = z
  .object({ type: z.literal("redacted_thinking"), data: z.string() })
  .loose();

/** Server tools and other block kinds grove does not translate; kept so a request never 400s on them. */
const otherBlockSchema = z
  .object({ type: z.string() })
  .loose()
  .refine(
    (block) =>
      !["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"].includes(
        block.type,
      ),
    { message: "malformed content block" },
  );

export const contentBlockSchema = z.union([
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  otherBlockSchema,
]);

export const messageSchema = z
  .object({
    role: z.enum(["user", "assistant", "system"]),
    content: z.union([z.string(), z.array(contentBlockSchema)]),
  })
  .loose();

export const toolSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
    type: z.string().nullish(),
  })
  .loose();

export const toolChoiceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("none") }).loose(),
  z
    .object({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() })
    .loose(),
]);

export const thinkingConfigSchema = z
  .object({
    type: z.enum(["enabled", "disabled", "adaptive"]),
    budget_tokens: z.number().int().optional(),
  })
  .loose();

export const messagesRequestSchema = z
  .object({
    model: z.string().min(1, "model must be a non-empty string"),
    messages: z.array(messageSchema),
    max_tokens: z.number().int().positive(),
    system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    stream: z.boolean().optional(),
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    top_k: z.number().int().optional(),
    stop_sequences: z.array(z.string()).optional(),
    metadata: z.object({ user_id: z.string().nullish() }).loose().optional(),
    thinking: thinkingConfigSchema.optional(),
    output_config: z
      .object({
        effort: z.string().optional(),
        format: z.object({ type: z.string(), schema: z.unknown().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    context_management: z.unknown().optional(),
  })
  .loose();

export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true }).extend({
  max_tokens: z.number().int().positive().optional(),
});

export type TextBlock = z.infer<typeof textBlockSchema>;
export type ImageBlock = z.infer<typeof imageBlockSchema>;
export type ToolUseBlock = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;
export type ContentBlock = z.infer<typeof contentBlockSchema>;
export type AnthropicMessage = z.infer<typeof messageSchema>;
export type AnthropicTool = z.infer<typeof toolSchema>;
export type AnthropicToolChoice = z.infer<typeof toolChoiceSchema>;
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type ResponseContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface MessagesResponse {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ResponseContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error";

export interface AnthropicErrorBody {
  type: "error";
  error: { type: AnthropicErrorType; message: string };
}
