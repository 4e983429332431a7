import { describe, expect, it } from "vitest";
import { codexBody, codexRequest } from "../../../test/router/codex-captures.js";
import { resolveCompat } from "../compat/compat-profiles.js";
import { buildResponsesChatRequest } from "./build-chat-request.js";
import { responsesRequestSchema } from "./request-schema.js";

const generic = resolveCompat("generic", "local-model");

describe("buildResponsesChatRequest with Codex captures", () => {
  it("turn 1: system + user messages, tools, no Responses-only fields", () => {
    const { body, tools } = buildResponsesChatRequest(
      codexRequest("codex-01-request.json"),
      "local-model",
      generic,
    );
    expect(body.model).toBe("local-model");
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.messages.map((message) => message.role)).toEqual(["system", "user", "user"]);
    expect(body.messages[2]).toEqual({ role: "user", content: "create hello.txt" });
    expect(body.tools?.map((tool) => tool.function.name)).toEqual([
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
    ]);
    expect(body.tool_choice).toBe("auto");
    expect(tools.dropped).toEqual(["tool_search", "web_search"]);
    // Nothing Responses-only leaks through, nor a token limit Codex never asked for.
    for (const field of [
      "input",
      "store",
      "include",
      "prompt_cache_key",
      "client_metadata",
      "text",
      "reasoning",
      "max_tokens",
      "max_completion_tokens",
      "reasoning_effort",
    ]) {
      expect(body).not.toHaveProperty(field);
    }
  });

  it("turn 2: the function call and its output become tool_calls and a tool message", () => {
    const { body } = buildResponsesChatRequest(codexRequest("codex-02-request.json"), "m", generic);
    expect(body.messages.slice(3)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_b24ea0b173390d01857972da",
            type: "function",
            function: {
              name: "exec_command",
              arguments: JSON.stringify({
                cmd: "printf 'hello from the fake model\\n' > hello.txt",
                workdir: "/home/user/project",
              }),
            },
          },
        ],
      },
      {
        role: "tool",
        tool_call_id: "call_b24ea0b173390d01857972da",
        content: expect.stringContaining("Process exited with code 0"),
      },
    ]);
  });

  it("turn 2 of apply_patch: the custom call is a function call wrapping the patch", () => {
    const { body } = buildResponsesChatRequest(codexRequest("codex-03-request.json"), "m", generic);
    const assistant = body.messages[3];
    expect(assistant).toMatchObject({ role: "assistant", content: null });
    const call = (assistant as { tool_calls: { function: { name: string; arguments: string } }[] })
      .tool_calls[0]!;
    expect(call.function.name).toBe("apply_patch");
    expect(JSON.parse(call.function.arguments)).toEqual({
      input: "*** Begin Patch\n*** Add File: hello.txt\n+hello from the fake model\n*** End Patch\n",
    });
    expect(body.messages[4]).toMatchObject({ role: "tool", content: expect.stringContaining("A hello.txt") });
  });

  it("--output-schema: text.format json_schema becomes response_format", () => {
    const { body } = buildResponsesChatRequest(codexRequest("codex-10-request.json"), "m", generic);
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "codex_output_schema",
        strict: true,
        schema: {
          type: "object",
          properties: { status: { type: "string" } },
          required: ["status"],
          additionalProperties: false,
        },
      },
    });
    const deepseek = resolveCompat("deepseek", "deepseek-chat");
    expect(
      buildResponsesChatRequest(codexRequest("codex-10-request.json"), "m", deepseek).body.response_format,
    ).toEqual({
      type: "json_object",
    });
    const none = { ...generic, responseFormat: "none" as const };
    expect(
      buildResponsesChatRequest(codexRequest("codex-10-request.json"), "m", none).body,
    ).not.toHaveProperty("response_format");
  });

  it("unknown model: namespace tools are flattened", () => {
    const { body } = buildResponsesChatRequest(codexRequest("codex-04-request.json"), "m", generic);
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(
      expect.arrayContaining(["close_agent", "resume_agent", "send_input", "spawn_agent", "wait_agent"]),
    );
  });

  it("code mode: tools come from additional_tools, and the array output is text", () => {
    const { body } = buildResponsesChatRequest(codexRequest("codex-06-request.json"), "m", generic);
    expect(body.tools?.map((tool) => tool.function.name)).toContain("exec");
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.messages[body.messages.length - 1]).toMatchObject({
      role: "tool",
      content: expect.stringContaining("Script completed"),
    });
  });
});

