/**
 * The OpenAI Responses API request as the router receives it (`POST /v1/responses`). This
 * schema is the validation boundary: anything that passes it is safe for the translators to
 * read. Unknown fields are tolerated (clients add them all the time) but never forwarded.
 */
import { z } from "zod";

const KNOWN_PART_TYPES = [
  "input_text",
  "output_text",
  "summary_text",
  "reasoning_text",
  "input_image",
  "input_file",
  "refusal",
];

const textPartSchema = z
  .object({ type: z.enum(["input_text", "output_text", "summary_text", "reasoning_text"]), text: z.string() })
  .loose();

const imagePartSchema = z
  .object({
    type: z.literal("input_image"),
    image_url: z.string().nullish(),
    file_id: z.string().nullish(),
    detail: z.string().nullish(),
  })
  .loose();

const filePartSchema = z
  .object({
    type: z.literal("input_file"),
    file_data: z.string().nullish(),
    file_url: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  })
  .loose();

const refusalPartSchema = z.object({ type: z.literal("refusal"), refusal: z.string() }).loose();

/** Audio and other part kinds a chat model cannot take; kept so a request never 400s on them. */
const otherPartSchema = z
  .object({ type: z.string() })
  .loose()
  .refine((part) => !KNOWN_PART_TYPES.includes(part.type), { message: "malformed content part" });

export const contentPartSchema = z.union([
  textPartSchema,
  imagePartSchema,
  filePartSchema,
  refusalPartSchema,
  otherPartSchema,
]);

const contentSchema = z.union([z.string(), z.array(contentPartSchema)]);

export const messageItemSchema = z
  .object({
    type: z.literal("message").optional(),
    role: z.enum(["user", "assistant", "system", "developer"]),
    content: contentSchema,
  })
  .loose();

export const functionCallItemSchema = z
  .object({
    type: z.literal("function_call"),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    namespace: z.string().nullish(),
  })
  .loose();

export const customToolCallItemSchema = z
  .object({
    type: z.literal("custom_tool_call"),
    call_id: z.string(),
    name: z.string(),
    input: z.string(),
    namespace: z.string().nullish(),
  })
  .loose();

export const toolOutputItemSchema = z
  .object({
    type: z.enum(["function_call_output", "custom_tool_call_output"]),
    call_id: z.string(),
    output: contentSchema,
  })
  .loose();

const reasoningTextSchema = z.object({ type: z.string(), text: z.string() }).loose();

export const reasoningItemSchema = z
  .object({
    type: z.literal("reasoning"),
    summary: z.array(reasoningTextSchema).nullish(),
    content: z.array(reasoningTextSchema).nullish(),
    encrypted_content: z.string().nullish(),
  })
  .loose();

// ---- tools ----

export const functionToolSchema = z
  .object({
    type: z.literal("function"),
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  })
  .loose();

export const customToolFormatSchema = z
  .object({ type: z.string(), syntax: z.string().nullish(), definition: z.string().nullish() })
  .loose();

export const customToolSchema = z
  .object({
    type: z.literal("custom"),
    name: z.string().min(1),
    description: z.string().nullish(),
    format: customToolFormatSchema.nullish(),
  })
  .loose();

/** Hosted tools (`web_search`, `tool_search`, `file_search`, …): OpenAI runs them, a chat model cannot. */
const hostedToolSchema = z
  .object({ type: z.string(), name: z.string().nullish() })
  .loose()
  .refine((tool) => !["function", "custom", "namespace"].includes(tool.type), {
    message: "malformed tool",
  });

const namespacedToolSchema = z.union([functionToolSchema, customToolSchema, hostedToolSchema]);

export const namespaceToolSchema = z
  .object({
    type: z.literal("namespace"),
    name: z.string().min(1),
    description: z.string().nullish(),
    tools: z.array(namespacedToolSchema),
  })
  .loose();

export const toolSchema = z.union([
  functionToolSchema,
  customToolSchema,
  namespaceToolSchema,
  hostedToolSchema,
]);

/** Codex's "responses lite" models carry their tools in an input item instead of `tools`. */
export const additionalToolsItemSchema = z
  .object({ type: z.literal("additional_tools"), tools: z.array(toolSchema) })
  .loose();

const KNOWN_ITEM_TYPES = [
  "message",
  "function_call",
  "custom_tool_call",
  "function_call_output",
  "custom_tool_call_output",
  "reasoning",
  "additional_tools",
];

/** Hosted-tool calls, compaction and other items with nothing a chat model can use. */
const otherItemSchema = z
  .object({ type: z.string() })
  .loose()
  .refine((item) => !KNOWN_ITEM_TYPES.includes(item.type), { message: "malformed input item" });

export const inputItemSchema = z.union([
  messageItemSchema,
  functionCallItemSchema,
  customToolCallItemSchema,
  toolOutputItemSchema,
  reasoningItemSchema,
  additionalToolsItemSchema,
  otherItemSchema,
]);

export const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z
    .object({
      type: z.string(),
      name: z.string().nullish(),
      mode: z.string().nullish(),
      tools: z.array(z.object({ type: z.string(), name: z.string().nullish() }).loose()).nullish(),
    })
    .loose(),
]);

export const textFormatSchema = z
  .object({
    type: z.string(),
    name: z.string().nullish(),
    schema: z.unknown().optional(),
    strict: z.boolean().nullish(),
  })
  .loose();

export const responsesRequestSchema = z
  .object({
    model: z.string().min(1, "model must be a non-empty string"),
    input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
    instructions: z.string().nullish(),
    tools: z.array(toolSchema).nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    reasoning: z.object({ effort: z.string().nullish(), summary: z.string().nullish() }).loose().nullish(),
    text: z.object({ format: textFormatSchema.nullish(), verbosity: z.string().nullish() }).loose().nullish(),
    stream: z.boolean().nullish(),
    // Accepted, and deliberately not forwarded: the router keeps no state and calls chat backends.
    store: z.boolean().nullish(),
    include: z.array(z.string()).nullish(),
    prompt_cache_key: z.string().nullish(),
    client_metadata: z.record(z.string(), z.unknown()).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    previous_response_id: z.string().nullish(),
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
  })
  .loose();

export type ContentPart = z.infer<typeof contentPartSchema>;
export type InputItem = z.infer<typeof inputItemSchema>;
export type MessageItem = z.infer<typeof messageItemSchema>;
export type ReasoningItem = z.infer<typeof reasoningItemSchema>;
export type ResponsesTool = z.infer<typeof toolSchema>;
export type FunctionTool = z.infer<typeof functionToolSchema>;
export type CustomTool = z.infer<typeof customToolSchema>;
export type CustomToolFormat = z.infer<typeof customToolFormatSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
