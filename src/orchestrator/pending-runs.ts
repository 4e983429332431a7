/**
 * Agent runs that wait for a slot: a follow-up (`grove reply`, `grove resume`) or a pipeline step
 * after an inbox gate, asked for while every one of the repository's agent slots was busy. The
 * task waits `queued`; the scheduler starts the run when a slot frees up. Kept in the database,
 * so a restarted daemon still starts them.
 */
import type { Db } from "./db.js";
import type { RunRequest } from "./pipeline/pipeline-host.js";

/** What `Orchestrator.startRun` takes: a pipeline's RunRequest, or just a prompt in the task's own agent. */
export type RunInput = Partial<RunRequest> & { prompt: string };

export class PendingRuns {
  constructor(private readonly db: Db) {}

  /** Replaces the task's pending run, if it had one. */
  set(taskId: number, run: RunInput): void {
    this.db
      .prepare(
        `INSERT INTO pending_runs (task_id, request, queued_at) VALUES (?, ?, ?)
         ON CONFLICT (task_id) DO UPDATE SET request = excluded.request, queued_at = excluded.queued_at`,
      )
      .run(taskId, JSON.stringify(run), new Date().toISOString());
  }

  get(taskId: number): RunInput | undefined {
    const row = this.db.prepare("SELECT request FROM pending_runs WHERE task_id = ?").get(taskId) as
      | { request: string }
      | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.request) as RunInput;
    } catch {
      return undefined; // Unreadable: the scheduler interrupts the task instead of stalling the queue.
    }
  }

  delete(taskId: number): void {
    this.db.prepare("DELETE FROM pending_runs WHERE task_id = ?").run(taskId);
  }
}
