import { describe, expect, it } from "vitest";
import {
  customToolArguments,
  customToolDescription,
  customToolInput,
  customToolParameters,
} from "./custom-tools.js";

const PATCH = "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n";

describe("custom (freeform) tools over function calling", () => {
  it("offers one required string parameter, with the grammar when there is one", () => {
    const parameters = customToolParameters({ type: "grammar", syntax: "lark", definition: "start: x" });
    expect(parameters).toEqual({
      type: "object",
      properties: {
        input: { type: "string", description: expect.stringContaining("lark grammar:\nstart: x") },
      },
      required: ["input"],
      additionalProperties: false,
    });
    expect(customToolParameters(undefined).properties).toEqual({
      input: { type: "string", description: "The raw input, as plain text." },
    });
    expect(customToolDescription("Edit files.")).toMatch(
      /^Edit files\.\n\nCall this tool with a single string/,
    );
  });

  it("round-trips the raw input through the wrapper", () => {
    expect(customToolInput(customToolArguments(PATCH))).toBe(PATCH);
  });

  it("unwraps what models actually send", () => {
    // The raw text itself, ignoring the wrapper.
    expect(customToolInput(PATCH)).toBe(PATCH);
    // Another single string property.
    expect(customToolInput(JSON.stringify({ patch: PATCH }))).toBe(PATCH);
    // Almost-JSON, repaired.
    expect(customToolInput("{'input': 'x'}")).toBe("x");
    expect(customToolInput("")).toBe("");
    // Nothing to unwrap: the JSON text is the input.
    expect(customToolInput('{"a":1,"b":2}')).toBe('{"a":1,"b":2}');
  });
});
