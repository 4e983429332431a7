/**
 * Anthropic `thinking` / `output_config.effort` → the backend's reasoning control, chosen by
 * the compat record. Nothing is sent unless the client asked and the backend understands it:
 * sending `enabled:false` next to an effort switched DeepSeek thinking on unasked (CCR #1378).
 */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ChatRequest } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";

export type ReasoningEffort = "low" | "medium" | "high";

/** The effort the client asked for, `"off"` when it switched thinking off, or undefined when it said nothing. */
export function requestedEffort(request: MessagesRequest): ReasoningEffort | "off" | undefined {
  const thinking = request.thinking;
  if (!thinking) return undefined;
  if (thinking.type === "disabled") return "off";
  if (thinking.type === "enabled") return effortForBudget(thinking.budget_tokens ?? 8192);
  return effortFromLabel(request.output_config?.effort);
}

export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 1024) return "low";
  if (budget <= 8192) return "medium";
  return "high";
}

/** An effort label (Anthropic's `output_config.effort`, OpenAI's `reasoning.effort`) → low, medium or high. */
export function effortFromLabel(label: string | null | undefined): ReasoningEffort {
  switch (label) {
    case "low":
    case "minimal":
      return "low";
    case "high":
    case "xhigh":
    case "max":
      return "high";
    default:
      return "medium";
  }
}

export function mapReasoning(request: MessagesRequest, compat: CompatRecord): Partial<ChatRequest> {
  return mapReasoningEffort(requestedEffort(request), compat);
}

/** A requested effort (or `"off"`, or nothing) → the backend's reasoning fields. */
export function mapReasoningEffort(
  effort: ReasoningEffort | "off" | undefined,
  compat: CompatRecord,
): Partial<ChatRequest> {
  if (effort === undefined) return {};
  switch (compat.reasoning) {
    case "none":
      return {};
    case "reasoning_effort":
      return effort === "off" ? {} : { reasoning_effort: effort };
    case "openrouter":
      return effort === "off" ? {} : { reasoning: { effort } };
    case "thinking_toggle":
      return { thinking: { type: effort === "off" ? "disabled" : "enabled" } };
    default: {
      const unreachable: never = compat.reasoning;
      throw new Error(`unknown reasoning style ${String(unreachable)}`);
    }
  }
}
