/** Building user turns for Chat Completions, shared by the Messages and Responses translators. */
import type { ChatContentPart, ChatMessage } from "../../protocol/openai-chat.js";

/** Text-only turns go as a plain string: some local servers reject content arrays. */
export function userMessage(parts: ChatContentPart[]): ChatMessage {
  if (parts.every((part) => part.type === "text")) {
    return { role: "user", content: parts.map((part) => (part as { text: string }).text).join("\n\n") };
  }
  return { role: "user", content: parts };
}

/** Adds text to the last user turn, or starts one, so turns keep alternating. */
export function appendUserText(out: ChatMessage[], text: string): void {
  const last = out[out.length - 1];
  if (last?.role === "user") {
    if (typeof last.content === "string") last.content = `${last.content}\n\n${text}`;
    else last.content.push({ type: "text", text });
    return;
  }
  out.push({ role: "user", content: text });
}
