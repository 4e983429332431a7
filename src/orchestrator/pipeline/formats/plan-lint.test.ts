import { describe, expect, it } from "vitest";
import { lintPlan } from "./plan-lint.js";
import { parseSpec } from "./spec.js";

/** A realistic spec and plan pair, as an architect agent would write them. */
const SPEC = `# Greetings in several languages

## Goal
\`greet()\` in \`src/greet.js\` only says "Hello, world". Users want an exclamation mark and a
greeting in their own language.

## Requirements
- R1: The greeting ends with "!".
- **R2**: greet() accepts an optional language code ("en", "fr" or "de"); English is the default.
- R3: An unknown language code throws a \`RangeError\` naming the code.

## Approach
Approaches considered:
1. One function per language (\`greetFr()\`, …): simple, but the API grows with every language.
2. A \`language\` parameter looked up in a table (chosen): one function, easy to extend.

## Assumptions
- Only the three languages above are needed for now.
`;

const PLAN = `# Plan: Greetings in several languages

Spec: \`docs/plans/2026-11-28-greet-design.md\`

Global constraints: plain Node.js, tests with \`node --test\`; no new dependencies.

## Task 1: Add the exclamation mark
**Files:** \`src/greet.js\`, \`test/greet.test.js\`
**Covers:** R1
**Steps:**
1. In \`test/greet.test.js\`, add a test that expects \`greet()\` to return "Hello, world!".
2. Run \`node --test\` and see it fail: the actual value is "Hello, world".
3. In \`src/greet.js\`, change the returned string to end with "!".
4. Run \`node --test\` and see it pass.

**Test:** \`node --test\` — greet() returns "Hello, world!"
**Commit:** Greeting ends with an exclamation mark

## Task 2: Accept a language code
**Files:** \`src/greet.js\`, \`test/greet.test.js\`
**Covers:** R2
**Steps:**
- [ ] Add tests: \`greet("fr")\` returns "Bonjour, world!", \`greet("de")\` returns "Hallo, world!",
      and \`greet()\` still returns "Hello, world!".
- [ ] Run \`node --test\`; the two new tests fail.
- [ ] Add the table and the parameter:
      \`\`\`js
      const GREETINGS = { en: "Hello", fr: "Bonjour", de: "Hallo" };
      export function greet(language = "en") {
        return \`\${GREETINGS[language]}, world!\`;
      }
      \`\`\`
- [ ] Run \`node --test\`; all tests pass.

**Test:** \`node --test\` — French and German greetings pass; the English default still passes
**Commit:** greet() accepts a language code

## Task 3: Reject unknown language codes
Files: src/greet.js, test/greet.test.js
Covers: R3
Steps:
1. Add a test: \`greet("xx")\` throws a \`RangeError\` whose message contains "xx".
2. Run \`node --test\` and see it fail (today it returns "undefined, world!").
3. In \`greet()\`, throw \`new RangeError(\\\`unknown language: \${language}\\\`)\` when the code is not in the table.
4. Run \`node --test\` and see it pass.
Test: \`node --test\` — greet("xx") throws RangeError mentioning "xx"
Commit: Unknown language codes throw a RangeError
`;

const messages = (plan: string, spec: string | undefined = SPEC) =>
  lintPlan(plan, spec).map((problem) => problem.message);

/** A one-task plan covering R1 of a one-requirement spec, with `patch` applied to its lines. */
const SMALL_SPEC = "# T\n## Requirements\n- R1: a\n";
function small(patch: (lines: string[]) => string[] = (lines) => lines): string {
  const lines = [
    ...["# Plan: Small", "", "## Task 1: Do it", "Files: `src/a.ts`", "Covers: R1", "Steps:"],
    ...[
      "1. Write the failing test.",
      "2. Make it pass.",
      "Test: `npm test` — a() returns 1",
      "Commit: Add a()",
    ],
  ];
  return patch(lines).join("\n");
}
const without = (prefix: string) => (lines: string[]) => lines.filter((line) => !line.startsWith(prefix));
const replace = (prefix: string, next: string) => (lines: string[]) =>
  lines.map((line) => (line.startsWith(prefix) ? next : line));

