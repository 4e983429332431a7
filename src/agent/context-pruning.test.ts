import { describe, expect, it } from "vitest";
import { estimateTokens, pruneToolOutputs } from "./context-pruning.js";
import type { MessageParam } from "./model-turn.js";

const SYSTEM = "You are a test agent.";

/** Distinct, recognisable output: `tag` at both ends, filler in the middle. */
function output(tag: string, length: number): string {
  const head = `<<${tag}-head>>`;
  const tail = `<<${tag}-tail>>`;
  return head + "x".repeat(length - head.length - tail.length) + tail;
}

/** The prompt, then `outputs.length` rounds of one tool call and its result. */
function transcript(outputs: string[]): MessageParam[] {
  const messages: MessageParam[] = [{ role: "user", content: "please do the task" }];
  outputs.forEach((content, i) => {
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: `step ${i}` },
        { type: "tool_use", id: `toolu_${i}`, name: "read", input: { path: `file${i}.txt` } },
      ],
    });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content }] });
  });
  return messages;
}

function toolResultContent(messages: MessageParam[], id: string): unknown {
  for (const message of messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content)
      if (block.type === "tool_result" && block.tool_use_id === id) return block.content;
  }
  throw new Error(`no tool result ${id}`);
}

const NOTE =
  /\n\[… (\d+) characters of old tool output removed to save context; run the tool again if needed …\]\n/;

describe("estimateTokens", () => {
  it("counts about four characters a token, system prompt included", () => {
    const messages: MessageParam[] = [{ role: "user", content: "a".repeat(400) }];
    const json = JSON.stringify(messages).length;
    expect(estimateTokens(messages)).toBe(Math.ceil(json / 4));
    expect(estimateTokens(messages, "s".repeat(40))).toBe(Math.ceil((json + 40) / 4));
    expect(estimateTokens([])).toBe(1); // "[]"
  });
});

