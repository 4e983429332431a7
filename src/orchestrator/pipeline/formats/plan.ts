/**
 * The implementation plan written by the architect:
 *
 * ```md
 * # Plan: <title>
 * Spec: docs/plans/2026-11-28-greet-design.md
 *
 * ## Task 1: Add the exclamation mark
 * Files: `src/greet.js`, `test/greet.test.js`
 * Covers: R1
 * Steps:
 * 1. Write a failing test …
 * Test: `node --test` — greet() returns "Hello, world!"
 * Commit: Greeting ends with an exclamation mark
 * ```
 */
import {
  inlineCodeSpans,
  isBlank,
  leadingIndent,
  matchLabel,
  parseHeading,
  parseListItem,
  scanFences,
  toLines,
  unquote,
} from "./markdown.js";
import { requirementId } from "./spec.js";

export interface PlanTask {
  number: number;
  title: string;
  /** Paths as written, without backticks, `Create:`-style prefixes or `:12-30` line ranges. */
  files: string[];
  /** Normalised requirement ids (`R1`), in order, without duplicates. */
  covers: string[];
  steps: string[];
  /** "" when the task has no Test line. */
  test: string;
  /** The commit message, without wrapping quotes; "" when the task has no Commit line. */
  commit: string;
  /** 1-based line of the task heading. */
  line: number;
  /** The task's whole Markdown section verbatim (heading included, trailing blank lines dropped). */
  text: string;
  /** Which field labels the task has, whatever their content. */
  fields: PlanField[];
}

export interface Plan {
  /** The first `#` heading, without its `Plan:` prefix; "" when there is none. */
  title: string;
  specPath?: string;
  tasks: PlanTask[];
}

export type PlanField = "files" | "covers" | "steps" | "test" | "commit";

const FIELD_NAMES = "files?|covers?|steps?|tests?|commit(?:[ \\t]+message)?";

/** Heading text of a task: `Task 3: title`, `Task 3 — title`, `Task 3. title`, `Task 3`. */
export const TASK_HEADING = /^task[ \t]+#?(\d+)(?!\w|\.\d)[ \t]*(?:[:.)\-–—][ \t]*)?(.*)$/i;

export interface TaskSection {
  number: number;
  title: string;
  /** 0-based index of the heading line. */
  start: number;
  /** 0-based index one past the last line of the section. */
  end: number;
}

/** Locates the `## Task N` sections (levels 2–4) of a plan. */
export function taskSections(lines: readonly string[], inFence: readonly boolean[]): TaskSection[] {
  const sections: TaskSection[] = [];
  let open: (TaskSection & { level: number }) | undefined;
  const close = (end: number) => {
    if (!open) return;
    const { level: _level, ...section } = open;
    sections.push({ ...section, end });
    open = undefined;
  };
  lines.forEach((line, i) => {
    if (inFence[i]) return;
    const heading = parseHeading(line);
    if (!heading) return;
    const task = heading.level >= 2 && heading.level <= 4 ? TASK_HEADING.exec(heading.text) : null;
    if (open && (task || heading.level <= open.level)) close(i);
    if (task) {
      open = {
        number: Number.parseInt(task[1]!, 10),
        title: task[2]!.trim(),
        start: i,
        end: i,
        level: heading.level,
      };
    }
  });
  close(lines.length);
  return sections;
}

export function parsePlan(text: string): Plan {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  const sections = taskSections(lines, inFence);
  const preambleEnd = sections[0]?.start ?? lines.length;
  let title: string | undefined;
  let specPath: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (inFence[i]) continue;
    const heading = parseHeading(lines[i]!);
    if (heading?.level === 1 && title === undefined) title = planTitle(heading.text) ?? heading.text;
    const spec =
      i < preambleEnd && specPath === undefined
        ? matchLabel(lines[i]!, "spec(?:[ \\t]+(?:file|path|document))?")
        : undefined;
    if (spec && spec.value !== "") specPath = pathValue(spec.value);
  }
  const plan: Plan = {
    title: title ?? "",
    tasks: sections.map((section) => parseTask(lines, inFence, section)),
  };
  if (specPath !== undefined) plan.specPath = specPath;
  return plan;
}

/**
 * The title in a `# Plan: <title>` heading's text (`Plan: x`, `**Plan:** x`, `Plan — x`), "" when
 * the prefix has no title after it, undefined when the heading is not a plan title.
 */
export function planTitle(headingText: string): string | undefined {
  const match = /^(\*\*|__)?plan(?:[ \t]*\1[ \t]*(?::|—|–)|[ \t]*(?::|—|–)[ \t]*\1)[ \t]*(.*)$/i.exec(
    headingText,
  );
  return match ? match[2]!.trim() : undefined;
}

function pathValue(value: string): string {
  const link = /\]\(([^)\s]+)\)/.exec(value);
  if (link) return link[1]!;
  return inlineCodeSpans(value)[0] ?? unquote(value);
}

interface RawField {
  name: PlanField;
  /** Whether the field has text on its label line. */
  inline: boolean;
  lines: { text: string; fenced: boolean }[];
}

function fieldName(label: string): PlanField {
  if (label.startsWith("file")) return "files";
  if (label.startsWith("cover")) return "covers";
  if (label.startsWith("step")) return "steps";
  if (label.startsWith("test")) return "test";
  return "commit";
}

