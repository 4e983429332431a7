import type { TaskState } from "../types";

const LABEL: Partial<Record<TaskState, string>> = {
  "waiting-for-input": "waiting for you",
  done: "ready for review",
  "setting-up": "setting up",
};

export function StateBadge({ state }: { state: TaskState }) {
  return (
    <span className={`badge state state-${state}`} data-testid="task-state" data-state={state}>
      {LABEL[state] ?? state}
    </span>
  );
}
