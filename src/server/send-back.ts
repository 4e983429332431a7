/** The one follow-up message "send back" delivers: a general note, then every pending comment. */
import type { NewReviewComment } from "./review-comments.js";

type Anchored = Pick<NewReviewComment, "file" | "line" | "side">;

export function sortComments<T extends Anchored>(comments: readonly T[]): T[] {
  return [...comments].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.side.localeCompare(b.side),
  );
}

export function commentLocation(comment: Anchored): string {
  return `${comment.file}:${comment.line}${comment.side === "old" ? " (removed line)" : ""}`;
}

/** The note, then each comment under `file:line` with its line quoted; "" with nothing to say. */
export function formatSendBack(comments: readonly NewReviewComment[], general = ""): string {
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
