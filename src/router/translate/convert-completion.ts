/**
 * Non-streaming Chat Completion → Anthropic message. Block order is thinking, text, tool_use
 * (thinking must come first), and content is never empty.
 */
import type { MessagesResponse, ResponseContentBlock } from "../../protocol/anthropic.js";
import type { ChatCompletion } from "../../protocol/openai-chat.js";
import { mapStopReason } from "./map-stop-reason.js";
import { mapUsage } from "./map-usage.js";
import { parseToolArguments } from "./repair-tool-arguments.js";
import { UNSIGNED_THINKING_SIGNATURE } from "./thinking-signature.js";
import { sanitizeToolId } from "./tool-ids.js";
import type { ToolNameMap } from "./tool-names.js";

export interface ConvertCompletionOptions {
  messageId: string;
  clientModel: string;
  toolNames: ToolNameMap;
}

/** Returns the message, or an error string when the upstream reported one inside a 200. */
export function convertCompletion(
  completion: ChatCompletion,
  options: ConvertCompletionOptions,
): MessagesResponse | { error: string } {
  if (completion.error) return { error: completion.error.message ?? "upstream reported an error" };
  const choice = completion.choices?.[0];
  if (choice?.finish_reason === "error") return { error: "the upstream model stopped with an error" };
  const message = choice?.message;
  const content: ResponseContentBlock[] = [];
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  if (reasoning)
    content.push({ type: "thinking", thinking: reasoning, signature: UNSIGNED_THINKING_SIGNATURE });
  if (message?.content) content.push({ type: "text", text: message.content });
  if (message?.refusal) content.push({ type: "text", text: message.refusal });
  const toolCalls = message?.tool_calls ?? [];
  for (const call of toolCalls) {
    content.push({
      type: "tool_use",
      id: sanitizeToolId(call.id),
      name: options.toolNames.toClient(call.function?.name ?? ""),
      input: parseToolArguments(call.function?.arguments ?? "").input,
    });
  }
  if (content.length === 0) content.push({ type: "text", text: "" });
  const stop = mapStopReason(choice?.finish_reason, toolCalls.length > 0, choice?.stop_reason);
  return {
    id: options.messageId,
    type: "message",
    role: "assistant",
    model: options.clientModel,
    content,
    stop_reason: stop.stopReason,
    stop_sequence: stop.stopSequence,
    usage: mapUsage(completion.usage),
  };
}
