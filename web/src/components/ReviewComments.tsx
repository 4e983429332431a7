/**
 * A task's review comments where they are written: the composer for the picked diff line, the
 * pending comments (removable), and those sent back before. The daemon keeps them.
 */
import { useState } from "react";
import { api, errorMessage } from "../api";
import { commentsStore, useComments } from "../comments-store";
import type { DiffLineRef } from "../lib/diff-lines";
import type { ReviewComment } from "../types";
import { CommentComposer, CommentList } from "./Comments";

export function ReviewComments(props: {
  taskId: number;
  /** The diff line picked for a new comment. */
  draft: DiffLineRef | undefined;
  onDraftDone: () => void;
}) {
  const { taskId, draft, onDraftDone } = props;
  const { comments, loaded } = useComments(taskId);
  const [problem, setProblem] = useState<string | undefined>();

  const add = async (line: DiffLineRef, text: string) => {
    setProblem(undefined);
    try {
      commentsStore.upsert(await api.addComment(taskId, { ...line, text }));
      onDraftDone();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const remove = async (comment: ReviewComment) => {
    setProblem(undefined);
    try {
      await api.removeComment(taskId, comment.id);
      commentsStore.removeLocal(taskId, comment.id);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <div className="review-comments" data-testid="review-comments">
      {draft && (
        <CommentComposer
          key={`${draft.file}:${draft.line}:${draft.side}`}
          line={draft}
          onCancel={onDraftDone}
          onAdd={(text) => void add(draft, text)}
        />
      )}
      {problem && (
        <p className="error-text" data-testid="comment-error">
          {problem}
        </p>
      )}
      {loaded ? (
        <CommentList comments={comments} onRemove={(comment) => void remove(comment)} />
      ) : (
        <p className="muted">Loading comments…</p>
      )}
    </div>
  );
}
