/**
 * The few API routes only the dashboard needs: the new-task form's choices, each task's latest
 * activity for the Board, its documents, and what a reviewer reads before landing.
 */
import type { Hono } from "hono";
import type { Db } from "../orchestrator/db.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import type { StoredEvent, Task } from "../orchestrator/task-store.js";
import { taskDocuments } from "./task-documents.js";
import { loadWebConfig } from "./web-config.js";

/** Event types that make a readable "last activity" line on a Board card. */
export const ACTIVITY_TYPES = [
  "task_created",
  "setup_output",
  "run_started",
  "message",
  "tool_call_started",
  "question",
  "error",
  "session_finished",
  "reply",
  "run_queued",
  "land_progress",
  "land_finished",
] as const;

export interface ReviewInfo {
  task: Task;
  prompt: string;
  summary: string | null;
  /** The last landing attempt's outcome (`land_finished` body), if any. */
  land: Record<string, unknown> | null;
  /** Steps of the last landing attempt. */
  landSteps: string[];
  /** Test output from the last landing attempt that ran the tests and failed. */
  testOutput: string | null;
  setupOutput: string;
}

export function reviewInfo(task: Task, events: StoredEvent[]): ReviewInfo {
  const lastStart = events.findLast((event) => event.type === "land_started")?.seq ?? 0;
  const land = events.findLast((event) => event.type === "land_finished" && event.seq > lastStart);
  const failedTests = events.findLast(
    (event) => event.type === "land_finished" && event.body.result === "tests-failed",
  );
  return {
    task,
    prompt: task.prompt,
    summary: task.summary,
    land: land?.body ?? null,
    landSteps: events
      .filter((event) => event.type === "land_progress" && event.seq > lastStart)
      .map((event) => String(event.body.step ?? "")),
    testOutput: failedTests ? String(failedTests.body.output ?? "") : null,
    setupOutput: events
      .filter((event) => event.type === "setup_output")
      .map((event) => String(event.body.text ?? ""))
      .join(""),
  };
}

export function registerWebApi(
  app: Hono,
  options: { orchestrator: Orchestrator; home?: string; db?: Db },
): void {
  const { orchestrator, db } = options;
  app.get("/api/config", (c) => c.json(loadWebConfig(options.home ?? "")));

  const lastActivity = db?.prepare(
    `SELECT * FROM events WHERE task_id = ? AND type IN (${ACTIVITY_TYPES.map(() => "?").join(",")})
     ORDER BY seq DESC LIMIT 1`,
  );
  /** `{ [taskId]: StoredEvent }`: each task's latest readable event. */
  app.get("/api/activity", (c) => {
    const result: Record<number, StoredEvent> = {};
    if (!lastActivity) return c.json(result);
    for (const task of orchestrator.tasks.list()) {
      const row = lastActivity.get(task.id, ...ACTIVITY_TYPES) as
        | { task_id: number; seq: number; ts: string; type: string; body: string }
        | undefined;
      if (row)
        result[task.id] = {
          taskId: row.task_id,
          seq: row.seq,
          ts: row.ts,
          type: row.type,
          body: JSON.parse(row.body),
        };
    }
    return c.json(result);
  });

  /** Notes, spec and plan: the Markdown the task wrote, rendered by the page. */
  app.get("/api/tasks/:ref/documents", async (c) =>
    c.json(await taskDocuments(orchestrator.task(c.req.param("ref")))),
  );

  app.get("/api/tasks/:ref/review", (c) => {
    const task = orchestrator.task(c.req.param("ref"));
    return c.json(reviewInfo(task, orchestrator.tasks.events(task.id)));
  });
}
