/** Chooses the reply a script gives to one request. */
import type { ChatMessage, ChatRequest } from "../../protocol/openai-chat.js";
import type { Script, ScriptMatcher, ScriptReply } from "./script-schema.js";

export function contentText(message: ChatMessage | undefined): string {
  if (!message || message.content === null) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

function last(messages: ChatMessage[], role: ChatMessage["role"]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === role) return messages[i];
  return undefined;
}

/** "Contains" matchers ignore case: script authors should not have to guess a prompt's capitals. */
function has(text: string, needle: string): boolean {
  return text.toLowerCase().includes(needle.toLowerCase());
}

export function matches(matcher: ScriptMatcher | undefined, request: ChatRequest): boolean {
  if (!matcher) return true;
  const { messages } = request;
  if (matcher.lastToolResultContains !== undefined) {
    // Only the newest turn's results count: an older result must not re-trigger a reply.
    const lastAssistant = messages.findLastIndex((message) => message.role === "assistant");
    const results = messages.slice(lastAssistant + 1).filter((message) => message.role === "tool");
    if (!results.some((result) => has(contentText(result), matcher.lastToolResultContains!))) return false;
  }
  if (
    matcher.lastUserContains !== undefined &&
    !has(contentText(last(messages, "user")), matcher.lastUserContains)
  ) {
    return false;
  }
  if (
    matcher.systemContains !== undefined &&
    !messages.some(
      (message) => message.role === "system" && has(contentText(message), matcher.systemContains!),
    )
  ) {
    return false;
  }
  if (
    matcher.anyMessageContains !== undefined &&
    !messages.some((message) => has(contentText(message), matcher.anyMessageContains!))
  ) {
    return false;
  }
  if (
    matcher.hasTool !== undefined &&
    !(request.tools ?? []).some((tool) => tool.function.name === matcher.hasTool)
  ) {
    return false;
  }
  if (matcher.model !== undefined && request.model !== matcher.model) return false;
  if (matcher.turn !== undefined && messages.filter((m) => m.role === "assistant").length !== matcher.turn)
    return false;
  return true;
}

/** A script's position: replies are served in order, each once unless it repeats. */
export class ScriptCursor {
  private readonly used = new Set<number>();
  private served = 0;

  constructor(
    readonly name: string,
    private readonly script: Script,
  ) {}

  next(request: ChatRequest): { reply: ScriptReply } | { error: string } {
    this.served += 1;
    const requestLabel = `request ${this.served} (${describeRequest(request)})`;
    const replies = this.script.replies;
    const index = replies.findIndex((reply, i) => !this.used.has(i) && matches(reply.when, request));
    if (index === -1) {
      const left = replies.filter((_, i) => !this.used.has(i)).length;
      return {
        error:
          left === 0
            ? `script "${this.name}" has no replies left for ${requestLabel}`
            : `no reply in script "${this.name}" matches ${requestLabel}; ${left} unused repl${left === 1 ? "y" : "ies"} did not match`,
      };
    }
    const reply = replies[index]!;
    if (!reply.repeat) this.used.add(index);
    return { reply };
  }
}

function describeRequest(request: ChatRequest): string {
  const lastMessage = request.messages[request.messages.length - 1];
  const text = contentText(lastMessage).replace(/\s+/g, " ").slice(0, 120);
  return `last message ${lastMessage?.role ?? "none"}: "${text}"`;
}
