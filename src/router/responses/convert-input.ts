/**
 * `instructions` + `input` → a neutral conversation that the chat and Anthropic renderers
 * share: one system text, then user, assistant, tool-result and mid-conversation system turns.
 *
 * - `instructions` and the `developer`/`system` messages before the first other item form the
 *   system text; later ones become system turns, never placed between an assistant's tool
 *   calls and their results.
 * - Consecutive model items (reasoning, assistant messages, function and custom tool calls)
 *   form one assistant turn, so parallel calls stay in one message.
 * - Every tool call gets exactly one result: a result without its call becomes user text, and
 *   a call without a result gets a placeholder, since backends reject either.
 */
import { decodeReasoning } from "./reasoning-carrier.js";
import type {
  ContentPart,
  InputItem,
  MessageItem,
  ReasoningItem,
  ResponsesRequest,
} from "./request-schema.js";
import type { ToolKind } from "./tool-table.js";

export type UserPart =
  | { type: "text"; text: string }
  /** A data: URL or an http(s) URL. */
  | { type: "image"; url: string }
  /** `data` is a data: URL. */
  | { type: "file"; filename: string; data: string };

export interface ReasoningPiece {
  text: string;
  signature?: string;
  redacted?: string;
}

export interface CallPiece {
  kind: ToolKind;
  callId: string;
  name: string;
  namespace?: string;
  /** A function call's arguments (JSON text) or a custom call's raw input. */
  payload: string;
}

export type Turn =
  | { role: "system"; text: string }
  | { role: "user"; parts: UserPart[] }
  | { role: "assistant"; text: string; reasoning: ReasoningPiece[]; calls: CallPiece[] }
  | { role: "tool"; callId: string; text: string; media: UserPart[] };

export type AssistantTurn = Extract<Turn, { role: "assistant" }>;

export interface Conversation {
  system: string;
  turns: Turn[];
}

/** Items that are part of the conversation; others (`additional_tools`, …) do not end the system prelude. */
const CONVERSATION_ITEMS: ReadonlySet<string> = new Set([
  "message",
  "function_call",
  "custom_tool_call",
  "function_call_output",
  "custom_tool_call_output",
  "reasoning",
]);

export const MISSING_TOOL_OUTPUT = "(no output: the tool call did not complete)";

export function convertInput(request: Pick<ResponsesRequest, "instructions" | "input">): Conversation {
  const systemParts: string[] = request.instructions ? [request.instructions] : [];
  const turns: Turn[] = [];
  const input = request.input ?? [];
  const items: InputItem[] = typeof input === "string" ? [{ role: "user", content: input }] : input;

  let leading = true;
  let open: AssistantTurn | undefined;
  let awaiting: CallPiece[] = [];
  let pendingSystem: string[] = [];

  /** Closes the open assistant turn; its calls now wait for their results. */
  const seal = () => {
    if (!open) return;
    awaiting = [...open.calls];
    open = undefined;
  };
  /** Before anything that is not a tool result: unanswered calls get placeholders, then held system text. */
  const settle = () => {
    seal();
    for (const call of awaiting) {
      turns.push({ role: "tool", callId: call.callId, text: MISSING_TOOL_OUTPUT, media: [] });
    }
    awaiting = [];
    for (const text of pendingSystem) turns.push({ role: "system", text });
    pendingSystem = [];
  };
  const assistant = (): AssistantTurn => {
    if (open) return open;
    settle();
    open = { role: "assistant", text: "", reasoning: [], calls: [] };
    turns.push(open);
    return open;
  };

  for (const item of items) {
    const type = item.type ?? "message";
    if (CONVERSATION_ITEMS.has(type) && !(type === "message" && isSystemRole((item as MessageItem).role))) {
      leading = false;
    }
    switch (type) {
      case "message": {
        const message = item as MessageItem;
        if (isSystemRole(message.role)) {
          const text = textOf(message.content);
          if (!text) break;
          if (leading) systemParts.push(text);
          else pendingSystem.push(text);
        } else if (message.role === "assistant") {
          const turn = assistant();
          turn.text += textOf(message.content);
        } else {
          settle();
          const parts = userParts(message.content);
          if (parts.length > 0) turns.push({ role: "user", parts });
        }
        break;
      }
      case "function_call":
      case "custom_tool_call": {
        const call = item as {
          call_id: string;
          name: string;
          namespace?: string | null;
          arguments?: string;
          input?: string;
        };
        assistant().calls.push({
          kind: type === "function_call" ? "function" : "custom",
          callId: call.call_id,
          name: call.name,
          ...(call.namespace ? { namespace: call.namespace } : {}),
          payload: (type === "function_call" ? call.arguments : call.input) ?? "",
        });
        break;
      }
      case "function_call_output":
      case "custom_tool_call_output": {
        seal();
        const result = item as { call_id: string; output: string | ContentPart[] };
        const { text, media } = toolOutput(result.output);
        const index = awaiting.findIndex((call) => call.callId === result.call_id);
        if (index !== -1) {
          awaiting.splice(index, 1);
          turns.push({ role: "tool", callId: result.call_id, text, media });
        } else {
          // A result whose call is not in the history: keep it as plain context.
          settle();
          turns.push({
            role: "user",
            parts: [{ type: "text", text: `Output of tool call ${result.call_id}:\n${text}` }, ...media],
          });
        }
        break;
      }
      case "reasoning": {
        const piece = reasoningPiece(item as ReasoningItem);
        if (piece) assistant().reasoning.push(piece);
        break;
      }
      default:
        // additional_tools (read by the tool table), hosted-tool calls, item references:
        // nothing a model without server state can use.
        break;
    }
  }
  settle();
  return { system: systemParts.join("\n\n"), turns };
}

