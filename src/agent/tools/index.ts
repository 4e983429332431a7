/** The built-in agent's tools, each bound to one working directory. */
import { createBashTool } from "./bash.js";
import { createEditTool } from "./edit.js";
import { createGlobTool } from "./glob.js";
import { createGrepTool } from "./grep.js";
import { createListTool } from "./list.js";
import { createReadTool } from "./read.js";
import type { AgentTool, ToolOptions } from "./tool.js";
import { createWriteTool } from "./write.js";

export { createBashTool, isSecretEnvName, scrubEnv } from "./bash.js";
export { type ConfinedPath, confinePath } from "./confine.js";
export { createEditTool } from "./edit.js";
export { createGlobTool } from "./glob.js";
export { createGrepTool } from "./grep.js";
export { createListTool } from "./list.js";
export { createReadTool } from "./read.js";
export type { AgentTool, ToolContext, ToolDefinition, ToolOptions, ToolResult } from "./tool.js";
export { createWriteTool } from "./write.js";

/** The tools that cannot change anything: for reviewers and explainers. */
export function createReadOnlyTools(options: ToolOptions): AgentTool[] {
  return [createReadTool(options), createListTool(options), createGlobTool(options), createGrepTool(options)];
}

/** All tools, in the order they are offered to the model. */
export function createTools(options: ToolOptions): AgentTool[] {
  return [
    createReadTool(options),
    createWriteTool(options),
    createEditTool(options),
    createListTool(options),
    createGlobTool(options),
    createGrepTool(options),
    createBashTool(options),
  ];
}
