/**
 * Scripts bundled with grove, named `builtin:<name>` in a config. They live in code rather
 * than files so they also work where there is no file system (Workers).
 */
import type { Script } from "./script-schema.js";

const DEMO_NOTE = `# Hello from grove

This file was written by Claude Code, driven by grove's scripted demo model through the grove
router: Anthropic Messages in, Chat Completions out, and back again, with no API key and no
network. Point the router at a real provider (see the README) and the same setup runs on any model.
`;

export const demoScript: Script = {
  name: "demo",
  description:
    "grove's offline demo model: writes GROVE_DEMO.md when it has a Write tool, otherwise says hello.",
  replies: [
    {
      when: { lastToolResultContains: "GROVE_DEMO.md" },
      repeat: true,
      text: "Done: I wrote GROVE_DEMO.md in {{cwd}}. This answer came from grove's scripted demo model.",
      usage: { input: 1200, output: 24 },
    },
    {
      when: { hasTool: "Write" },
      repeat: true,
      reasoning: "The user is trying grove offline. Writing a short note shows a full tool round trip.",
      text: "I'll write GROVE_DEMO.md to show a tool call round trip.",
      toolCalls: [{ name: "Write", arguments: { file_path: "{{cwd}}/GROVE_DEMO.md", content: DEMO_NOTE } }],
      usage: { input: 1100, output: 60 },
    },
    {
      repeat: true,
      text: "Hello from grove's scripted demo model. The router translated your Anthropic request to Chat Completions and this reply back; configure a provider to talk to a real model.",
      usage: { input: 20, output: 30 },
    },
  ],
};

export const builtinScripts: Record<string, Script> = { demo: demoScript };
