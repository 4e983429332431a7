/**
 * How review comments read on the page: sorted by file and line, located as `file:line`, and what
 * the reviewer is told once they went back. The follow-up message itself is written by the daemon
 * when a task is sent back.
 */
import type { ReviewComment } from "../types";

type Anchored = Pick<ReviewComment, "file" | "line" | "side">;

export function sortComments<T extends Anchored>(comments: readonly T[]): T[] {
  return [...comments].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.side.localeCompare(b.side),
  );
}

export function commentLocation(comment: Anchored): string {
  return `${comment.file}:${comment.line}${comment.side === "old" ? " (removed line)" : ""}`;
}

/** Pending comments (not yet sent back), in the order the agent will read them. */
export function pendingComments(comments: readonly ReviewComment[]): ReviewComment[] {
  return sortComments(comments.filter((comment) => comment.sentAt === null));
}

/** What the reviewer is told once comments went back: the task runs now, or waits for a free agent slot. */
export function sentBackText(task: { state: string }): string {
  return task.state === "queued"
    ? "Sent back: every agent slot of the repository is busy, so it runs as soon as one is free."
    : "Sent back: the agent is working on it.";
}
