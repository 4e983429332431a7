/** Review comments: the one being written for a picked diff line, and those already added. */
import { useState } from "react";
import type { DiffLineRef } from "../lib/diff-lines";
import { commentLocation, pendingComments, sortComments } from "../lib/send-back";
import type { ReviewComment } from "../types";

export function CommentComposer(props: {
  line: DiffLineRef;
  onAdd: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState("");
  const add = () => {
    if (text.trim()) props.onAdd(text.trim());
  };
  return (
    <div className="comment-composer" data-testid="comment-composer">
      <div className="comment-location" data-testid="comment-location">
        {commentLocation(props.line)}
      </div>
      {props.line.code.trim() && <pre className="quote">{props.line.code}</pre>}
      <textarea
        rows={3}
        value={text}
        // biome-ignore lint/a11y/noAutofocus: the user just picked this line to comment on it.
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) add();
          if (event.key === "Escape") props.onCancel();
        }}
        placeholder="Your comment on this line (Ctrl+Enter adds it)"
        aria-label="Comment"
        data-testid="comment-input"
      />
      <div className="row end">
        <button type="button" onClick={props.onCancel} data-testid="comment-cancel">
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={add}
          disabled={!text.trim()}
          data-testid="comment-add"
        >
          Add comment
        </button>
      </div>
    </div>
  );
}

export function CommentList(props: {
  comments: readonly ReviewComment[];
  onRemove?: ((comment: ReviewComment) => void) | undefined;
}) {
  const pending = pendingComments(props.comments);
  const sent = sortComments(props.comments.filter((comment) => comment.sentAt !== null));
  return (
    <>
      {pending.length === 0 ? (
        <p className="muted" data-testid="comment-list-empty">
          {props.onRemove ? "Click a line in the diff to comment on it." : "No pending comments."}
        </p>
      ) : (
        <ul className="comments" data-testid="comment-list">
          {pending.map((comment) => (
            <CommentItem key={comment.id} comment={comment} onRemove={props.onRemove} />
          ))}
        </ul>
      )}
      {sent.length > 0 && (
        <details className="sent-comments" data-testid="comment-sent">
          <summary>{sent.length} sent back earlier</summary>
          <ul className="comments">
            {sent.map((comment) => (
              <CommentItem key={comment.id} comment={comment} />
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function CommentItem({
  comment,
  onRemove,
}: {
  comment: ReviewComment;
  onRemove?: ((comment: ReviewComment) => void) | undefined;
}) {
  return (
    <li
      data-testid="comment-item"
      data-file={comment.file}
      data-line={comment.line}
      data-sent={comment.sentAt !== null}
    >
      <div className="comment-location">
        {commentLocation(comment)}
        {comment.sentAt && (
          <span className="muted"> · sent {comment.sentAt.slice(0, 16).replace("T", " ")}</span>
        )}
      </div>
      {comment.code.trim() && <pre className="quote">{comment.code}</pre>}
      <div>{comment.text}</div>
      {onRemove && comment.sentAt === null && (
        <button
          type="button"
          className="link"
          onClick={() => onRemove(comment)}
          data-testid="comment-remove"
          aria-label={`Remove the comment on ${commentLocation(comment)}`}
        >
          remove
        </button>
      )}
    </li>
  );
}
