import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTools } from "./index.js";

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "grove-tools-"));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe("createTools", () => {
  it("offers the tools in a fixed order", () => {
    expect(createTools({ cwd }).map((tool) => tool.definition.name)).toEqual([
      "read",
      "write",
      "edit",
      "list",
      "glob",
      "grep",
      "bash",
    ]);
  });

  it("describes each input as a plain JSON Schema object", () => {
    for (const { definition } of createTools({ cwd })) {
      const schema = definition.inputSchema;
      expect(definition.description.length).toBeGreaterThan(20);
      expect(Object.keys(schema).sort()).toEqual(
        definition.name === "list"
          ? ["additionalProperties", "properties", "type"]
          : ["additionalProperties", "properties", "required", "type"],
      );
      expect(schema.type).toBe("object");
      expect(schema.additionalProperties).toBe(false);
      const properties = schema.properties as Record<string, Record<string, unknown>>;
      for (const [name, property] of Object.entries(properties)) {
        expect(typeof property.type, `${definition.name}.${name}`).toBe("string");
        expect(typeof property.description, `${definition.name}.${name}`).toBe("string");
        expect(property.maximum === undefined || (property.maximum as number) <= 600_000).toBe(true);
      }
      for (const name of (schema.required as string[] | undefined) ?? [])
        expect(properties).toHaveProperty(name);
      expect(JSON.stringify(schema)).not.toContain("$schema");
    }
  });

  it("turns any bad input into an error result instead of throwing", async () => {
    const signal = new AbortController().signal;
    for (const tool of createTools({ cwd }))
      for (const input of [undefined, null, "text", 42, [], { path: 7, pattern: 7, command: 7 }]) {
        const result = await tool.run(input, { signal });
        expect(result.isError, `${tool.definition.name} ${JSON.stringify(input)}`).toBe(true);
        expect(result.output).toMatch(new RegExp(`^Invalid input for tool "${tool.definition.name}":\\n- `));
      }
  });

  it("does not run any tool once the signal has aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    for (const tool of createTools({ cwd })) {
      const result = await tool.run({ path: "x", content: "x" }, { signal: controller.signal });
      expect(result).toEqual({
        output: `${tool.definition.name} was aborted before it started.`,
        isError: true,
      });
    }
  });

  it("turns a working directory that is gone into an error result", async () => {
    const signal = new AbortController().signal;
    const gone = join(cwd, "gone");
    const inputs: Record<string, unknown> = {
      read: { path: "a" },
      write: { path: "a", content: "" },
      edit: { path: "a", old_string: "a", new_string: "b" },
      list: {},
      glob: { pattern: "*" },
      grep: { pattern: "a" },
      bash: { command: "true" },
    };
    for (const tool of createTools({ cwd: gone })) {
      const result = await tool.run(inputs[tool.definition.name], { signal });
      expect(result, tool.definition.name).toEqual({
        output: `the working directory ${gone} is not accessible (ENOENT)`,
        isError: true,
      });
    }
  });
});
