/** A task for tests. */
import type { Task, TaskState } from "../types";

let nextId = 1;
export function fakeTask(state: TaskState, changes: Partial<Task> = {}): Task {
  const id = nextId++;
  return {
    id,
    slug: `task-${id}`,
    branch: `grove/task-${id}`,
    repo: "/repo",
    baseBranch: "main",
    baseCommit: null,
    worktree: `/home/me/.grove/worktrees/${id}`,
    taskDir: `/home/me/.grove/tasks/${id}`,
    prompt: `Do thing ${id}`,
    kind: "maintenance",
    agent: "builtin",
    model: "demo",
    yolo: false,
    state,
    createdAt: "2025-01-01T10:00:00.000Z",
    updatedAt: "2025-01-01T10:00:00.000Z",
    startedAt: null,
    finishedAt: null,
    summary: null,
    error: null,
    portBase: null,
    sessionId: null,
    runs: 0,
    inputTokens: 0,
    outputTokens: 0,
    landedCommit: null,
    archiveRef: null,
    eventsOffset: 0,
    pid: null,
    ...changes,
  };
}