function isSystemRole(role: MessageItem["role"]): boolean {
  return role === "system" || role === "developer";
}

/** Text parts joined by blank lines (Codex sends each instruction section as its own part). */
export function textOf(content: string | readonly ContentPart[]): string {
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const part of content) {
    if ("text" in part && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "refusal") texts.push((part as { refusal: string }).refusal);
  }
  return texts.join("\n\n");
}

function userParts(content: string | readonly ContentPart[]): UserPart[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  const parts: UserPart[] = [];
  for (const part of content) {
    const converted = convertPart(part);
    if (converted) parts.push(converted);
  }
  return parts;
}

function convertPart(part: ContentPart): UserPart | undefined {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: (part as { text: string }).text };
    case "refusal":
      return { type: "text", text: (part as { refusal: string }).refusal };
    case "input_image": {
      const image = part as { image_url?: string | null; file_id?: string | null };
      if (image.image_url) return { type: "image", url: image.image_url };
      return image.file_id ? { type: "text", text: `[image file ${image.file_id}]` } : undefined;
    }
    case "input_file": {
      const file = part as {
        file_data?: string | null;
        file_url?: string | null;
        file_id?: string | null;
        filename?: string | null;
      };
      const filename = file.filename ?? "file";
      if (file.file_data) {
        const data = file.file_data.startsWith("data:")
          ? file.file_data
          : `data:application/pdf;base64,${file.file_data}`;
        return { type: "file", filename, data };
      }
      const where = file.file_url ?? file.file_id;
      return where ? { type: "text", text: `[file ${filename}: ${where}]` } : undefined;
    }
    default:
      return undefined;
  }
}

/** A tool result's output: text parts joined by newlines, images and files kept aside. */
function toolOutput(output: string | readonly ContentPart[]): { text: string; media: UserPart[] } {
  if (typeof output === "string") return { text: output === "" ? "(no output)" : output, media: [] };
  const texts: string[] = [];
  const media: UserPart[] = [];
  for (const part of output) {
    const converted = convertPart(part);
    if (!converted) continue;
    if (converted.type === "text") texts.push(converted.text);
    else media.push(converted);
  }
  const text = texts.join("\n");
  return { text: text === "" ? "(no output)" : text, media };
}

function reasoningPiece(item: ReasoningItem): ReasoningPiece | undefined {
  const carried = decodeReasoning(item.encrypted_content);
  if (carried) return carried;
  const fromContent = (item.content ?? []).map((part) => part.text).join("");
  const text = fromContent || (item.summary ?? []).map((part) => part.text).join("\n\n");
  return text ? { text } : undefined;
}
