import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SchemaDialect } from "../compat/compat-record.js";
import { sanitizeJsonSchema } from "./sanitize-json-schema.js";

type JsonObject = Record<string, unknown>;

const fixtureUrl = new URL("../../../test/fixtures/claude-tools-default.json", import.meta.url);
const tools = JSON.parse(readFileSync(fixtureUrl, "utf8")) as { name: string; input_schema: unknown }[];

const dialects: SchemaDialect[] = ["full", "strict", "gemini"];

const STRICT_FORBIDDEN = [
  "$schema",
  "$id",
  "$comment",
  "propertyNames",
  "patternProperties",
  "unevaluatedProperties",
  "examples",
];
const GEMINI_FORBIDDEN = [
  ...STRICT_FORBIDDEN,
  "additionalProperties",
  "default",
  "const",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "title",
];
const FORBIDDEN: Record<SchemaDialect, string[]> = {
  full: ["$schema"],
  strict: STRICT_FORBIDDEN,
  gemini: GEMINI_FORBIDDEN,
};
const FORMATS: Record<SchemaDialect, string[] | undefined> = {
  full: undefined,
  strict: ["date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"],
  gemini: ["enum", "date-time"],
};

function isObj(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Visits every sub-schema, treating `properties`-style maps as name → schema, not as keywords. */
function walk(schema: unknown, visit: (node: JsonObject, path: string) => void, path = "#"): void {
  if (!isObj(schema)) return;
  visit(schema, path);
  for (const [key, value] of Object.entries(schema)) {
    if (["properties", "$defs", "definitions", "patternProperties"].includes(key) && isObj(value)) {
      for (const [name, sub] of Object.entries(value)) walk(sub, visit, `${path}/${key}/${name}`);
    } else if (["items", "prefixItems", "anyOf", "oneOf", "allOf"].includes(key) && Array.isArray(value)) {
      value.forEach((sub, i) => {
        walk(sub, visit, `${path}/${key}/${i}`);
      });
    } else if (["items", "not", "additionalProperties"].includes(key)) {
      walk(value, visit, `${path}/${key}`);
    }
  }
}

function violations(schema: unknown, dialect: SchemaDialect): string[] {
  const found: string[] = [];
  walk(schema, (node, path) => {
    for (const key of FORBIDDEN[dialect]) if (Object.hasOwn(node, key)) found.push(`${path}: ${key}`);
    const formats = FORMATS[dialect];
    if (formats && node.format !== undefined && !formats.includes(String(node.format))) {
      found.push(`${path}: format ${String(node.format)}`);
    }
    if (node.type === "object" && !isObj(node.properties)) found.push(`${path}: object without properties`);
    if (dialect === "gemini" && Array.isArray(node.type)) found.push(`${path}: type array`);
    if (dialect !== "full") {
      for (const bound of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
        const v = node[bound];
        if (v !== undefined && !(typeof v === "number" && Number.isFinite(v)))
          found.push(`${path}: ${bound}`);
      }
    }
  });
  return found;
}

describe("sanitizeJsonSchema on Claude Code's real tool schemas", () => {
  it("has the fixture", () => {
    expect(tools.length).toBeGreaterThan(10);
  });

  for (const dialect of dialects) {
    for (const tool of tools) {
      it(`${dialect}: ${tool.name}`, () => {
        const before = structuredClone(tool.input_schema);
        const out = sanitizeJsonSchema(tool.input_schema, dialect);
        expect(violations(out, dialect)).toEqual([]);
        expect(out.type).toBe("object");
        expect(tool.input_schema).toEqual(before);
        // The same properties are still offered to the model.
        const inProps = (tool.input_schema as JsonObject).properties as JsonObject;
        expect(Object.keys(out.properties as JsonObject)).toEqual(Object.keys(inProps));
      });
    }
  }

  it("the walker does see the forbidden keys in the raw fixture", () => {
    const raw = tools.flatMap((t) => violations(t.input_schema, "gemini"));
    expect(raw.some((v) => v.endsWith("$schema"))).toBe(true);
    expect(raw.some((v) => v.endsWith("propertyNames"))).toBe(true);
    expect(raw.some((v) => v.endsWith("const"))).toBe(true);
    expect(raw.some((v) => v.endsWith("format uri"))).toBe(true);
  });
});

describe("sanitizeJsonSchema: all dialects", () => {
  it.each(dialects)("%s: replaces a missing or non-object schema", (dialect) => {
    for (const bad of [undefined, null, "x", 3, [], true]) {
      expect(sanitizeJsonSchema(bad, dialect)).toEqual({ type: "object", properties: {} });
    }
  });

  it.each(dialects)("%s: drops $schema, adds a root type and empty properties", (dialect) => {
    expect(sanitizeJsonSchema({ $schema: "x" }, dialect)).toEqual({ type: "object", properties: {} });
    expect(sanitizeJsonSchema({ type: "object" }, dialect)).toEqual({ type: "object", properties: {} });
    const nested = sanitizeJsonSchema(
      { type: "object", properties: { a: { type: "object", $schema: "x" } } },
      dialect,
    );
    expect(nested.properties).toEqual({ a: { type: "object", properties: {} } });
  });

  it("full keeps everything else", () => {
    const schema = {
      type: "object",
      properties: { u: { type: "string", format: "uri", default: "x", title: "U" } },
      propertyNames: { type: "string" },
      additionalProperties: false,
    };
    expect(sanitizeJsonSchema(schema, "full")).toEqual(schema);
  });

  it("never aliases the input", () => {
    const schema = {
      type: "object",
      properties: { e: { type: "string", enum: ["a", "b"], default: { x: [1] } } },
      required: ["e"],
    };
    const out = sanitizeJsonSchema(schema, "full");
    const e = (out.properties as JsonObject).e as JsonObject;
    expect(e.enum).not.toBe(schema.properties.e.enum);
    expect(e.default).not.toBe(schema.properties.e.default);
    expect(out.required).not.toBe(schema.required);
  });

  it("keeps a property literally named __proto__", () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as unknown;
    const out = sanitizeJsonSchema(schema, "gemini");
    expect(Object.keys(out.properties as JsonObject)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
  });

  it("recurses through every sub-schema position", () => {
    const leaf = () => ({ type: "string", format: "uri", propertyNames: {} });
    const schema = {
      type: "object",
      properties: { p: leaf() },
      $defs: { d: leaf() },
      definitions: { d: leaf() },
      items: [leaf(), leaf()],
      prefixItems: [leaf()],
      anyOf: [leaf()],
      oneOf: [leaf()],
      allOf: [leaf()],
      not: leaf(),
      additionalProperties: leaf(),
    };
    const strict = sanitizeJsonSchema(schema, "strict");
    expect(violations(strict, "strict")).toEqual([]);
    expect(JSON.stringify(strict)).not.toContain("uri");
    expect(sanitizeJsonSchema({ type: "array", items: leaf() }, "strict").items).toEqual({ type: "string" });
  });
});

describe("sanitizeJsonSchema: strict", () => {
  it("drops the unsupported keywords but not properties with those names", () => {
    const out = sanitizeJsonSchema(
      {
        type: "object",
        $id: "x",
        $comment: "c",
        examples: [{}],
        unevaluatedProperties: false,
        patternProperties: { "^a": { type: "string" } },
        properties: {
          format: { type: "string", format: "uri" },
          examples: { type: "string", format: "date-time" },
          meta: { type: "object", propertyNames: { type: "string" }, additionalProperties: {} },
        },
      },
      "strict",
    );
    expect(out).toEqual({
      type: "object",
      properties: {
        format: { type: "string" },
        examples: { type: "string", format: "date-time" },
        meta: { type: "object", properties: {}, additionalProperties: {} },
      },
    });
  });

  it("keeps whitelisted formats only", () => {
    for (const format of ["date-time", "date", "time", "email", "uuid"]) {
      expect(sanitizeJsonSchema({ type: "string", format }, "strict").format).toBe(format);
    }
    for (const format of ["uri", "regex", "int64", 3]) {
      expect(sanitizeJsonSchema({ type: "string", format }, "strict")).not.toHaveProperty("format");
    }
  });

  it("keeps finite bounds, even huge ones, and drops non-finite ones", () => {
    const out = sanitizeJsonSchema(
      {
        type: "integer",
        minimum: -9007199254740991,
        maximum: 9007199254740991,
        exclusiveMinimum: Number.POSITIVE_INFINITY,
        exclusiveMaximum: "10",
      },
      "strict",
    );
    expect(out).toEqual({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 });
    expect(sanitizeJsonSchema({ type: "number", minimum: Number.NaN }, "strict")).toEqual({
      type: "number",
    });
  });

  it("keeps additionalProperties, default, title and const", () => {
    const schema = {
      type: "object",
      title: "T",
      properties: { a: { const: "x", default: "x" } },
      additionalProperties: false,
    };
    expect(sanitizeJsonSchema(schema, "strict")).toEqual(schema);
  });
});

describe("sanitizeJsonSchema: gemini", () => {
  it("drops additionalProperties, default, title, exclusive bounds; keeps length bounds", () => {
    const out = sanitizeJsonSchema(
      {
        type: "object",
        title: "Root",
        additionalProperties: false,
        properties: {
          title: { type: "string", title: "Title", minLength: 1, maxLength: 9, default: "t" },
          n: { type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 9, minimum: 1, maximum: 8 },
          m: { type: "object", additionalProperties: { type: "string" } },
        },
      },
      "gemini",
    );
    expect(out).toEqual({
      type: "object",
      properties: {
        title: { type: "string", minLength: 1, maxLength: 9 },
        n: { type: "integer", minimum: 1, maximum: 8 },
        m: { type: "object", properties: {} },
      },
    });
  });

  it("keeps only enum and date-time formats", () => {
    expect(sanitizeJsonSchema({ type: "string", format: "date-time" }, "gemini").format).toBe("date-time");
    expect(sanitizeJsonSchema({ type: "string", format: "enum" }, "gemini").format).toBe("enum");
    for (const format of ["date", "email", "uuid", "uri"]) {
      expect(sanitizeJsonSchema({ type: "string", format }, "gemini")).not.toHaveProperty("format");
    }
  });

  it("turns const into a one-value enum, inferring the type when missing", () => {
    const convert = (schema: JsonObject) =>
      (sanitizeJsonSchema({ type: "object", properties: { x: schema } }, "gemini").properties as JsonObject)
        .x;
    expect(convert({ const: "deleted" })).toEqual({ enum: ["deleted"], type: "string" });
    expect(convert({ const: 3 })).toEqual({ enum: [3], type: "integer" });
    expect(convert({ const: 1.5 })).toEqual({ enum: [1.5], type: "number" });
    expect(convert({ const: true })).toEqual({ enum: [true], type: "boolean" });
    expect(convert({ const: null })).toEqual({ enum: [null] });
    expect(convert({ type: "string", const: "a" })).toEqual({ type: "string", enum: ["a"] });
    expect(convert({ enum: ["a", "b"], const: "a" })).toEqual({ enum: ["a"], type: "string" });
    expect(convert({ const: "a", enum: ["a", "b"] })).toEqual({ enum: ["a"], type: "string" });
  });

  it("keeps anyOf and converts consts inside it (TaskUpdate.status)", () => {
    const out = sanitizeJsonSchema(
      {
        type: "object",
        properties: {
          status: { anyOf: [{ type: "string", enum: ["pending"] }, { const: "deleted" }] },
        },
      },
      "gemini",
    );
    expect((out.properties as JsonObject).status).toEqual({
      anyOf: [
        { type: "string", enum: ["pending"] },
        { enum: ["deleted"], type: "string" },
      ],
    });
  });

  it("turns nullable type arrays into type + nullable", () => {
    expect(sanitizeJsonSchema({ type: ["string", "null"] }, "gemini")).toEqual({
      type: "string",
      nullable: true,
    });
    expect(sanitizeJsonSchema({ type: ["null", "object"] }, "gemini")).toEqual({
      type: "object",
      nullable: true,
      properties: {},
    });
    expect(sanitizeJsonSchema({ type: ["integer"] }, "gemini")).toEqual({ type: "integer" });
    expect(
      sanitizeJsonSchema({ type: "object", properties: { a: { type: ["string", "number"] } } }, "gemini"),
    ).toEqual({
      type: "object",
      properties: { a: { anyOf: [{ type: "string" }, { type: "number" }] } },
    });
    // The full and strict dialects leave type arrays alone.
    expect(sanitizeJsonSchema({ type: ["string", "null"] }, "strict")).toEqual({ type: ["string", "null"] });
  });

  it("leaves $ref alone", () => {
    const schema = {
      type: "object",
      properties: { a: { $ref: "#/$defs/A" } },
      $defs: { A: { type: "string", default: "x" } },
    };
    expect(sanitizeJsonSchema(schema, "gemini")).toEqual({
      type: "object",
      properties: { a: { $ref: "#/$defs/A" } },
      $defs: { A: { type: "string" } },
    });
  });

  it("keeps the Workflow tool's property named title", () => {
    const workflow = tools.find((t) => t.name === "Workflow");
    expect(workflow).toBeDefined();
    const out = sanitizeJsonSchema(workflow?.input_schema, "gemini");
    expect(out.properties).toHaveProperty("title");
  });
});
