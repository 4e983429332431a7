/**
 * Scripted architect, implementer and reviewer for one small feature on the sample repository:
 * farewell(name) beside greet(). The spec has two requirements, the plan two tasks (two chunks at
 * chunkSize 1). Knobs switch the parts a test is about: a brainstorm question, a plan with
 * placeholders, a reviewer that sends chunk 1 back once or forever, an implementer held at a
 * barrier. Replies are keyed by each prompt's `(grove step: …)` line, by `turn` in fresh sessions
 * and by the newest tool result in resumed ones, like src/router/script/demo-pipeline-script.ts.
 */
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import {
  bash,
  edit,
  PLAN_PATH,
  type RoleScripts,
  read,
  reply,
  SPEC_PATH,
  step,
  write,
} from "./pipeline-harness.js";

export const IDEA = "Add farewell(name) beside greet(): say goodbye by name";

export const QUESTION =
  'What should farewell() say when it gets no name?\n(a) "Goodbye, friend!"\n(b) throw a TypeError';
export const ANSWER = 'Say "Goodbye, friend!" (option a).';

export const DESIGN = `DESIGN READY
Approaches:
1. A new module src/farewell.js with farewell(name) (recommended): greet() keeps its contract.
2. A mode argument on greet(): one function, but every caller's contract changes.
Recommendation: 1.
Assumptions:
- A missing name gets "friend".`;

export const SPEC = `# Farewells

## Goal
Let callers say goodbye as well as hello, with farewell() beside greet().

## Requirements
- R1: \`farewell("Ada")\` returns "Goodbye, Ada!".
- R2: \`farewell()\` with no name returns "Goodbye, friend!".

## Approach
A new module src/farewell.js with one function; greet() stays as it is. The alternative, a mode argument on greet(), would change greet's contract.

## Assumptions
- A missing name means the caller does not know it: say "friend".
`;

/** The user's revision at the spec gate, and the line the architect changes for it. */
export const SPEC_REVISION = "Name the module in the Goal.";
const GOAL = "Let callers say goodbye as well as hello, with farewell() beside greet().";
const GOAL_REVISED =
  "Let callers say goodbye as well as hello, with farewell() in src/farewell.js beside greet().";
export const SPEC_REVISED = SPEC.replace(GOAL, GOAL_REVISED);

const TASK_1 = `## Task 1: farewell() by name
Files: \`src/farewell.js\`, \`test/farewell.test.js\`
Covers: R1
Steps:
1. Write a failing test: farewell("Ada") is "Goodbye, Ada!".
2. Run \`node --test\` and see it fail.
3. Add src/farewell.js exporting farewell(name).
4. Run \`node --test\` and see it pass.
Test: \`node --test\` — farewell("Ada") returns "Goodbye, Ada!"
Commit: farewell() says goodbye by name`;

const TASK_2_STEPS = `Steps:
1. Add a failing test: farewell() is "Goodbye, friend!".
2. Default the name to "friend" and see the test pass.`;
const TASK_2_TEST = `Test: \`node --test\` — farewell() returns "Goodbye, friend!"`;

const task2 = (steps: string, test: string) => `## Task 2: farewell() without a name
Files: \`src/farewell.js\`, \`test/farewell.test.js\`
Covers: R2
${steps}
${test}
Commit: farewell() without a name says goodbye to a friend`;

/** What the linter must reject: a step that points at another task, and a test left open. */
export const PLACEHOLDER_STEPS = "Steps:\n1. Similar to Task 1, for the default name.";
export const PLACEHOLDER_TEST = "Test: TBD";

const plan = (task2Text: string) => `# Plan: Farewells

Spec: ${SPEC_PATH}

${TASK_1}

${task2Text}
`;

/** The plan as the architect writes it when it is right the first time (with the spec path filled in). */
export const PLAN = (specPath: string) => plan(task2(TASK_2_STEPS, TASK_2_TEST)).replace(SPEC_PATH, specPath);

export const T1 = "Task 1: farewell() by name";
export const T2 = "Task 2: farewell() without a name";

const FAREWELL = 'export function farewell(name) {\n  return "Goodbye, " + name + "!";\n}\n';
const FAREWELL_TRIMMED = 'export function farewell(name) {\n  return "Goodbye, " + name.trim() + "!";\n}\n';

const TEST_HEAD =
  'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { farewell } from "../src/farewell.js";\n';
const TEST_BY_NAME =
  '\ntest("says goodbye by name", () => {\n  assert.equal(farewell("Ada"), "Goodbye, Ada!");\n});\n';
const TEST_TRIM =
  '\ntest("trims the name", () => {\n  assert.equal(farewell(" Ada "), "Goodbye, Ada!");\n});\n';
