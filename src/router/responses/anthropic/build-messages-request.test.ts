import { describe, expect, it } from "vitest";
import { codexBody, codexRequest } from "../../../../test/router/codex-captures.js";
import { encodeReasoning } from "../reasoning-carrier.js";
import { responsesRequestSchema } from "../request-schema.js";
import { buildMessagesRequest, DEFAULT_MAX_TOKENS } from "./build-messages-request.js";

const base = codexBody("codex-01-request.json");
const build = (extra: Record<string, unknown>) =>
  buildMessagesRequest(responsesRequestSchema.parse({ ...base, ...extra }), "claude-sonnet-4-6").body;

describe("Responses → Anthropic Messages", () => {
  it("turn 1 from Codex: system text, user turns, tools, thinking from the effort", () => {
    const { body, tools } = buildMessagesRequest(codexRequest("codex-01-request.json"), "claude-sonnet-4-6");
    expect(body.model).toBe("claude-sonnet-4-6");
    expect(body.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(body.stream).toBe(true);
    expect(typeof body.system === "string" && body.system.startsWith("You are Codex")).toBe(true);
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: expect.stringContaining("<environment_context>") },
          { type: "text", text: "create hello.txt" },
        ],
      },
    ]);
    expect(body.tools?.map((tool) => tool.name)).toEqual([
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
    ]);
    expect(body.tools?.[3]?.input_schema).toMatchObject({ required: ["input"] });
    expect(body.tool_choice).toEqual({ type: "auto" });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(tools.dropped).toEqual(["tool_search", "web_search"]);
    for (const field of [
      "input",
      "store",
      "include",
      "prompt_cache_key",
      "client_metadata",
      "text",
      "reasoning",
    ]) {
      expect(body).not.toHaveProperty(field);
    }
  });

  it("turn 2: tool_use in the assistant turn, tool_result first in the next user turn", () => {
    const { body } = buildMessagesRequest(codexRequest("codex-03-request.json"), "claude");
    expect(body.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "call_f00802f58f4edf9fe234b1c6",
            name: "apply_patch",
            input: {
              input: "*** Begin Patch\n*** Add File: hello.txt\n+hello from the fake model\n*** End Patch\n",
            },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "call_f00802f58f4edf9fe234b1c6",
            content: expect.stringContaining("Success."),
          },
        ],
      },
    ]);
    // The tool loop's assistant turn has no signed thinking: thinking stays off, or Anthropic would refuse.
    expect(body).not.toHaveProperty("thinking");
  });

  it("replays signed thinking, and keeps thinking on for that tool loop", () => {
    const body = build({
      input: [
        { role: "user", content: "go" },
        {
          type: "reasoning",
          summary: [],
          encrypted_content: encodeReasoning({ text: "I should run ls", signature: "sig" }),
        },
        {
          type: "reasoning",
          summary: [],
          encrypted_content: encodeReasoning({ text: "", redacted: "opaque" }),
        },
        { type: "function_call", call_id: "c1", name: "exec_command", arguments: '{"cmd":"ls"}' },
        { type: "function_call_output", call_id: "c1", output: "a.txt" },
      ],
    });
    expect(body.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "I should run ls", signature: "sig" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "tool_use", id: "c1", name: "exec_command", input: { cmd: "ls" } },
      ],
    });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
  });

  it("drops unsigned reasoning from a chat model", () => {
    const body = build({
      input: [
        { role: "user", content: "q" },
        { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "local thought" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "a" }] },
        { role: "user", content: "q2" },
      ],
    });
    expect(body.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "a" }] });
  });

  it("maps effort, max_output_tokens, sampling and tool_choice", () => {
    expect(build({ reasoning: { effort: "high" } }).thinking).toEqual({
      type: "enabled",
      budget_tokens: 24_576,
    });
    expect(build({ reasoning: { effort: "none" }, temperature: 0.3 })).toMatchObject({ temperature: 0.3 });
    expect(build({ reasoning: null, max_output_tokens: 900 })).toMatchObject({ max_tokens: 900 });
    // A budget must stay under max_tokens and above Anthropic's minimum.
    expect(build({ max_output_tokens: 900 })).not.toHaveProperty("thinking");
    expect(build({ max_output_tokens: 4000 }).thinking).toEqual({ type: "enabled", budget_tokens: 3999 });
    // Sampling parameters only go without thinking.
    expect(build({ temperature: 0.3 })).not.toHaveProperty("temperature");
    expect(build({ tool_choice: "required", parallel_tool_calls: false })).toMatchObject({
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    expect(build({ tool_choice: "required" })).not.toHaveProperty("thinking");
    expect(build({ tool_choice: { type: "function", name: "exec_command" } }).tool_choice).toEqual({
      type: "tool",
      name: "exec_command",
    });
  });

  it("states an output schema in the system prompt", () => {
    const { body } = buildMessagesRequest(codexRequest("codex-10-request.json"), "claude");
    expect(body.system).toContain('JSON Schema:\n{"type":"object","properties":{"status":{"type":"string"}}');
  });

  it("converts images and files, and mid-conversation system text", () => {
    const body = build({
      input: [
        {
          role: "user",
          content: [
            { type: "input_image", image_url: "data:image/png;base64,AAAA" },
            { type: "input_image", image_url: "https://example.com/a.png" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" },
          ],
        },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "seen" }] },
        { role: "developer", content: "be terse" },
        { role: "user", content: "next" },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
          { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: "JVBE" },
            title: "a.pdf",
          },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "seen" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "<system>\nbe terse\n</system>" },
          { type: "text", text: "next" },
        ],
      },
    ]);
  });
});
