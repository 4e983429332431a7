/**
 * Review comments, kept by the daemon per task (SQLite, `review_comments`) so they survive a
 * reload and show in the task view as in the review queue. A comment is anchored to a diff line
 * (`file:line`, on the new or the old side, with the line's code quoted back to the agent) and
 * stays pending until "send back" delivers it; then it records when.
 */
import type { Db } from "../orchestrator/db.js";

export interface ReviewComment {
  id: number;
  taskId: number;
  file: string;
  line: number;
  /** Which side of the diff the line number counts: the new file or the old one. */
  side: "new" | "old";
  /** The line's code, quoted back to the agent. */
  code: string;
  text: string;
  createdAt: string;
  /** When "send back" delivered it; null while pending. */
  sentAt: string | null;
}

export type NewReviewComment = Pick<ReviewComment, "file" | "line" | "side" | "code" | "text">;

interface Row {
  id: number;
  task_id: number;
  file: string;
  line: number;
  side: string;
  code: string;
  body: string;
  created_at: string;
  sent_at: string | null;
}

const fromRow = (row: Row): ReviewComment => ({
  id: row.id,
  taskId: row.task_id,
  file: row.file,
  line: row.line,
  side: row.side === "old" ? "old" : "new",
  code: row.code,
  text: row.body,
  createdAt: row.created_at,
  sentAt: row.sent_at,
});

export class ReviewCommentStore {
  constructor(private readonly db: Db) {}

  /** All of a task's comments, oldest first. */
  list(taskId: number): ReviewComment[] {
    return (
      this.db.prepare("SELECT * FROM review_comments WHERE task_id = ? ORDER BY id").all(taskId) as Row[]
    ).map(fromRow);
  }

  pending(taskId: number): ReviewComment[] {
    return this.list(taskId).filter((comment) => comment.sentAt === null);
  }

  add(taskId: number, comment: NewReviewComment): ReviewComment {
    const row = this.db
      .prepare(
        `INSERT INTO review_comments (task_id, file, line, side, code, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        taskId,
        comment.file,
        comment.line,
        comment.side,
        comment.code,
        comment.text,
        new Date().toISOString(),
      ) as Row;
    return fromRow(row);
  }

  /** Removes a pending comment; a sent one is history and stays. Returns whether one was removed. */
  remove(taskId: number, id: number): boolean {
    return (
      this.db
        .prepare("DELETE FROM review_comments WHERE id = ? AND task_id = ? AND sent_at IS NULL")
        .run(id, taskId).changes > 0
    );
  }

  markSent(ids: readonly number[], at = new Date().toISOString()): void {
    const mark = this.db.prepare("UPDATE review_comments SET sent_at = ? WHERE id = ? AND sent_at IS NULL");
    this.db.transaction(() => {
      for (const id of ids) mark.run(at, id);
    })();
  }
}