const TEST_FRIEND =
  '\ntest("says goodbye to a friend without a name", () => {\n  assert.equal(farewell(), "Goodbye, friend!");\n});\n';

/** The finding that sends chunk 1 back, and the minor one kept for the final review. */
export const IMPORTANT_FINDING =
  '- [important] src/farewell.js:2 — The name is not trimmed: farewell(" Ada ") returns "Goodbye,  Ada !". Trim it, and test it.';
export const MINOR_FINDING =
  "- [minor] test/farewell.test.js:5 — The test names could say which requirement they check (R1).";

export interface FeatureOptions {
  /** The architect asks one question while brainstorming (unless the prompt forbids it). */
  question?: boolean;
  /** The architect asks anyway when told not to (the --auto prompt); it must be nudged, not gated. */
  askAnyway?: boolean;
  /** The first plan has placeholders; the architect fixes them when the plan check says so. */
  placeholderPlan?: boolean;
  /** How chunk 1's review goes: approved at once, sent back once, or sent back every round. */
  chunk1Review?: "approve" | "once" | "always";
  /** A bash command in chunk 1's first implementer turn (a barrier that holds the run there). */
  implementerHold?: string;
  /** How long the reviewer thinks before answering chunk 1's first review. */
  reviewDelayMs?: number;
}

export function featureScripts(options: FeatureOptions = {}): RoleScripts {
  return {
    architect: architect(options),
    implementer: implementer(options),
    reviewer: reviewer(options),
  };
}

function architect(options: FeatureOptions): ScriptReply[] {
  const firstPlan = options.placeholderPlan
    ? task2(PLACEHOLDER_STEPS, PLACEHOLDER_TEST)
    : task2(TASK_2_STEPS, TASK_2_TEST);
  return [
    // After the user's answer (the same session, resumed).
    reply({ lastUserContains: "The user answered your question" }, { text: DESIGN }),
    // A nudge after asking when it was told not to.
    reply({ lastUserContains: "you may not ask more questions" }, { text: DESIGN }),
    // Brainstorm: read the code first, then ask (when allowed and wanted) or design.
    reply(step("brainstorm", { turn: 0 }), {
      text: "Reading how greet() works first.",
      toolCalls: [read("src/greet.js")],
    }),
    ...(options.askAnyway
      ? [
          reply(step("brainstorm", { turn: 1, anyMessageContains: "Do not ask questions" }), {
            text: `QUESTION: ${QUESTION}`,
          }),
        ]
      : []),
    ...(options.question
      ? [
          reply(step("brainstorm", { turn: 1, anyMessageContains: "ask ONE question" }), {
            text: `QUESTION: ${QUESTION}`,
          }),
        ]
      : []),
    reply(step("brainstorm", { turn: 1 }), { text: DESIGN }),
    // Spec: write it where the prompt says.
    reply(step("spec", { lastToolResultContains: "Wrote" }), {
      text: "The spec is written: two requirements.",
    }),
    reply(step("spec", { lastToolResultContains: "Replaced" }), {
      text: "The Goal names src/farewell.js now.",
    }),
    reply(
      { lastUserContains: "The user asked for revisions to the spec" },
      {
        text: "Revising the spec.",
        toolCalls: [edit(SPEC_PATH, GOAL, GOAL_REVISED)],
      },
    ),
    reply(step("spec"), { text: "Writing the spec.", toolCalls: [write(SPEC_PATH, SPEC)] }),
    // Plan: write it; repair it when the plan check sends problems back.
    reply(step("plan", { lastToolResultContains: "Replaced" }), { text: "Both problems are fixed." }),
    reply(step("plan", { lastToolResultContains: "Wrote" }), { text: "The plan is written: two tasks." }),
    reply(step("plan", { anyMessageContains: "does not pass grove's plan check" }), {
      text: "Fixing the plan.",
      // One edit for both (adjacent) lines: grove's agent runs a turn's tool calls in parallel.
      toolCalls: [
        edit(PLAN_PATH, `${PLACEHOLDER_STEPS}\n${PLACEHOLDER_TEST}`, `${TASK_2_STEPS}\n${TASK_2_TEST}`),
      ],
    }),
    reply(step("plan"), { text: "Writing the plan.", toolCalls: [write(PLAN_PATH, plan(firstPlan))] }),
  ];
}

