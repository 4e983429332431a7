/** A multi-turn tool-using Claude session and the fake upstream replies that drive it. */
import type Anthropic from "@anthropic-ai/sdk";
import {
  completion,
  type Reply,
  reasoningChunks,
  textChunks,
  toolCallChunks,
} from "../support/fake-chat-upstream.js";

/**
 * Streamed thinking and a tool call with fragmented arguments (and an id the router must mint),
 * a non-streamed tool call, a 429 then a streamed answer, and a stream that breaks mid-way.
 */
export function sessionReplies(): Reply[] {
  // The reasoning's own finish chunk is dropped: the tool call follows in the same reply.
  const thinking = reasoningChunks("I should read a.txt first.", "", "reasoning_content", { usage: null });
  return [
    {
      type: "stream",
      chunks: [
        ...thinking.slice(0, -1),
        ...toolCallChunks([{ id: "0", name: "read_file", arguments: '{"path":"a.txt"}' }], { fragments: 4 }),
      ],
    },
    {
      type: "json",
      body: completion({
        reasoning_content: "Now b.txt.",
        tool_calls: [
          { id: "call_b", type: "function", function: { name: "read_file", arguments: '{"path":"b.txt"}' } },
        ],
      }),
    },
    {
      type: "error",
      status: 429,
      body: { error: { message: "slow down" } },
      headers: { "retry-after": "0" },
    },
    { type: "stream", chunks: textChunks("a.txt says alpha, b.txt says beta.", 5) },
    { type: "stream", chunks: textChunks("this answer breaks off halfway", 6), resetAfter: 3 },
  ];
}

const tools: Anthropic.Tool[] = [
  {
    name: "read_file",
    description: "Read a file",
    input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];

/** A multi-turn tool-using session: every event and message the client sees, in order. */
export async function session(sdk: Anthropic, user: string): Promise<unknown[]> {
  const seen: unknown[] = [];
  const base = { model: "claude-sonnet-4-6", max_tokens: 1000, tools, metadata: { user_id: user } };
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Read a.txt, then b.txt" }];
  const answer = (message: Anthropic.Message | undefined, result: string) => {
    const call = message?.content.find((block) => block.type === "tool_use");
    messages.push({ role: "assistant", content: message?.content ?? [] });
    messages.push({
      role: "user",
      content: call ? [{ type: "tool_result", tool_use_id: call.id, content: result }] : result,
    });
  };
  const streamed = async () => {
    const events: unknown[] = [];
    seen.push(events);
    const stream = sdk.messages.stream({ ...base, messages });
    try {
      for await (const event of stream) events.push(event);
      return await stream.finalMessage();
    } catch (error) {
      events.push({ error: (error as Error).message });
      return undefined;
    }
  };
  answer(await streamed(), "alpha");
  const second = await sdk.messages.create({ ...base, messages });
  seen.push(second);
  answer(second, "beta");
  answer(await streamed(), "Say more.");
  await streamed();
  return seen;
}

/** Message and minted tool ids differ on every run: number them by first appearance. */
export function normalizeIds(value: unknown): unknown {
  const ids = new Map<string, string>();
  const text = JSON.stringify(value).replace(/\b(msg|toolu)_[0-9a-f]{24}\b/g, (id, kind: string) => {
    if (!ids.has(id)) ids.set(id, `${kind}_${ids.size + 1}`);
    return ids.get(id)!;
  });
  return JSON.parse(text);
}
