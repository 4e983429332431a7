/** The task's diff against the merge-base with its base branch, refreshed as the task changes. */
import { useEffect, useState } from "react";
import { api, errorMessage } from "../api";
import type { DiffLineRef } from "../lib/diff-lines";
import type { Task } from "../types";
import { type DiffFormat, DiffView } from "./DiffView";

const FORMAT_KEY = "grove.diffFormat";

export function useDiffFormat(): [DiffFormat, (format: DiffFormat) => void] {
  const [format, setFormat] = useState<DiffFormat>(() =>
    localStorage.getItem(FORMAT_KEY) === "side-by-side" ? "side-by-side" : "line-by-line",
  );
  return [
    format,
    (next) => {
      localStorage.setItem(FORMAT_KEY, next);
      setFormat(next);
    },
  ];
}

export function DiffPanel(props: {
  task: Task;
  onLine?: (line: DiffLineRef) => void;
  commented?: readonly Pick<DiffLineRef, "file" | "line" | "side">[];
}) {
  const { task } = props;
  const [format, setFormat] = useDiffFormat();
  const [diff, setDiff] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [reload, setReload] = useState(0);

  // A new run or a landing changes the diff; so does a manual refresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: state, runs and reload are triggers.
  useEffect(() => {
    let current = true;
    api
      .diff(task.id)
      .then((text) => {
        if (!current) return;
        setDiff(text);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [task.id, task.state, task.runs, reload]);

  return (
    <div className="diff-panel" data-testid="diff-panel">
      <div className="row">
        <div className="segmented">
          <button
            type="button"
            aria-pressed={format === "line-by-line"}
            onClick={() => setFormat("line-by-line")}
            data-testid="diff-format-unified"
          >
            Unified
          </button>
          <button
            type="button"
            aria-pressed={format === "side-by-side"}
            onClick={() => setFormat("side-by-side")}
            data-testid="diff-format-side-by-side"
          >
            Side by side
          </button>
        </div>
        <button type="button" onClick={() => setReload((count) => count + 1)} data-testid="diff-refresh">
          Refresh
        </button>
        {props.onLine && <span className="muted">Click a line to comment on it.</span>}
      </div>
      {problem && (
        <p className="error-text" data-testid="diff-error">
          {problem}
        </p>
      )}
      {diff === undefined && !problem ? (
        <p className="muted">Loading the diff…</p>
      ) : (
        diff !== undefined && (
          <DiffView
            diff={diff}
            format={format}
            {...(props.onLine ? { onLine: props.onLine } : {})}
            {...(props.commented ? { commented: props.commented } : {})}
          />
        )
      )}
    </div>
  );
}
