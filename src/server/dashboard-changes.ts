/**
 * Changes the dashboard follows besides tasks and their events: router requests as they are
 * ingested, and a task's review comments whenever they change. They travel on the same change
 * stream (`GET /api/stream`) as the orchestrator's.
 */
import type { ReviewComment } from "./review-comments.js";
import type { RouterRequest } from "./router-requests.js";

export type DashboardChange =
  | { kind: "router_request"; request: RouterRequest }
  | { kind: "comments"; taskId: number; comments: ReviewComment[] };

export class DashboardChanges {
  private readonly listeners = new Set<(change: DashboardChange) => void>();

  subscribe(listener: (change: DashboardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: DashboardChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** The task a change belongs to (a request from a `grove claude` session belongs to none). */
export function changeTaskId(change: DashboardChange): number | null {
  return change.kind === "comments" ? change.taskId : change.request.taskId;
}
