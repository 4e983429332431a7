/**
 * The architect's review (its final message):
 *
 * ```md
 * VERDICT: CHANGES_REQUESTED
 * FINDINGS:
 * - [important] src/greet.js:3 — The language argument is ignored.
 * - [minor] The test name says "hi" but checks "hello".
 * ```
 *
 * The verdict label is case-insensitive and may be bold or in backticks; the last verdict line
 * wins. Findings are recognised anywhere outside fenced code (a `FINDINGS:` header is optional).
 * Indented lines under a finding continue its text.
 */

import { splitLocation } from "./location.js";
import {
  itemContinuation,
  matchLabel,
  normalizeNewlines,
  scanFences,
  stripHeadingMarker,
  toLines,
  unwrap,
} from "./markdown.js";

export type Severity = "critical" | "important" | "minor";
export type Verdict = "APPROVED" | "CHANGES_REQUESTED";

export interface Finding {
  severity: Severity;
  /** `path:line`, a bare path, or "" when the finding names no location. */
  location: string;
  text: string;
}

export interface Review {
  verdict: Verdict | undefined;
  findings: Finding[];
  /** The whole message, trimmed. */
  body: string;
}

const SEVERITIES: Record<string, Severity> = {
  critical: "critical",
  blocker: "critical",
  important: "important",
  major: "important",
  minor: "minor",
  nit: "minor",
};

/** `- [important] rest`, `* [Minor] rest`, `1. [critical] rest`, `- **[major]** rest`, `[nit] rest`. */
const FINDING =
  /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\*\*|__)?\[(critical|blocker|important|major|minor|nit)\](?:\*\*|__)?(?:[ \t]+(.*))?$/i;
const VERDICT_VALUE = /^(?:\*\*|__|`|\*|_)*(approved?|changes[ _-]requested)(?![\w-])/i;

/** The verdict named on a `VERDICT:` line, or undefined when the line is not one. */
export function verdictOf(line: string): Verdict | undefined {
  const label = matchLabel(stripHeadingMarker(line), "verdict");
  if (!label) return undefined;
  const value = VERDICT_VALUE.exec(unwrap(label.value));
  if (!value) return undefined;
  return value[1]!.toLowerCase().startsWith("approve") ? "APPROVED" : "CHANGES_REQUESTED";
}

export function parseReview(text: string): Review {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  const isFinding = (line: string) => FINDING.test(line);
  let verdict: Verdict | undefined;
  const findings: Finding[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (inFence[i]) {
      i++;
      continue;
    }
    verdict = verdictOf(line) ?? verdict;
    const match = FINDING.exec(line);
    if (!match) {
      i++;
      continue;
    }
    const { extra, next } = itemContinuation(lines, inFence, i, isFinding);
    const { location, text: first } = splitLocation(match[2] ?? "");
    findings.push({
      severity: SEVERITIES[match[1]!.toLowerCase()]!,
      location,
      text: [first, ...extra].join("\n").trim(),
    });
    i = next;
  }
  return { verdict, findings, body: normalizeNewlines(text).trim() };
}

/** Critical and important findings: the ones that must be fixed before the chunk is approved. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity !== "minor");
}

/**
 * One `- [severity] location — text` line per finding (`- [severity] text` without a location);
 * continuation lines are indented by two spaces. `parseReview` reads the result back unchanged.
 */
export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map((finding) => {
      const head = finding.location === "" ? "" : `${finding.location} — `;
      return `- [${finding.severity}] ${head}${finding.text.split("\n").join("\n  ")}`;
    })
    .join("\n");
}
