/**
 * A task's lifecycle. The happy path:
 *
 *   queued → setting-up → running → done → landing → landed
 *
 * `running` ⇄ `waiting-for-input` while the agent waits on a question or a permission. From
 * `done` a follow-up (`grove reply`) goes back to `running`. Research and explain tasks end
 * `archived` instead of entering the landing queue. Off the happy path:
 *
 * - failed: setup failed, or the agent ended with an error;
 * - interrupted: the agent died without finishing (e.g. a reboot); its worktree and commits
 *   are intact and `grove resume` continues it;
 * - conflict: landing hit a merge conflict; the base is untouched and `grove reply` can ask
 *   the agent to resolve it;
 * - discarded: the user threw it away; the branch tip is kept under refs/grove/archive/.
 */
export const TASK_STATES = [
  "queued",
  "setting-up",
  "running",
  "waiting-for-input",
  "done",
  "landing",
  "landed",
  "archived",
  "failed",
  "interrupted",
  "conflict",
  "discarded",
] as const;

export type TaskState = (typeof TASK_STATES)[number];

/** States in which an agent process may be alive. */
export const ACTIVE_STATES: readonly TaskState[] = ["setting-up", "running", "waiting-for-input"];

/**
 * Whether a task takes one of its repository's agent slots (`concurrency`): it is being set up,
 * or an agent process may be alive. A task waiting on the user with no agent process (its run
 * ended on a question, or a pipeline waits on an inbox gate) takes none.
 */
export function holdsSlot(task: { state: TaskState; pid: number | null }): boolean {
  if (task.state === "waiting-for-input") return task.pid !== null;
  return ACTIVE_STATES.includes(task.state);
}

/** States from which a follow-up message can restart the agent. */
export const REPLYABLE_STATES: readonly TaskState[] = [
  "done",
  "failed",
  "interrupted",
  "conflict",
  "archived",
  "waiting-for-input",
];

/** States that still hold a worktree the user may want. */
export const FINISHED_STATES: readonly TaskState[] = ["landed", "discarded"];

export const TASK_KINDS = ["research", "explain", "maintenance", "feature"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const AGENTS = ["builtin", "claude", "codex"] as const;
export type AgentName = (typeof AGENTS)[number];
