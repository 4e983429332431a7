/** Review comments: the one being written for a picked diff line, and those already added. */
import { useState } from "react";
import type { DiffLineRef } from "../lib/diff-lines";
import { commentLocation, type ReviewComment, sortComments } from "../lib/send-back";

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

export function CommentList(props: { comments: readonly ReviewComment[]; onRemove: (id: string) => void }) {
  if (props.comments.length === 0)
    return (
      <p className="muted" data-testid="comment-list-empty">
        Click a line in the diff to comment on it.
      </p>
    );
  return (
    <ul className="comments" data-testid="comment-list">
      {sortComments(props.comments).map((comment) => (
        <li key={comment.id} data-testid="comment-item" data-file={comment.file} data-line={comment.line}>
          <div className="comment-location">{commentLocation(comment)}</div>
          <div>{comment.text}</div>
          <button
            type="button"
            className="link"
            onClick={() => props.onRemove(comment.id)}
            data-testid="comment-remove"
            aria-label={`Remove the comment on ${commentLocation(comment)}`}
          >
            remove
          </button>
        </li>
      ))}
    </ul>
  );
}
