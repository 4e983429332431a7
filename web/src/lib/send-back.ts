/** Review comments on diff lines, and the one follow-up message that sends them to the agent. */

export interface ReviewComment {
  id: string;
  file: string;
  line: number;
  /** Which side of the diff the line number counts: the new file or the old one. */
  side: "new" | "old";
  /** The line's code, quoted back to the agent. */
  code: string;
  text: string;
}

export function sortComments(comments: readonly ReviewComment[]): ReviewComment[] {
  return [...comments].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.side.localeCompare(b.side),
  );
}

export function commentLocation(comment: Pick<ReviewComment, "file" | "line" | "side">): string {
  return `${comment.file}:${comment.line}${comment.side === "old" ? " (removed line)" : ""}`;
}

/** One message: a general note, then each comment under `file:line` with the line quoted. */
export function formatSendBack(comments: readonly ReviewComment[], general = ""): string {
  const parts: string[] = [];
  if (general.trim()) parts.push(general.trim());
  if (comments.length > 0) {
    parts.push(
      `Review comments (${comments.length}) on your changes; please address each one:`,
      ...sortComments(comments).map((comment) => {
        const quote = comment.code.trim() ? `\n> ${comment.code.replace(/\s+$/, "")}` : "";
        return `${commentLocation(comment)}${quote}\n${comment.text.trim()}`;
      }),
    );
  }
  return parts.join("\n\n");
}
