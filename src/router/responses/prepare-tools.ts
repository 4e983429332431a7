/**
 * The flattened tool table, `tool_choice` and `parallel_tool_calls` → Chat Completions fields.
 * Function tools keep their schema (cleaned for the backend's dialect); custom tools become a
 * function with one string parameter.
 */
import type { ChatRequest, ChatTool, ChatToolChoice } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { sanitizeJsonSchema } from "../translate/sanitize-json-schema.js";
import { customToolDescription, customToolParameters } from "./custom-tools.js";
import type { ResponsesRequest, ToolChoice } from "./request-schema.js";
import type { ToolEntry, ToolTable } from "./tool-table.js";

export type ChatToolFields = Pick<ChatRequest, "tools" | "tool_choice" | "parallel_tool_calls">;

export function prepareChatTools(
  table: ToolTable,
  request: Pick<ResponsesRequest, "tool_choice" | "parallel_tool_calls">,
  compat: CompatRecord,
): ChatToolFields {
  const choice = resolveToolChoice(request.tool_choice, table);
  const entries = choice.only ? table.entries.filter((entry) => choice.only?.has(entry)) : table.entries;
  const fields: ChatToolFields = {};
  if (entries.length === 0) return fields;
  fields.tools = entries.map((entry) => chatTool(entry, compat));
  if (choice.choice) fields.tool_choice = choice.choice;
  if (request.parallel_tool_calls === false && compat.parallelToolCalls) fields.parallel_tool_calls = false;
  return fields;
}

export function chatTool(entry: ToolEntry, compat: CompatRecord): ChatTool {
  const custom = entry.kind === "custom";
  const fn: ChatTool["function"] = {
    name: entry.upstreamName,
    parameters: custom
      ? customToolParameters(entry.format)
      : sanitizeJsonSchema(entry.parameters, compat.schemaDialect),
  };
  const description = custom ? customToolDescription(entry.description) : entry.description;
  if (description) fn.description = description;
  return { type: "function", function: fn };
}

export interface ResolvedToolChoice {
  choice?: ChatToolChoice;
  /** `allowed_tools`: only these may be offered. */
  only?: Set<ToolEntry>;
}

/**
 * `auto`, `none`, `required` pass through; a named function or custom tool is forced by its
 * upstream name; `allowed_tools` narrows the list. A choice that names a hosted tool (dropped)
 * falls back to the default.
 */
export function resolveToolChoice(
  choice: ToolChoice | null | undefined,
  table: ToolTable,
): ResolvedToolChoice {
  if (!choice) return {};
  if (typeof choice === "string") return { choice };
  if ((choice.type === "function" || choice.type === "custom") && choice.name) {
    const entry = findEntry(table, choice.name);
    return entry ? { choice: { type: "function", function: { name: entry.upstreamName } } } : {};
  }
  if (choice.type === "allowed_tools") {
    const only = new Set<ToolEntry>();
    for (const tool of choice.tools ?? []) {
      const entry = tool.name ? findEntry(table, tool.name) : undefined;
      if (entry) only.add(entry);
    }
    return { choice: choice.mode === "required" ? "required" : "auto", only };
  }
  return {};
}

function findEntry(table: ToolTable, name: string): ToolEntry | undefined {
  return table.entries.find((entry) => entry.name === name);
}
