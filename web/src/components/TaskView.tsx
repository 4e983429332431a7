/**
 * One task: header, actions, and tabs for the live transcript, its pipeline (feature and
 * maintenance lanes), the diff (with review comments), its documents rendered as Markdown, and
 * setup and tests.
 */
import { useInbox } from "../inbox-store";
import { elapsedMs, formatDuration, formatTokens } from "../lib/format";
import { gateLabel } from "../lib/pipeline";
import { navigate } from "../router";
import { useLive } from "../store";
import { useNow } from "../use-now";
import { useTaskEvents } from "../use-task-events";
import { DocumentsPanel } from "./DocumentsPanel";
import { Link } from "./Link";
import { PipelinePanel } from "./PipelinePanel";
import { SetupOutput } from "./SetupOutput";
import { StateBadge } from "./StateBadge";
import { TaskActions } from "./TaskActions";
import { TaskDiffTab } from "./TaskDiffTab";
import { Transcript } from "./Transcript";

const TABS = [
  { id: "transcript", label: "Transcript" },
  { id: "pipeline", label: "Pipeline" },
  { id: "diff", label: "Diff" },
  { id: "docs", label: "Docs" },
  { id: "setup", label: "Setup & tests" },
] as const;

/** The lanes that run a pipeline (the others are one agent run). */
const PIPELINED = new Set(["feature", "maintenance"]);

export function TaskView({ taskId, tab }: { taskId: number; tab: string }) {
  const { tasks, loaded } = useLive();
  const task = tasks.get(taskId);
  const { events, items, status } = useTaskEvents(taskId);
  const now = useNow(1000);
  const waiting = useInbox().items.filter((item) => item.taskId === taskId);

  if (!task)
    return (
      <p className="empty" data-testid="task-missing">
        {loaded ? `No task #${taskId}.` : "Loading…"} <Link to="/">Back to the Board</Link>
      </p>
    );
  const tabs = TABS.filter(
    (item) => item.id !== "pipeline" || PIPELINED.has(task.kind) || tab === "pipeline",
  );
  // A pipeline's gate or question is answered from the inbox; a reply would be refused.
  const gated = waiting.some((item) => item.stage !== "agent");
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
          <dt>router</dt>
          <dd>
            <Link to={`/router?task=${task.id}`} data-testid="task-router-link">
              requests, latency, cost
            </Link>
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
        {waiting.length > 0 && tab !== "pipeline" && (
          <p className="notice" data-testid="task-inbox-notice">
            Waiting for you: {gateLabel(waiting[0]!.stage)}.{" "}
            <Link to={PIPELINED.has(task.kind) ? `/tasks/${task.id}?tab=pipeline` : "/inbox"}>
              {PIPELINED.has(task.kind) ? "Answer it in the Pipeline tab" : "Answer it in the Inbox"}
            </Link>
          </p>
        )}
        <TaskActions task={task} canReply={!gated} />
      </div>
      <div className="tabs" role="tablist">
        {tabs.map((item) => (
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
        {tab === "pipeline" ? (
          <PipelinePanel task={task} events={events} />
        ) : tab === "diff" ? (
          <TaskDiffTab task={task} />
        ) : tab === "docs" ? (
          <DocumentsPanel task={task} />
        ) : tab === "setup" ? (
          <SetupOutput events={events} />
        ) : (
          <Transcript items={items} />
        )}
      </div>
    </section>
  );
}
