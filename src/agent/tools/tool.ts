/** The contract between the agent loop and its tools. */

export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown> /* JSON Schema object */;
}
export interface ToolResult {
  output: string;
  isError: boolean;
}
export interface ToolContext {
  signal: AbortSignal;
}
export interface AgentTool {
  definition: ToolDefinition;
  /** Changes nothing, so it may run beside other calls of the same turn. */
  readOnly?: boolean;
  run(input: unknown, context: ToolContext): Promise<ToolResult>;
}
export interface ToolOptions {
  cwd: string; // every tool is bound to this directory
  bash?: { timeoutMs?: number; maxOutputBytes?: number; env?: NodeJS.ProcessEnv; allowSecrets?: boolean };
}

/** Thrown inside a tool for an expected failure; becomes an error result with exactly this message. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

export const ok = (output: string): ToolResult => ({ output, isError: false });
export const fail = (output: string): ToolResult => ({ output, isError: true });
