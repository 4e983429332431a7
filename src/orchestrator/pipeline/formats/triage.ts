/**
 * The triage of an external review, written by the triage agent to `triage.md`:
 *
 * ```md
 * - [accept] 1: src/greet.js:3 — Reason it is right.
 * - [reject] 2: README.md:1 — Reason it is wrong.
 * - [needs-human] 3 — Reason a person must decide.
 *
 * VERDICT: hire — overall judgement of the reviewer
 * ```
 *
 * Decisions are recognised anywhere outside fenced code; indented lines under a decision continue
 * its reason. The last `VERDICT:` line wins.
 */

import { splitLocation } from "./location.js";
import { itemContinuation, matchLabel, scanFences, stripHeadingMarker, toLines, unwrap } from "./markdown.js";

export type TriageDecisionKind = "accept" | "reject" | "needs-human";

export interface TriageDecision {
  decision: TriageDecisionKind;
  /** The reviewer's finding number or id as written (`1`, `F2`), without `#`; "" when absent. */
  ref: string;
  /** `path:line`, a bare path, or "" when absent. */
  location: string;
  reason: string;
}

export interface Triage {
  decisions: TriageDecision[];
  /** The text after `VERDICT:`; undefined when there is no verdict line. */
  verdict: string | undefined;
  /** true for "hire", false for "no hire" / "no-hire" / "don't hire"; undefined otherwise. */
  hire: boolean | undefined;
}

const DECISION =
  /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\*\*|__)?\[(accept(?:ed)?|reject(?:ed)?|needs[ _-]human)\](?:\*\*|__)?(?:[ \t]+(.*))?$/i;
const REF = /^#?([A-Za-z]{0,3}\d+(?:\.\d+)*)(?=[\s:.)\]—–-]|$)[ \t]*(?:[:.)—–]|-(?=\s))?/;

export function parseTriage(text: string): Triage {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  const isDecision = (line: string) => DECISION.test(line);
  const decisions: TriageDecision[] = [];
  let verdict: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (inFence[i]) {
      i++;
      continue;
    }
    const label = matchLabel(stripHeadingMarker(line), "verdict");
    if (label) verdict = unwrap(label.value);
    const match = DECISION.exec(line);
    if (!match) {
      i++;
      continue;
    }
    const { extra, next } = itemContinuation(lines, inFence, i, isDecision);
    let rest = (match[2] ?? "").trim();
    const ref = REF.exec(rest);
    if (ref) rest = rest.slice(ref[0].length);
    const { location, text: reason } = splitLocation(rest);
    decisions.push({
      decision: decisionKind(match[1]!),
      ref: ref?.[1] ?? "",
      location,
      reason: [reason, ...extra].join("\n").trim(),
    });
    i = next;
  }
  return { decisions, verdict, hire: hireOf(verdict) };
}

function decisionKind(word: string): TriageDecisionKind {
  const lower = word.toLowerCase();
  if (lower.startsWith("accept")) return "accept";
  if (lower.startsWith("reject")) return "reject";
  return "needs-human";
}

function hireOf(verdict: string | undefined): boolean | undefined {
  if (verdict === undefined) return undefined;
  const lower = verdict.toLowerCase().replace(/^[*_`]+/, "");
  if (/^(?:no[ _-]?hire|do not hire|don[’']t hire)\b/.test(lower)) return false;
  if (/^hire\b/.test(lower)) return true;
  return undefined;
}
