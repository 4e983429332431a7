/**
 * Anthropic `system` + `messages[]` → Chat Completions `messages[]`.
 *
 * Ordering rules that the compared proxies get wrong:
 * - a user turn's tool_result blocks become `role:"tool"` messages *before* its text;
 * - images inside a tool_result move into a user message after the tool messages;
 * - a mid-conversation `role:"system"` message never splits an assistant's tool_calls
 *   from their results.
 */
import type {
  AnthropicMessage,
  ContentBlock,
  ImageBlock,
  MessagesRequest,
  ToolResultBlock,
} from "../../protocol/anthropic.js";
import type { ChatContentPart, ChatMessage, ChatToolCall } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { appendUserText, userMessage } from "./chat-user-message.js";
import type { ToolNameMap } from "./tool-names.js";

export interface ConvertMessagesOptions {
  compat: CompatRecord;
  toolNames: ToolNameMap;
}

/** Claude Code's attribution block changes every release; it is noise to other models and breaks caching. */
const BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";

export function convertSystem(system: MessagesRequest["system"]): string {
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return system
    .filter((block) => !block.text.startsWith(BILLING_HEADER_PREFIX))
    .map((block) => block.text)
    .join("\n\n");
}

export function convertMessages(
  system: MessagesRequest["system"],
  messages: readonly AnthropicMessage[],
  options: ConvertMessagesOptions,
): ChatMessage[] {
  const out: ChatMessage[] = [];
  const systemText = convertSystem(system);
  if (systemText) out.push({ role: "system", content: systemText });

  let pendingSystem: string[] = [];
  const flushPendingSystem = (intoUserParts?: ChatContentPart[]) => {
    if (pendingSystem.length === 0) return;
    const text = pendingSystem.join("\n\n");
    pendingSystem = [];
    if (options.compat.midConversationSystem === "system") {
      out.push({ role: "system", content: text });
    } else if (intoUserParts) {
      intoUserParts.unshift({ type: "text", text: `<system>\n${text}\n</system>` });
    } else {
      appendUserText(out, `<system>\n${text}\n</system>`);
    }
  };

  for (const message of messages) {
    if (message.role === "system") {
      const text = textOf(message.content);
      if (text) pendingSystem.push(text);
      continue;
    }
    if (message.role === "assistant") {
      flushPendingSystem();
      out.push(convertAssistant(message.content, options));
      continue;
    }
    convertUser(message.content, out, flushPendingSystem);
  }
  flushPendingSystem();
  return out;
}

function convertUser(
  content: AnthropicMessage["content"],
  out: ChatMessage[],
  flushPendingSystem: (intoUserParts?: ChatContentPart[]) => void,
): void {
  if (typeof content === "string") {
    const parts: ChatContentPart[] = [{ type: "text", text: content }];
    flushPendingSystem(parts);
    out.push(userMessage(parts));
    return;
  }
  const parts: ChatContentPart[] = [];
  const toolImages: ChatContentPart[] = [];
  for (const block of content) {
    switch (block.type) {
      case "tool_result": {
        const result = block as ToolResultBlock;
        out.push({
          role: "tool",
          tool_call_id: upstreamToolId(result.tool_use_id),
          content: toolResultText(result, toolImages),
        });
        break;
      }
      case "text":
        parts.push({ type: "text", text: (block as { text: string }).text });
        break;
      case "image":
        parts.push(imagePart(block as ImageBlock));
        break;
      case "document": {
        const part = documentPart(block);
        if (part) parts.push(part);
        break;
      }
      default:
        // thinking, server-tool results and unknown blocks carry nothing a chat model can use.
        break;
    }
  }
  const userParts = [...toolImages, ...parts];
  flushPendingSystem(userParts.length > 0 ? userParts : undefined);
  if (userParts.length > 0) out.push(userMessage(userParts));
}

function convertAssistant(
  content: AnthropicMessage["content"],
  options: ConvertMessagesOptions,
): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  let reasoning = "";
  const toolCalls: ChatToolCall[] = [];
  for (const block of content) {
    if (block.type === "text") text += (block as { text: string }).text;
    else if (block.type === "thinking") reasoning += (block as { thinking: string }).thinking;
    else if (block.type === "tool_use") {
      const use = block as { id: string; name: string; input: unknown };
      toolCalls.push({
        id: upstreamToolId(use.id),
        type: "function",
        function: {
          name: options.toolNames.toUpstream(use.name),
          arguments: JSON.stringify(use.input ?? {}),
        },
      });
    }
  }
  const message: ChatMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (options.compat.echoReasoningContent) message.reasoning_content = reasoning;
  return message;
}

function toolResultText(block: ToolResultBlock, images: ChatContentPart[]): string {
  let text = "";
  if (typeof block.content === "string") text = block.content;
  else if (block.content) {
    const texts: string[] = [];
    for (const part of block.content) {
      if (part.type === "text") texts.push((part as { text: string }).text);
      else if (part.type === "image") {
        images.push(imagePart(part as ImageBlock));
        texts.push(`[image ${images.length} attached below]`);
      } else {
        const document = documentPart(part as ContentBlock);
        if (document) images.push(document);
      }
    }
    text = texts.join("\n");
  }
  if (block.is_error) return text ? `Error: ${text}` : "Error: the tool failed without output.";
  // Several backends reject an empty tool message.
  return text === "" ? "(no output)" : text;
}

function imagePart(block: ImageBlock): ChatContentPart {
  const source = block.source;
  if (source.type === "url") return { type: "image_url", image_url: { url: source.url } };
  const data = source.data.startsWith("data:")
    ? source.data
    : `data:${source.media_type};base64,${source.data}`;
  return { type: "image_url", image_url: { url: data } };
}

function documentPart(block: ContentBlock): ChatContentPart | undefined {
  const source = (block as { source?: { type?: string; data?: string; media_type?: string; url?: string } })
    .source;
  const title = (block as { title?: string | null }).title ?? "document";
  if (!source) return undefined;
  if (source.type === "text" && source.data !== undefined) return { type: "text", text: source.data };
  if (source.type === "base64" && source.data !== undefined) {
    const mediaType = source.media_type ?? "application/pdf";
    return { type: "file", file: { filename: title, file_data: `data:${mediaType};base64,${source.data}` } };
  }
  if (source.type === "url" && source.url) return { type: "text", text: `[document: ${source.url}]` };
  return undefined;
}

function textOf(content: AnthropicMessage["content"]): string {
  if (typeof content === "string") return content;
  return content
    .filter((block) => block.type === "text")
    .map((block) => (block as { text: string }).text)
    .join("\n\n");
}

/** Ids in history were minted by grove or the client; only characters need fixing, deterministically. */
export function upstreamToolId(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : id.replace(/[^A-Za-z0-9_-]/g, "_");
}
