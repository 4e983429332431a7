/**
 * A pipelined task's Pipeline tab: where it is (the step, chunk k of n, the review round), any
 * gate or question waiting for the user with the same actions as the Inbox, the stages it has
 * been through with their verdicts, and the tokens, runs and cost of each role.
 */
import { useMemo } from "react";
import { useInbox } from "../inbox-store";
import { isLive } from "../lib/format";
import { gateLabel, pipelineStages, stepLabel } from "../lib/pipeline";
import type { PipelineState, StoredEvent, Task } from "../types";
import { useNow } from "../use-now";
import { usePipeline } from "../use-pipeline";
import { InboxItemCard } from "./InboxItemCard";
import { Link } from "./Link";
import { PipelineStages } from "./PipelineStages";
import { RoleCostTable } from "./RoleCostTable";

export function PipelinePanel({ task, events }: { task: Task; events: readonly StoredEvent[] }) {
  const { view, problem } = usePipeline(task, events);
  const stages = useMemo(() => pipelineStages(events), [events]);
  const open = useInbox().items.filter((item) => item.taskId === task.id);
  const now = useNow(1000);

  if (problem)
    return (
      <p className="error-text" data-testid="pipeline-error">
        {problem}
      </p>
    );
  if (!view) return <p className="muted">Loading the pipeline…</p>;
  const pipeline = view.pipeline;
  if (!pipeline)
    return (
      <p className="empty" data-testid="pipeline-none">
        This task runs without a pipeline: one agent run, no architect review.
      </p>
    );
  return (
    <section
      className="pipeline-panel"
      data-testid="pipeline-panel"
      data-step={pipeline.step}
      data-lane={pipeline.lane}
    >
      <PipelineFacts pipeline={pipeline} />
      {open.length > 0 && (
        <div className="pipeline-open" data-testid="pipeline-open">
          {open.map((item) => (
            <InboxItemCard key={item.id} item={item} now={now} showTask={false} />
          ))}
        </div>
      )}
      <h2>Stages</h2>
      <PipelineStages stages={stages} live={isLive(task.state)} />
      <h2>Tokens and cost per role</h2>
      <RoleCostTable costs={view.costs} />
      <p className="muted">
        The design notes, spec, plan, each chunk's reports and reviews, and the ledger are under{" "}
        <Link to={`/tasks/${task.id}?tab=docs`} data-testid="pipeline-docs-link">
          Docs
        </Link>
        .
      </p>
    </section>
  );
}

/** Steps at which the current chunk's review round means something. */
const ROUND_STEPS = new Set<string>(["implement", "fix", "review", "gate"]);

function PipelineFacts({ pipeline }: { pipeline: PipelineState }) {
  const waitingOn = pipeline.step === "gate" && pipeline.gate ? `: ${gateLabel(pipeline.gate.about)}` : "";
  return (
    <dl className="facts">
      <dt>lane</dt>
      <dd data-testid="pipeline-lane">
        {pipeline.lane}
        {pipeline.auto ? " · auto (no questions, no spec gate)" : ""}
      </dd>
      <dt>step</dt>
      <dd data-testid="pipeline-step" data-step={pipeline.step}>
        <strong>
          {stepLabel(pipeline.step)}
          {waitingOn}
        </strong>
      </dd>
      {pipeline.chunks > 0 && (
        <>
          <dt>chunk</dt>
          <dd data-testid="pipeline-chunk">
            {Math.min(pipeline.chunk + 1, pipeline.chunks)} of {pipeline.chunks}
          </dd>
        </>
      )}
      {pipeline.round > 0 && ROUND_STEPS.has(pipeline.step) && (
        <>
          <dt>review round</dt>
          <dd data-testid="pipeline-round">{pipeline.round}</dd>
        </>
      )}
      {pipeline.openFindings.length > 0 && (
        <>
          <dt>open findings</dt>
          <dd data-testid="pipeline-open-findings">{pipeline.openFindings.length}</dd>
        </>
      )}
      {pipeline.minors.length > 0 && (
        <>
          <dt>minor findings</dt>
          <dd title={pipeline.minors.map((finding) => `${finding.location} — ${finding.text}`).join("\n")}>
            {pipeline.minors.length} kept for the final review
          </dd>
        </>
      )}
    </dl>
  );
}
