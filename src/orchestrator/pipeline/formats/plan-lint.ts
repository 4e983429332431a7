/**
 * The plan linter: rejects plans an implementer with zero context could not follow, or that do not
 * cover the spec. Every message names what is wrong and what to write instead, because it is fed
 * back verbatim to the architect that wrote the plan.
 */
import { parseHeading, scanFences, toLines } from "./markdown.js";
import { placeholderProblems } from "./placeholders.js";
import { type PlanTask, parsePlan, planTitle, TASK_HEADING } from "./plan.js";
import { type LintProblem, sortProblems } from "./problems.js";
import { parseSpec } from "./spec.js";

export interface PlanLintOptions {
  /** Default: max(3, 3 × the number of spec requirements). */
  maxTasks?: number;
  /** Longest fenced code block allowed, in lines between the fences. Default 30. */
  maxCodeBlockLines?: number;
}

export const DEFAULT_MAX_CODE_BLOCK_LINES = 30;

const MISSING_TEST = /^(?:none|n\/?a|no|no tests?|nothing|-|—|–)\.?$/i;

/** Problems in `planText`, checked against `specText` when given; empty when the plan is fine. */
export function lintPlan(
  planText: string,
  specText: string | undefined,
  options: PlanLintOptions = {},
): LintProblem[] {
  const problems: LintProblem[] = [];
  const lines = toLines(planText);
  const { inFence, fences } = scanFences(lines);
  const plan = parsePlan(planText);
  const spec = specText === undefined ? undefined : parseSpec(specText);
  const specIds = new Set(spec?.requirements.map((requirement) => requirement.id));

  const titleIndex = lines.findIndex((line, i) => !inFence[i] && parseHeading(line)?.level === 1);
  const title = planTitle(parseHeading(lines[titleIndex] ?? "")?.text ?? "");
  if (title === undefined) {
    problems.push({
      line: titleIndex + 1,
      message: 'the plan must start with a "# Plan: <title>" heading',
    });
  } else if (title === "") {
    problems.push({ line: titleIndex + 1, message: 'the "# Plan:" heading has no title after "Plan:"' });
  }

  for (const fence of fences) {
    if (fence.close === undefined) {
      problems.push({
        line: fence.open + 1,
        message:
          "this code block is never closed, so everything after it is read as code: close it with a matching fence",
      });
    }
  }

  lines.forEach((line, i) => {
    const heading = inFence[i] ? undefined : parseHeading(line);
    if (!heading || !/^task\b/i.test(heading.text)) return;
    if (heading.level < 2 || heading.level > 4 || !TASK_HEADING.exec(heading.text)) {
      problems.push({
        line: i + 1,
        message: `"${line.trim()}" is not read as a task: write task headings as "## Task <n>: <title>"`,
      });
    }
  });
  if (plan.tasks.length === 0) {
    problems.push({
      line: 0,
      message: 'the plan has no tasks: write each task under a "## Task <n>: <title>" heading',
    });
  }

  plan.tasks.forEach((task, index) => {
    if (task.number !== index + 1) {
      problems.push({
        line: task.line,
        message: `Task ${task.number} should be numbered ${index + 1}: number tasks 1, 2, 3, … in order, without gaps or repeats`,
      });
    }
    problems.push(...taskProblems(task, spec === undefined ? undefined : specIds));
  });

  if (spec) {
    const covered = new Set(plan.tasks.flatMap((task) => task.covers));
    for (const requirement of spec.requirements) {
      if (covered.has(requirement.id)) continue;
      problems.push({
        line: 0,
        message: `${requirement.id} (${abbreviate(requirement.text)}) is not covered by any task: add it to the "Covers:" line of the task that implements it, or add a task for it`,
      });
    }
  }

  const requirementCount = spec
    ? spec.requirements.length
    : new Set(plan.tasks.flatMap((task) => task.covers)).size;
  const maxTasks = options.maxTasks ?? Math.max(3, 3 * requirementCount);
  if (plan.tasks.length > maxTasks) {
    problems.push({
      line: 0,
      message: `the plan has ${plan.tasks.length} tasks but at most ${maxTasks} are allowed${options.maxTasks === undefined ? ` for ${requirementCount} requirement${requirementCount === 1 ? "" : "s"}` : ""}: merge small tasks or cut scope so the plan stays proportionate to the spec`,
    });
  }

  const maxCodeLines = options.maxCodeBlockLines ?? DEFAULT_MAX_CODE_BLOCK_LINES;
  for (const fence of fences) {
    if (fence.contentLines <= maxCodeLines) continue;
    problems.push({
      line: fence.open + 1,
      message: `code block of ${fence.contentLines} lines (at most ${maxCodeLines}): describe the change in steps and show only the key lines; the plan must not pre-write the code`,
    });
  }

  problems.push(...placeholderProblems(planText));
  return sortProblems(problems);
}

function taskProblems(task: PlanTask, specIds: ReadonlySet<string> | undefined): LintProblem[] {
  const problems: LintProblem[] = [];
  const name = `Task ${task.number}`;
  const add = (message: string) => problems.push({ line: task.line, message: `${name} ${message}` });
  const has = (field: PlanTask["fields"][number]) => task.fields.includes(field);
  if (task.title === "") add('has no title: write "## Task <n>: <title>"');
  if (task.files.length === 0) {
    add(
      has("files")
        ? 'lists no files: name each file it creates or changes, e.g. "Files: `src/a.ts`, `test/a.test.ts`"'
        : 'has no "Files:" line: name each file it creates or changes, e.g. "Files: `src/a.ts`, `test/a.test.ts`"',
    );
  }
  if (task.steps.length === 0) {
    add(
      has("steps")
        ? 'has a "Steps:" line but no steps: list them below it as a numbered list ("1. …")'
        : 'has no "Steps:" line: add one followed by a numbered list of steps ("1. …")',
    );
  }
  if (task.test === "" || MISSING_TEST.test(task.test.replace(/[`*_]/g, "").trim())) {
    add(
      `has no test: add a "Test:" line with the command to run and what it must show, e.g. "Test: \`node --test\` — greet() returns 'Hello, world!'"`,
    );
  }
  if (task.commit === "") add('has no commit message: add a "Commit: <message>" line');
  if (task.covers.length === 0) {
    add(
      has("covers")
        ? 'names no requirement on its "Covers:" line: list spec ids, e.g. "Covers: R1, R2"'
        : 'has no "Covers:" line: list the spec requirements it implements, e.g. "Covers: R1, R2"',
    );
  } else if (specIds) {
    const unknown = task.covers.filter((id) => !specIds.has(id));
    if (unknown.length > 0) {
      const known =
        specIds.size === 0 ? "the spec defines no requirements" : `the spec has ${[...specIds].join(", ")}`;
      add(
        `covers ${unknown.join(", ")}, which the spec does not define (${known}): cover only ids from the spec`,
      );
    }
  }
  return problems;
}

function abbreviate(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
