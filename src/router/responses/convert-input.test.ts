import { describe, expect, it } from "vitest";
import { codexRequest } from "../../../test/router/codex-captures.js";
import { convertInput, MISSING_TOOL_OUTPUT } from "./convert-input.js";
import { encodeReasoning } from "./reasoning-carrier.js";
import { type ResponsesRequest, responsesRequestSchema } from "./request-schema.js";

const request = (input: unknown, extra: Record<string, unknown> = {}): ResponsesRequest =>
  responsesRequestSchema.parse({ model: "m", input, ...extra });

describe("convertInput with Codex captures", () => {
  it("turn 1: developer messages become the system text, user messages stay apart", () => {
    const body = codexRequest("codex-01-request.json");
    const { system, turns } = convertInput(body);
    expect(system.startsWith("You are Codex, a coding agent")).toBe(true);
    // Both developer items, and every input_text part of the second one, joined by blank lines.
    expect(system).toContain("\n\n<skills_instructions>");
    expect(system).toContain("\n\n<permissions instructions>");
    expect(turns.map((turn) => turn.role)).toEqual(["user", "user"]);
    expect(turns[0]).toMatchObject({ parts: [{ type: "text", text: expect.stringContaining("<cwd>") }] });
    expect(turns[1]).toEqual({ role: "user", parts: [{ type: "text", text: "create hello.txt" }] });
  });

  it("turn 2: function_call + function_call_output become an assistant call and its result", () => {
    const { turns } = convertInput(codexRequest("codex-02-request.json"));
    expect(turns.slice(2)).toEqual([
      {
        role: "assistant",
        text: "",
        reasoning: [],
        calls: [
          {
            kind: "function",
            callId: "call_b24ea0b173390d01857972da",
            name: "exec_command",
            payload: JSON.stringify({
              cmd: "printf 'hello from the fake model\\n' > hello.txt",
              workdir: "/home/user/project",
            }),
          },
        ],
      },
      {
        role: "tool",
        callId: "call_b24ea0b173390d01857972da",
        text: expect.stringContaining("Process exited with code 0"),
        media: [],
      },
    ]);
  });

  it("turn 2: custom_tool_call keeps the raw patch as its payload", () => {
    const { turns } = convertInput(codexRequest("codex-03-request.json"));
    expect(turns[2]).toMatchObject({
      role: "assistant",
      calls: [
        {
          kind: "custom",
          name: "apply_patch",
          callId: "call_f00802f58f4edf9fe234b1c6",
          payload: "*** Begin Patch\n*** Add File: hello.txt\n+hello from the fake model\n*** End Patch\n",
        },
      ],
    });
    expect(turns[3]).toMatchObject({ role: "tool", text: expect.stringContaining("Success. Updated") });
  });

  it("code mode: an array output becomes text, and additional_tools does not end the system prelude", () => {
    const { system, turns } = convertInput(codexRequest("codex-06-request.json"));
    expect(system).toContain("<multi_agent_mode>");
    expect(turns.map((turn) => turn.role)).toEqual(["user", "user", "assistant", "tool"]);
    expect(turns[3]).toMatchObject({
      role: "tool",
      text: 'Script completed\nWall time 0.1 seconds\nOutput:\n\n{"chunk_id":"99cea5","wall_time_seconds":0.000005188,"exit_code":0,"original_token_count":0,"output":""}',
    });
  });

  it("resume: the earlier answer is an assistant turn and the new message follows", () => {
    const { turns } = convertInput(codexRequest("codex-09-request.json"));
    expect(turns.map((turn) => turn.role)).toEqual([
      "user",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(turns[4]).toMatchObject({ role: "assistant", text: "Done: created hello.txt", calls: [] });
    expect(turns[5]).toEqual({ role: "user", parts: [{ type: "text", text: "now say bye" }] });
  });
});

describe("convertInput rules", () => {
  it("takes a string input and instructions", () => {
    expect(convertInput(request("hello", { instructions: "Be brief." }))).toEqual({
      system: "Be brief.",
      turns: [{ role: "user", parts: [{ type: "text", text: "hello" }] }],
    });
  });

  it("accepts messages without a type and string content", () => {
    const { turns } = convertInput(
      request([
        { role: "user", content: "q" },
        { role: "assistant", content: "a" },
      ]),
    );
    expect(turns).toEqual([
      { role: "user", parts: [{ type: "text", text: "q" }] },
      { role: "assistant", text: "a", reasoning: [], calls: [] },
    ]);
  });

  it("keeps parallel calls in one assistant turn and matches results by call_id", () => {
    const { turns } = convertInput(
      request([
        { role: "user", content: "go" },
        { type: "function_call", call_id: "a", name: "read", arguments: '{"p":1}' },
        { type: "function_call", call_id: "b", name: "read", arguments: '{"p":2}' },
        { type: "function_call_output", call_id: "b", output: "B" },
        { type: "function_call_output", call_id: "a", output: "A" },
      ]),
    );
    expect(turns.map((turn) => turn.role)).toEqual(["user", "assistant", "tool", "tool"]);
    expect((turns[1] as { calls: unknown[] }).calls).toHaveLength(2);
    expect(turns.slice(2)).toMatchObject([
      { callId: "b", text: "B" },
      { callId: "a", text: "A" },
    ]);
  });

  it("gives a call without a result a placeholder, and turns a result without a call into user text", () => {
    const { turns } = convertInput(
      request([
        { type: "function_call", call_id: "lost", name: "exec", arguments: "{}" },
        { role: "user", content: "and now?" },
        { type: "function_call_output", call_id: "stray", output: "late" },
      ]),
    );
    expect(turns).toEqual([
      {
        role: "assistant",
        text: "",
        reasoning: [],
        calls: [{ kind: "function", callId: "lost", name: "exec", payload: "{}" }],
      },
      { role: "tool", callId: "lost", text: MISSING_TOOL_OUTPUT, media: [] },
      { role: "user", parts: [{ type: "text", text: "and now?" }] },
      { role: "user", parts: [{ type: "text", text: "Output of tool call stray:\nlate" }] },
    ]);
  });

  it("holds a mid-conversation developer message until the call's results are in", () => {
    const { system, turns } = convertInput(
      request([
        { role: "developer", content: "first" },
        { role: "user", content: "go" },
        { type: "function_call", call_id: "a", name: "exec", arguments: "{}" },
        { role: "developer", content: "later" },
        { type: "function_call_output", call_id: "a", output: "" },
      ]),
    );
    expect(system).toBe("first");
    expect(turns.map((turn) => turn.role)).toEqual(["user", "assistant", "tool", "system"]);
    expect(turns[2]).toMatchObject({ text: "(no output)" });
    expect(turns[3]).toEqual({ role: "system", text: "later" });
  });

  it("keeps images and files: in user messages as parts, in tool output as media", () => {
    const { turns } = convertInput(
      request([
        {
          role: "user",
          content: [
            { type: "input_text", text: "look" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "auto" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" },
          ],
        },
        { type: "function_call", call_id: "v", name: "view_image", arguments: '{"path":"x.png"}' },
        {
          type: "function_call_output",
          call_id: "v",
          output: [{ type: "input_image", image_url: "https://example.com/x.png" }],
        },
      ]),
    );
    expect(turns[0]).toEqual({
      role: "user",
      parts: [
        { type: "text", text: "look" },
        { type: "image", url: "data:image/png;base64,AAAA" },
        { type: "file", filename: "a.pdf", data: "data:application/pdf;base64,JVBE" },
      ],
    });
    expect(turns[2]).toEqual({
      role: "tool",
      callId: "v",
      text: "(no output)",
      media: [{ type: "image", url: "https://example.com/x.png" }],
    });
  });

  it("reads reasoning back from grove's encrypted_content, else from its text", () => {
    const { turns } = convertInput(
      request([
        { role: "user", content: "q" },
        {
          type: "reasoning",
          summary: [],
          content: [{ type: "reasoning_text", text: "visible" }],
          encrypted_content: encodeReasoning({ text: "carried", signature: "sig" }),
        },
        {
          type: "reasoning",
          summary: [{ type: "summary_text", text: "summed" }],
          encrypted_content: "gAAAA-openai",
        },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "done" }] },
      ]),
    );
    expect(turns[1]).toEqual({
      role: "assistant",
      text: "done",
      reasoning: [{ text: "carried", signature: "sig" }, { text: "summed" }],
      calls: [],
    });
  });

  it("ignores hosted-tool items and item references", () => {
    const { turns } = convertInput(
      request([
        { role: "user", content: "q" },
        { type: "web_search_call", id: "ws_1", status: "completed" },
        { type: "item_reference", id: "msg_1" },
      ]),
    );
    expect(turns).toHaveLength(1);
  });
});
