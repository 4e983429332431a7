/**
 * A scripted model: an ordered list of replies, each optionally guarded by a matcher on the
 * incoming (already translated) Chat Completions request. Used for tests, demos and CI.
 */
import { z } from "zod";

export const scriptMatcherSchema = z
  .object({
    lastToolResultContains: z
      .string()
      .describe("The newest tool result contains this text (any case, as all *Contains)."),
    lastUserContains: z.string().describe("The newest user message contains this text."),
    systemContains: z.string().describe("A system message contains this text."),
    anyMessageContains: z.string().describe("Any message contains this text."),
    hasTool: z.string().describe("A tool with this name is offered."),
    model: z.string().describe("The upstream model name equals this."),
    turn: z.number().int().min(0).describe("The number of assistant turns so far equals this."),
  })
  .partial()
  .strict();

const toolCallSchema = z
  .object({
    name: z.string().min(1),
    arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
    id: z.string().optional(),
  })
  .strict();

export const scriptReplySchema = z
  .object({
    when: scriptMatcherSchema.optional(),
    repeat: z.boolean().optional().describe("Serve any number of matching requests instead of one."),
    text: z.string().optional(),
    reasoning: z.string().optional(),
    toolCalls: z.array(toolCallSchema).optional(),
    usage: z
      .object({
        input: z.number().int().min(0),
        output: z.number().int().min(0),
        cached: z.number().int().min(0),
      })
      .partial()
      .strict()
      .optional(),
    finishReason: z.string().optional(),
    status: z.number().int().min(400).max(599).optional().describe("Answer with this HTTP error status."),
    error: z.string().optional().describe("The error message for `status` (default status 500)."),
    headers: z.record(z.string(), z.string()).optional(),
    delayMs: z.number().int().min(0).optional().describe("Wait before answering."),
    chunkDelayMs: z.number().int().min(0).optional().describe("Wait between streamed chunks."),
    chunkSize: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Characters per streamed text chunk (default 16)."),
    cutAfterChunks: z.number().int().min(0).optional().describe("Break the stream after this many chunks."),
  })
  .strict();

export const scriptSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    replies: z.array(scriptReplySchema).min(1),
  })
  .strict();

export type Script = z.output<typeof scriptSchema>;
export type ScriptReply = z.output<typeof scriptReplySchema>;
export type ScriptMatcher = z.output<typeof scriptMatcherSchema>;
