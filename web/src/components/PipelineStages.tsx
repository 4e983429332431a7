/** The stages a pipeline has been through, oldest first, each with its outcome once known. */
import type { Stage } from "../lib/pipeline";
import { gateLabel, stagePlace, stepLabel } from "../lib/pipeline";

/** As the transcript shows times: the log's own (UTC) clock. */
const time = (ts: string) => ts.slice(11, 19);

export function PipelineStages({ stages, live }: { stages: readonly Stage[]; live: boolean }) {
  if (stages.length === 0)
    return (
      <p className="muted" data-testid="pipeline-stages-empty">
        No stage has started yet.
      </p>
    );
  return (
    <ol className="pipeline-stages" data-testid="pipeline-stages">
      {stages.map((stage, index) => {
        const current = live && index === stages.length - 1 && !stage.outcome && stage.step !== "ready";
        const place = stagePlace(stage);
        return (
          <li
            key={stage.key}
            className={current ? "stage current" : "stage"}
            data-testid="pipeline-stage"
            data-step={stage.step}
            data-outcome={stage.outcome?.text ?? ""}
            data-current={current}
          >
            <span className="muted stage-time">{time(stage.ts)}</span>
            <span className="stage-name">
              {stepLabel(stage.step)}
              {stage.about ? `: ${gateLabel(stage.about)}` : ""}
            </span>
            {place && (
              <span className="muted" data-testid="pipeline-stage-place">
                {place}
              </span>
            )}
            {stage.role && <span className="badge kind">{stage.role}</span>}
            {stage.outcome && (
              <span className={`badge outcome ${stage.outcome.tone}`} data-testid="pipeline-stage-outcome">
                {stage.outcome.text}
              </span>
            )}
            {stage.findings && <span className="muted">{stage.findings}</span>}
            {current && <span className="muted">now</span>}
          </li>
        );
      })}
    </ol>
  );
}
