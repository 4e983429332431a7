/** `reasoning.effort` → the effort grove's compat records understand. */
import { effortFromLabel, type ReasoningEffort } from "../translate/map-reasoning.js";
import type { ResponsesRequest } from "./request-schema.js";

/** `"off"` for `none`, undefined when the client said nothing; `minimal` and `xhigh` round to low and high. */
export function requestedEffort(
  request: Pick<ResponsesRequest, "reasoning">,
): ReasoningEffort | "off" | undefined {
  const effort = request.reasoning?.effort;
  if (!effort) return undefined;
  return effort === "none" ? "off" : effortFromLabel(effort);
}
