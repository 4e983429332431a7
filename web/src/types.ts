/** The daemon's shapes, as the dashboard sees them (types only: nothing from src/ is bundled). */
import type { StoredEvent, Task } from "../../src/orchestrator/task-store.js";

export type { StoredEvent, Task };
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
