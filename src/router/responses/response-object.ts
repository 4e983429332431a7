/**
 * The Responses API output as grove produces it: output items, usage and the response object
 * that `response.created`, `response.completed` and a non-streaming reply carry.
 */
import type { ChatUsage } from "../../protocol/openai-chat.js";
import { randomHex } from "../translate/tool-ids.js";

export interface OutputText {
  type: "output_text";
  text: string;
  annotations: unknown[];
}

export interface ReasoningText {
  type: "reasoning_text";
  text: string;
}

type ItemStatus = "in_progress" | "completed" | "incomplete";

export type OutputItem =
  | { type: "message"; id: string; status: ItemStatus; role: "assistant"; content: OutputText[] }
  | {
      type: "reasoning";
      id: string;
      status: ItemStatus;
      summary: { type: "summary_text"; text: string }[];
      content: ReasoningText[];
      encrypted_content?: string;
    }
  | {
      type: "function_call";
      id: string;
      status: ItemStatus;
      call_id: string;
      name: string;
      arguments: string;
      namespace?: string;
    }
  | {
      type: "custom_tool_call";
      id: string;
      status: ItemStatus;
      call_id: string;
      name: string;
      input: string;
      namespace?: string;
    };

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  model: string;
  output: OutputItem[];
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  usage: ResponsesUsage | null;
  [field: string]: unknown;
}

/** Request fields a response echoes back, as OpenAI's does; tools and input are left out. */
export function echoedFields(request: {
  instructions?: string | null;
  max_output_tokens?: number | null;
  parallel_tool_calls?: boolean | null;
  temperature?: number | null;
  top_p?: number | null;
  tool_choice?: unknown;
  metadata?: Record<string, unknown> | null;
}): Record<string, unknown> {
  return {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    tool_choice: request.tool_choice ?? "auto",
    metadata: request.metadata ?? {},
  };
}

/** Chat usage → Responses usage, where input_tokens includes cached tokens (as OpenAI reports it). */
export function responsesUsage(usage: ChatUsage | null | undefined): ResponsesUsage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens ?? 0,
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: input + output,
  };
}

export type ItemPrefix = "resp" | "msg" | "rs" | "fc" | "ctc";

/** `resp_`, `msg_`, `rs_`, `fc_` or `ctc_` + 24 random hex characters, as OpenAI's ids look. */
export function newItemId(prefix: ItemPrefix): string {
  return `${prefix}_${randomHex(12)}`;
}

const NUMERIC_ID = /^[0-9]+$/;

/** An upstream tool-call id as a `call_id`; missing or index-like ids (not unique across turns) get a fresh one. */
export function responseCallId(id: string | undefined | null): string {
  if (!id || id.trim() === "" || NUMERIC_ID.test(id)) return `call_${randomHex(12)}`;
  return id;
}
