import { describe, expect, it } from "vitest";
import type { AnthropicMessage } from "../../protocol/anthropic.js";
import type { ChatContentPart, ChatMessage } from "../../protocol/openai-chat.js";
import { type CompatRecord, defaultCompat } from "../compat/compat-record.js";
import { convertMessages, convertSystem, upstreamToolId } from "./convert-messages.js";
import { createToolNameMap } from "./tool-names.js";

const compatWith = (overrides: Partial<CompatRecord> = {}): CompatRecord => ({
  ...defaultCompat,
  ...overrides,
});

const convert = (
  messages: AnthropicMessage[],
  overrides: Partial<CompatRecord> = {},
  system?: Parameters<typeof convertMessages>[0],
): ChatMessage[] =>
  convertMessages(system, messages, { compat: compatWith(overrides), toolNames: createToolNameMap([], 64) });

type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;
type UserMessage = Extract<ChatMessage, { role: "user" }>;

const PNG = "iVBORw0KGgo=";

const toolTurn = (id: string, name = "Bash", input: unknown = { command: "ls" }): AnthropicMessage => ({
  role: "assistant",
  content: [
    { type: "text", text: "Running it." },
    { type: "tool_use", id, name, input },
  ],
});

/** Every assistant message with tool_calls must be followed at once by one tool message per call. */
function expectToolPairing(messages: ChatMessage[]): void {
  messages.forEach((message, i) => {
    if (message.role !== "assistant" || !message.tool_calls) return;
    const ids = message.tool_calls.map((call) => call.id);
    const following = messages.slice(i + 1, i + 1 + ids.length);
    expect(following.map((m) => m.role)).toEqual(ids.map(() => "tool"));
    expect(following.map((m) => (m as { tool_call_id: string }).tool_call_id).sort()).toEqual(
      [...ids].sort(),
    );
  });
}

describe("convertSystem", () => {
  it("returns an empty string without a system prompt", () => {
    expect(convertSystem(undefined)).toBe("");
  });

  it("passes a string through", () => {
    expect(convertSystem("Be brief.")).toBe("Be brief.");
  });

  it("joins text blocks with a blank line", () => {
    expect(
      convertSystem([
        { type: "text", text: "one" },
        { type: "text", text: "two", cache_control: { type: "ephemeral" } },
      ]),
    ).toBe("one\n\ntwo");
  });

  it("drops Claude Code's billing header block", () => {
    expect(
      convertSystem([
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.197.595; cc_entrypoint=sdk-cli;" },
        { type: "text", text: "You are a Claude agent." },
        { type: "text", text: "Main prompt." },
      ]),
    ).toBe("You are a Claude agent.\n\nMain prompt.");
  });

  it("keeps a block that merely mentions the header later on", () => {
    expect(convertSystem([{ type: "text", text: "see x-anthropic-billing-header: here" }])).toBe(
      "see x-anthropic-billing-header: here",
    );
  });
});

describe("convertMessages: system prompt", () => {
  it("puts the system prompt first", () => {
    const out = convert([{ role: "user", content: "hi" }], {}, [
      { type: "text", text: "x-anthropic-billing-header: cc_version=1;" },
      { type: "text", text: "A" },
      { type: "text", text: "B" },
    ]);
    expect(out).toEqual([
      { role: "system", content: "A\n\nB" },
      { role: "user", content: "hi" },
    ]);
  });

  it("emits no system message for an empty or header-only system", () => {
    expect(convert([{ role: "user", content: "hi" }], {}, "")[0]?.role).toBe("user");
    expect(
      convert([{ role: "user", content: "hi" }], {}, [
        { type: "text", text: "x-anthropic-billing-header: x" },
      ])[0]?.role,
    ).toBe("user");
  });
});

