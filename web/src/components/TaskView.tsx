/** One task: header, actions, and tabs for the live transcript, the diff, and setup and tests. */
import { elapsedMs, formatDuration, formatTokens } from "../lib/format";
import { navigate } from "../router";
import { useLive } from "../store";
import { useNow } from "../use-now";
import { useTaskEvents } from "../use-task-events";
import { DiffPanel } from "./DiffPanel";
import { Link } from "./Link";
import { SetupOutput } from "./SetupOutput";
import { StateBadge } from "./StateBadge";
import { TaskActions } from "./TaskActions";
import { Transcript } from "./Transcript";

const TABS = [
  { id: "transcript", label: "Transcript" },
  { id: "diff", label: "Diff" },
  { id: "setup", label: "Setup & tests" },
] as const;

export function TaskView({ taskId, tab }: { taskId: number; tab: string }) {
  const { tasks, loaded } = useLive();
  const task = tasks.get(taskId);
  const { events, items, status } = useTaskEvents(taskId);
  const now = useNow(1000);

  if (!task)
    return (
      <p className="empty" data-testid="task-missing">
        {loaded ? `No task #${taskId}.` : "Loading…"} <Link to="/">Back to the Board</Link>
      </p>
    );
  return (
    <section className="task-view" data-testid="task-view" data-task-id={task.id} data-state={task.state}>
      <div className="task-header">
        <h1>
          <span className="muted">#{task.id}</span> {task.slug} <StateBadge state={task.state} />
        </h1>
        <dl className="facts">
          <dt>agent</dt>
          <dd data-testid="task-agent">
            {task.agent}/{task.model ?? "default"}
          </dd>
          <dt>branch</dt>
          <dd>
            {task.branch} from {task.baseBranch}
          </dd>
          <dt>elapsed</dt>
          <dd data-testid="task-elapsed">{formatDuration(elapsedMs(task, now))}</dd>
          <dt>tokens</dt>
          <dd data-testid="task-tokens">
            {formatTokens(task.inputTokens)} in · {formatTokens(task.outputTokens)} out
          </dd>
          <dt>kind</dt>
          <dd>
            {task.kind}
            {task.yolo ? " · yolo" : ""}
          </dd>
        </dl>
        {task.error && (
          <p className="error-text" data-testid="task-error">
            {task.error}
          </p>
        )}
        <TaskActions task={task} />
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((item) => (
          <button
            type="button"
            role="tab"
            key={item.id}
            aria-selected={tab === item.id}
            className={tab === item.id ? "tab active" : "tab"}
            onClick={() => navigate(`/tasks/${task.id}${item.id === "transcript" ? "" : `?tab=${item.id}`}`)}
            data-testid={`task-tab-${item.id}`}
          >
            {item.label}
          </button>
        ))}
        <span className={`stream-status ${status}`} data-testid="task-stream-status" data-status={status}>
          {events.length} events
        </span>
      </div>
      <div className="tab-body">
        {tab === "diff" ? (
          <DiffPanel task={task} />
        ) : tab === "setup" ? (
          <SetupOutput events={events} />
        ) : (
          <Transcript items={items} />
        )}
      </div>
    </section>
  );
}
