/** Every tool a request offers: `tools`, plus those Codex's "responses lite" models carry in an `additional_tools` input item. */
import type { ResponsesRequest, ResponsesTool } from "./request-schema.js";

export function requestTools(request: Pick<ResponsesRequest, "tools" | "input">): ResponsesTool[] {
  const tools: ResponsesTool[] = [...(request.tools ?? [])];
  if (Array.isArray(request.input)) {
    for (const item of request.input) {
      if (item.type === "additional_tools") tools.push(...((item as { tools: ResponsesTool[] }).tools ?? []));
    }
  }
  return tools;
}