describe("convertMessages: role system inside messages", () => {
  it("keeps a trailing system message as a system message (midConversationSystem: system)", () => {
    const out = convert([
      { role: "user", content: "hello" },
      { role: "system", content: "Available agent types…" },
    ]);
    expect(out).toEqual([
      { role: "user", content: "hello" },
      { role: "system", content: "Available agent types…" },
    ]);
  });

  it("merges a trailing system message into the last user turn (midConversationSystem: user)", () => {
    const out = convert(
      [
        { role: "user", content: "hello" },
        { role: "system", content: "Available agent types…" },
      ],
      { midConversationSystem: "user" },
      "top",
    );
    expect(out).toEqual([
      { role: "system", content: "top" },
      { role: "user", content: "hello\n\n<system>\nAvailable agent types…\n</system>" },
    ]);
  });

  it("reads a text-block array system message (Claude Code 2.1.332)", () => {
    const out = convert([
      { role: "user", content: "hello" },
      {
        role: "system",
        content: [
          { type: "text", text: "# Environment" },
          { type: "text", text: "linux" },
        ],
      },
    ]);
    expect(out[1]).toEqual({ role: "system", content: "# Environment\n\nlinux" });
  });

  it("appends into a user message with image parts as a text part", () => {
    const out = convert(
      [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "text", text: "what is this" },
          ],
        },
        { role: "system", content: "note" },
      ],
      { midConversationSystem: "user" },
    );
    expect(out).toHaveLength(1);
    const parts = (out[0] as UserMessage).content as ChatContentPart[];
    expect(parts.at(-1)).toEqual({ type: "text", text: "<system>\nnote\n</system>" });
  });

  it("prepends a pending system message to the next user turn in user mode", () => {
    const out = convert(
      [
        { role: "system", content: "rules" },
        { role: "user", content: "hello" },
      ],
      { midConversationSystem: "user" },
    );
    expect(out).toEqual([{ role: "user", content: "<system>\nrules\n</system>\n\nhello" }]);
  });

  it("places the system message before the next user turn in system mode", () => {
    const out = convert([
      { role: "user", content: "a" },
      { role: "assistant", content: "b" },
      { role: "system", content: "rules" },
      { role: "user", content: "c" },
    ]);
    expect(out.map((m) => m.role)).toEqual(["user", "assistant", "system", "user"]);
    expect(out[2]).toEqual({ role: "system", content: "rules" });
  });

  it("joins consecutive system messages", () => {
    const out = convert([
      { role: "user", content: "a" },
      { role: "system", content: "one" },
      { role: "system", content: "two" },
    ]);
    expect(out[1]).toEqual({ role: "system", content: "one\n\ntwo" });
  });

  for (const mode of ["system", "user"] as const) {
    it(`never splits tool_calls from their results (${mode} mode, result turn with text)`, () => {
      const out = convert(
        [
          { role: "user", content: "do it" },
          toolTurn("toolu_1"),
          { role: "system", content: "reminder" },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "done" },
              { type: "text", text: "next" },
            ],
          },
        ],
        { midConversationSystem: mode },
      );
      expectToolPairing(out);
      const text = JSON.stringify(out);
      expect(text).toContain("reminder");
      const assistantAt = out.findIndex((m) => m.role === "assistant");
      expect(out[assistantAt + 1]).toEqual({ role: "tool", tool_call_id: "toolu_1", content: "done" });
      if (mode === "system") {
        expect(out.slice(assistantAt + 2)).toEqual([
          { role: "system", content: "reminder" },
          { role: "user", content: "next" },
        ]);
      } else {
        expect(out.slice(assistantAt + 2)).toEqual([
          { role: "user", content: "<system>\nreminder\n</system>\n\nnext" },
        ]);
      }
    });

    it(`never splits tool_calls from their results (${mode} mode, tool_result only)`, () => {
      const out = convert(
        [
          { role: "user", content: "do it" },
          toolTurn("toolu_1"),
          { role: "system", content: "reminder" },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "done" }] },
        ],
        { midConversationSystem: mode },
      );
      expectToolPairing(out);
      const last = out.at(-1)!;
      expect(out.at(-2)?.role).toBe("tool");
      if (mode === "system") expect(last).toEqual({ role: "system", content: "reminder" });
      else expect(last).toEqual({ role: "user", content: "<system>\nreminder\n</system>" });
    });
  }

  it("leaves no role system message after the first in user mode", () => {
    const out = convert(
      [
        { role: "system", content: "s0" },
        { role: "user", content: "a" },
        { role: "system", content: "s1" },
        toolTurn("toolu_1"),
        { role: "system", content: "s2" },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
        { role: "system", content: "s3" },
      ],
      { midConversationSystem: "user" },
      "top",
    );
    expect(out.slice(1).some((m) => m.role === "system")).toBe(false);
    const text = JSON.stringify(out);
    for (const s of ["s0", "s1", "s2", "s3"]) expect(text).toContain(`<system>\\n${s}\\n</system>`);
    expectToolPairing(out);
  });

  it("skips an empty system message", () => {
    const out = convert([
      { role: "user", content: "a" },
      { role: "system", content: "" },
    ]);
    expect(out).toEqual([{ role: "user", content: "a" }]);
  });
});

