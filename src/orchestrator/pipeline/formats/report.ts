/**
 * The implementer's report (its final message): free text with a `STATUS: <status>` line. The
 * label is case-insensitive and may be bold or in backticks; when several status lines appear,
 * the last one wins. Lines inside fenced code blocks are ignored.
 */
import {
  matchLabel,
  normalizeNewlines,
  scanFences,
  stripHeadingMarker,
  toLines,
  unwrap,
} from "./markdown.js";

export const REPORT_STATUSES = ["DONE", "DONE_WITH_CONCERNS", "NEEDS_CONTEXT", "BLOCKED"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface Report {
  /** undefined when the message has no recognisable status line. */
  status: ReportStatus | undefined;
  /** The message without its status lines, trimmed. */
  body: string;
}

const STATUS_VALUE =
  /^(?:\*\*|__|`|\*|_)*(done[ _-]with[ _-]concerns|needs[ _-]context|done|blocked)(?![\w-])/i;

/** The status named on a `STATUS:` line, or undefined when the line is not one. */
export function statusOf(line: string): ReportStatus | undefined {
  const label = matchLabel(stripHeadingMarker(line), "status");
  if (!label) return undefined;
  const value = STATUS_VALUE.exec(unwrap(label.value));
  return value ? (value[1]!.toUpperCase().replace(/[ -]/g, "_") as ReportStatus) : undefined;
}

export function parseReport(text: string): Report {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  let status: ReportStatus | undefined;
  const body: string[] = [];
  lines.forEach((line, i) => {
    const found = inFence[i] ? undefined : statusOf(line);
    if (found) status = found;
    else body.push(line);
  });
  return { status, body: normalizeNewlines(body.join("\n")).trim() };
}
