/** A task on the Board: agent, model, elapsed time, latest activity, tokens, and whether it waits. */
import { memo } from "react";
import { activityLine, elapsedMs, formatDuration, formatTokens, isLive } from "../lib/format";
import type { StoredEvent, Task } from "../types";
import { Link } from "./Link";

export const CARD_HEIGHT = 118;

export const TaskCard = memo(function TaskCard(props: { task: Task; activity?: StoredEvent; now: number }) {
  const { task, activity } = props;
  // Only live tasks need the clock: finished ones keep the same props and skip rendering.
  const now = isLive(task.state) ? props.now : 0;
  // Live tasks show what they do now; finished ones their outcome.
  const latest = activity ? activityLine(activity) : undefined;
  const line = isLive(task.state) ? (latest ?? "") : (task.error ?? task.summary ?? latest ?? "");
  const title = task.prompt.split("\n")[0] ?? "";
  return (
    <Link
      to={`/tasks/${task.id}`}
      className={`card state-${task.state}`}
      data-testid="task-card"
      data-task-id={task.id}
      data-state={task.state}
      title={task.prompt}
    >
      <div className="card-top">
        <span className="card-id">#{task.id}</span>
        <span className="card-title">{title}</span>
      </div>
      <div className="card-meta">
        <span data-testid="task-card-agent">
          {task.agent}/{task.model ?? "default"}
        </span>
        <span data-testid="task-card-elapsed">{formatDuration(elapsedMs(task, now))}</span>
        <span data-testid="task-card-tokens" title={`${task.inputTokens} in, ${task.outputTokens} out`}>
          {formatTokens(task.inputTokens)}↑ {formatTokens(task.outputTokens)}↓
        </span>
      </div>
      <div className="card-activity" data-testid="task-card-activity">
        {line}
      </div>
      <div className="card-badges">
        {task.state === "waiting-for-input" && (
          <span className="badge waiting" data-testid="task-card-waiting">
            waiting for you
          </span>
        )}
        {task.state === "setting-up" && <span className="badge">setting up</span>}
        {task.state === "interrupted" && <span className="badge bad">interrupted</span>}
        {task.yolo && <span className="badge">yolo</span>}
        <span className="badge kind">{task.kind}</span>
      </div>
    </Link>
  );
});