describe("convertMessages: user turns", () => {
  it("sends text-only content as a plain string, blocks joined by a blank line", () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>date</system-reminder>" },
          { type: "text", text: "hello", cache_control: { type: "ephemeral" } },
        ],
      },
    ]);
    expect(out).toEqual([{ role: "user", content: "<system-reminder>date</system-reminder>\n\nhello" }]);
  });

  it("sends content with an image as a part array, base64 as a data URL", () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        ],
      },
    ]);
    expect(out).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ]);
  });

  it("keeps an existing data: prefix and passes URLs through", () => {
    const out = convert([
      {
        role: "user",
        content: [
          {
            type: "image",
            source: { type: "base64", media_type: "image/jpeg", data: `data:image/png;base64,${PNG}` },
          },
          { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
        ],
      },
    ]);
    expect((out[0] as UserMessage).content).toEqual([
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
    ]);
  });

  it("emits tool messages first, then the user text, whatever the block order", () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "text", text: "also this" },
          { type: "tool_result", tool_use_id: "toolu_a", content: "A" },
          { type: "tool_result", tool_use_id: "toolu_b", content: [{ type: "text", text: "B" }] },
        ],
      },
    ]);
    expect(out).toEqual([
      { role: "tool", tool_call_id: "toolu_a", content: "A" },
      { role: "tool", tool_call_id: "toolu_b", content: "B" },
      { role: "user", content: "also this" },
    ]);
  });

  it("joins array tool_result text parts with a newline", () => {
    const out = convert([
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "t",
            content: [
              { type: "text", text: "line 1" },
              { type: "text", text: "line 2" },
            ],
          },
        ],
      },
    ]);
    expect(out).toEqual([{ role: "tool", tool_call_id: "t", content: "line 1\nline 2" }]);
  });

  it('prefixes is_error results with "Error: "', () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "permission denied", is_error: true },
          {
            type: "tool_result",
            tool_use_id: "t2",
            content: [{ type: "text", text: "boom" }],
            is_error: true,
          },
          { type: "tool_result", tool_use_id: "t3", is_error: true },
        ],
      },
    ]);
    expect(out.map((m) => m.content)).toEqual([
      "Error: permission denied",
      "Error: boom",
      "Error: the tool failed without output.",
    ]);
  });

  it('replaces an empty result with "(no output)"', () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "" },
          { type: "tool_result", tool_use_id: "t2" },
          { type: "tool_result", tool_use_id: "t3", content: [] },
        ],
      },
    ]);
    expect(out.map((m) => m.content)).toEqual(["(no output)", "(no output)", "(no output)"]);
    expect(out.some((m) => m.role === "user")).toBe(false);
  });

  it("moves images inside a tool_result into a user message after the tool messages", () => {
    const out = convert([
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "t1",
            content: [
              { type: "text", text: "screenshot:" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            ],
          },
          { type: "tool_result", tool_use_id: "t2", content: "plain" },
          { type: "text", text: "compare" },
        ],
      },
    ]);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({
      role: "tool",
      tool_call_id: "t1",
      content: "screenshot:\n[image 1 attached below]",
    });
    expect(out[1]).toEqual({ role: "tool", tool_call_id: "t2", content: "plain" });
    expect(out[2]).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: "text", text: "compare" },
      ],
    });
    // No tool message carries an image part or a data URL.
    expect(JSON.stringify(out.slice(0, 2))).not.toContain("data:");
  });

  it("turns a base64 PDF document into a file part", () => {
    const out = convert([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
            title: "a.pdf",
          },
        ],
      },
    ]);
    expect((out[0] as UserMessage).content).toEqual([
      { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
    ]);
  });

  it("drops thinking and unknown blocks in user turns", () => {
    const out = convert([
      {
        role: "user",
        content: [
          { type: "server_tool_result_thing", data: 1 },
          { type: "text", text: "hi" },
        ],
      },
    ]);
    expect(out).toEqual([{ role: "user", content: "hi" }]);
  });
});

