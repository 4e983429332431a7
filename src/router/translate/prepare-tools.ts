/** Anthropic tools and tool_choice → Chat Completions tools, tool_choice and parallel_tool_calls. */
import type { AnthropicTool, AnthropicToolChoice } from "../../protocol/anthropic.js";
import type { ChatRequest, ChatTool } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { sanitizeJsonSchema } from "./sanitize-json-schema.js";
import type { ToolNameMap } from "./tool-names.js";

export interface PreparedTools {
  fields: Pick<ChatRequest, "tools" | "tool_choice" | "parallel_tool_calls">;
  /** Anthropic server tools (web_search, computer use, …) that a chat backend cannot run. */
  dropped: string[];
}

/** Client tools carry no type (or "custom"); typed ones are Anthropic-hosted and run server-side. */
export function isClientTool(tool: AnthropicTool): boolean {
  return tool.type === undefined || tool.type === null || tool.type === "custom";
}

export function prepareTools(
  tools: readonly AnthropicTool[] | undefined,
  toolChoice: AnthropicToolChoice | undefined,
  compat: CompatRecord,
  names: ToolNameMap,
): PreparedTools {
  const dropped: string[] = [];
  const chatTools: ChatTool[] = [];
  for (const tool of tools ?? []) {
    if (!isClientTool(tool)) {
      dropped.push(tool.name);
      continue;
    }
    const fn: ChatTool["function"] = {
      name: names.toUpstream(tool.name),
      parameters: sanitizeJsonSchema(tool.input_schema, compat.schemaDialect),
    };
    if (tool.description) fn.description = tool.description;
    chatTools.push({ type: "function", function: fn });
  }
  const fields: PreparedTools["fields"] = {};
  if (chatTools.length === 0) return { fields, dropped };
  fields.tools = chatTools;
  if (toolChoice) {
    switch (toolChoice.type) {
      case "auto":
        fields.tool_choice = "auto";
        break;
      case "any":
        fields.tool_choice = "required";
        break;
      case "none":
        fields.tool_choice = "none";
        break;
      case "tool":
        fields.tool_choice = { type: "function", function: { name: names.toUpstream(toolChoice.name) } };
        break;
    }
    if (
      "disable_parallel_tool_use" in toolChoice &&
      toolChoice.disable_parallel_tool_use &&
      compat.parallelToolCalls
    ) {
      fields.parallel_tool_calls = false;
    }
  }
  return { fields, dropped };
}
