/**
 * A whole Chat Completion → the Responses output, for non-streaming clients and for backends
 * that answer a streaming request with one JSON body. The completion is replayed through the
 * streaming translator as chunks, so both paths build exactly the same items.
 */
import type { ChatCompletion } from "../../protocol/openai-chat.js";
import type { ResponseObject } from "./response-object.js";
import {
  createResponsesTranslator,
  type ResponsesTranslatorOptions,
  type SourceChunk,
  type SourceDelta,
} from "./stream-translator.js";

/** The chunks a streaming backend would have sent for this completion. */
export function completionChunks(completion: ChatCompletion): SourceChunk[] {
  if (completion.error) return [{ error: completion.error }];
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const chunks: SourceChunk[] = [];
  const delta = (value: SourceDelta) => chunks.push({ choices: [{ index: 0, delta: value }] });
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  if (reasoning) delta({ reasoning_content: reasoning });
  if (message?.content) delta({ content: message.content });
  if (message?.refusal) delta({ refusal: message.refusal });
  const calls = message?.tool_calls ?? [];
  if (calls.length > 0) {
    delta({
      tool_calls: calls.map((call, index) => ({
        index,
        id: call.id,
        type: "function",
        function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
      })),
    });
  }
  chunks.push({
    choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? "stop" }],
    usage: completion.usage ?? {},
  });
  return chunks;
}

/** The final response object for these chunks; its `status` says whether it completed, was cut short or failed. */
export function convertChunks(
  chunks: readonly SourceChunk[],
  options: Omit<ResponsesTranslatorOptions, "onEnd">,
): ResponseObject {
  const translator = createResponsesTranslator(options);
  translator.pushChunks(chunks);
  translator.finish();
  return translator.response();
}

export function convertCompletion(
  completion: ChatCompletion,
  options: Omit<ResponsesTranslatorOptions, "onEnd">,
): ResponseObject {
  return convertChunks(completionChunks(completion), options);
}
