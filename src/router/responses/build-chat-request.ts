/**
 * One validated Responses request + the target's compat record → one Chat Completions request.
 * `store`, `include`, `prompt_cache_key`, `client_metadata`, `metadata` and `text.verbosity`
 * are Responses-only and never forwarded; `reasoning.effort` goes through the compat record.
 */
import type { ChatRequest } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { upstreamUser } from "../translate/build-chat-request.js";
import { mapReasoningEffort } from "../translate/map-reasoning.js";
import { sanitizeJsonSchema } from "../translate/sanitize-json-schema.js";
import { convertInput } from "./convert-input.js";
import { prepareChatTools } from "./prepare-tools.js";
import { renderChatMessages } from "./render-chat-messages.js";
import type { ResponsesRequest } from "./request-schema.js";
import { requestTools } from "./request-tools.js";
import { requestedEffort } from "./requested-effort.js";
import { buildToolTable, type ToolTable } from "./tool-table.js";

export interface BuiltResponsesChatRequest {
  body: ChatRequest;
  tools: ToolTable;
}

export function buildResponsesChatRequest(
  request: ResponsesRequest,
  upstreamModel: string,
  compat: CompatRecord,
): BuiltResponsesChatRequest {
  const tools = buildToolTable(requestTools(request), compat.maxToolNameLength);
  const body: ChatRequest = {
    model: upstreamModel,
    messages: renderChatMessages(convertInput(request), { compat, tools }),
  };
  if (request.max_output_tokens) {
    body[compat.maxTokensField] = Math.min(
      request.max_output_tokens,
      compat.maxOutputTokens ?? Number.POSITIVE_INFINITY,
    );
  }
  if (request.stream) {
    body.stream = true;
    if (compat.streamUsage) body.stream_options = { include_usage: true };
  }
  if (compat.samplingParams) {
    if (typeof request.temperature === "number") body.temperature = request.temperature;
    if (typeof request.top_p === "number") body.top_p = request.top_p;
  }
  const user = upstreamUser(request.safety_identifier ?? request.user, compat.maxUserLength);
  if (user) body.user = user;
  Object.assign(
    body,
    prepareChatTools(tools, request, compat),
    mapReasoningEffort(requestedEffort(request), compat),
  );

  const format = request.text?.format;
  if (format && format.type !== "text" && compat.responseFormat !== "none") {
    if (format.type === "json_schema" && compat.responseFormat === "json_schema") {
      body.response_format = {
        type: "json_schema",
        json_schema: {
          name: format.name ?? "output",
          schema: sanitizeJsonSchema(format.schema, compat.schemaDialect),
          ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
        },
      };
    } else if (format.type === "json_schema" || format.type === "json_object") {
      body.response_format = { type: "json_object" };
    }
  }
  return { body, tools };
}
