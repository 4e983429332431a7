/**
 * After a daemon restart: tasks whose agents are still alive are followed again, a verify step
 * in progress is retried, and the rest are marked interrupted (or, mid-landing, done again) with
 * a message that says what to do. Nothing in a worktree or a branch is touched.
 */
import type { Pipelines } from "./pipeline/pipeline.js";
import { isWrapperAlive, type Supervisor } from "./supervisor.js";
import { ACTIVE_STATES, holdsSlot, type TaskState } from "./task-states.js";
import type { Task, TaskStore } from "./task-store.js";

/** What recovery needs of the orchestrator. */
export interface RecoveryHost {
  readonly tasks: TaskStore;
  readonly pipelines: Pick<Pipelines, "get" | "retry">;
  readonly supervisor: Pick<Supervisor, "follow">;
  log(taskId: number, type: string, body: Record<string, unknown>): void;
  setState(taskId: number, state: TaskState, changes?: Partial<Task>): Task;
}

export function recoverTasks(orchestrator: RecoveryHost): void {
  const { tasks: store, pipelines, supervisor } = orchestrator;
  for (const task of store.list([...ACTIVE_STATES])) {
    // Holding no slot, it has no agent: it waits on the user (a question, an inbox gate).
    if (!holdsSlot(task)) continue;
    const step = pipelines.get(task.id)?.step;
    if (step === "verify" && task.state === "running") {
      orchestrator.log(task.id, "pipeline_retry", { step });
      void pipelines
        .retry(task)
        .catch((error: Error) =>
          orchestrator.setState(task.id, "failed", { error: `verify: ${error.message}` }),
        );
      continue;
    }
    if (task.state === "setting-up" || !isWrapperAlive(task.pid, task.taskDir)) {
      // A dead wrapper may still have left its exit file: following reads it and finishes the run.
      if (task.state !== "setting-up" && task.runs > 0) {
        supervisor.follow(task.id, task.taskDir, task.runs, task.eventsOffset, task.pid ?? -1);
        continue;
      }
      orchestrator.setState(task.id, "interrupted", {
        error: "grove stopped while this task was being set up",
        pid: null,
      });
      continue;
    }
    supervisor.follow(task.id, task.taskDir, task.runs, task.eventsOffset, task.pid!);
    orchestrator.log(task.id, "reattached", { pid: task.pid });
  }
  for (const task of store.list(["landing"])) {
    orchestrator.setState(task.id, "done", {
      error: "grove stopped while this task was landing; nothing was landed, land it again",
    });
  }
}
