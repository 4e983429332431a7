/**
 * The demo model's part in grove's pipelines, for the built-in agent on the sample repository:
 * `grove plan --auto` with an idea about greeting in other languages goes through brainstorm,
 * spec, plan, two implementer chunks (the first sent back once by its review), the final review
 * and the tests; and any task's architect review gets a verdict. Replies are keyed by the
 * `(grove step: …)` line each pipeline prompt starts with.
 */
import type { ScriptMatcher, ScriptReply } from "./script-schema.js";

const IDEA = "language";

const SPEC = `# Greetings in other languages

## Goal
Let callers greet people in French and Spanish as well as English, beside greet(), which stays as it is.

## Requirements
- R1: \`greetIn("Ada", "en")\` returns "Hello, Ada!" and \`greetIn("Ada", "fr")\` returns "Bonjour, Ada!".
- R2: \`greetIn("Ada", "es")\` returns "¡Hola, Ada!".
- R3: An unknown language throws a RangeError that names the known languages.
- R4: The README lists the supported languages.

## Approach
A table of greetings per language code in a new module, src/greet-in.js. Alternatives: a language parameter on greet() (changes its contract) or one function per language (does not scale).

## Assumptions
- Language codes are ISO 639-1 (en, fr, es); no regional variants.
`;

const PLAN = `# Plan: Greetings in other languages

Spec: {{user:(\\S+-design\\.md)}}

## Task 1: greetIn() in English and French
Files: \`src/greet-in.js\`, \`test/greet-in.test.js\`
Covers: R1
Steps:
1. Write a failing test: greetIn("Ada", "en") is "Hello, Ada!" and greetIn("Ada", "fr") is "Bonjour, Ada!".
2. Run \`node --test\` and see it fail.
3. Add src/greet-in.js with a GREETINGS table and greetIn(name, language).
4. Run \`node --test\` and see it pass.
Test: \`node --test\` — English and French greetings
Commit: greetIn() greets in English and French

## Task 2: Spanish
Files: \`src/greet-in.js\`, \`test/greet-in.test.js\`
Covers: R2
Steps:
1. Add a failing test for greetIn("Ada", "es").
2. Add "es" to GREETINGS and see the test pass.
Test: \`node --test\` — the Spanish greeting
Commit: greetIn() greets in Spanish

## Task 3: Unknown languages
Files: \`src/greet-in.js\`, \`test/greet-in.test.js\`
Covers: R3
Steps:
1. Add a failing test: greetIn("Ada", "de") throws a RangeError naming en, fr and es.
2. Throw that error for codes missing from GREETINGS and see the test pass.
Test: \`node --test\` — the RangeError and its message
Commit: greetIn() rejects unknown languages

## Task 4: Document the languages
Files: \`README.md\`
Covers: R4
Steps:
1. Add a Languages section to README.md listing en, fr and es, with an example call.
Test: \`node --test\` — still passes (documentation only)
Commit: README lists the supported languages
`;

const GREET_IN = `const GREETINGS = { en: "Hello", fr: "Bonjour", es: "¡Hola" };

export function greetIn(name, language) {
  const greeting = GREETINGS[language];
  if (greeting === undefined) {
    throw new RangeError(\`unknown language: \${language}\`);
  }
  return \`\${greeting}, \${name}!\`;
}
`;

const GREET_IN_TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { greetIn } from "../src/greet-in.js";

test("greets in English and French", () => {
  assert.equal(greetIn("Ada", "en"), "Hello, Ada!");
  assert.equal(greetIn("Ada", "fr"), "Bonjour, Ada!");
});

test("greets in Spanish", () => {
  assert.equal(greetIn("Ada", "es"), "¡Hola, Ada!");
});

test("rejects unknown languages", () => {
  assert.throws(() => greetIn("Ada", "de"), RangeError);
});
`;

/** The step's marker in the newest user message; other conditions go in `extra`. */
const step = (name: string, extra: Omit<ScriptMatcher, "lastUserContains"> = {}): ScriptMatcher => ({
  ...extra,
  lastUserContains: `(grove step: ${name})`,
});

const reply = (when: ScriptMatcher, rest: Omit<ScriptReply, "when" | "repeat">): ScriptReply => ({
  when,
  repeat: true,
  chunkDelayMs: 5,
  ...rest,
});

const architect: ScriptReply[] = [
  reply(step("brainstorm", { anyMessageContains: IDEA, turn: 0 }), {
    text: "Let me see how greeting works today.",
    toolCalls: [{ name: "read", arguments: { path: "src/greet.js" } }],
  }),
  reply(step("brainstorm", { anyMessageContains: IDEA, turn: 1 }), {
    text: `DESIGN READY
