import { describe, expect, it } from "vitest";
import { completionChunks, convertCompletion } from "./convert-completion.js";
import { responsesRequestSchema } from "./request-schema.js";
import { buildToolTable } from "./tool-table.js";

const tools = buildToolTable(
  responsesRequestSchema.parse({
    model: "m",
    tools: [
      { type: "function", name: "exec_command" },
      { type: "custom", name: "apply_patch" },
    ],
  }).tools ?? [],
  64,
);
const options = { responseId: "resp_x", createdAt: 1700000000, clientModel: "gpt-5.5", tools };

describe("convertCompletion (non-streaming)", () => {
  it("builds the response object: reasoning, message and calls, with usage", () => {
    const response = convertCompletion(
      {
        id: "chatcmpl-1",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              reasoning_content: "hmm",
              content: "Patching.",
              tool_calls: [
                {
                  id: "call_p",
                  type: "function",
                  function: {
                    name: "apply_patch",
                    arguments: '{"input":"*** Begin Patch\\n*** End Patch\\n"}',
                  },
                },
                {
                  id: "call_e",
                  type: "function",
                  function: { name: "exec_command", arguments: '{"cmd":"ls",}' },
                },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 50, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 10 } },
      },
      options,
    );
    expect(response).toMatchObject({
      id: "resp_x",
      object: "response",
      created_at: 1700000000,
      model: "gpt-5.5",
      status: "completed",
      error: null,
      incomplete_details: null,
      usage: {
        input_tokens: 50,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 70,
      },
    });
    expect(response.output).toEqual([
      expect.objectContaining({ type: "reasoning", content: [{ type: "reasoning_text", text: "hmm" }] }),
      {
        type: "message",
        id: expect.stringMatching(/^msg_/),
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: "Patching.", annotations: [] }],
      },
      {
        type: "custom_tool_call",
        id: expect.stringMatching(/^ctc_/),
        status: "completed",
        call_id: "call_p",
        name: "apply_patch",
        input: "*** Begin Patch\n*** End Patch\n",
      },
      {
        type: "function_call",
        id: expect.stringMatching(/^fc_/),
        status: "completed",
        call_id: "call_e",
        name: "exec_command",
        arguments: '{"cmd":"ls"}',
      },
    ]);
  });

  it("marks a cut-off answer incomplete and an upstream error failed", () => {
    const cut = convertCompletion(
      { choices: [{ message: { content: "par" }, finish_reason: "length" }] },
      options,
    );
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    const failed = convertCompletion({ error: { message: "no capacity" } }, options);
    expect(failed).toMatchObject({ status: "failed", error: { message: "no capacity" } });
    const filtered = convertCompletion(
      { choices: [{ message: { content: "" }, finish_reason: "content_filter" }] },
      options,
    );
    expect(filtered).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "content_filter" },
    });
  });

  it("gives an empty output for an empty answer, and streams the same items as chunks", () => {
    expect(
      convertCompletion({ choices: [{ message: { content: null }, finish_reason: "stop" }] }, options).output,
    ).toEqual([]);
    expect(
      completionChunks({ choices: [{ message: { content: "x" }, finish_reason: "stop" }], usage: null }),
    ).toEqual([
      { choices: [{ index: 0, delta: { content: "x" } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: {} },
    ]);
  });
});
