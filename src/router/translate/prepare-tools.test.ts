import { describe, expect, it } from "vitest";
import type { AnthropicTool, AnthropicToolChoice } from "../../protocol/anthropic.js";
import { type CompatRecord, defaultCompat } from "../compat/compat-record.js";
import { isClientTool, prepareTools } from "./prepare-tools.js";
import { createToolNameMap } from "./tool-names.js";

const compatWith = (overrides: Partial<CompatRecord> = {}): CompatRecord => ({
  ...defaultCompat,
  ...overrides,
});

const schema = { type: "object", properties: { command: { type: "string" } }, required: ["command"] };
const bash: AnthropicTool = { name: "Bash", description: "Run a command", input_schema: schema };
const read: AnthropicTool = { name: "Read", input_schema: { type: "object", properties: {} } };

const prepare = (
  tools: AnthropicTool[] | undefined,
  choice?: AnthropicToolChoice,
  overrides: Partial<CompatRecord> = {},
  names = createToolNameMap(
    (tools ?? []).map((t) => t.name),
    overrides.maxToolNameLength ?? 64,
  ),
) => prepareTools(tools, choice, compatWith(overrides), names);

describe("isClientTool", () => {
  it("treats untyped, null and custom tools as client tools", () => {
    expect(isClientTool({ name: "a" })).toBe(true);
    expect(isClientTool({ name: "a", type: null })).toBe(true);
    expect(isClientTool({ name: "a", type: "custom" })).toBe(true);
    expect(isClientTool({ name: "web_search", type: "web_search_20250305" })).toBe(false);
    expect(isClientTool({ name: "bash", type: "bash_20250124" })).toBe(false);
  });
});

describe("prepareTools", () => {
  it("returns no fields without tools", () => {
    expect(prepare(undefined)).toEqual({ fields: {}, dropped: [] });
    expect(prepare([])).toEqual({ fields: {}, dropped: [] });
  });

  it("maps client tools to function tools", () => {
    const { fields } = prepare([bash, read]);
    expect(fields.tools).toEqual([
      { type: "function", function: { name: "Bash", description: "Run a command", parameters: schema } },
      { type: "function", function: { name: "Read", parameters: { type: "object", properties: {} } } },
    ]);
    expect(fields.tools![1]!.function).not.toHaveProperty("description");
  });

  it("gives a tool without input_schema an empty object schema", () => {
    const { fields } = prepare([{ name: "Ping" }]);
    expect(fields.tools![0]!.function.parameters).toEqual({ type: "object", properties: {} });
  });

  it("drops and reports server tools", () => {
    const { fields, dropped } = prepare([
      bash,
      { name: "web_search", type: "web_search_20250305", max_uses: 3 },
      { name: "web_fetch", type: "web_fetch_20250910" },
      { name: "str_replace_based_edit_tool", type: "text_editor_20250728" },
    ]);
    expect(fields.tools!.map((t) => t.function.name)).toEqual(["Bash"]);
    expect(dropped).toEqual(["web_search", "web_fetch", "str_replace_based_edit_tool"]);
  });

  it("sends no tool_choice when every tool was dropped", () => {
    const { fields, dropped } = prepare([{ name: "web_search", type: "web_search_20250305" }], {
      type: "any",
    });
    expect(fields).toEqual({});
    expect(dropped).toEqual(["web_search"]);
  });

  it("maps tool_choice auto / any / none / tool", () => {
    expect(prepare([bash], { type: "auto" }).fields.tool_choice).toBe("auto");
    expect(prepare([bash], { type: "any" }).fields.tool_choice).toBe("required");
    expect(prepare([bash], { type: "none" }).fields.tool_choice).toBe("none");
    expect(prepare([bash], { type: "tool", name: "Bash" }).fields.tool_choice).toEqual({
      type: "function",
      function: { name: "Bash" },
    });
    expect(prepare([bash]).fields).not.toHaveProperty("tool_choice");
  });

  it("maps disable_parallel_tool_use to parallel_tool_calls: false", () => {
    for (const choice of [
      { type: "auto", disable_parallel_tool_use: true },
      { type: "any", disable_parallel_tool_use: true },
      { type: "tool", name: "Bash", disable_parallel_tool_use: true },
    ] as AnthropicToolChoice[]) {
      expect(prepare([bash], choice).fields.parallel_tool_calls, choice.type).toBe(false);
    }
    expect(prepare([bash], { type: "auto", disable_parallel_tool_use: false }).fields).not.toHaveProperty(
      "parallel_tool_calls",
    );
    expect(prepare([bash], { type: "auto" }).fields).not.toHaveProperty("parallel_tool_calls");
  });

  it("does not send parallel_tool_calls when compat.parallelToolCalls is false", () => {
    const { fields } = prepare(
      [bash],
      { type: "auto", disable_parallel_tool_use: true },
      { parallelToolCalls: false },
    );
    expect(fields).not.toHaveProperty("parallel_tool_calls");
    expect(fields.tool_choice).toBe("auto");
  });

  it("shortens long names in tools and tool_choice consistently", () => {
    const long = `mcp__${"n".repeat(80)}`;
    const names = createToolNameMap([long], 64);
    const { fields } = prepare(
      [{ name: long, input_schema: schema }],
      { type: "tool", name: long },
      {},
      names,
    );
    const upstream = fields.tools![0]!.function.name;
    expect(upstream).toHaveLength(64);
    expect(fields.tool_choice).toEqual({ type: "function", function: { name: upstream } });
    expect(names.toClient(upstream)).toBe(long);
  });

  it("sanitises parameters per compat.schemaDialect", () => {
    const input_schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { tags: { type: "object", propertyNames: { pattern: "^[a-z]+$" } } },
      additionalProperties: false,
    };
    const full = prepare([{ name: "T", input_schema }]).fields.tools![0]!.function.parameters;
    expect(full).not.toHaveProperty("$schema");
    expect(full.additionalProperties).toBe(false);
    const strict = prepare([{ name: "T", input_schema }], undefined, { schemaDialect: "strict" }).fields
      .tools![0]!.function.parameters;
    expect(JSON.stringify(strict)).not.toContain("propertyNames");
    const gemini = prepare([{ name: "T", input_schema }], undefined, { schemaDialect: "gemini" }).fields
      .tools![0]!.function.parameters;
    expect(gemini).not.toHaveProperty("additionalProperties");
  });
});