describe("lintPlan", () => {
  it("accepts the realistic spec and plan pair", () => {
    expect(parseSpec(SPEC).problems).toEqual([]);
    expect(lintPlan(PLAN, SPEC)).toEqual([]);
    expect(lintPlan(PLAN.replace(/\n/g, "\r\n"), SPEC.replace(/\n/g, "\r\n"))).toEqual([]);
  });

  it("accepts the small plan, with or without a spec", () => {
    expect(lintPlan(small(), SMALL_SPEC)).toEqual([]);
    expect(lintPlan(small(), undefined)).toEqual([]);
  });

  // Each row: how to break the small plan, a fragment of the expected message, and a similar fix.
  it.each([
    ["no title", without("# Plan"), '"# Plan: <title>"', replace("# Plan", "# plan:  Small")],
    [
      "wrong title",
      replace("# Plan", "# Small"),
      '"# Plan: <title>"',
      replace("# Plan", "# **Plan:** Small"),
    ],
    ["empty title", replace("# Plan", "# Plan:"), "no title after", replace("# Plan", "# Plan: S")],
    ["no Files", without("Files"), 'has no "Files:" line', replace("Files", "**Files:** src/a.ts")],
    ["empty Files", replace("Files", "Files: none"), "lists no files", replace("Files", "- Files: a.ts")],
    ["no Steps", without("Steps"), 'has no "Steps:" line', replace("Steps", "**Steps:**")],
    [
      "prose Steps",
      (l: string[]) => without("2.")(replace("1.", "Write the test, then the code.")(l)),
      "but no steps",
      (l: string[]) => without("2.")(replace("1.", "- [ ] Write the test, then the code.")(l)),
    ],
    ["no Test", without("Test"), "has no test", replace("Test", "Tests: `npm test`")],
    [
      "Test none",
      replace("Test", "Test: none"),
      "has no test",
      replace("Test", "Test: `npm test` — none fail"),
    ],
    ["Test n/a", replace("Test", "**Test:** `N/A`"), "has no test", replace("Test", "**Test:** `npm t`")],
    ["no Commit", without("Commit"), "no commit message", replace("Commit", 'Commit: "x"')],
    ["no Covers", without("Covers"), 'has no "Covers:" line', replace("Covers", "Covers: r1")],
    [
      "Covers without ids",
      replace("Covers", "Covers: everything"),
      "names no requirement",
      replace("Covers", "Covers: R1."),
    ],
    [
      "unknown id",
      replace("Covers", "Covers: R1, R7"),
      "R7, which the spec does not define",
      replace("Covers", "Covers: R1, R01"),
    ],
    [
      "no task title",
      replace("## Task", "## Task 1"),
      "has no title",
      replace("## Task", "### Task 1 — Do it"),
    ],
    [
      "bad task number",
      replace("## Task", "## Task 2: Do it"),
      "should be numbered 1",
      replace("## Task", "## Task #1: Do it"),
    ],
    [
      "malformed task heading",
      replace("## Task", "## Task one: Do it"),
      "is not read as a task",
      replace("## Task", "## Task 1. Do it"),
    ],
    [
      "placeholder",
      replace("2.", "2. Add validation."),
      'placeholder "Add validation"',
      replace("2.", "2. Reject `null` with a TypeError."),
    ],
    [
      "file-name lookalike",
      replace("2.", "2. TODO"),
      'placeholder "TODO"',
      replace("2.", "2. Update todo.ts and todos/list.ts."),
    ],
    [
      "unclosed fence",
      (l: string[]) => [...l, "```"],
      "never closed",
      (l: string[]) => [...l, "```", "x", "```"],
    ],
  ])("%s", (_name, breakIt, fragment, fixIt) => {
    const bad = messages(small(breakIt), SMALL_SPEC);
    expect(bad.filter((message) => message.includes(fragment))).toHaveLength(1);
    expect(messages(small(fixIt), SMALL_SPEC)).toEqual([]);
  });

  it("reports a plan without tasks", () => {
    expect(lintPlan("# Plan: Nothing\n\nWe will see.\n", undefined)).toEqual([
      { line: 0, message: 'the plan has no tasks: write each task under a "## Task <n>: <title>" heading' },
    ]);
  });

  it("reports everything for empty input", () => {
    expect(messages("", SMALL_SPEC)).toEqual([
      'the plan must start with a "# Plan: <title>" heading',
      'the plan has no tasks: write each task under a "## Task <n>: <title>" heading',
      'R1 (a) is not covered by any task: add it to the "Covers:" line of the task that implements it, or add a task for it',
    ]);
  });

  it("reports each uncovered requirement by id, and accepts the plan once it is covered", () => {
    const plan = PLAN.replace("**Covers:** R2", "**Covers:** R1").replace("Covers: R3", "Covers: R1");
    expect(lintPlan(plan, SPEC)).toEqual([
      {
        line: 0,
        message: `R2 (greet() accepts an optional language code ("en", "fr" or "de"); English is the default.) is not covered by any task: add it to the "Covers:" line of the task that implements it, or add a task for it`,
      },
      {
        line: 0,
        message:
          'R3 (An unknown language code throws a `RangeError` naming the code.) is not covered by any task: add it to the "Covers:" line of the task that implements it, or add a task for it',
      },
    ]);
    expect(lintPlan(PLAN.replace("Covers: R3", "Covers: R1, R3"), SPEC)).toEqual([]);
  });

  it("gives each problem the line of its task or placeholder, in line order", () => {
    const plan = small((lines) => [...lines, "", "## Task 3: Next", "Steps:", "1. Same as task 1."]);
    const problems = lintPlan(plan, SMALL_SPEC);
    expect(problems.map(({ line, message }) => [line, message.split(":")[0]])).toEqual([
      [12, "Task 3 should be numbered 2"],
      [12, 'Task 3 has no "Files'],
      [12, "Task 3 has no test"],
      [12, "Task 3 has no commit message"],
      [12, 'Task 3 has no "Covers'],
      [14, 'placeholder "Same as task 1"'],
    ]);
  });

  describe("size", () => {
    const tasks = (count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `## Task ${i + 1}: t${i + 1}\nFiles: a.ts\nCovers: R1\nSteps:\n1. x\nTest: \`npm test\`\nCommit: c${i + 1}\n`,
      ).join("\n");

    it.each([
      [3, SMALL_SPEC, undefined, true],
      [4, SMALL_SPEC, undefined, false],
      [6, "# T\n## Requirements\n- R1: a\n- R2: b\n", undefined, true],
      [7, "# T\n## Requirements\n- R1: a\n- R2: b\n", undefined, false],
      [3, undefined, undefined, true],
      [4, undefined, undefined, false],
      [5, SMALL_SPEC, 5, true],
      [6, SMALL_SPEC, 5, false],
    ])("%i tasks against %j with maxTasks %s: ok=%s", (count, spec, maxTasks, ok) => {
      const problems = lintPlan(`# Plan: p\n${tasks(count)}`, spec, { maxTasks }).filter((problem) =>
        /tasks but at most/.test(problem.message),
      );
      expect(problems).toHaveLength(ok ? 0 : 1);
    });

    it("explains the default limit", () => {
      expect(messages(`# Plan: p\n${tasks(4)}`, SMALL_SPEC)).toEqual([
        "the plan has 4 tasks but at most 3 are allowed for 1 requirement: merge small tasks or cut scope so the plan stays proportionate to the spec",
      ]);
    });

    const withBlock = (lines: number) =>
      small((plan) => [
        ...plan.slice(0, 7),
        "   ```ts",
        ...Array.from({ length: lines }, () => "   x;"),
        "   ```",
        ...plan.slice(7),
      ]);

    it.each([
      [30, undefined, true],
      [31, undefined, false],
      [10, 10, true],
      [11, 10, false],
    ])("a %i-line code block with maxCodeBlockLines %s: ok=%s", (lines, maxCodeBlockLines, ok) => {
      const problems = lintPlan(withBlock(lines), SMALL_SPEC, { maxCodeBlockLines });
      expect(problems).toEqual(
        ok
          ? []
          : [
              {
                line: 8,
                message: `code block of ${lines} lines (at most ${maxCodeBlockLines ?? 30}): describe the change in steps and show only the key lines; the plan must not pre-write the code`,
              },
            ],
      );
    });
  });

  it("tolerates odd whitespace: tabs, trailing spaces, blank lines between fields", () => {
    const plan =
      "# Plan:\tSmall  \n\n\n##   Task 1:   Do it   \n\n\tFiles:  `src/a.ts` \n\nCovers:\tR1\n\nSteps:\n\n1.  a  \n\n2.\tb\n\nTest:  `npm test`  \n\nCommit:   c   \n";
    expect(lintPlan(plan, SMALL_SPEC)).toEqual([]);
  });
});
