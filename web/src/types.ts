/** The daemon's shapes, as the dashboard sees them (types only: nothing from src/ is bundled). */
import type { InboxItem } from "../../src/orchestrator/inbox-store.js";
import type { PipelineState, Role } from "../../src/orchestrator/pipeline/pipeline-state.js";
import type { StoredEvent, Task } from "../../src/orchestrator/task-store.js";
import type { ReviewComment } from "../../src/server/review-comments.js";
import type { RoleCost } from "../../src/server/role-costs.js";
import type { RouterOverview } from "../../src/server/router-api.js";
import type { RouterModelSummary, RouterRequest } from "../../src/server/router-requests.js";
import type { TaskDocument } from "../../src/server/task-documents.js";

export type {
  InboxItem,
  PipelineState,
  ReviewComment,
  Role,
  RoleCost,
  RouterModelSummary,
  RouterOverview,
  RouterRequest,
  StoredEvent,
  Task,
  TaskDocument,
};
export type TaskState = Task["state"];

/** `GET /api/config`: what the new-task form offers. */
export interface WebConfig {
  models: string[];
  agents: string[];
  kinds: string[];
}

/** `GET /api/tasks/:ref/review`. */
export interface ReviewInfo {
  task: Task;
  prompt: string;
  summary: string | null;
  land: Record<string, unknown> | null;
  landSteps: string[];
  testOutput: string | null;
  setupOutput: string;
}

/** `POST /api/tasks`. */
export interface NewTaskInput {
  cwd: string;
  prompt: string;
  agent?: string;
  model?: string;
  kind?: string;
  base?: string;
  name?: string;
  yolo?: boolean;
}

/** `POST /api/tasks/:ref/comments`. */
export type NewReviewComment = Pick<ReviewComment, "file" | "line" | "side" | "code" | "text">;

/** The `comments` event on the change stream: a task's comments after a change. */
export interface CommentsChange {
  taskId: number;
  comments: ReviewComment[];
}

/** `GET /api/inbox`: an open item with enough of its task to show it. */
export interface InboxEntry extends InboxItem {
  task: Pick<Task, "id" | "slug" | "branch" | "kind" | "state"> | null;
}

/** `GET /api/tasks/:ref/pipeline`: the state, each role's tokens and cost, and every inbox item. */
export interface PipelineView {
  pipeline: PipelineState | null;
  costs: Partial<Record<Role, RoleCost>>;
  inbox: InboxItem[];
}