function implementer(options: FeatureOptions): ScriptReply[] {
  const tests = "Running the tests.";
  return [
    // Both tasks in one chunk (chunkSize 2): the prompt names Task 2, and Task 1 before it.
    reply(
      { lastUserContains: T2, anyMessageContains: T1, turn: 0 },
      {
        text: "Tests first, then farewell() with its default.",
        toolCalls: [
          write("test/farewell.test.js", TEST_HEAD + TEST_BY_NAME + TEST_FRIEND),
          write("src/farewell.js", FAREWELL.replace("(name)", '(name = "friend")')),
        ],
      },
    ),
    reply(
      { lastUserContains: T2, anyMessageContains: T1, turn: 1 },
      { text: tests, toolCalls: [bash("node --test")] },
    ),
    reply(
      { lastUserContains: T2, anyMessageContains: T1, turn: 2 },
      {
        text: "farewell() says goodbye by name, and to a friend without one; `node --test` passes.\n\nSTATUS: DONE",
      },
    ),
    // Chunk 1 (a fresh session): tests first, then the module.
    reply(step("implement", { anyMessageContains: T1, turn: 0 }), {
      text: "Test first, then farewell().",
      toolCalls: [
        ...(options.implementerHold ? [bash(options.implementerHold)] : []),
        write("test/farewell.test.js", TEST_HEAD + TEST_BY_NAME),
        write("src/farewell.js", FAREWELL),
      ],
    }),
    reply(step("implement", { anyMessageContains: T1, turn: 1 }), {
      text: tests,
      toolCalls: [bash("node --test")],
    }),
    reply(step("implement", { anyMessageContains: T1, turn: 2 }), {
      text: "farewell(name) says goodbye by name; `node --test` passes.\n\nSTATUS: DONE",
    }),
    // The fix a review asks for (chunk 1's session, resumed): the same rewrite every round.
    reply(step("fix", { lastToolResultContains: "fail 0" }), {
      text: "farewell() trims the name now, and a test checks it.\n\nSTATUS: DONE",
    }),
    reply(step("fix", { lastToolResultContains: "Wrote" }), {
      text: tests,
      toolCalls: [bash("node --test")],
    }),
    // A user's revision at the review cap (`grove revise`) that asks for String(name).
    reply(
      { lastUserContains: REVISION },
      {
        text: "Trimming String(name), as the user asks.",
        toolCalls: [
          write("src/farewell.js", FAREWELL_TRIMMED.replace("name.trim()", "String(name).trim()")),
          write("test/farewell.test.js", TEST_HEAD + TEST_BY_NAME + TEST_TRIM),
        ],
      },
    ),
    reply(step("fix"), {
      text: "Trimming the name.",
      toolCalls: [
        write("src/farewell.js", FAREWELL_TRIMMED),
        write("test/farewell.test.js", TEST_HEAD + TEST_BY_NAME + TEST_TRIM),
      ],
    }),
    // Chunk 2 (a fresh session).
    reply(step("implement", { anyMessageContains: T2, turn: 0 }), {
      text: "Test first, then the default.",
      toolCalls: [
        edit("test/farewell.test.js", TEST_BY_NAME, TEST_BY_NAME + TEST_FRIEND),
        edit(
          "src/farewell.js",
          "export function farewell(name) {",
          'export function farewell(name = "friend") {',
        ),
      ],
    }),
    reply(step("implement", { anyMessageContains: T2, turn: 1 }), {
      text: tests,
      toolCalls: [bash("node --test")],
    }),
    reply(step("implement", { anyMessageContains: T2, turn: 2 }), {
      text: 'farewell() without a name says "Goodbye, friend!"; `node --test` passes.\n\nSTATUS: DONE',
    }),
  ];
}

/** What the user tells the implementer at the review cap in the review-cap test. */
export const REVISION = "Use String(name).trim() so that numbers work too.";

export const APPROVED = "VERDICT: APPROVED\nFINDINGS: none";
export const CHANGES_REQUESTED = `Task 1 works for plain names, but R1's caller may pass padding.\n\nVERDICT: CHANGES_REQUESTED\nFINDINGS:\n${IMPORTANT_FINDING}`;

function reviewer(options: FeatureOptions): ScriptReply[] {
  const chunk1 = options.chunk1Review ?? "once";
  return [
    reply(step("review", { anyMessageContains: T2 }), {
      text: `Task 2 is done as planned and tested.\n\n${APPROVED}`,
    }),
    ...(chunk1 === "once"
      ? [
          reply(step("review", { anyMessageContains: "name.trim()" }), {
            text: `The name is trimmed and tested now.\n\nVERDICT: APPROVED\nFINDINGS:\n${MINOR_FINDING}`,
          }),
        ]
      : []),
    reply(step("review", { anyMessageContains: T1 }), {
      text: chunk1 === "approve" ? `Task 1 is done as planned and tested.\n\n${APPROVED}` : CHANGES_REQUESTED,
      ...(options.reviewDelayMs ? { delayMs: options.reviewDelayMs } : {}),
    }),
    reply(step("final-review"), { text: `The branch meets R1 and R2 as one change.\n\n${APPROVED}` }),
  ];
}
