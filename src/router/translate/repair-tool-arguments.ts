/**
 * Turns a model's tool-call `arguments` text into the object Anthropic's `tool_use.input` needs.
 * Open models often emit almost-JSON (Qwen: single quotes; others: trailing commas, Python
 * literals, markdown fences, or output cut off by max_tokens), which `jsonrepair` fixes.
 */
import { jsonrepair } from "jsonrepair";

export interface ParsedToolArguments {
  input: Record<string, unknown>;
  /** `input` as JSON text: the original text whenever it was already a valid JSON object. */
  json: string;
  /** False only when the text was blank or already a JSON object; true whenever `input` was derived. */
  repaired: boolean;
}

/**
 * Never throws. Order: blank → `{}`; a JSON object → as-is; a JSON string holding an object
 * (double-encoded) → that object; `null` → `{}`; another JSON value → `{ value }`; otherwise
 * `jsonrepair`. If nothing yields an object the text is returned as `{ _raw_arguments }`, so the
 * client's input validation reports the problem to the model instead of the call vanishing.
 */
export function parseToolArguments(text: string): ParsedToolArguments {
  if (text.trim() === "") return { input: {}, json: "{}", repaired: false };

  const direct = tryParse(text);
  if (direct.ok) {
    if (isPlainObject(direct.value)) return { input: direct.value, json: text, repaired: false };
    // Valid JSON but not an object: unwrap what we can, and still hand the value over.
    return derived(unwrap(direct.value) ?? { value: direct.value });
  }

  let fixed: string;
  try {
    fixed = jsonrepair(text);
  } catch {
    return raw(text);
  }
  const repairedValue = tryParse(fixed);
  if (!repairedValue.ok) return raw(text);
  if (isPlainObject(repairedValue.value)) return { input: repairedValue.value, json: fixed, repaired: true };
  // jsonrepair turns prose into a JSON string; that is garbage, not a value to wrap.
  const unwrapped = unwrap(repairedValue.value);
  return unwrapped ? derived(unwrapped) : raw(text);
}

/** Objects hidden in a non-object JSON value: `null` means no arguments; a string may be encoded twice. */
function unwrap(value: unknown): Record<string, unknown> | undefined {
  if (value === null) return {};
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const inner = tryParse(value);
  if (inner.ok) return isPlainObject(inner.value) ? inner.value : undefined;
  try {
    const fixed = tryParse(jsonrepair(value));
    return fixed.ok && isPlainObject(fixed.value) ? fixed.value : undefined;
  } catch {
    return undefined;
  }
}

function derived(input: Record<string, unknown>): ParsedToolArguments {
  return { input, json: JSON.stringify(input), repaired: true };
}

function raw(text: string): ParsedToolArguments {
  const input = { _raw_arguments: text };
  return { input, json: JSON.stringify(input), repaired: true };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
