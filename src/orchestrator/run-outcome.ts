/** Where a task outside any pipeline goes when its agent run ends, and why. */
import type { RunExit } from "./supervisor.js";
import type { TaskState } from "./task-states.js";
import type { StoredEvent, Task } from "./task-store.js";

/**
 * The task's next state after run `exit` (undefined: the wrapper died without saying how), and
 * the error shown with it. A run that asked the user something waits for the answer; a finished
 * research or explain task is archived, as its notes are its result.
 */
export function singleRunOutcome(
  task: Task,
  exit: RunExit | undefined,
  events: StoredEvent[],
): { state: TaskState; error: string | null } {
  if (!exit) {
    return {
      state: "interrupted",
      error: "the agent stopped without finishing (its process died); grove resume continues it",
    };
  }
  if (exit.status === "success") {
    if (askedDuringLastRun(events)) return { state: "waiting-for-input", error: null };
    return { state: task.kind === "research" || task.kind === "explain" ? "archived" : "done", error: null };
  }
  if (exit.status === "aborted") {
    return { state: "interrupted", error: "stopped before finishing; grove resume continues it" };
  }
  return { state: "failed", error: task.summary ?? `the agent ended with status ${exit.status}` };
}

/** Whether the agent's latest run asked the user something (a question or a permission). */
function askedDuringLastRun(events: StoredEvent[]): boolean {
  const lastRun = events.findLast((event) => event.type === "run_started")?.seq ?? 0;
  return events.some((event) => event.type === "question" && event.seq > lastRun);
}
