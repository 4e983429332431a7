/**
 * Placeholder detection shared by the spec and plan checks. A placeholder is text that defers a
 * decision ("TBD", "add validation", "similar to task 2") instead of stating it. Text inside
 * fenced code blocks and inline code spans is ignored, since code may legitimately say `todo`.
 */
import { blankInlineCode, scanFences, toLines } from "./markdown.js";
import type { LintProblem } from "./problems.js";

export interface Placeholder {
  /** 1-based line. */
  line: number;
  /** The matched text as written. */
  match: string;
  /** What to write instead, phrased for the agent that has to fix it. */
  hint: string;
}

// A marker word must stand alone: not part of a path, file name or identifier (`todos.ts`,
// `src/todo/`, `my_todo`, `todo-list`, `todo.md`), but may be followed by sentence punctuation.
const BEFORE = String.raw`(?<![\w./\\-])`;
const AFTER = String.raw`(?![\w/\\-]|\.\w)`;

interface Rule {
  pattern: RegExp;
  hint: string;
}

const HTML_TAGS = new Set(
  (
    "a abbr article aside audio b blockquote br center cite code dd del details div dl dt em " +
    "figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main mark nav ol p " +
    "picture pre q s samp section small source span strong sub summary sup table tbody td th thead " +
    "tr tt u ul var video wbr"
  ).split(" "),
);

const DECIDE = "decide it now and write the decision down";
const SPELL_OUT = "write out the actual content";

const RULES: readonly Rule[] = [
  { pattern: new RegExp(`${BEFORE}(?:TBD|TBC)${AFTER}`, "gi"), hint: DECIDE },
  { pattern: /\bto be (?:determined|decided|confirmed)\b/gi, hint: DECIDE },
  // Uppercase only: "a todo list" is an ordinary phrase; "todo:" in any case is a marker.
  { pattern: new RegExp(`${BEFORE}TODO${AFTER}`, "g"), hint: SPELL_OUT },
  { pattern: new RegExp(`${BEFORE}todo(?=[ \\t]*:)`, "gi"), hint: SPELL_OUT },
  { pattern: new RegExp(`${BEFORE}(?:FIXME|XXX)${AFTER}`, "gi"), hint: SPELL_OUT },
  {
    pattern:
      /\b(?:similar to|same as|identical to|analogous to|as in|like|repeat(?: the steps (?:of|from))?)\s+(?:(?:the\s+)?(?:previous|prior|last|above)\s+task|task\s*#?\d+)\b/gi,
    hint: "repeat the details here; each task must stand alone, because tasks are read out of order",
  },
  {
    pattern: /\bsame as (?:above|before|previous)\b/gi,
    hint: "repeat the details here; each task must stand alone, because tasks are read out of order",
  },
  {
    pattern:
      /\badd(?:\s+(?:some|basic|proper|appropriate|necessary|more|any|extra|further|input))*\s+validation\b/gi,
    hint: "say exactly which input is checked, and what happens when it is invalid",
  },
  {
    pattern:
      /\badd(?:\s+(?:some|basic|proper|appropriate|necessary|more|any|extra|further))*\s+error[- ]handling\b/gi,
    hint: "say exactly which error is handled, and how",
  },
  {
    pattern: /\bhandle\s+(?:(?:the|any|all|other|remaining|possible)\s+)*edge[- ]cases\b/gi,
    hint: "name each edge case and the expected behaviour",
  },
  { pattern: /\bimplement the rest\b/gi, hint: "list the remaining work as explicit steps" },
  { pattern: /\bfill in\b/gi, hint: SPELL_OUT },
  { pattern: new RegExp(`${BEFORE}etc${AFTER}\\.?`, "gi"), hint: "list every item explicitly" },
  { pattern: /\band so on\b/gi, hint: "list every item explicitly" },
];

const ELLIPSIS_LINE = /^[ \t]*(?:>[ \t]*)?(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(\.{3,}|…)[ \t]*$/;
const ANGLE_TOKEN = /(?<![\w<])<([A-Za-z][\w .|/-]{0,60})>/g;

/** Placeholders in `text`, ordered by line and position. */
export function findPlaceholders(text: string): Placeholder[] {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  const found: (Placeholder & { index: number })[] = [];
  lines.forEach((raw, i) => {
    if (inFence[i]) return;
    const line = blankInlineCode(raw);
    const seen = new Set<number>();
    const add = (index: number, match: string, hint: string) => {
      if (seen.has(index)) return;
      seen.add(index);
      found.push({ line: i + 1, match, hint, index });
    };
    const ellipsis = ELLIPSIS_LINE.exec(line);
    if (ellipsis)
      add(line.indexOf(ellipsis[1]!), ellipsis[1]!, "replace the elided part with the actual content");
    for (const rule of RULES) {
      for (const match of line.matchAll(rule.pattern)) add(match.index, match[0], rule.hint);
    }
    for (const match of line.matchAll(ANGLE_TOKEN)) {
      const inner = match[1]!;
      if (inner.endsWith(" ") || HTML_TAGS.has(inner.replace(/\s*\/$/, "").toLowerCase())) continue;
      add(match.index, match[0], "replace the template token with the real value");
    }
  });
  return found
    .sort((a, b) => a.line - b.line || a.index - b.index)
    .map(({ line, match, hint }) => ({ line, match, hint }));
}

/** One lint problem per placeholder, with a message the author can act on. */
export function placeholderProblems(text: string): LintProblem[] {
  return findPlaceholders(text).map(({ line, match, hint }) => ({
    line,
    message: `placeholder "${match.trim()}": ${hint}`,
  }));
}
