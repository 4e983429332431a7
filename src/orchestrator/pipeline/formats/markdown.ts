/**
 * Line-level Markdown helpers shared by the pipeline document parsers. Deliberately small: the
 * documents are written by agents to a fixed format, so we recognise headings, fenced code
 * blocks, inline code spans, list items and `Label: value` lines, and nothing else.
 */

/** Splits text into lines, accepting `\n`, `\r\n` and lone `\r`, and dropping a leading BOM. */
export function toLines(text: string): string[] {
  return normalizeNewlines(text).split("\n");
}

export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

export interface Fence {
  /** 0-based index of the opening fence line. */
  open: number;
  /** 0-based index of the closing fence line; undefined when the block runs to the end. */
  close: number | undefined;
  /** Number of lines between the fences. */
  contentLines: number;
}

export interface FenceScan {
  /** True for every line that is a fence delimiter or inside a fenced block. */
  inFence: boolean[];
  fences: Fence[];
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;

/**
 * Finds fenced code blocks (``` or ~~~). Unlike CommonMark, fences may be indented by any amount,
 * because agents indent code under numbered steps. An unclosed fence runs to the end of the text.
 */
export function scanFences(lines: readonly string[]): FenceScan {
  const inFence = lines.map(() => false);
  const fences: Fence[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = FENCE_OPEN.exec(lines[i]!);
    const marker = open?.[1];
    if (!open || marker === undefined || (marker[0] === "`" && open[2]!.includes("`"))) {
      i++;
      continue;
    }
    const closing = new RegExp(`^[ \\t]*${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`);
    let close: number | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      if (closing.test(lines[j]!)) {
        close = j;
        break;
      }
    }
    const end = close ?? lines.length - 1;
    for (let k = i; k <= end; k++) inFence[k] = true;
    fences.push({ open: i, close, contentLines: (close ?? lines.length) - i - 1 });
    i = end + 1;
  }
  return { inFence, fences };
}

/**
 * Replaces every inline code span (`` `x` ``, ``` ``x`` ```) with spaces of the same length, so
 * that columns are preserved and the code inside cannot match prose patterns. A backtick run with
 * no closing run of the same length is left as literal text.
 */
export function blankInlineCode(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    if (line[i] !== "`") {
      out += line[i];
      i++;
      continue;
    }
    let run = 0;
    while (line[i + run] === "`") run++;
    const closeAt = findBacktickRun(line, i + run, run);
    if (closeAt === -1) {
      out += line.slice(i, i + run);
      i += run;
      continue;
    }
    out += " ".repeat(closeAt + run - i);
    i = closeAt + run;
  }
  return out;
}

function findBacktickRun(line: string, from: number, length: number): number {
  let i = from;
  while (i < line.length) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let run = 0;
    while (line[i + run] === "`") run++;
    if (run === length) return i;
    i += run;
  }
  return -1;
}

/** The contents of every inline code span on the line, trimmed, in order. */
export function inlineCodeSpans(line: string): string[] {
  const spans: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    let run = 0;
    while (line[i + run] === "`") run++;
    const closeAt = findBacktickRun(line, i + run, run);
    if (closeAt === -1) {
      i += run;
      continue;
    }
    spans.push(line.slice(i + run, closeAt).trim());
    i = closeAt + run;
  }
  return spans;
}

export interface Heading {
  level: number;
  text: string;
}

