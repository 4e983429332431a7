/**
 * A Responses text delta's SSE frame, in the parts that stay the same for a whole output part:
 * head, then the sequence number, middle, the delta's literal, tail. Made once per part, and
 * encoded once when its deltas pass through as bytes.
 */
import type { LiteralFrame } from "../stream/sse-output.js";

export interface DeltaFrame {
  head: string;
  middle: string;
  tail: string;
  bytes?: LiteralFrame;
}

const encoder = new TextEncoder();

export function deltaFrame(kind: "message" | "reasoning", itemId: string, outputIndex: number): DeltaFrame {
  const type = kind === "message" ? "response.output_text.delta" : "response.reasoning_text.delta";
  return {
    head: `event: ${type}\ndata: {"type":"${type}","sequence_number":`,
    middle: `,"item_id":"${itemId}","output_index":${outputIndex},"content_index":0,"delta":`,
    tail: `${kind === "message" ? ',"logprobs":[]' : ""}}\n\n`,
  };
}

export function frameBytes(frame: DeltaFrame): NonNullable<DeltaFrame["bytes"]> {
  frame.bytes ??= {
    head: encoder.encode(frame.head),
    middle: encoder.encode(frame.middle),
    tail: encoder.encode(frame.tail),
  };
  return frame.bytes;
}
