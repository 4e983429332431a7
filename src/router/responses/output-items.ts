/**
 * The Responses output items grove makes, and the fields of the `.done` events that close a text
 * or reasoning part, for a given text: the stream translator fills in a mark first (see its
 * emitWithTexts), then the text itself where a mark will not do. Field order is OpenAI's.
 *
 * Objects are written out as literals, without `{...a, b}`: in Node 20's V8, adding fields after a
 * spread costs about a microsecond each time, and every response makes several of these.
 */
import type { OutputItem } from "./response-object.js";
import type { ClientTool } from "./tool-table.js";

export interface ClosedPart {
  /** `response.output_text.done` or `response.reasoning_text.done`. */
  textDoneType: string;
  textDone(text: string): Record<string, unknown>;
  /** `response.content_part.done`. */
  partDone(text: string): Record<string, unknown>;
  /** The finished item, for `response.output_item.done` and the response object. */
  item(text: string): OutputItem;
}

/** A message's output_text part, or a reasoning item's reasoning_text part (with its carrier). */
export function closedPart(
  kind: "message" | "reasoning",
  id: string,
  index: number,
  encryptedContent?: string,
): ClosedPart {
  if (kind === "message") {
    const content = (text: string) => ({ type: "output_text" as const, text, annotations: [] });
    return {
      textDoneType: "response.output_text.done",
      textDone: (text) => ({ item_id: id, output_index: index, content_index: 0, text, logprobs: [] }),
      partDone: (text) => ({ item_id: id, output_index: index, content_index: 0, part: content(text) }),
      item: (text) => ({
        type: "message",
        id,
        status: "completed",
        role: "assistant",
        content: [content(text)],
      }),
    };
  }
  const content = (text: string) => ({ type: "reasoning_text" as const, text });
  return {
    textDoneType: "response.reasoning_text.done",
    textDone: (text) => ({ item_id: id, output_index: index, content_index: 0, text }),
    partDone: (text) => ({ item_id: id, output_index: index, content_index: 0, part: content(text) }),
    item: (text) => ({
      type: "reasoning",
      id,
      status: "completed",
      summary: [],
      content: [content(text)],
      encrypted_content: encryptedContent,
    }),
  };
}

/** A function_call item, or a custom_tool_call item for a custom tool, holding `value`. */
export function toolCallItem(
  tool: ClientTool,
  id: string,
  callId: string,
  status: "in_progress" | "completed",
  value: string,
): OutputItem {
  const namespace = tool.namespace ? { namespace: tool.namespace } : undefined;
  return tool.kind === "custom"
    ? Object.assign(
        { type: "custom_tool_call" as const, id, status, call_id: callId, name: tool.name, input: value },
        namespace,
      )
    : Object.assign(
        { type: "function_call" as const, id, status, call_id: callId, name: tool.name, arguments: value },
        namespace,
      );
}
