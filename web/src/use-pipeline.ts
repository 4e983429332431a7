/**
 * A task's pipeline (`GET /api/tasks/:ref/pipeline`): its state, each role's tokens and cost,
 * and its inbox items. Fetched again whenever the task's log gains an event that moves the
 * pipeline (a step, a verdict, a finished run whose tokens now count, a gate) or its state changes.
 */
import { useEffect, useMemo, useState } from "react";
import { api, errorMessage } from "./api";
import type { PipelineView, StoredEvent, Task } from "./types";

const MOVES = new Set([
  "pipeline_step",
  "run_finished",
  "review_finished",
  "plan_checked",
  "verify_finished",
  "triage_finished",
  "inbox_opened",
  "inbox_resolved",
]);

export function usePipeline(
  task: Pick<Task, "id" | "state">,
  events: readonly StoredEvent[],
): { view: PipelineView | undefined; problem: string | undefined } {
  const [view, setView] = useState<PipelineView | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const moves = useMemo(() => events.filter((event) => MOVES.has(event.type)).length, [events]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: moves and state are triggers.
  useEffect(() => {
    let current = true;
    api
      .pipeline(task.id)
      .then((fetched) => {
        if (!current) return;
        setView(fetched);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [task.id, task.state, moves]);

  return { view, problem };
}
