import { describe, expect, it } from "vitest";
import { type Plan, type PlanTask, parsePlan, planChunks } from "./plan.js";

const TASK_1 = `## Task 1: Add the exclamation mark
Files: \`src/greet.js\`, \`test/greet.test.js\`
Covers: R1
Steps:
1. Write a failing test in test/greet.test.js that expects "Hello, world!".
2. Run \`node --test\` and see it fail.
3. Change greet() to end with "!".
4. Run \`node --test\` and see it pass.
Test: \`node --test\` — greet() returns "Hello, world!"
Commit: Greeting ends with an exclamation mark`;

const PLAN = `# Plan: Greet with a bang

Spec: docs/plans/2026-11-28-greet-design.md

${TASK_1}

## Task 2: Accept a language
**Files:** src/greet.js, test/greet.test.js
**Covers:** R2
**Steps:**
- [ ] Write a failing test: greet("fr") returns "Bonjour, world!".
- [ ] Add the \`language\` parameter.
**Test:** \`node --test\` — the French test passes
**Commit:** "greet() accepts a language"
`;

function task(plan: Plan, index: number): PlanTask {
  const found = plan.tasks[index];
  if (!found) throw new Error(`no task ${index}`);
  return found;
}

function only(text: string): PlanTask {
  return task(parsePlan(`# Plan: x\n\n${text}`), 0);
}