/** An ATX heading (`## Text`), with any closing `#` sequence removed. */
export function parseHeading(line: string): Heading | undefined {
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  if (!match) return undefined;
  const text = (match[2] ?? "").replace(/(?:^|[ \t]+)#+$/, "").trim();
  return { level: match[1]!.length, text };
}

export interface ListItem {
  /** Leading whitespace width (tabs count as 4). */
  indent: number;
  /** `-`, `*`, `+`, or the number of an ordered item as written (`3.`, `3)`). */
  marker: string;
  ordered: boolean;
  /** The item's text after the marker (and after a `[ ]` / `[x]` checkbox, if any). */
  content: string;
  checkbox: boolean;
}

/** A bullet (`-`, `*`, `+`), ordered (`1.`, `1)`) or checkbox (`- [ ]`) list item line. */
export function parseListItem(line: string): ListItem | undefined {
  const match = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/.exec(line);
  if (!match) return undefined;
  const marker = match[2]!;
  let content = match[3]!.trim();
  const box = /^\[[ xX]\](?:[ \t]+|$)(.*)$/.exec(content);
  if (box) content = box[1]!.trim();
  return {
    indent: indentWidth(match[1]!),
    marker,
    ordered: /\d/.test(marker),
    content,
    checkbox: box !== null,
  };
}

export function indentWidth(whitespace: string): number {
  let width = 0;
  for (const ch of whitespace) {
    if (ch === "\t") width += 4;
    else if (ch === " ") width++;
    else break;
  }
  return width;
}

export function leadingIndent(line: string): number {
  return indentWidth(/^[ \t]*/.exec(line)![0]);
}

export function isBlank(line: string): boolean {
  return line.trim() === "";
}

export interface LabelLine {
  /** The label as written, without decoration, lowercased and with inner whitespace collapsed. */
  label: string;
  /** The text after the colon, with emphasis/backticks that wrapped the label removed. */
  value: string;
  /** The line started with a bullet (`- Files:`). */
  bulleted: boolean;
  /** The label was bold or otherwise wrapped (`**Files:**`, `__Files__:`, `` `Files:` ``). */
  decorated: boolean;
}

const DECOR = "(\\*\\*|__|`)";

/**
 * Matches a `Label: value` line for one of `names` (a regex alternation, matched
 * case-insensitively). Accepts `Label:`, `**Label:**`, `**Label**:`, `` `Label: value` `` and an
 * optional leading bullet or blockquote marker.
 */
export function matchLabel(line: string, names: string): LabelLine | undefined {
  const re = new RegExp(
    `^[ \\t]*(?:>[ \\t]*)?(?:([-*+])[ \\t]+)?${DECOR}?[ \\t]*(${names})[ \\t]*(?:\\2[ \\t]*:|:(?:[ \\t]*\\2)?)[ \\t]*(.*)$`,
    "i",
  );
  const match = re.exec(line);
  if (!match) return undefined;
  const decoration = match[2];
  let value = match[4]!.trim();
  if (decoration === "`" && value.endsWith("`") && !value.slice(0, -1).includes("`")) {
    value = value.slice(0, -1).trim();
  }
  return {
    label: match[3]!.toLowerCase().replace(/\s+/g, " "),
    value,
    bulleted: match[1] !== undefined,
    decorated: decoration !== undefined,
  };
}

/** `## VERDICT: x` → `VERDICT: x`: agents sometimes put their final label in a heading. */
export function stripHeadingMarker(line: string): string {
  return line.replace(/^ {0,3}#{1,6}[ \t]+/, "");
}

/** Removes emphasis or backticks wrapping the whole string: `**x**`, `_x_`, `` `x` ``. */
export function unwrap(text: string): string {
  let out = text.trim();
  for (;;) {
    const match = /^(\*\*|__|\*|_|`)(.+)\1$/s.exec(out);
    if (!match || match[2]!.includes(match[1]!)) return out;
    out = match[2]!.trim();
  }
}

/** Strips one pair of matching quotes or backticks around the whole string. */
export function unquote(text: string): string {
  const trimmed = text.trim();
  const match = /^(["'`“‘])(.*)(["'`”’])$/s.exec(trimmed);
  if (!match) return trimmed;
  const pairs: Record<string, string> = { '"': '"', "'": "'", "`": "`", "“": "”", "‘": "’" };
  const inner = match[2]!;
  if (pairs[match[1]!] !== match[3] || inner.includes(match[1]!)) return trimmed;
  return inner.trim();
}

/**
 * Collects the continuation of a list item starting at `start`: the following non-blank lines that
 * are indented and outside fences, up to a blank line, an unindented line, or a line that starts
 * another item (`isItem`). Returns the trimmed continuation lines and the index after the item.
 */
export function itemContinuation(
  lines: readonly string[],
  inFence: readonly boolean[],
  start: number,
  isItem: (line: string) => boolean,
): { extra: string[]; next: number } {
  const extra: string[] = [];
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line) || inFence[i] || leadingIndent(line) === 0 || isItem(line)) break;
    extra.push(line.trim());
    i++;
  }
  return { extra, next: i };
}
