/**
 * One brainstorming turn of the architect (its final message): either a question for the user
 *
 * ```md
 * QUESTION: Should greetings in other languages be a parameter or a separate function?
 * (a) a parameter  (b) separate functions
 * ```
 *
 * or a `DESIGN READY` line followed by the approaches, recommendation and assumptions.
 *
 * Rule when both appear: whichever marker comes first wins. A question asked before the design is
 * declared ready must be answered first; a `QUESTION:` after `DESIGN READY` is part of the design
 * (an open point recorded in it). Markers inside fenced code blocks are ignored.
 */
import { isBlank, matchLabel, normalizeNewlines, scanFences, toLines } from "./markdown.js";

export type BrainstormTurn =
  | { kind: "question"; question: string }
  | { kind: "ready"; design: string }
  | { kind: "unclear" };

const READY = /^[ \t]*(?:#{1,6}[ \t]+)?(?:\*\*|__|`)?design[ _-]ready\b/i;

export function parseBrainstorm(text: string): BrainstormTurn {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  for (let i = 0; i < lines.length; i++) {
    if (inFence[i]) continue;
    const line = lines[i]!;
    if (READY.test(line)) return { kind: "ready", design: normalizeNewlines(text).trim() };
    const label = matchLabel(line, "question");
    if (!label) continue;
    const question = questionText(lines, i, label.value);
    if (question !== "") return { kind: "question", question };
  }
  return { kind: "unclear" };
}

/** The question's own line plus the option lines that follow it, up to a blank line. */
function questionText(lines: readonly string[], at: number, inline: string): string {
  const parts = inline === "" ? [] : [inline];
  let i = at + 1;
  // "QUESTION:" alone on its line: the question starts on the next non-blank line.
  if (parts.length === 0) while (i < lines.length && isBlank(lines[i]!)) i++;
  while (i < lines.length && !isBlank(lines[i]!) && !READY.test(lines[i]!)) {
    parts.push(lines[i]!.trimEnd());
    i++;
  }
  return parts.join("\n").trim();
}