describe("buildResponsesChatRequest parameters", () => {
  const base = codexBody("codex-01-request.json");
  const build = (extra: Record<string, unknown>, compat = generic) =>
    buildResponsesChatRequest(responsesRequestSchema.parse({ ...base, ...extra }), "m", compat).body;

  it("reasoning.effort goes through the compat record", () => {
    expect(build({})).not.toHaveProperty("reasoning_effort");
    const openai = resolveCompat("openai", "gpt-5.5");
    expect(build({}, openai).reasoning_effort).toBe("medium");
    expect(build({ reasoning: { effort: "xhigh" } }, openai).reasoning_effort).toBe("high");
    expect(build({ reasoning: { effort: "minimal" } }, openai).reasoning_effort).toBe("low");
    expect(build({ reasoning: { effort: "none" } }, openai)).not.toHaveProperty("reasoning_effort");
    expect(build({}, resolveCompat("openrouter", "x")).reasoning).toEqual({ effort: "medium" });
    expect(
      build({ reasoning: { effort: "none" } }, resolveCompat("deepseek", "deepseek-chat")).thinking,
    ).toEqual({
      type: "disabled",
    });
  });

  it("max_output_tokens goes in the compat record's field, clamped to the model's limit", () => {
    expect(build({ max_output_tokens: 5000 }).max_tokens).toBe(5000);
    expect(build({ max_output_tokens: 5000 }, resolveCompat("openai", "gpt-5.5")).max_completion_tokens).toBe(
      5000,
    );
    expect(build({ max_output_tokens: 50_000 }, resolveCompat("deepseek", "deepseek-chat")).max_tokens).toBe(
      8192,
    );
  });

  it("temperature and top_p go only where sampling parameters are accepted", () => {
    expect(build({ temperature: 0.2, top_p: 0.9 })).toMatchObject({ temperature: 0.2, top_p: 0.9 });
    const gpt5 = build({ temperature: 0.2, top_p: 0.9 }, resolveCompat("openai", "gpt-5.5"));
    expect(gpt5).not.toHaveProperty("temperature");
    expect(gpt5).not.toHaveProperty("top_p");
  });

  it("echoes reasoning to backends that need it, and never sends stream options unasked", () => {
    const deepseek = resolveCompat("deepseek", "deepseek-chat");
    const body = build(
      {
        stream: false,
        input: [
          { role: "user", content: "q" },
          { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "thought" }] },
          { type: "function_call", call_id: "c1", name: "exec_command", arguments: "" },
          { type: "function_call_output", call_id: "c1", output: "ok" },
        ],
      },
      deepseek,
    );
    expect(body).not.toHaveProperty("stream");
    expect(body.messages[1]).toEqual({
      role: "assistant",
      content: null,
      reasoning_content: "thought",
      tool_calls: [{ id: "c1", type: "function", function: { name: "exec_command", arguments: "{}" } }],
    });
  });

  it("merges mid-conversation system text into user turns for local chat templates", () => {
    const input = [
      { role: "user", content: "q" },
      { role: "assistant", content: "a" },
      { role: "developer", content: "new rules" },
      { role: "user", content: "q2" },
    ];
    expect(build({ input }).messages.slice(-2)).toEqual([
      { role: "system", content: "new rules" },
      { role: "user", content: "q2" },
    ]);
    expect(build({ input }, resolveCompat("ollama", "qwen")).messages.slice(-1)).toEqual([
      { role: "user", content: "<system>\nnew rules\n</system>\n\nq2" },
    ]);
  });

  it("puts images from tool output in a user message after the tool messages", () => {
    const body = build({
      input: [
        { role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,AA" }] },
        { type: "function_call", call_id: "v", name: "view_image", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "v",
          output: [{ type: "input_image", image_url: "https://x/y.png" }],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AA" } }] },
      expect.objectContaining({ role: "assistant" }),
      { role: "tool", tool_call_id: "v", content: "(no output)\n[image 1 attached below]" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] },
    ]);
  });

  it("passes the user id, cut to the backend's limit", () => {
    expect(build({ user: "u".repeat(100) }).user).toBe("u".repeat(64));
    expect(build({ safety_identifier: "sid" }).user).toBe("sid");
  });
});
