/**
 * Custom (freeform) tools take raw text, not JSON: Codex's `apply_patch` takes a patch. Chat
 * backends only know function tools, so a custom tool is offered as a function with one
 * string parameter, `input`, and the model's call is unwrapped back into that text.
 */
import { parseToolArguments } from "../translate/repair-tool-arguments.js";
import type { CustomToolFormat } from "./request-schema.js";

export const CUSTOM_INPUT_PARAMETER = "input";

export function customToolParameters(format: CustomToolFormat | undefined): Record<string, unknown> {
  return {
    type: "object",
    properties: { [CUSTOM_INPUT_PARAMETER]: { type: "string", description: inputDescription(format) } },
    required: [CUSTOM_INPUT_PARAMETER],
    additionalProperties: false,
  };
}

export function customToolDescription(description: string | undefined): string {
  const note =
    `Call this tool with a single string argument, \`${CUSTOM_INPUT_PARAMETER}\`, ` +
    "holding the raw text the tool takes.";
  return description ? `${description}\n\n${note}` : note;
}

function inputDescription(format: CustomToolFormat | undefined): string {
  if (format?.type === "grammar" && format.definition) {
    return `The raw input. It must match this ${format.syntax ?? ""} grammar:\n${format.definition}`;
  }
  return "The raw input, as plain text.";
}

/** A call from history → the arguments text of the function call that stands for it. */
export function customToolArguments(input: string): string {
  return JSON.stringify({ [CUSTOM_INPUT_PARAMETER]: input });
}

/**
 * The model's arguments → the tool's raw input. Models that ignore the wrapper and send the
 * text itself (a patch where JSON was expected) still work: text that is not a JSON object is
 * the input.
 */
export function customToolInput(args: string): string {
  const parsed = parseToolArguments(args);
  const wrapped = parsed.input[CUSTOM_INPUT_PARAMETER];
  if (typeof wrapped === "string") return wrapped;
  const raw = parsed.input._raw_arguments;
  if (typeof raw === "string") return raw;
  const strings = Object.values(parsed.input).filter((value) => typeof value === "string");
  if (strings.length === 1) return strings[0] as string;
  return args.trim() === "" ? "" : parsed.json;
}
