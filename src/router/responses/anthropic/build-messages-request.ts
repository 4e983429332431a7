/**
 * A Responses request → an Anthropic Messages request, so Codex can run on Claude through an
 * `anthropic` provider. It shares the input conversion and tool table with the chat path.
 *
 * - Thinking blocks travel in reasoning items' `encrypted_content` and come back signed.
 *   Extended thinking is switched off for a request that could not be valid with it: a forced
 *   tool choice, or a tool loop whose last assistant turn has no signed thinking block.
 * - Tool results of one turn go in one user message, before anything else in it.
 * - `text.format` is stated in the system prompt (structured output needs a beta flag).
 */
import type { AnthropicMessage, ContentBlock, MessagesRequest } from "../../../protocol/anthropic.js";
import { upstreamToolId } from "../../translate/convert-messages.js";
import type { ReasoningEffort } from "../../translate/map-reasoning.js";
import { parseToolArguments } from "../../translate/repair-tool-arguments.js";
import { sanitizeJsonSchema } from "../../translate/sanitize-json-schema.js";
import { type AssistantTurn, type Conversation, convertInput, type UserPart } from "../convert-input.js";
import { CUSTOM_INPUT_PARAMETER, customToolDescription, customToolParameters } from "../custom-tools.js";
import { resolveToolChoice } from "../prepare-tools.js";
import type { ResponsesRequest } from "../request-schema.js";
import { requestTools } from "../request-tools.js";
import { requestedEffort } from "../requested-effort.js";
import { buildToolTable, type ToolTable } from "../tool-table.js";

/** Anthropic requires `max_tokens`; Codex never sends one. Every current Claude model allows this many. */
export const DEFAULT_MAX_TOKENS = 32_000;
const MIN_THINKING_BUDGET = 1024;
const THINKING_BUDGET: Record<ReasoningEffort, number> = { low: 2048, medium: 8192, high: 24_576 };
const TOOL_NAME_LIMIT = 64;

export interface BuiltMessagesRequest {
  body: MessagesRequest;
  tools: ToolTable;
}

export function buildMessagesRequest(request: ResponsesRequest, upstreamModel: string): BuiltMessagesRequest {
  const tools = buildToolTable(requestTools(request), TOOL_NAME_LIMIT);
  const conversation = convertInput(request);
  const maxTokens = request.max_output_tokens ?? DEFAULT_MAX_TOKENS;
  const body: MessagesRequest = {
    model: upstreamModel,
    max_tokens: maxTokens,
    messages: renderMessages(conversation, tools),
  };
  const system = [conversation.system, formatInstruction(request)].filter(Boolean).join("\n\n");
  if (system) body.system = system;
  if (request.stream) body.stream = true;

  const choice = resolveToolChoice(request.tool_choice, tools);
  const offered = choice.only ? tools.entries.filter((entry) => choice.only?.has(entry)) : tools.entries;
  if (offered.length > 0) {
    body.tools = offered.map((entry) => ({
      name: entry.upstreamName,
      ...(entry.kind === "custom"
        ? {
            description: customToolDescription(entry.description),
            input_schema: customToolParameters(entry.format),
          }
        : {
            ...(entry.description ? { description: entry.description } : {}),
            input_schema: sanitizeJsonSchema(entry.parameters, "full"),
          }),
    }));
    const toolChoice = anthropicToolChoice(choice.choice);
    if (toolChoice || request.parallel_tool_calls === false) {
      body.tool_choice = {
        ...(toolChoice ?? { type: "auto" }),
        ...(request.parallel_tool_calls === false && toolChoice?.type !== "none"
          ? { disable_parallel_tool_use: true }
          : {}),
      } as MessagesRequest["tool_choice"];
    }
  }

  const budget = thinkingBudget(request, maxTokens);
  const forced = body.tool_choice?.type === "any" || body.tool_choice?.type === "tool";
  if (budget !== undefined && !forced && lastToolLoopIsSigned(conversation)) {
    body.thinking = { type: "enabled", budget_tokens: budget };
  } else {
    // Sampling parameters are only accepted without extended thinking.
    if (typeof request.temperature === "number") body.temperature = request.temperature;
    if (typeof request.top_p === "number") body.top_p = request.top_p;
  }
  return { body, tools };
}

