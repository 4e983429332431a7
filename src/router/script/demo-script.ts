/**
 * grove's offline demo model. It drives Claude Code (which has a `Write` tool) and Codex (which
 * has `apply_patch`) to leave a note, and grove's built-in agent (which has `edit`) through three small tasks on the sample
 * repository that `grove demo` creates: a fix, a feature and an explanation. Any other
 * request gets an honest "I am a scripted demo" answer.
 */
import { demoPipelineReplies } from "./demo-pipeline-script.js";
import type { ScriptReply } from "./script-schema.js";

const DEMO_NOTE = `# Hello from grove

This file was written by Claude Code, driven by grove's scripted demo model through the grove
router: Anthropic Messages in, Chat Completions out, and back again, with no API key and no
network. Point the router at a real provider (see the README) and the same setup runs on any model.
`;

const claudeCode: ScriptReply[] = [
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
];

const CODEX_NOTE = `# Hello from grove

This file was written by Codex, driven by grove's scripted demo model through the grove router:
the Responses API in, Chat Completions out, and back again, with no API key and no network. Point
the router at a real provider (see the README) and the same setup runs on any model.
`;

// Codex's freeform apply_patch reaches the script as a function with one string parameter, `input`.
const codex: ScriptReply[] = [
  {
    when: { hasTool: "apply_patch", lastToolResultContains: "GROVE_DEMO.md" },
    repeat: true,
    text: "Done: I wrote GROVE_DEMO.md. This answer came from grove's scripted demo model.",
    usage: { input: 1200, output: 20 },
  },
  {
    when: { hasTool: "apply_patch" },
    repeat: true,
    text: "I'll add GROVE_DEMO.md to show a tool call round trip.",
    toolCalls: [
      {
        name: "apply_patch",
        arguments: {
          input: `*** Begin Patch\n*** Add File: GROVE_DEMO.md\n${CODEX_NOTE.trimEnd()
            .split("\n")
            .map((line) => `+${line}`)
            .join("\n")}\n*** End Patch\n`,
        },
      },
    ],
    usage: { input: 1100, output: 90 },
  },
];

/** A task for the built-in agent: the replies for turns 0, 1, 2, … of a prompt that mentions `keyword`. */
function task(keyword: string, turns: Omit<ScriptReply, "when" | "repeat">[]): ScriptReply[] {
  return turns.map((reply, turn) => ({
    ...reply,
    when: { hasTool: "edit", lastUserContains: keyword, turn },
    repeat: true,
    chunkDelayMs: 15,
  }));
}

const fix = task("world", [
  {
    reasoning: "Start by reading the function and its test.",
    text: "Let me read greet() first.",
    toolCalls: [{ name: "read", arguments: { path: "src/greet.js" } }],
  },
  {
    text: 'greet() concatenates `name` even when it is missing. I\'ll default it to "world" and add a test for that.',
    toolCalls: [
      {
        name: "edit",
        arguments: {
          path: "src/greet.js",
          old_string: 'return "Hello, " + name + "!";',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source code the demo writes.
          new_string: 'return `Hello, ${name ?? "world"}!`;',
        },
      },
      {
        name: "edit",
        arguments: {
          path: "test/greet.test.js",
          old_string: '  assert.equal(greet("Ada"), "Hello, Ada!");\n});\n',
          new_string:
            '  assert.equal(greet("Ada"), "Hello, Ada!");\n});\n\ntest("greets the world without a name", () => {\n  assert.equal(greet(), "Hello, world!");\n});\n',
        },
      },
    ],
  },
  { text: "Now the tests.", toolCalls: [{ name: "bash", arguments: { command: "node --test" } }] },
  {
    text: 'greet() now says "Hello, world!" when no name is given. I added a test for it; both tests pass (`node --test`).',
  },
]);

// biome-ignore lint/suspicious/noTemplateCurlyInString: this is source code the demo writes.
const FAREWELL = 'export function farewell(name = "world") {\n  return `Goodbye, ${name}!`;\n}\n';
const FAREWELL_TEST =
  'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { farewell } from "../src/farewell.js";\n\ntest("says goodbye", () => {\n  assert.equal(farewell("Ada"), "Goodbye, Ada!");\n  assert.equal(farewell(), "Goodbye, world!");\n});\n';

const feature = task("farewell", [
  {
    text: "I'll add farewell() beside greet(), with its own test.",
    toolCalls: [
      { name: "write", arguments: { path: "src/farewell.js", content: FAREWELL } },
      { name: "write", arguments: { path: "test/farewell.test.js", content: FAREWELL_TEST } },
    ],
  },
  { text: "Running the tests.", toolCalls: [{ name: "bash", arguments: { command: "node --test" } }] },
  { text: 'Added farewell(name = "world") in src/farewell.js with a test; `node --test` passes.' },
]);

const NOTES = `# How greeting works

- \`src/greet.js\` exports \`greet(name)\`, which builds \`"Hello, " + name + "!"\`.
- \`test/greet.test.js\` checks \`greet("Ada")\` with Node's built-in test runner (\`npm test\` runs \`node --test\`).
- Nothing else calls \`greet\` yet; a missing name prints \`Hello, undefined!\`.
`;

// The explain lane is read-only: its final answer is the notes document grove keeps.
const explain: ScriptReply[] = [
  {
    text: "I'll find where greeting happens.",
    toolCalls: [{ name: "grep", arguments: { pattern: "greet" } }],
  },
  { toolCalls: [{ name: "read", arguments: { path: "src/greet.js" } }] },
  { text: NOTES },
].map((reply, turn) => ({
  ...reply,
  when: { hasTool: "grep", lastUserContains: "(grove step: explain)", turn },
  repeat: true,
  chunkDelayMs: 15,
}));

const fallback: ScriptReply[] = [
  {
    when: { hasTool: "list", turn: 0 },
    repeat: true,
    text: "I'm grove's scripted demo model, so I can only show how the agent works. Here are the files:",
    toolCalls: [{ name: "list", arguments: { path: "." } }],
  },
  {
    when: { hasTool: "list" },
    repeat: true,
    text: "That was a scripted run: no model was asked. Configure a provider (see the README) and run the same command with --model <provider/model>.",
  },
  {
    repeat: true,
    text: "Hello from grove's scripted demo model. The router translated your Anthropic request to Chat Completions and this reply back; configure a provider to talk to a real model.",
    usage: { input: 20, output: 30 },
  },
];

export const demoReplies: ScriptReply[] = [
  ...demoPipelineReplies,
  ...codex,
  ...claudeCode,
  ...fix,
  ...feature,
  ...explain,
  ...fallback,
];
