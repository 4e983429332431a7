/**
 * `GET /api/stream`: every task change and event as server-sent events, plus the dashboard's own
 * changes (router requests, review comments). `task` filters to one task, and `after` replays its
 * log first. The CLI and the dashboard read this same stream; each ignores kinds it does not know.
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { Orchestrator, OrchestratorChange } from "../orchestrator/orchestrator.js";
import { changeTaskId, type DashboardChange, type DashboardChanges } from "./dashboard-changes.js";

type Change = OrchestratorChange | DashboardChange;

function message(change: Change): { event: string; data: string } {
  switch (change.kind) {
    case "task":
      return { event: "task", data: JSON.stringify(change.task) };
    case "event":
      return { event: "event", data: JSON.stringify(change.event) };
    case "router_request":
      return { event: "router_request", data: JSON.stringify(change.request) };
    case "comments":
      return {
        event: "comments",
        data: JSON.stringify({ taskId: change.taskId, comments: change.comments }),
      };
  }
}

export function registerChangeStream(
  app: Hono,
  options: { orchestrator: Orchestrator; changes: DashboardChanges; closing?: AbortSignal | undefined },
): void {
  const { orchestrator, changes } = options;
  app.get("/api/stream", (c) => {
    const only = c.req.query("task");
    const taskId = only ? orchestrator.task(only).id : undefined;
    return streamSSE(c, async (stream) => {
      const queue: Change[] = [];
      let wake: (() => void) | undefined;
      const push = (change: Change, id: number | null) => {
        if (taskId !== undefined && id !== taskId) return;
        queue.push(change);
        wake?.();
      };
      const unsubscribeTasks = orchestrator.subscribe((change) =>
        push(change, change.kind === "task" ? change.task.id : change.event.taskId),
      );
      const unsubscribeDashboard = changes.subscribe((change) => push(change, changeTaskId(change)));
      const unsubscribe = () => {
        unsubscribeTasks();
        unsubscribeDashboard();
      };
      const end = () => wake?.();
      options.closing?.addEventListener("abort", end);
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      let replayedUpTo = 0;
      if (taskId !== undefined) {
        for (const event of orchestrator.tasks.events(taskId, Number(c.req.query("after") ?? 0))) {
          await stream.writeSSE({ event: "event", data: JSON.stringify(event) });
          replayedUpTo = event.seq;
        }
      }
      // Current states first, so a follower learns at once about anything that already finished.
      for (const task of taskId === undefined
        ? orchestrator.tasks.list()
        : [orchestrator.tasks.get(taskId)!]) {
        await stream.writeSSE({ event: "task", data: JSON.stringify(task) });
      }
      while (!stream.aborted && !options.closing?.aborted) {
        const change = queue.shift();
        if (change?.kind === "event" && change.event.seq <= replayedUpTo) continue;
        if (!change) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        await stream.writeSSE(message(change));
      }
      unsubscribe();
      options.closing?.removeEventListener("abort", end);
    });
  });
}
