/**
 * The parts of a Responses request that routing looks at, in the shape `selectRoute` reads:
 * the model, whether reasoning was asked for (the `think` route) and whether the newest user
 * turn or tool result carries an image (the `image` route).
 */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ContentPart, ResponsesRequest } from "./request-schema.js";
import { requestedEffort } from "./requested-effort.js";

export function routingView(
  request: ResponsesRequest,
): Pick<MessagesRequest, "model" | "thinking" | "messages"> {
  const effort = requestedEffort(request);
  return {
    model: request.model,
    ...(effort && effort !== "off" ? { thinking: { type: "enabled" as const } } : {}),
    messages: latestUserSideHasImage(request)
      ? [{ role: "user", content: [{ type: "image", source: { type: "url", url: "" } }] }]
      : [],
  };
}

function latestUserSideHasImage(request: ResponsesRequest): boolean {
  if (!Array.isArray(request.input)) return false;
  for (let i = request.input.length - 1; i >= 0; i--) {
    const item = request.input[i]! as { type?: string; role?: string; content?: unknown; output?: unknown };
    const type = item.type ?? "message";
    if (type === "message" && item.role === "user") return hasImage(item.content);
    if (type === "function_call_output" || type === "custom_tool_call_output") {
      if (hasImage(item.output)) return true;
      continue;
    }
    if (type === "message" && item.role === "assistant") return false;
  }
  return false;
}

function hasImage(content: unknown): boolean {
  return Array.isArray(content) && (content as ContentPart[]).some((part) => part.type === "input_image");
}