describe("parsePlan", () => {
  it("reads the example plan", () => {
    const plan = parsePlan(PLAN);
    expect(plan.title).toBe("Greet with a bang");
    expect(plan.specPath).toBe("docs/plans/2026-11-28-greet-design.md");
    expect(plan.tasks).toHaveLength(2);
    expect(task(plan, 0)).toEqual({
      number: 1,
      title: "Add the exclamation mark",
      files: ["src/greet.js", "test/greet.test.js"],
      covers: ["R1"],
      steps: [
        'Write a failing test in test/greet.test.js that expects "Hello, world!".',
        "Run `node --test` and see it fail.",
        'Change greet() to end with "!".',
        "Run `node --test` and see it pass.",
      ],
      test: '`node --test` — greet() returns "Hello, world!"',
      commit: "Greeting ends with an exclamation mark",
      line: 5,
      text: TASK_1,
      fields: ["files", "covers", "steps", "test", "commit"],
    });
    expect(task(plan, 1)).toMatchObject({
      number: 2,
      title: "Accept a language",
      files: ["src/greet.js", "test/greet.test.js"],
      covers: ["R2"],
      steps: [
        'Write a failing test: greet("fr") returns "Bonjour, world!".',
        "Add the `language` parameter.",
      ],
      test: "`node --test` — the French test passes",
      commit: "greet() accepts a language",
      line: 16,
    });
  });

  it("reads CRLF input exactly like LF input", () => {
    expect(parsePlan(PLAN.replace(/\n/g, "\r\n"))).toEqual(parsePlan(PLAN));
  });

  it("returns an empty plan for empty input", () => {
    expect(parsePlan("")).toEqual({ title: "", tasks: [] });
    expect(parsePlan("  \n\n")).toEqual({ title: "", tasks: [] });
  });

  it.each([
    ["## Task 3: Title", 3, "Title"],
    ["### task 3 — Title", 3, "Title"],
    ["## Task #3. Title", 3, "Title"],
    ["#### TASK 3 -  Title  ", 3, "Title"],
    ["## Task 3", 3, ""],
  ])("reads the task heading %j", (heading, number, title) => {
    expect(only(heading)).toMatchObject({ number, title });
  });

  it.each([
    ["# Task 1: top level"],
    ["##### Task 1: too deep"],
    ["## Task: no number"],
    ["## Task 1a: bad"],
    ["## Tasks 1"],
  ])("does not take %j for a task", (heading) => {
    expect(parsePlan(`# Plan: x\n${heading}\nFiles: a.ts`).tasks).toEqual([]);
  });

  it("ends a task at the next heading of the same or a higher level", () => {
    const plan = parsePlan(
      "# Plan: x\n## Task 1: a\nCommit: one\n### Notes\ntext\n## Spec coverage\n- R1: Task 1\n",
    );
    expect(task(plan, 0).text).toBe("## Task 1: a\nCommit: one\n### Notes\ntext");
  });

  it("drops trailing blank lines and --- separators from a task's text", () => {
    const plan = parsePlan(
      "# Plan: x\n## Task 1: a\nCommit: one\n\n---\n\n## Task 2: b\nCommit: two\n\n* * *\n",
    );
    expect(plan.tasks.map((t) => t.text)).toEqual(["## Task 1: a\nCommit: one", "## Task 2: b\nCommit: two"]);
  });

  it("ignores headings and labels inside code blocks", () => {
    const plan = parsePlan(
      "# Plan: x\n## Task 1: a\nSteps:\n1. Add:\n   ```md\n   ## Task 2: fake\n   Commit: fake\n   ```\nCommit: real\n",
    );
    expect(plan.tasks).toHaveLength(1);
    expect(task(plan, 0).commit).toBe("real");
    expect(task(plan, 0).steps).toEqual(["Add:\n```md\n## Task 2: fake\nCommit: fake\n```"]);
  });

  describe("fields", () => {
    it.each([
      ["Files: `a.ts`, `b/c.ts`", ["a.ts", "b/c.ts"]],
      ["files: a.ts, b/c.ts", ["a.ts", "b/c.ts"]],
      ["**Files:** a.ts and b.ts", ["a.ts", "b.ts"]],
      ["**Files**: `src/a.ts:12-30` (modify)", ["src/a.ts"]],
      ["Files: `a.ts`, b/c.ts (new)", ["a.ts", "b/c.ts"]],
      ["Files: `todos.ts`, `a.ts`, `todos.ts`", ["todos.ts", "a.ts"]],
      [
        "Files:\n- Create: `src/a.ts`\n- Modify: `src/b.ts:3`\n- Test: `test/a.test.ts`",
        ["src/a.ts", "src/b.ts", "test/a.test.ts"],
      ],
      ["Files:\n\n- `a.ts`\n\n- [ ] **Step 1: Write the test**", ["a.ts"]],
      ["Files: `a.ts`,\n  `b.ts`\n\nThen c.ts is generated.", ["a.ts", "b.ts"]],
      ["Files: none", []],
      ["Files:", []],
    ])("Files %j", (line, files) => {
      expect(only(`## Task 1: t\n${line}\nCommit: c`).files).toEqual(files);
    });

    it.each([
      ["Covers: R1", ["R1"]],
      ["covers: R1, R3", ["R1", "R3"]],
      ["**Covers:** r2 R1 R2", ["R2", "R1"]],
      ["Covers: R1–R3", ["R1", "R2", "R3"]],
      ["Covers: R01", ["R1"]],
      ["Covers: everything", []],
      ["Covers:\n- R1\n- R2", ["R1", "R2"]],
    ])("Covers %j", (line, covers) => {
      expect(only(`## Task 1: t\n${line}`).covers).toEqual(covers);
    });

    it.each([
      ["Steps:\n1. a\n2. b", ["a", "b"]],
      ["Steps:\n1) a\n\n2) b", ["a", "b"]],
      ["Steps:\n- [ ] a\n- [x] b", ["a", "b"]],
      ["Steps:\n- a\n- b", ["a", "b"]],
      ["Steps: 1. inline", ["inline"]],
      ["Steps:\n1. a\n   wrapped\n   - sub\n2. b", ["a\nwrapped\n- sub", "b"]],
      ["Steps:\n1. Run:\n   ```sh\n   node --test\n   ```", ["Run:\n```sh\nnode --test\n```"]],
      ["Steps: write the test then the code", []],
      ["Steps:\n1. a\n\nNote: this is tricky.\n2. b", ["a", "b"]],
      ["Steps:\n1. a\n\n   more of a\n2. b", ["a\n\nmore of a", "b"]],
      ["Steps:", []],
    ])("Steps %j", (block, steps) => {
      expect(only(`## Task 1: t\n${block}\nCommit: c`).steps).toEqual(steps);
    });

    it("keeps list entries named like labels inside Files and Steps", () => {
      const parsed = only(
        "## Task 1: t\nFiles:\n- Test: `test/a.test.ts`\n- Commit: `src/commit.ts`\nSteps:\n- Test: run it\n- Commit: it\nTest: `npm test`\nCommit: c",
      );
      expect(parsed.files).toEqual(["test/a.test.ts", "src/commit.ts"]);
      expect(parsed.steps).toEqual(["Test: run it", "Commit: it"]);
      expect(parsed.test).toBe("`npm test`");
      expect(parsed.commit).toBe("c");
    });

    it("reads bulleted labels outside lists, and bold bulleted labels anywhere", () => {
      const parsed = only(
        "## Task 1: t\n- Files: a.ts\n- Covers: R1\nSteps:\n1. x\n- **Test:** `npm test`\n- Commit: c",
      );
      expect(parsed).toMatchObject({
        files: ["a.ts"],
        covers: ["R1"],
        steps: ["x"],
        test: "`npm test`",
        commit: "c",
      });
    });

    it.each([
      ["Test: `npm test`", "`npm test`"],
      ["Tests: `npm test` — passes", "`npm test` — passes"],
      ["**Test:**\n`npm test`\nshows 3 passing", "`npm test`\nshows 3 passing"],
      ["Test: none", "none"],
      ["", ""],
    ])("Test %j", (line, test) => {
      expect(only(`## Task 1: t\n${line}`).test).toBe(test);
    });

    it.each([
      ["Commit: Add greet", "Add greet"],
      ['Commit: "Add greet"', "Add greet"],
      ["Commit message: `Add greet`", "Add greet"],
      ['**Commit:** "Add" the "greet"', '"Add" the "greet"'],
      ["", ""],
    ])("Commit %j", (line, commit) => {
      expect(only(`## Task 1: t\n${line}`).commit).toBe(commit);
    });

    it("records which labels a task has, even when empty", () => {
      expect(only("## Task 1: t\nFiles:\nSteps:\nCommit: c").fields).toEqual(["files", "steps", "commit"]);
    });
  });

  it.each([
    ["Spec: `docs/a.md`", "docs/a.md"],
    ["**Spec:** [design](docs/a.md)", "docs/a.md"],
    ["Spec file: docs/a.md", "docs/a.md"],
  ])("reads the spec path from %j", (line, specPath) => {
    expect(parsePlan(`# Plan: x\n${line}\n## Task 1: a`).specPath).toBe(specPath);
  });

  it("has no spec path when none is given before the tasks", () => {
    expect(parsePlan("# Plan: x\n## Task 1: a\nSpec: docs/a.md").specPath).toBeUndefined();
  });

  it.each([
    ["# Greet plan", "Greet plan"],
    ["# plan:   Greet", "Greet"],
    ["# **Plan:** Greet", "Greet"],
    ["# **Plan**: Greet", "Greet"],
    ["# Plan — Greet", "Greet"],
    ["# Plan:", ""],
    ["# Planning: Greet", "Planning: Greet"],
  ])("takes the title from the first level-1 heading %j, without its Plan: prefix", (heading, title) => {
    expect(parsePlan(`${heading}\n## Task 1: a`).title).toBe(title);
  });
});

describe("planChunks", () => {
  const plan = parsePlan(
    `# Plan: x\n${[1, 2, 3, 4, 5, 6, 7].map((n) => `## Task ${n}: t${n}\nCommit: c\n`).join("\n")}`,
  );
  const numbers = (chunks: PlanTask[][]) => chunks.map((chunk) => chunk.map((t) => t.number));

  it.each([
    [3, [[1, 2, 3], [4, 5, 6], [7]]],
    [1, [[1], [2], [3], [4], [5], [6], [7]]],
    [7, [[1, 2, 3, 4, 5, 6, 7]]],
    [10, [[1, 2, 3, 4, 5, 6, 7]]],
  ])("chunks of %i", (size, expected) => {
    expect(numbers(planChunks(plan, size))).toEqual(expected);
  });

  it("returns no chunks for a plan without tasks", () => {
    expect(planChunks({ title: "", tasks: [] }, 3)).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects chunk size %s", (size) => {
    expect(() => planChunks(plan, size)).toThrow(RangeError);
  });
});
