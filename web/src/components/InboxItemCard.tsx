/**
 * One open inbox item: whether it is a question or a gate, its stage, its task (unless the
 * card already sits in that task's view), how long it has waited, its text rendered as
 * Markdown, and the actions it allows.
 */
import { formatDuration } from "../lib/format";
import { gateLabel } from "../lib/pipeline";
import type { InboxEntry, InboxItem } from "../types";
import { InboxActions } from "./InboxActions";
import { Link } from "./Link";
import { Markdown } from "./Markdown";

interface Props {
  item: InboxItem & { task?: InboxEntry["task"] };
  now: number;
  /** Off where the card sits in its own task's view. */
  showTask?: boolean;
}

export function InboxItemCard({ item, now, showTask = true }: Props) {
  const waited = Math.max(0, now - Date.parse(item.createdAt));
  return (
    <article
      className={`inbox-item ${item.kind}`}
      data-testid="inbox-item"
      data-item-id={item.id}
      data-kind={item.kind}
      data-stage={item.stage}
      data-task-id={item.taskId}
    >
      <header className="row">
        <span className={`badge inbox-kind ${item.kind}`} data-testid="inbox-item-kind">
          {item.kind}
        </span>
        <span className="badge kind" data-testid="inbox-item-stage">
          {gateLabel(item.stage)}
        </span>
        {showTask && (
          <Link to={`/tasks/${item.taskId}?tab=pipeline`} data-testid="inbox-item-task">
            <span className="muted">#{item.taskId}</span> {item.task?.slug ?? "(task gone)"}
          </Link>
        )}
        {showTask && item.task?.kind && <span className="badge kind">{item.task.kind}</span>}
        <span className="muted inbox-age" title={item.createdAt} data-testid="inbox-item-age">
          waiting {formatDuration(waited)}
        </span>
        <span className="muted">#{item.id}</span>
      </header>
      <Markdown text={item.text} testId="inbox-item-text" />
      <InboxActions item={item} />
    </article>
  );
}