describe("pruneToolOutputs", () => {
  it("prunes nothing at or below the threshold", () => {
    const messages = transcript([output("a", 5000), output("b", 5000), output("c", 5000), output("d", 5000)]);
    const before = structuredClone(messages);
    const tokens = estimateTokens(messages, SYSTEM);
    // Exactly at the limit (window × 0.7) is still fine.
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: tokens / 0.7 })).toBe(0);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: tokens * 10 })).toBe(0);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: tokens, threshold: 1 })).toBe(0);
    expect(messages).toEqual(before);
  });

  it("shortens old tool outputs to their head and tail with a note, and keeps the newest turns whole", () => {
    const outputs = [output("a", 5000), output("b", 5000), output("c", 5000), output("d", 5000)];
    const messages = transcript(outputs);
    const before = structuredClone(messages);
    // Far too small: everything that may be pruned is.
    const pruned = pruneToolOutputs(messages, SYSTEM, { contextWindow: 100 });
    expect(pruned).toBe(2);
    for (const [index, tag] of [
      [0, "a"],
      [1, "b"],
    ] as const) {
      const content = toolResultContent(messages, `toolu_${index}`) as string;
      const original = outputs[index]!;
      expect(content.startsWith(original.slice(0, 200))).toBe(true);
      expect(content.endsWith(original.slice(-200))).toBe(true);
      expect(content).toContain(`<<${tag}-head>>`);
      expect(content).toContain(`<<${tag}-tail>>`);
      const note = NOTE.exec(content);
      expect(note?.[1]).toBe(String(original.length - 400));
      expect(content.length).toBeLessThan(600);
    }
    // The two newest user turns (the last two tool results) are untouched, and so is everything else.
    expect(toolResultContent(messages, "toolu_2")).toBe(outputs[2]);
    expect(toolResultContent(messages, "toolu_3")).toBe(outputs[3]);
    expect(messages.length).toBe(before.length);
    expect(messages[0]).toEqual(before[0]);
    for (let i = 1; i < messages.length; i += 2) expect(messages[i]).toEqual(before[i]); // Assistant turns.
  });

  it("stops as soon as the transcript is under the limit, oldest first", () => {
    const outputs = [
      output("a", 8000),
      output("b", 8000),
      output("c", 8000),
      output("d", 8000),
      output("e", 8000),
    ];
    const messages = transcript(outputs);
    const tokens = estimateTokens(messages, SYSTEM);
    // Shortening one 8000-character output saves about 1875 tokens: allow a little less than that over.
    const contextWindow = (tokens - 1000) / 0.7;
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow })).toBe(1);
    expect(toolResultContent(messages, "toolu_0")).toMatch(NOTE);
    for (const id of [1, 2, 3, 4]) expect(toolResultContent(messages, `toolu_${id}`)).toBe(outputs[id]);
    expect(estimateTokens(messages, SYSTEM)).toBeLessThanOrEqual(contextWindow * 0.7);

    // Over again by about two outputs' worth: the next two oldest go, the newest stay.
    const more = transcript(outputs);
    const window2 = (estimateTokens(more, SYSTEM) - 3000) / 0.7;
    expect(pruneToolOutputs(more, SYSTEM, { contextWindow: window2 })).toBe(2);
    expect(toolResultContent(more, "toolu_0")).toMatch(NOTE);
    expect(toolResultContent(more, "toolu_1")).toMatch(NOTE);
    expect(toolResultContent(more, "toolu_2")).toBe(outputs[2]);
  });

  it("leaves short outputs, string turns and non-string tool results alone", () => {
    const messages = transcript([output("short", 500), output("big", 5000), "ok", output("x", 5000), "fine"]);
    messages.splice(
      1,
      0,
      { role: "user", content: "y".repeat(5000) },
      { role: "assistant", content: "noted" },
    );
    messages.splice(3, 0, {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_blocks",
          content: [{ type: "text", text: "z".repeat(5000) }],
        },
      ],
    });
    messages.splice(4, 0, { role: "assistant", content: "ok" });
    const before = structuredClone(messages);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: 10 })).toBe(1);
    expect(toolResultContent(messages, "toolu_0")).toBe(output("short", 500)); // 500 ≤ 2 × 200 + 100.
    expect(toolResultContent(messages, "toolu_1")).toMatch(NOTE);
    expect(toolResultContent(messages, "toolu_3")).toBe(output("x", 5000)); // One of the two newest turns.
    expect(toolResultContent(messages, "toolu_blocks")).toEqual(toolResultContent(before, "toolu_blocks"));
    expect(messages[1]).toEqual(before[1]); // A plain user message is never shortened.
  });

  it("does not prune an output twice", () => {
    const messages = transcript([output("a", 200_000), output("b", 5000), output("c", 5000)]);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: 10 })).toBe(1);
    const once = structuredClone(messages);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: 10 })).toBe(0);
    expect(messages).toEqual(once);
  });

  it("honours keepRecentTurns and keepChars", () => {
    const outputs = [output("a", 3000), output("b", 3000), output("c", 3000)];
    const messages = transcript(outputs);
    expect(pruneToolOutputs(messages, SYSTEM, { contextWindow: 10, keepRecentTurns: 0, keepChars: 50 })).toBe(
      3,
    );
    for (const [index, original] of outputs.entries()) {
      const content = toolResultContent(messages, `toolu_${index}`) as string;
      expect(content.startsWith(original.slice(0, 50))).toBe(true);
      expect(content.endsWith(original.slice(-50))).toBe(true);
      expect(NOTE.exec(content)?.[1]).toBe(String(original.length - 100));
    }
    const few = transcript(outputs);
    // With fewer user turns than keepRecentTurns nothing is old enough to prune.
    expect(pruneToolOutputs(few, SYSTEM, { contextWindow: 10, keepRecentTurns: 10 })).toBe(0);
    expect(few).toEqual(transcript(outputs));
  });
});