function thinkingBudget(request: ResponsesRequest, maxTokens: number): number | undefined {
  const effort = requestedEffort(request);
  if (effort === undefined || effort === "off") return undefined;
  const budget = Math.min(THINKING_BUDGET[effort], maxTokens - 1);
  return budget >= MIN_THINKING_BUDGET ? budget : undefined;
}

/**
 * With thinking on, Anthropic requires the assistant turn that started a tool loop still in
 * progress to begin with a signed thinking block. Turns grove cannot sign (history from a chat
 * model) rule thinking out for this request.
 */
function lastToolLoopIsSigned(conversation: Conversation): boolean {
  const turns = conversation.turns;
  if (turns[turns.length - 1]?.role !== "tool") return true;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    if (turn.role === "assistant") return turn.reasoning.some((piece) => piece.signature || piece.redacted);
    if (turn.role === "user") return true;
  }
  return true;
}

function anthropicToolChoice(
  choice: ReturnType<typeof resolveToolChoice>["choice"],
): { type: "auto" | "any" | "none" } | { type: "tool"; name: string } | undefined {
  if (choice === undefined) return undefined;
  if (choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  return { type: "tool", name: choice.function.name };
}

function formatInstruction(request: ResponsesRequest): string {
  const format = request.text?.format;
  if (format?.type === "json_schema") {
    return `Answer with a single JSON value, and nothing else, that matches this JSON Schema:\n${JSON.stringify(format.schema)}`;
  }
  if (format?.type === "json_object") return "Answer with a single JSON object, and nothing else.";
  return "";
}

function renderMessages(conversation: Conversation, tools: ToolTable): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  let heldSystem: string[] = [];
  const userBlocks = (blocks: ContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === "user" && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role: "user", content: blocks });
  };
  const flushHeldSystem = () => {
    if (heldSystem.length === 0) return;
    userBlocks([{ type: "text", text: `<system>\n${heldSystem.join("\n\n")}\n</system>` }]);
    heldSystem = [];
  };
  for (const turn of conversation.turns) {
    switch (turn.role) {
      case "system":
        heldSystem.push(turn.text);
        break;
      case "user":
        flushHeldSystem();
        userBlocks(turn.parts.map(block));
        break;
      case "tool": {
        const media = turn.media.map(block);
        userBlocks([
          {
            type: "tool_result",
            tool_use_id: upstreamToolId(turn.callId),
            content: media.length > 0 ? [{ type: "text", text: turn.text }, ...media] : turn.text,
          } as ContentBlock,
        ]);
        break;
      }
      case "assistant": {
        flushHeldSystem();
        const content = assistantBlocks(turn, tools);
        if (content.length > 0) out.push({ role: "assistant", content });
        break;
      }
    }
  }
  flushHeldSystem();
  if (out[0]?.role === "assistant") out.unshift({ role: "user", content: "(continue)" });
  return out;
}

function assistantBlocks(turn: AssistantTurn, tools: ToolTable): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  // Only blocks Anthropic signed can go back; unsigned reasoning (from a chat model) cannot.
  for (const piece of turn.reasoning) {
    if (piece.redacted) blocks.push({ type: "redacted_thinking", data: piece.redacted });
    else if (piece.signature)
      blocks.push({ type: "thinking", thinking: piece.text, signature: piece.signature });
  }
  if (turn.text) blocks.push({ type: "text", text: turn.text });
  for (const call of turn.calls) {
    blocks.push({
      type: "tool_use",
      id: upstreamToolId(call.callId),
      name: tools.toUpstream(call.name, call.namespace),
      input:
        call.kind === "custom"
          ? { [CUSTOM_INPUT_PARAMETER]: call.payload }
          : parseToolArguments(call.payload).input,
    });
  }
  return blocks;
}

function block(part: UserPart): ContentBlock {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image": {
      const data = parseDataUrl(part.url);
      return data
        ? { type: "image", source: { type: "base64", media_type: data.mediaType, data: data.data } }
        : { type: "image", source: { type: "url", url: part.url } };
    }
    case "file": {
      const data = parseDataUrl(part.data);
      return data
        ? {
            type: "document",
            source: { type: "base64", media_type: data.mediaType, data: data.data },
            title: part.filename,
          }
        : { type: "text", text: `[file ${part.filename}]` };
    }
  }
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1]!, data: match[2]! } : undefined;
}
