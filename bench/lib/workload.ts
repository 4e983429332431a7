/**
 * The benchmark's stream: `chunks` small content chunks shaped like OpenAI's
 * `chat.completion.chunk` (a few characters of `delta.content` each), then a finish chunk,
 * a usage-only chunk (as with `stream_options.include_usage`) and `[DONE]`. Deterministic,
 * so the bench process knows the content the upstream child sends.
 */
import type { ChatChunk, ChatChunkChoice } from "../../src/protocol/openai-chat.js";

// A few characters each; some need JSON escaping (quotes, newline, non-ASCII), as real text does.
const PIECES = [
  "The",
  " quick",
  " brown",
  " fox",
  " jumps",
  " over",
  " the",
  " lazy",
  " dog",
  ".",
  "\n",
  " It",
  " said",
  ' "hi"',
  " to",
  " José",
  " —",
  " ok",
  "!",
  " `x`",
];

export const MODEL = "fake-model";

/** What OpenAI actually sends: grove's read-side types omit `object`, `created`, `logprobs`, …. */
type WireChunk = Omit<ChatChunk, "choices"> & {
  object: "chat.completion.chunk";
  created: number;
  system_fingerprint: string;
  choices: Array<ChatChunkChoice & { logprobs: null }>;
};

export interface Workload {
  /** The concatenated `delta.content` of all chunks. */
  content: string;
  /** Every SSE frame (`data: …\n\n`), `[DONE]` included, in order. */
  frames: string[];
}

export function buildWorkload(chunks: number): Workload {
  const id = "chatcmpl-bench0000000000000000";
  const created = 1_700_000_000;
  const base = {
    id,
    object: "chat.completion.chunk" as const,
    created,
    model: MODEL,
    system_fingerprint: "fp_bench",
  };
  const wire: WireChunk[] = [];
  let content = "";
  for (let i = 0; i < chunks; i++) {
    const text = PIECES[i % PIECES.length]!;
    content += text;
    wire.push({
      ...base,
      choices: [
        {
          index: 0,
          delta: i === 0 ? { role: "assistant", content: text } : { content: text },
          logprobs: null,
          finish_reason: null,
        },
      ],
    });
  }
  wire.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
  const completionTokens = chunks;
  wire.push({
    ...base,
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: completionTokens, total_tokens: 12 + completionTokens },
  });
  const frames = wire.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  frames.push("data: [DONE]\n\n");
  return { content, frames };
}
