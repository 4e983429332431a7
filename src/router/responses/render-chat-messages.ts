/**
 * The neutral conversation → Chat Completions `messages[]`. Tool results go out as `role:"tool"`
 * messages, with any images they carried in one user message right after them; a custom
 * tool's call becomes a function call whose arguments wrap its raw input.
 */
import type { ChatContentPart, ChatMessage, ChatToolCall } from "../../protocol/openai-chat.js";
import type { CompatRecord } from "../compat/compat-record.js";
import { appendUserText, userMessage } from "../translate/chat-user-message.js";
import { upstreamToolId } from "../translate/convert-messages.js";
import type { AssistantTurn, Conversation, UserPart } from "./convert-input.js";
import { customToolArguments } from "./custom-tools.js";
import type { ToolTable } from "./tool-table.js";

export interface RenderChatOptions {
  compat: CompatRecord;
  tools: ToolTable;
}

export function renderChatMessages(conversation: Conversation, options: RenderChatOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (conversation.system) out.push({ role: "system", content: conversation.system });
  let heldSystem: string[] = [];
  let toolMedia: ChatContentPart[] = [];
  const flushToolMedia = () => {
    if (toolMedia.length > 0) out.push({ role: "user", content: toolMedia });
    toolMedia = [];
  };
  /** Mid-conversation system text for chat templates that take a system message only first. */
  const flushHeldSystem = () => {
    if (heldSystem.length === 0) return;
    appendUserText(out, asUserSystem(heldSystem));
    heldSystem = [];
  };

  for (const turn of conversation.turns) {
    if (turn.role !== "tool") flushToolMedia();
    switch (turn.role) {
      case "system":
        if (options.compat.midConversationSystem === "system")
          out.push({ role: "system", content: turn.text });
        else heldSystem.push(turn.text);
        break;
      case "user": {
        const parts = turn.parts.map(chatPart);
        if (heldSystem.length > 0) {
          parts.unshift({ type: "text", text: asUserSystem(heldSystem) });
          heldSystem = [];
        }
        out.push(userMessage(parts));
        break;
      }
      case "assistant": {
        flushHeldSystem();
        const message = assistantMessage(turn, options);
        if (message) out.push(message);
        break;
      }
      case "tool": {
        let text = turn.text;
        for (const part of turn.media) {
          toolMedia.push(chatPart(part));
          text += `\n[${part.type === "image" ? "image" : "file"} ${toolMedia.length} attached below]`;
        }
        out.push({ role: "tool", tool_call_id: upstreamToolId(turn.callId), content: text });
        break;
      }
    }
  }
  flushToolMedia();
  flushHeldSystem();
  return out;
}

function assistantMessage(turn: AssistantTurn, options: RenderChatOptions): ChatMessage | undefined {
  const reasoning = turn.reasoning.map((piece) => piece.text).join("");
  const echo = options.compat.echoReasoningContent;
  if (turn.text === "" && turn.calls.length === 0 && !(echo && reasoning)) return undefined;
  const toolCalls: ChatToolCall[] = turn.calls.map((call) => ({
    id: upstreamToolId(call.callId),
    type: "function",
    function: {
      name: options.tools.toUpstream(call.name, call.namespace),
      arguments:
        call.kind === "custom"
          ? customToolArguments(call.payload)
          : call.payload.trim() === ""
            ? "{}"
            : call.payload,
    },
  }));
  const message: ChatMessage = {
    role: "assistant",
    content: turn.text === "" && toolCalls.length > 0 ? null : turn.text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (echo) message.reasoning_content = reasoning;
  return message;
}

function chatPart(part: UserPart): ChatContentPart {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image":
      return { type: "image_url", image_url: { url: part.url } };
    case "file":
      return { type: "file", file: { filename: part.filename, file_data: part.data } };
  }
}

function asUserSystem(texts: string[]): string {
  return `<system>\n${texts.join("\n\n")}\n</system>`;
}