Approaches:
1. A new greetIn(name, language) with a table of greetings per language code (recommended): greet() keeps its contract.
2. A language parameter on greet(): fewer functions, but every caller's contract changes.
3. One function per language: simple, but it does not scale past a few languages.
Recommendation: 1.
Assumptions:
- Language codes are ISO 639-1 (en, fr, es).
- An unknown code is a caller's mistake: throw a RangeError.`,
  }),
  reply(step("spec", { lastToolResultContains: "Wrote" }), {
    text: "The spec is written: four requirements (English and French, Spanish, unknown languages, README).",
  }),
  reply(step("spec", { anyMessageContains: IDEA }), {
    text: "Writing the spec.",
    toolCalls: [{ name: "write", arguments: { path: "{{user:(\\S+-design\\.md)}}", content: SPEC } }],
  }),
  reply(step("plan", { lastToolResultContains: "Wrote" }), { text: "The plan is written: four tasks." }),
  reply(step("plan", { anyMessageContains: IDEA }), {
    text: "Writing the plan.",
    toolCalls: [{ name: "write", arguments: { path: "{{user:(\\S+-plan\\.md)}}", content: PLAN } }],
  }),
];

const implementer: ScriptReply[] = [
  // Chunk 2: the README.
  reply(step("implement", { anyMessageContains: "Task 4: Document the languages", turn: 0 }), {
    text: "Adding the Languages section.",
    toolCalls: [
      {
        name: "edit",
        arguments: {
          path: "README.md",
          old_string: "Run the tests with `npm test`.\n",
          new_string:
            'Run the tests with `npm test`.\n\n## Languages\n\n`greetIn(name, language)` greets in English (`en`), French (`fr`) and Spanish (`es`): `greetIn("Ada", "fr")` is "Bonjour, Ada!".\n',
        },
      },
    ],
  }),
  reply(step("implement", { anyMessageContains: "Task 4: Document the languages", turn: 1 }), {
    text: "README.md now lists en, fr and es with an example.\n\nSTATUS: DONE",
  }),
  // Chunk 1: tasks 1-3, test first.
  reply(step("implement", { anyMessageContains: "Task 1: greetIn()", turn: 0 }), {
    text: "Tests first, then the module.",
    toolCalls: [
      { name: "write", arguments: { path: "test/greet-in.test.js", content: GREET_IN_TEST } },
      { name: "write", arguments: { path: "src/greet-in.js", content: GREET_IN } },
    ],
  }),
  reply(step("implement", { anyMessageContains: "Task 1: greetIn()", turn: 1 }), {
    text: "Running the tests.",
    toolCalls: [{ name: "bash", arguments: { command: "node --test" } }],
  }),
  reply(step("implement", { anyMessageContains: "Task 1: greetIn()", turn: 2 }), {
    text: "greetIn() greets in en, fr and es and throws a RangeError otherwise; `node --test` passes.\n\nSTATUS: DONE",
  }),
  // The fix the first review asks for.
  reply(step("fix", { lastToolResultContains: "fail 0" }), {
    text: "The RangeError now names the known languages, and the test checks it.\n\nSTATUS: DONE",
  }),
  reply(step("fix", { lastToolResultContains: "Replaced" }), {
    text: "Running the tests.",
    toolCalls: [{ name: "bash", arguments: { command: "node --test" } }],
  }),
  reply(step("fix", { anyMessageContains: "greetIn" }), {
    text: "Naming the known languages in the error.",
    toolCalls: [
      {
        name: "edit",
        arguments: {
          path: "src/greet-in.js",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source code the demo writes.
          old_string: "`unknown language: ${language}`",
          new_string:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source code the demo writes.
            '`unknown language: ${language} (known: ${Object.keys(GREETINGS).join(", ")})`',
        },
      },
      {
        name: "edit",
        arguments: {
          path: "test/greet-in.test.js",
          old_string: 'greetIn("Ada", "de"), RangeError);',
          new_string: 'greetIn("Ada", "de"), /known: en, fr, es/);',
        },
      },
    ],
  }),
];

const APPROVED = "VERDICT: APPROVED\nFINDINGS: none";

const reviewer: ScriptReply[] = [
  reply(step("review", { anyMessageContains: "Task 4: Document the languages" }), {
    text: `The Languages section matches R4 and the example is right.\n\n${APPROVED}`,
  }),
  reply(step("review", { anyMessageContains: "Object.keys(GREETINGS)" }), {
    text: "The error now names the known languages, and the test checks the message.\n\nVERDICT: APPROVED\nFINDINGS:\n- [minor] test/greet-in.test.js:5 — The English and French cases could be separate tests, so a failure names the language.",
  }),
  reply(step("review", { anyMessageContains: "greetIn" }), {
    text: 'Tasks 1 and 2 are done as planned and tested. Task 3 is not: R3 says the RangeError names the known languages, and it does not.\n\nVERDICT: CHANGES_REQUESTED\nFINDINGS:\n- [important] src/greet-in.js:6 — The RangeError says only "unknown language: de"; R3 asks it to name the known languages (en, fr, es), and the test should check that.',
  }),
  reply(step("final-review"), {
    text: "The branch meets R1-R4 as one change. The noted minor finding (separate English and French tests) can wait.\n\nVERDICT: APPROVED\nFINDINGS: none",
  }),
  // Any other task's architect review (the maintenance lane): the demo cannot judge code.
  reply(step("review"), {
    text: `I'm grove's scripted demo model: I can't judge this change, so I pass it to your review.\n\n${APPROVED}`,
  }),
];

export const demoPipelineReplies: ScriptReply[] = [...reviewer, ...architect, ...implementer];
