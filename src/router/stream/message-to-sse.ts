/**
 * A complete Anthropic message → the SSE event sequence a streaming client expects, for
 * upstreams that ignore `stream:true` and answer with one JSON body.
 */
import type { MessagesResponse } from "../../protocol/anthropic.js";
import { sseFrame } from "./sse-encode.js";

export function messageToSse(message: MessagesResponse): string {
  let out = sseFrame("message_start", {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, stop_sequence: null },
  });
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      out += sseFrame("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      if (block.text) {
        out += sseFrame("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "text_delta", text: block.text },
        });
      }
    } else if (block.type === "thinking") {
      out += sseFrame("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "" },
      });
      out += sseFrame("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: block.thinking },
      });
      out += sseFrame("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: block.signature },
      });
    } else {
      out += sseFrame("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      out += sseFrame("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    }
    out += sseFrame("content_block_stop", { type: "content_block_stop", index });
  });
  out += sseFrame("message_delta", {
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
    usage: message.usage,
  });
  out += sseFrame("message_stop", { type: "message_stop" });
  return out;
}
