/**
 * Folds a streamed Chat Completions reply into one completion, for upstreams that answer a
 * non-streaming request with SSE anyway (CCR #454).
 */
import type { ChatChunk, ChatCompletion, ChatToolCall } from "../../protocol/openai-chat.js";
import { readSseEvents, UPSTREAM_FAILURE_EVENT } from "./sse-parse-stream.js";
import { ToolCallAccumulator } from "./tool-call-accumulator.js";

export async function collectChatStream(body: ReadableStream<Uint8Array>): Promise<ChatCompletion> {
  let content = "";
  const tools = new ToolCallAccumulator();
  let reasoning = "";
  let finishReason: string | null = null;
  let stopReason: string | number | null = null;
  const completion: ChatCompletion = {};
  const reader = readSseEvents(body).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const event of value) {
      if (event.event === UPSTREAM_FAILURE_EVENT)
        return { error: { message: `upstream failed: ${event.data}` } };
      if (event.data === "[DONE]") continue;
      let chunk: ChatChunk;
      try {
        chunk = JSON.parse(event.data) as ChatChunk;
      } catch {
        return { error: { message: `upstream sent a malformed stream event: ${event.data.slice(0, 200)}` } };
      }
      if (chunk.error) return { error: chunk.error };
      if (chunk.usage) completion.usage = chunk.usage;
      completion.id ??= chunk.id;
      completion.model ??= chunk.model;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta ?? {};
      content += (delta.content ?? "") + (delta.refusal ?? "");
      reasoning += delta.reasoning_content ?? delta.reasoning ?? "";
      if (delta.tool_calls) tools.add(delta.tool_calls);
      if (choice.finish_reason) finishReason = choice.finish_reason;
      if (choice.stop_reason !== undefined && choice.stop_reason !== null) stopReason = choice.stop_reason;
    }
  }
  const toolCalls: ChatToolCall[] = tools.drain().map((call) => ({
    id: call.id ?? "",
    type: "function",
    function: { name: call.name, arguments: call.args },
  }));
  completion.choices = [
    {
      index: 0,
      message: {
        role: "assistant",
        content: content || null,
        reasoning_content: reasoning || null,
        tool_calls: toolCalls.length > 0 ? toolCalls : null,
      },
      finish_reason: finishReason,
      stop_reason: stopReason,
    },
  ];
  return completion;
}
