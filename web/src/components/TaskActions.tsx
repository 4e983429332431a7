/** Reply, stop, resume, land, discard (after a confirmation), and copy the worktree path. */
import { useState } from "react";
import { api, errorMessage } from "../api";
import { allowedActions, DISCARD_MESSAGE } from "../lib/actions";
import { liveStore } from "../store";
import type { Task } from "../types";
import { ConfirmDialog } from "./ConfirmDialog";

/** `canReply` is false while the task waits on a pipeline gate (answered from the inbox instead). */
export function TaskActions({ task, canReply = true }: { task: Task; canReply?: boolean }) {
  const allowed = allowedActions(task.state);
  const [reply, setReply] = useState("");
  const [busy, setBusy] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);

  const run = async (name: string, action: () => Promise<Task>, after?: () => void) => {
    setBusy(name);
    setProblem(undefined);
    setNotice(undefined);
    try {
      liveStore.setTask(await action());
      after?.();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(undefined);
    }
  };

  const copyPath = async () => {
    try {
      await navigator.clipboard.writeText(task.worktree);
      setNotice(`copied ${task.worktree}`);
    } catch {
      setNotice(task.worktree);
    }
  };

  return (
    <div className="actions" data-testid="task-actions">
      {allowed.reply && canReply && (
        <form
          className="reply"
          onSubmit={(event) => {
            event.preventDefault();
            if (reply.trim())
              void run(
                "reply",
                () => api.reply(task.id, reply),
                () => setReply(""),
              );
          }}
        >
          <textarea
            value={reply}
            onChange={(event) => setReply(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.ctrlKey || event.metaKey))
                event.currentTarget.form?.requestSubmit();
            }}
            placeholder={
              task.state === "waiting-for-input"
                ? "Answer the agent…"
                : "Reply: a follow-up in the same session…"
            }
            rows={2}
            data-testid="task-reply-input"
            aria-label="Reply to the agent"
          />
          <button type="submit" disabled={!reply.trim() || busy !== undefined} data-testid="task-reply-send">
            {busy === "reply" ? "Sending…" : "Send reply"}
          </button>
        </form>
      )}
      <div className="row">
        {allowed.stop && (
          <button
            type="button"
            onClick={() => void run("stop", () => api.stop(task.id))}
            disabled={busy !== undefined}
            data-testid="task-stop"
          >
            Stop
          </button>
        )}
        {allowed.resume && (
          <button
            type="button"
            onClick={() => void run("resume", () => api.resume(task.id))}
            disabled={busy !== undefined}
            data-testid="task-resume"
          >
            Resume
          </button>
        )}
        {allowed.land && (
          <button
            type="button"
            className="primary"
            onClick={() => void run("land", () => api.land(task.id))}
            disabled={busy !== undefined}
            data-testid="task-land"
          >
            {busy === "land" ? "Landing…" : "Land"}
          </button>
        )}
        {allowed.discard && (
          <button
            type="button"
            className="danger"
            onClick={() => setConfirming(true)}
            disabled={busy !== undefined}
            data-testid="task-discard"
          >
            Discard
          </button>
        )}
        <button
          type="button"
          onClick={() => void copyPath()}
          disabled={!task.worktree}
          data-testid="task-copy-path"
          title={task.worktree}
        >
          Copy worktree path
        </button>
      </div>
      {notice && (
        <p className="notice" data-testid="task-action-notice">
          {notice}
        </p>
      )}
      {problem && (
        <p className="error-text" data-testid="task-action-error">
          {problem}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Discard task #${task.id}?`}
          message={DISCARD_MESSAGE}
          confirmLabel="Discard"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void run("discard", () => api.discard(task.id));
          }}
        />
      )}
    </div>
  );
}
