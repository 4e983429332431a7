/**
 * Scripts bundled with grove, named `builtin:<name>` in a config. They live in code rather
 * than files so they also work where there is no file system (Workers).
 */
import { demoReplies } from "./demo-script.js";
import type { Script } from "./script-schema.js";

export const demoScript: Script = {
  name: "demo",
  description:
    "grove's offline demo model: drives Claude Code and grove's built-in agent through small tasks.",
  replies: demoReplies,
};

export const builtinScripts: Record<string, Script> = { demo: demoScript };
