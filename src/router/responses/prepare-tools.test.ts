import { describe, expect, it } from "vitest";
import { resolveCompat } from "../compat/compat-profiles.js";
import { prepareChatTools } from "./prepare-tools.js";
import { type ResponsesRequest, responsesRequestSchema } from "./request-schema.js";
import { requestTools } from "./request-tools.js";
import { buildToolTable } from "./tool-table.js";

const generic = resolveCompat("generic", "m");
const request = (extra: Record<string, unknown>): ResponsesRequest =>
  responsesRequestSchema.parse({
    model: "m",
    input: "hi",
    tools: [
      {
        type: "function",
        name: "exec_command",
        description: "Run a command.",
        strict: false,
        parameters: {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          properties: { cmd: { type: "string", format: "uri" } },
          required: ["cmd"],
        },
      },
      { type: "custom", name: "apply_patch", description: "Edit files.", format: { type: "text" } },
      { type: "web_search", external_web_access: false },
    ],
    ...extra,
  });
const prepare = (body: ResponsesRequest, compat = generic) =>
  prepareChatTools(buildToolTable(requestTools(body), compat.maxToolNameLength), body, compat);

describe("prepareChatTools", () => {
  it("offers function tools with cleaned schemas and custom tools as one-string functions", () => {
    const fields = prepare(request({}));
    expect(fields.tools).toEqual([
      {
        type: "function",
        function: {
          name: "exec_command",
          description: "Run a command.",
          parameters: {
            type: "object",
            properties: { cmd: { type: "string", format: "uri" } },
            required: ["cmd"],
          },
        },
      },
      {
        type: "function",
        function: {
          name: "apply_patch",
          description: expect.stringContaining("Edit files."),
          parameters: expect.objectContaining({ required: ["input"] }),
        },
      },
    ]);
    expect(fields.tool_choice).toBeUndefined();
    expect(fields.parallel_tool_calls).toBeUndefined();
    // The strict dialect drops what strict validators reject.
    const strict = prepare(request({}), { ...generic, schemaDialect: "strict" });
    expect(strict.tools?.[0]?.function.parameters).toEqual({
      type: "object",
      properties: { cmd: { type: "string" } },
      required: ["cmd"],
    });
  });

  it("maps tool_choice", () => {
    expect(prepare(request({ tool_choice: "auto" })).tool_choice).toBe("auto");
    expect(prepare(request({ tool_choice: "required" })).tool_choice).toBe("required");
    expect(prepare(request({ tool_choice: "none" })).tool_choice).toBe("none");
    expect(prepare(request({ tool_choice: { type: "function", name: "exec_command" } })).tool_choice).toEqual(
      {
        type: "function",
        function: { name: "exec_command" },
      },
    );
    expect(prepare(request({ tool_choice: { type: "custom", name: "apply_patch" } })).tool_choice).toEqual({
      type: "function",
      function: { name: "apply_patch" },
    });
    // A hosted tool that was dropped: back to the default.
    expect(prepare(request({ tool_choice: { type: "web_search" } })).tool_choice).toBeUndefined();
  });

  it("narrows the list for allowed_tools", () => {
    const fields = prepare(
      request({
        tool_choice: {
          type: "allowed_tools",
          mode: "required",
          tools: [{ type: "custom", name: "apply_patch" }],
        },
      }),
    );
    expect(fields.tools?.map((tool) => tool.function.name)).toEqual(["apply_patch"]);
    expect(fields.tool_choice).toBe("required");
  });

  it("sends parallel_tool_calls:false where the backend takes it", () => {
    expect(prepare(request({ parallel_tool_calls: false })).parallel_tool_calls).toBe(false);
    expect(prepare(request({ parallel_tool_calls: true })).parallel_tool_calls).toBeUndefined();
    const noParallel = { ...generic, parallelToolCalls: false };
    expect(prepare(request({ parallel_tool_calls: false }), noParallel).parallel_tool_calls).toBeUndefined();
  });

  it("sends no tool fields when every tool was hosted", () => {
    expect(prepare(responsesRequestSchema.parse({ model: "m", tools: [{ type: "web_search" }] }))).toEqual(
      {},
    );
  });
});
