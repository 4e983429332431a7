import { describe, expect, it } from "vitest";
import type { MessagesResponse } from "../../protocol/anthropic.js";
import type { ChatCompletion } from "../../protocol/openai-chat.js";
import { UNSIGNED_THINKING_SIGNATURE } from "../translate/thinking-signature.js";
import { convertCompletion } from "./convert-completion.js";
import { createToolNameMap, type ToolNameMap } from "./tool-names.js";

const options = (toolNames: ToolNameMap = createToolNameMap([], 64)) => ({
  messageId: "msg_test",
  clientModel: "claude-sonnet-4-6",
  toolNames,
});

const message = (completion: ChatCompletion, toolNames?: ToolNameMap): MessagesResponse => {
  const out = convertCompletion(completion, options(toolNames));
  if ("error" in out) throw new Error(`unexpected error: ${out.error}`);
  return out;
};

const choice = (msg: NonNullable<ChatCompletion["choices"]>[number]["message"], finish_reason = "stop") => ({
  choices: [{ index: 0, message: msg, finish_reason }],
});

describe("convertCompletion", () => {
  it("maps a text reply with ids, model and usage", () => {
    const out = message({
      id: "chatcmpl-1",
      model: "upstream",
      ...choice({ role: "assistant", content: "Hello" }),
      usage: { prompt_tokens: 50, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 20 } },
    });
    expect(out).toEqual({
      id: "msg_test",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content: [{ type: "text", text: "Hello" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 30,
        output_tokens: 3,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 20,
      },
    });
  });

  it("orders thinking, text, then tool_use", () => {
    const out = message(
      choice(
        {
          content: "I'll look.",
          reasoning_content: "think first",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "Read", arguments: '{"file_path":"/a"}' } },
          ],
        },
        "tool_calls",
      ),
    );
    expect(out.content).toEqual([
      { type: "thinking", thinking: "think first", signature: UNSIGNED_THINKING_SIGNATURE },
      { type: "text", text: "I'll look." },
      { type: "tool_use", id: "call_1", name: "Read", input: { file_path: "/a" } },
    ]);
    expect(out.stop_reason).toBe("tool_use");
  });

  it("reads OpenRouter's reasoning field", () => {
    const out = message(choice({ content: "x", reasoning: "r" }));
    expect(out.content[0]).toEqual({
      type: "thinking",
      thinking: "r",
      signature: UNSIGNED_THINKING_SIGNATURE,
    });
  });

  it('forces tool_use when tool calls come with finish_reason "stop"', () => {
    const out = message(
      choice({
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "Bash", arguments: "{}" } }],
      }),
    );
    expect(out.stop_reason).toBe("tool_use");
  });

  it("maps length, content_filter and vLLM's stop string", () => {
    expect(message(choice({ content: "cut" }, "length")).stop_reason).toBe("max_tokens");
    expect(message(choice({ content: "" }, "content_filter")).stop_reason).toBe("refusal");
    const vllm = message({
      choices: [{ message: { content: "a" }, finish_reason: "stop", stop_reason: "END" }],
    });
    expect(vllm.stop_reason).toBe("stop_sequence");
    expect(vllm.stop_sequence).toBe("END");
  });

  it("repairs single-quoted arguments and sanitises ids", () => {
    const out = message(
      choice(
        {
          tool_calls: [
            {
              id: "functions.Bash:0",
              type: "function",
              function: { name: "Bash", arguments: "{'command': 'ls'}" },
            },
            { id: "7", type: "function", function: { name: "Bash", arguments: "" } },
          ],
        },
        "tool_calls",
      ),
    );
    expect(out.content[0]).toEqual({
      type: "tool_use",
      id: "functions_Bash_0",
      name: "Bash",
      input: { command: "ls" },
    });
    const second = out.content[1] as { id: string; input: unknown };
    expect(second.id).toMatch(/^toolu_[0-9a-f]{24}$/);
    expect(second.input).toEqual({});
  });

  it("restores shortened tool names", () => {
    const long = `mcp__server__${"tool".repeat(20)}`;
    const names = createToolNameMap([long], 64);
    const upstream = names.toUpstream(long);
    expect(upstream).not.toBe(long);
    const out = message(
      choice({ tool_calls: [{ id: "c1", type: "function", function: { name: upstream, arguments: "{}" } }] }),
      names,
    );
    expect((out.content[0] as { name: string }).name).toBe(long);
  });

  it("turns a refusal into text", () => {
    const out = message(choice({ content: null, refusal: "I can't help with that." }, "stop"));
    expect(out.content).toEqual([{ type: "text", text: "I can't help with that." }]);
  });

  it("never returns empty content", () => {
    expect(message(choice({ content: null })).content).toEqual([{ type: "text", text: "" }]);
    expect(message({}).content).toEqual([{ type: "text", text: "" }]);
    expect(message({ choices: [] }).stop_reason).toBe("end_turn");
  });

  it("reports an error object inside a 200", () => {
    expect(convertCompletion({ error: { message: "rate limited", code: 429 } }, options())).toEqual({
      error: "rate limited",
    });
    expect(convertCompletion({ error: {} }, options())).toEqual({ error: "upstream reported an error" });
  });

  it('reports finish_reason "error" (OpenRouter) as an error', () => {
    const out = convertCompletion(choice({ content: "partial" }, "error"), options());
    expect(out).toHaveProperty("error");
  });
});
