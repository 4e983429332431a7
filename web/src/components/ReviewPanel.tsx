/** One task under review: its prompt, the agent's summary, the test result, comments, and the diff. */
import { useEffect, useMemo, useState } from "react";
import { api } from "../api";
import { useComments } from "../comments-store";
import type { DiffLineRef } from "../lib/diff-lines";
import { pendingComments } from "../lib/send-back";
import { latestLanding } from "../lib/transcript";
import type { ReviewInfo, Task } from "../types";
import { useTaskEvents } from "../use-task-events";
import { DiffPanel } from "./DiffPanel";
import { LandStatus } from "./LandStatus";
import { Link } from "./Link";
import { ReviewComments } from "./ReviewComments";
import { StateBadge } from "./StateBadge";

export function ReviewPanel(props: { task: Task; note: string; onNote: (note: string) => void }) {
  const { task } = props;
  const { comments } = useComments(task.id);
  const pending = useMemo(() => pendingComments(comments), [comments]);
  const { events } = useTaskEvents(task.id);
  const landing = useMemo(() => latestLanding(events), [events]);
  const [review, setReview] = useState<ReviewInfo | undefined>();
  const [draft, setDraft] = useState<DiffLineRef | undefined>();

  useEffect(() => {
    void task.state;
    let current = true;
    api
      .review(task.id)
      .then((info) => current && setReview(info))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [task.id, task.state]);

  return (
    <div className="review-panel" data-testid="review-panel">
      <h1>
        <Link to={`/tasks/${task.id}`} data-testid="review-task-link">
          <span className="muted">#{task.id}</span> {task.slug}
        </Link>{" "}
        <StateBadge state={task.state} />
      </h1>
      {task.state !== "done" && task.state !== "landing" && (
        <p className="notice" data-testid="review-left-queue">
          This task is now {task.state}. Press <kbd>n</kbd> for the next one.
        </p>
      )}
      <div className="review-grid">
        <div className="review-side">
          <h3>Prompt</h3>
          <div className="prose" data-testid="review-prompt">
            {task.prompt}
          </div>
          <h3>The agent's summary</h3>
          <div className="prose" data-testid="review-summary">
            {task.summary ?? <span className="muted">No summary.</span>}
          </div>
          <h3>Tests</h3>
          <div data-testid="review-tests">
            {landing ? (
              <LandStatus landing={landing} />
            ) : review?.testOutput ? (
              <pre className="error-text">{review.testOutput}</pre>
            ) : (
              <p className="muted">Not run yet: landing rebases onto the base and runs the tests first.</p>
            )}
          </div>
          <h3>Comments</h3>
          <ReviewComments taskId={task.id} draft={draft} onDraftDone={() => setDraft(undefined)} />
          <textarea
            className="note"
            rows={3}
            value={props.note}
            onChange={(event) => props.onNote(event.target.value)}
            placeholder="A general note for the agent (sent with the comments)"
            aria-label="General note"
            data-testid="review-note"
          />
        </div>
        <div className="review-diff">
          <DiffPanel task={task} onLine={setDraft} commented={pending} />
        </div>
      </div>
    </div>
  );
}