describe("convertMessages: assistant turns", () => {
  it("passes string content through", () => {
    expect(convert([{ role: "assistant", content: "sure" }])).toEqual([
      { role: "assistant", content: "sure" },
    ]);
  });

  it("maps text + tool_use to content + tool_calls", () => {
    const out = convert([toolTurn("toolu_1", "Bash", { command: "ls -la" })]);
    expect(out).toEqual([
      {
        role: "assistant",
        content: "Running it.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "Bash", arguments: '{"command":"ls -la"}' } },
        ],
      },
    ]);
  });

  it("sets content null when there are only tool calls", () => {
    const out = convert([
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "a", name: "Read", input: { file_path: "/x" } },
          { type: "tool_use", id: "b", name: "Read", input: {} },
        ],
      },
    ]);
    const message = out[0] as AssistantMessage;
    expect(message.content).toBeNull();
    expect(message.tool_calls?.map((c) => c.id)).toEqual(["a", "b"]);
    expect(message.tool_calls?.[1]?.function.arguments).toBe("{}");
  });

  it("drops thinking by default", () => {
    const out = convert([
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "redacted_thinking", data: "xyz" },
          { type: "text", text: "answer" },
        ],
      },
    ]);
    expect(out).toEqual([{ role: "assistant", content: "answer" }]);
    expect(JSON.stringify(out)).not.toContain("hmm");
  });

  it("echoes thinking as reasoning_content when compat.echoReasoningContent (DeepSeek)", () => {
    const out = convert(
      [
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "step 1. ", signature: "sig" },
            { type: "thinking", thinking: "step 2." },
            { type: "tool_use", id: "t", name: "Bash", input: {} },
          ],
        },
      ],
      { echoReasoningContent: true },
    );
    expect(out[0]).toMatchObject({ role: "assistant", content: null, reasoning_content: "step 1. step 2." });
  });

  it("sanitises tool ids identically on tool_use and tool_result so they still pair", () => {
    const out = convert([
      { role: "user", content: "go" },
      toolTurn("functions.Bash:0"),
      { role: "user", content: [{ type: "tool_result", tool_use_id: "functions.Bash:0", content: "ok" }] },
    ]);
    const call = (out[1] as AssistantMessage).tool_calls![0]!;
    expect(call.id).toBe("functions_Bash_0");
    expect(out[2]).toEqual({ role: "tool", tool_call_id: "functions_Bash_0", content: "ok" });
    expectToolPairing(out);
  });

  it("maps tool names in history through the tool name map", () => {
    const long = `mcp__server__${"x".repeat(70)}`;
    const toolNames = createToolNameMap([long], 64);
    const out = convertMessages(
      undefined,
      [{ role: "assistant", content: [{ type: "tool_use", id: "t", name: long, input: {} }] }],
      { compat: compatWith(), toolNames },
    );
    const name = (out[0] as AssistantMessage).tool_calls![0]!.function.name;
    expect(name).toBe(toolNames.toUpstream(long));
    expect(name.length).toBeLessThanOrEqual(64);
  });
});

describe("upstreamToolId", () => {
  it("keeps valid ids and replaces bad characters with _", () => {
    expect(upstreamToolId("toolu_01AbC-9")).toBe("toolu_01AbC-9");
    expect(upstreamToolId("functions.Read:12")).toBe("functions_Read_12");
    expect(upstreamToolId("a b/c")).toBe("a_b_c");
  });
});
