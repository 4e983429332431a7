import { describe, expect, it } from "vitest";
import { codexRequest } from "../../../test/router/codex-captures.js";
import { type ResponsesTool, toolSchema } from "./request-schema.js";
import { requestTools } from "./request-tools.js";
import { buildToolTable } from "./tool-table.js";

const tools = (...list: unknown[]): ResponsesTool[] => list.map((tool) => toolSchema.parse(tool));
const fn = (name: string) => ({ type: "function", name, parameters: { type: "object", properties: {} } });

describe("buildToolTable", () => {
  it("keeps Codex's function and custom tools and drops the hosted ones", () => {
    const table = buildToolTable(requestTools(codexRequest("codex-01-request.json")), 64);
    expect(table.entries.map((entry) => `${entry.kind}:${entry.upstreamName}`)).toEqual([
      "function:exec_command",
      "function:write_stdin",
      "function:request_user_input",
      "custom:apply_patch",
      "function:view_image",
      "function:get_goal",
      "function:create_goal",
      "function:update_goal",
    ]);
    expect(table.dropped).toEqual(["tool_search", "web_search"]);
    const patch = table.entries.find((entry) => entry.name === "apply_patch");
    expect(patch?.format).toMatchObject({ type: "grammar", syntax: "lark" });
    expect(table.fromUpstream("apply_patch")).toEqual({ kind: "custom", name: "apply_patch" });
  });

  it("flattens namespace tools, keeping the namespace for the way back", () => {
    const table = buildToolTable(requestTools(codexRequest("codex-04-request.json")), 64);
    expect(table.entries.map((entry) => entry.upstreamName)).toContain("spawn_agent");
    expect(table.fromUpstream("spawn_agent")).toEqual({
      kind: "function",
      name: "spawn_agent",
      namespace: "multi_agent_v1",
    });
    expect(table.toUpstream("spawn_agent", "multi_agent_v1")).toBe("spawn_agent");
    expect(table.dropped).toEqual(["web_search"]);
  });

  it("reads tools from an additional_tools input item (Codex responses lite)", () => {
    const table = buildToolTable(requestTools(codexRequest("codex-05-request.json")), 64);
    const exec = table.entries.find((entry) => entry.name === "exec");
    // `functions` is the default namespace: Codex accepted `exec` calls without one.
    expect(exec).toEqual(expect.objectContaining({ kind: "custom", upstreamName: "exec" }));
    expect(exec?.namespace).toBeUndefined();
    expect(table.fromUpstream("sleep")).toEqual({ kind: "function", name: "sleep", namespace: "clock" });
    expect(table.entries.length).toBeGreaterThan(3);
  });

  it("prefixes a namespaced tool with its namespace only when the bare name clashes", () => {
    const table = buildToolTable(
      tools(fn("wait"), { type: "namespace", name: "clock", tools: [fn("wait"), fn("sleep")] }),
      64,
    );
    expect(table.entries.map((entry) => entry.upstreamName)).toEqual(["wait", "clock__wait", "sleep"]);
    expect(table.fromUpstream("wait")).toEqual({ kind: "function", name: "wait" });
    expect(table.fromUpstream("clock__wait")).toEqual({ kind: "function", name: "wait", namespace: "clock" });
    expect(table.toUpstream("wait", "clock")).toBe("clock__wait");
  });

  it("shortens names a backend would reject and maps them back", () => {
    const long = `mcp__server__${"x".repeat(80)}`;
    const table = buildToolTable(tools(fn(long), fn("dotted.name")), 64);
    const [first, second] = table.entries;
    expect(first!.upstreamName.length).toBeLessThanOrEqual(64);
    expect(second!.upstreamName).toBe("dotted_name");
    expect(table.fromUpstream(first!.upstreamName).name).toBe(long);
    expect(table.fromUpstream("dotted_name").name).toBe("dotted.name");
    expect(table.toUpstream(long)).toBe(first!.upstreamName);
  });

  it("treats an unknown called name as a function and keeps duplicate tools once", () => {
    const table = buildToolTable(tools(fn("a"), fn("a")), 64);
    expect(table.entries).toHaveLength(1);
    expect(table.fromUpstream("nope")).toEqual({ kind: "function", name: "nope" });
  });
});
