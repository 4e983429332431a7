/**
 * Rewrites a tool's JSON Schema (`input_schema`) into the dialect a backend accepts.
 * Claude Code sends draft 2020-12 schemas; picky validators reject keywords they don't know
 * with a 400 that fails the whole request, so unknown keywords are removed rather than risked.
 */
import type { SchemaDialect } from "../compat/compat-record.js";

type JsonObject = Record<string, unknown>;

/** Keywords "strict" backends reject or silently mis-handle. */
const STRICT_DROP: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$comment",
  "propertyNames",
  "patternProperties",
  "unevaluatedProperties",
  "examples",
]);

/** Gemini's OpenAPI subset additionally has none of these. `const` is rewritten, not lost. */
const GEMINI_DROP: ReadonlySet<string> = new Set([
  ...STRICT_DROP,
  "additionalProperties",
  "default",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "title",
]);

/**
 * The `format` values OpenAI's structured outputs document as supported. Anything else
 * (`uri`, `regex`, …) is dropped: it is advisory, and unknown formats are an error there.
 */
const STRICT_FORMATS: ReadonlySet<string> = new Set([
  "date-time",
  "date",
  "time",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid",
]);

/** Gemini accepts only these `format`s on strings (CCR `gemini.util.ts`, 1R `clean_gemini_schema`). */
const GEMINI_FORMATS: ReadonlySet<string> = new Set(["enum", "date-time"]);

const NUMERIC_BOUNDS: ReadonlySet<string> = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
]);

/**
 * Returns a sanitised copy of `schema` for `dialect`. The input is never mutated and the
 * result shares no objects or arrays with it. Property names are never mistaken for keywords:
 * a property called `title` or `format` survives every dialect.
 */
export function sanitizeJsonSchema(schema: unknown, dialect: SchemaDialect): Record<string, unknown> {
  if (!isPlainObject(schema)) return { type: "object", properties: {} };
  const out = sanitizeNode(schema, dialect);
  if (out.type !== undefined) return out;
  // Tool parameters are always an object; backends reject a type-less root.
  return { type: "object", properties: {}, ...out };
}

function sanitizeNode(node: JsonObject, dialect: SchemaDialect): JsonObject {
  const out: JsonObject = {};
  const gemini = dialect === "gemini";
  const drop = gemini ? GEMINI_DROP : STRICT_DROP;
  const formats = gemini ? GEMINI_FORMATS : STRICT_FORMATS;

  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (dialect !== "full") {
      if (drop.has(key)) continue;
      if (key === "format" && !(typeof value === "string" && formats.has(value))) continue;
      if (NUMERIC_BOUNDS.has(key) && !(typeof value === "number" && Number.isFinite(value))) continue;
    }
    if (gemini) {
      // `const` wins over a sibling `enum`, whichever comes first.
      if (key === "enum" && Object.hasOwn(node, "const")) continue;
      if (key === "const") {
        setKey(out, "enum", [cloneJson(value)]);
        const inferred = node.type === undefined ? inferType(value) : undefined;
        if (inferred !== undefined) out.type = inferred;
        continue;
      }
      if (key === "type" && Array.isArray(value)) {
        applyGeminiTypeArray(out, value, node.anyOf !== undefined);
        continue;
      }
    }
    setKey(out, key, sanitizeKeywordValue(key, value, dialect));
  }

  if (isObjectType(out.type) && out.properties === undefined) out.properties = {};
  return out;
}

/** Recurses only where a keyword's value holds sub-schemas; everything else is data. */
function sanitizeKeywordValue(key: string, value: unknown, dialect: SchemaDialect): unknown {
  switch (key) {
    case "properties":
    case "$defs":
    case "definitions":
    case "patternProperties": {
      if (!isPlainObject(value)) return cloneJson(value);
      const map: JsonObject = {};
      for (const [name, sub] of Object.entries(value)) setKey(map, name, sanitizeSub(sub, dialect));
      return map;
    }
    case "items":
      return Array.isArray(value) ? value.map((s) => sanitizeSub(s, dialect)) : sanitizeSub(value, dialect);
    case "prefixItems":
    case "anyOf":
    case "oneOf":
    case "allOf":
      return Array.isArray(value) ? value.map((s) => sanitizeSub(s, dialect)) : cloneJson(value);
    case "not":
    case "additionalProperties":
      // `additionalProperties: false` stays a boolean; only a schema is walked.
      return sanitizeSub(value, dialect);
    default:
      return cloneJson(value);
  }
}

function sanitizeSub(value: unknown, dialect: SchemaDialect): unknown {
  return isPlainObject(value) ? sanitizeNode(value, dialect) : cloneJson(value);
}

/**
 * Gemini's `type` is a single enum value: `[X, "null"]` becomes `X` + `nullable`, and
 * several non-null types become an `anyOf` (unless one already exists, which is left alone).
 */
function applyGeminiTypeArray(out: JsonObject, types: readonly unknown[], hasAnyOf: boolean): void {
  const nonNull = types.filter((t) => t !== "null");
  if (nonNull.length === 1) out.type = nonNull[0];
  else if (nonNull.length > 1 && !hasAnyOf) out.anyOf = nonNull.map((t) => ({ type: t }));
  else if (nonNull.length > 1) out.type = [...nonNull];
  if (nonNull.length < types.length) out.nullable = true;
}

function inferType(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    default:
      if (Array.isArray(value)) return "array";
      return isPlainObject(value) ? "object" : undefined;
  }
}

function isObjectType(type: unknown): boolean {
  return type === "object" || (Array.isArray(type) && type.includes("object"));
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies JSON data (enum lists, defaults) so the output never aliases the input. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isPlainObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, sub] of Object.entries(value)) setKey(copy, key, cloneJson(sub));
  return copy;
}

/** Plain assignment of `__proto__` would set the prototype and lose a property literally named so. */
function setKey(target: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
