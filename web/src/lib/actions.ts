/** Which actions a task allows in its state (the daemon enforces the same rules). */
import type { TaskState } from "../types";

export interface TaskActionsAllowed {
  reply: boolean;
  stop: boolean;
  resume: boolean;
  land: boolean;
  discard: boolean;
}

const ACTIVE: readonly TaskState[] = ["setting-up", "running", "waiting-for-input"];
const REPLYABLE: readonly TaskState[] = [
  "done",
  "failed",
  "interrupted",
  "conflict",
  "archived",
  "waiting-for-input",
];

export function allowedActions(state: TaskState): TaskActionsAllowed {
  return {
    reply: REPLYABLE.includes(state),
    stop: state === "queued" || ACTIVE.includes(state),
    resume: state === "interrupted",
    land: state === "done" || state === "conflict" || state === "archived",
    discard: !ACTIVE.includes(state) && !["landing", "discarded", "landed"].includes(state),
  };
}

/**
 * What the discard dialog promises. The ref is usually refs/grove/archive/<id>, but another
 * grove home's task of the same id may hold that one already (then it is <id>-2, …): the task's
 * log names the one it got.
 */
export const DISCARD_MESSAGE =
  "Its worktree is removed; the branch tip is kept under refs/grove/archive/, and the task's log names the ref.";
