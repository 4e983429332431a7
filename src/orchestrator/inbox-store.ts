/**
 * The human inbox: every question an agent asks and every gate a pipeline waits at, across all
 * tasks, oldest first. An item is resolved once (answered, approved, revised or cancelled) and
 * kept afterwards as part of the task's record.
 */
import type { Db } from "./db.js";

export const INBOX_KINDS = ["question", "gate"] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

export type InboxResolution = "answered" | "approved" | "revised" | "cancelled";

export interface InboxItem {
  id: number;
  taskId: number;
  kind: InboxKind;
  /** The pipeline stage (or `agent` for an agent's own question) the item belongs to. */
  stage: string;
  text: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: InboxResolution | null;
  response: string | null;
}

interface Row {
  id: number;
  task_id: number;
  kind: InboxKind;
  stage: string;
  text: string;
  created_at: string;
  resolved_at: string | null;
  resolution: InboxResolution | null;
  response: string | null;
}

function fromRow(row: Row): InboxItem {
  return {
    id: row.id,
    taskId: row.task_id,
    kind: row.kind,
    stage: row.stage,
    text: row.text,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    response: row.response,
  };
}

export class InboxStore {
  constructor(private readonly db: Db) {}

  open(taskId: number, kind: InboxKind, stage: string, text: string): InboxItem {
    const result = this.db
      .prepare("INSERT INTO inbox (task_id, kind, stage, text, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(taskId, kind, stage, text, new Date().toISOString());
    return this.get(Number(result.lastInsertRowid))!;
  }

  get(id: number): InboxItem | undefined {
    const row = this.db.prepare("SELECT * FROM inbox WHERE id = ?").get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Unresolved items, oldest first; only one task's when `taskId` is given. */
  pending(taskId?: number): InboxItem[] {
    const rows = (
      taskId === undefined
        ? this.db.prepare("SELECT * FROM inbox WHERE resolved_at IS NULL ORDER BY id").all()
        : this.db
            .prepare("SELECT * FROM inbox WHERE resolved_at IS NULL AND task_id = ? ORDER BY id")
            .all(taskId)
    ) as Row[];
    return rows.map(fromRow);
  }

  /** Every item of one task, resolved or not, in order. */
  forTask(taskId: number): InboxItem[] {
    const rows = this.db.prepare("SELECT * FROM inbox WHERE task_id = ? ORDER BY id").all(taskId) as Row[];
    return rows.map(fromRow);
  }

  /** Resolves an open item; returns undefined when it was already resolved (a double answer). */
  resolve(id: number, resolution: InboxResolution, response: string | null): InboxItem | undefined {
    const changed = this.db
      .prepare(
        "UPDATE inbox SET resolved_at = ?, resolution = ?, response = ? WHERE id = ? AND resolved_at IS NULL",
      )
      .run(new Date().toISOString(), resolution, response, id).changes;
    return changed === 1 ? this.get(id) : undefined;
  }

  /** Cancels a task's open items (the task was stopped, discarded or replied to directly). */
  cancelAll(taskId: number): void {
    this.db
      .prepare(
        "UPDATE inbox SET resolved_at = ?, resolution = 'cancelled' WHERE task_id = ? AND resolved_at IS NULL",
      )
      .run(new Date().toISOString(), taskId);
  }
}