function parseTask(lines: readonly string[], inFence: readonly boolean[], section: TaskSection): PlanTask {
  const fields: RawField[] = [];
  let current: RawField | undefined;
  for (let i = section.start + 1; i < section.end; i++) {
    const line = lines[i]!;
    if (!inFence[i]) {
      const label = matchLabel(line, FIELD_NAMES);
      // A plain bullet inside a list-valued field is an entry, not a label: under "Files:",
      // "- Test: `test/x.test.js`" names a test file.
      const insideList =
        current && (current.name === "steps" || (current.name === "files" && !current.inline));
      if (label && (!label.bulleted || label.decorated || !insideList)) {
        current = { name: fieldName(label.label), inline: label.value !== "", lines: [] };
        if (label.value !== "") current.lines.push({ text: label.value, fenced: false });
        fields.push(current);
        continue;
      }
    }
    current?.lines.push({ text: line, fenced: inFence[i] ?? false });
  }
  const of = (name: PlanField) =>
    fields.filter((field) => field.name === name).flatMap((field) => field.lines);
  // Drop trailing blank lines and the `---` rules that often separate tasks.
  let end = section.end;
  while (end > section.start + 1 && (isBlank(lines[end - 1]!) || THEMATIC_BREAK.test(lines[end - 1]!))) end--;
  return {
    number: section.number,
    title: section.title,
    files: parseFiles(of("files")),
    covers: parseCovers(of("covers").map((line) => line.text)),
    steps: parseSteps(of("steps")),
    test: joinText(of("test")),
    commit: unquote(joinText(of("commit"))),
    line: section.start + 1,
    text: lines.slice(section.start, end).join("\n"),
    fields: [...new Set(fields.map((field) => field.name))],
  };
}

function joinText(lines: readonly { text: string }[]): string {
  return lines
    .map((line) => line.text.trim())
    .join("\n")
    .trim();
}

const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const FILE_VERB =
  /^(?:create|creates|new|modify|modifies|update|edit|change|add|delete|remove|rename|test|tests)[ \t]*:[ \t]*/i;
const NONE = /^(?:none|n\/?a|-|—|–)\.?$/i;

function parseFiles(lines: readonly { text: string; fenced: boolean }[]): string[] {
  const files: string[] = [];
  let seen = false;
  for (const { text, fenced } of lines) {
    // The file list ends at the first blank line after it (steps or prose may follow unlabelled).
    if (isBlank(text)) {
      if (seen) break;
      continue;
    }
    seen = true;
    if (fenced) continue;
    let line = text.trim();
    const item = parseListItem(line);
    if (item?.checkbox) continue;
    if (item) line = item.content;
    line = line.replace(FILE_VERB, "");
    const spans = inlineCodeSpans(line);
    if (spans.length > 0) {
      files.push(...spans);
      // Unquoted paths mixed with quoted ones: keep only what clearly looks like a path.
      const rest = line.replace(/`+[^`]*`+/g, ",");
      for (const piece of rest.split(",")) {
        const token = piece.trim().split(/\s+/)[0] ?? "";
        if (/^[\w.~@/\\-]+$/.test(token) && /[/\\]|\.[A-Za-z]\w*$/.test(token)) files.push(token);
      }
      continue;
    }
    for (const piece of line.split(/,|;|\s+and\s+/)) {
      const token = piece.trim().split(/\s+/)[0] ?? "";
      if (token !== "") files.push(token);
    }
  }
  const cleaned = files
    .map((file) => unquote(file).replace(/(?::\d+(?:[-–]\d+)?|#L\d+(?:-L?\d+)?)$/, ""))
    .filter((file) => file !== "" && !NONE.test(file));
  return [...new Set(cleaned)];
}

function parseCovers(lines: readonly string[]): string[] {
  const ids: string[] = [];
  const text = lines.join("\n");
  for (const match of text.matchAll(/\bR(\d+)(?:[ \t]*(?:-|–|—|\.\.)[ \t]*R?(\d+))?\b/gi)) {
    const from = Number.parseInt(match[1]!, 10);
    const to = match[2] === undefined ? from : Number.parseInt(match[2], 10);
    if (to > from && to - from <= 50) {
      for (let n = from; n <= to; n++) ids.push(`R${n}`);
    } else ids.push(requirementId(match[1]!));
  }
  return [...new Set(ids)];
}

function parseSteps(lines: readonly { text: string; fenced: boolean }[]): string[] {
  const steps: string[][] = [];
  let baseIndent: number | undefined;
  let contentIndent = 0;
  let afterBlank = false;
  let closed = false;
  for (const { text, fenced } of lines) {
    const item = fenced ? undefined : parseListItem(text);
    if (item && (baseIndent === undefined || item.indent <= baseIndent)) {
      baseIndent ??= item.indent;
      contentIndent = leadingIndent(text) + item.marker.length + 1;
      steps.push([item.content]);
      afterBlank = closed = false;
      continue;
    }
    // An unindented paragraph after a blank line ends the list: it is not part of the last step.
    if (!fenced && !isBlank(text) && afterBlank && leadingIndent(text) === 0) closed = true;
    afterBlank = !fenced && isBlank(text);
    const step = steps[steps.length - 1];
    if (!step || closed) continue;
    // Continuation (wrapped text, sub-items, code under the step): keep it, dedented.
    const dedented = text.replace(new RegExp(`^[ \\t]{0,${contentIndent}}`), "").trimEnd();
    step.push(fenced ? dedented : dedented.trim());
  }
  return steps.map((step) => step.join("\n").trim()).filter((step) => step !== "");
}

/** Splits the plan's tasks into consecutive groups of `chunkSize` (the last may be smaller). */
export function planChunks(plan: Plan, chunkSize: number): PlanTask[][] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`);
  }
  const chunks: PlanTask[][] = [];
  for (let i = 0; i < plan.tasks.length; i += chunkSize) chunks.push(plan.tasks.slice(i, i + chunkSize));
  return chunks;
}
