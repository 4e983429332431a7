/** Builds an AgentTool from a zod schema and a handler: validation, JSON Schema and error handling in one place. */
import { z } from "zod";
import { type AgentTool, fail, type ToolContext, ToolError, type ToolResult } from "./tool.js";

export interface ToolSpec<Schema extends z.ZodType> {
  name: string;
  description: string;
  schema: Schema;
  readOnly?: boolean;
  run(input: z.output<Schema>, context: ToolContext): Promise<ToolResult>;
}

export function defineTool<Schema extends z.ZodType>(spec: ToolSpec<Schema>): AgentTool {
  return {
    definition: { name: spec.name, description: spec.description, inputSchema: jsonSchemaOf(spec.schema) },
    ...(spec.readOnly ? { readOnly: true } : {}),
    async run(input, context) {
      if (context.signal.aborted) return fail(`${spec.name} was aborted before it started.`);
      const parsed = spec.schema.safeParse(input);
      if (!parsed.success) return fail(formatInputError(spec.name, parsed.error));
      try {
        return await spec.run(parsed.data, context);
      } catch (error) {
        if (error instanceof ToolError) return fail(error.message);
        return fail(`${spec.name} failed: ${describeError(error)}`);
      }
    },
  };
}

/** A plain `{type: "object", properties, required}` JSON Schema, without `$schema` or safe-integer bounds. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return stripSafeIntegerBounds(json) as Record<string, unknown>;
}

function stripSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSafeIntegerBounds);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "maximum" && inner === Number.MAX_SAFE_INTEGER) continue;
    if (key === "minimum" && inner === Number.MIN_SAFE_INTEGER) continue;
    out[key] = stripSafeIntegerBounds(inner);
  }
  return out;
}

export function formatInputError(tool: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
    return `- ${where}${issue.message}`;
  });
  return `Invalid input for tool "${tool}":\n${lines.join("\n")}`;
}

/** The message of an unexpected error, with the errno code when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = errnoCode(error);
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function errnoCode(error: unknown): string | undefined {
  if (error instanceof Error && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

/** A path argument: a non-empty string without NUL bytes. */
export const pathSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => !value.includes("\0"), "must not contain NUL bytes");
