/** Chat Completions `finish_reason` → Anthropic `stop_reason` (+ `stop_sequence` where vLLM reports it). */
import type { StopReason } from "../../protocol/anthropic.js";

export interface MappedStop {
  stopReason: StopReason;
  stopSequence: string | null;
}

export function mapStopReason(
  finishReason: string | null | undefined,
  hasToolCalls: boolean,
  matchedStop?: string | number | null,
): MappedStop {
  // Several backends say "stop" after tool calls; the client must still run the tools.
  if (hasToolCalls && finishReason !== "length" && finishReason !== "content_filter") {
    return { stopReason: "tool_use", stopSequence: null };
  }
  switch (finishReason) {
    case "length":
      return { stopReason: "max_tokens", stopSequence: null };
    case "tool_calls":
    case "function_call":
      return { stopReason: "tool_use", stopSequence: null };
    case "content_filter":
      return { stopReason: "refusal", stopSequence: null };
    case "stop":
      return typeof matchedStop === "string"
        ? { stopReason: "stop_sequence", stopSequence: matchedStop }
        : { stopReason: "end_turn", stopSequence: null };
    default:
      return { stopReason: "end_turn", stopSequence: null };
  }
}
