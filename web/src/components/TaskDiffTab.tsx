/**
 * The task view's diff with its review comments: click a line to comment on it; the comments
 * kept for the task are listed beside the diff (the same ones the review queue shows), and
 * "Send back" delivers the pending ones to the agent when it can take a reply.
 */
import { useMemo, useState } from "react";
import { api, errorMessage } from "../api";
import { commentsStore, useComments } from "../comments-store";
import { allowedActions } from "../lib/actions";
import type { DiffLineRef } from "../lib/diff-lines";
import { pendingComments, sentBackText } from "../lib/send-back";
import { liveStore } from "../store";
import type { Task } from "../types";
import { DiffPanel } from "./DiffPanel";
import { ReviewComments } from "./ReviewComments";

export function TaskDiffTab({ task }: { task: Task }) {
  const [draft, setDraft] = useState<DiffLineRef | undefined>();
  const { comments } = useComments(task.id);
  const pending = useMemo(() => pendingComments(comments), [comments]);
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | undefined>();

  const sendBack = async () => {
    setSending(true);
    setMessage(undefined);
    try {
      const sent = await api.sendBack(task.id, "");
      liveStore.setTask(sent);
      setMessage({ text: sentBackText(sent) });
    } catch (error) {
      setMessage({ text: errorMessage(error), error: true });
    } finally {
      commentsStore.load(task.id, true);
      setSending(false);
    }
  };

  return (
    <div className="review-grid task-diff" data-testid="task-diff">
      <div className="review-side">
        <h3>Comments</h3>
        <ReviewComments taskId={task.id} draft={draft} onDraftDone={() => setDraft(undefined)} />
        {pending.length > 0 && allowedActions(task.state).reply && (
          <button
            type="button"
            className="primary"
            disabled={sending}
            onClick={() => void sendBack()}
            data-testid="task-send-back"
          >
            {sending ? "Sending…" : `Send back ${pending.length} comment${pending.length === 1 ? "" : "s"}`}
          </button>
        )}
        {message && (
          <p className={message.error ? "error-text" : "notice"} data-testid="task-send-back-message">
            {message.text}
          </p>
        )}
      </div>
      <div className="review-diff">
        <DiffPanel task={task} onLine={setDraft} commented={pending} />
      </div>
    </div>
  );
}
