/**
 * One validated Anthropic request + the target's compat record → one Chat Completions request.
 * Claude-only fields (`output_config`, `context_management`, betas, `cache_control`) are mapped
 * or dropped here and never forwarded blindly.
 */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ChatRequest } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { convertMessages } from "./convert-messages.js";
import { mapReasoning } from "./map-reasoning.js";
import { prepareTools } from "./prepare-tools.js";
import { sanitizeJsonSchema } from "./sanitize-json-schema.js";
import { createToolNameMap, type ToolNameMap } from "./tool-names.js";

export interface BuiltChatRequest {
  body: ChatRequest;
  toolNames: ToolNameMap;
  droppedTools: string[];
}

export function buildChatRequest(
  request: MessagesRequest,
  upstreamModel: string,
  compat: CompatRecord,
): BuiltChatRequest {
  const toolNames = createToolNameMap(collectToolNames(request), compat.maxToolNameLength);
  const body: ChatRequest = {
    model: upstreamModel,
    messages: convertMessages(request.system, request.messages, { compat, toolNames }),
  };
  const maxTokens = Math.min(request.max_tokens, compat.maxOutputTokens ?? Number.POSITIVE_INFINITY);
  body[compat.maxTokensField] = maxTokens;

  if (request.stream) {
    body.stream = true;
    if (compat.streamUsage) body.stream_options = { include_usage: true };
  }
  if (compat.samplingParams) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.top_p !== undefined) body.top_p = request.top_p;
  }
  if (compat.topK && request.top_k !== undefined) body.top_k = request.top_k;
  if (request.stop_sequences && request.stop_sequences.length > 0) body.stop = request.stop_sequences;

  const user = upstreamUser(request.metadata?.user_id, compat.maxUserLength);
  if (user) body.user = user;

  const tools = prepareTools(request.tools, request.tool_choice, compat, toolNames);
  Object.assign(body, tools.fields, mapReasoning(request, compat));

  const format = request.output_config?.format;
  if (format?.type === "json_schema" && compat.responseFormat !== "none") {
    body.response_format =
      compat.responseFormat === "json_schema"
        ? {
            type: "json_schema",
            json_schema: { name: "output", schema: sanitizeJsonSchema(format.schema, compat.schemaDialect) },
          }
        : { type: "json_object" };
  }
  return { body, toolNames, droppedTools: tools.dropped };
}

function collectToolNames(request: MessagesRequest): string[] {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) names.add(tool.name);
  for (const message of request.messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use") names.add((block as { name: string }).name);
    }
  }
  return [...names];
}

/**
 * Claude Code's `user_id` is a JSON string (device, account, session) far longer than OpenAI's
 * limit; the session id is the useful, stable part.
 */
export function upstreamUser(userId: string | null | undefined, maxLength: number): string | undefined {
  if (!userId || maxLength <= 0) return undefined;
  let value = userId;
  if (userId.startsWith("{")) {
    try {
      const parsed = JSON.parse(userId) as Record<string, unknown>;
      const picked = [parsed.session_id, parsed.device_id].find((id) => typeof id === "string" && id !== "");
      if (typeof picked === "string") value = picked;
    } catch {
      // Not JSON after all: use it as it is.
    }
  }
  return value.slice(0, maxLength);
}
