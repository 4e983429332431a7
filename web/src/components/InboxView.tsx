/**
 * The Inbox: every question an agent asked and every gate a pipeline waits at, across all
 * tasks, oldest first, each answered, approved or revised in place (the same as `grove inbox`,
 * `grove answer`, `grove approve` and `grove revise`). Kept current by the change stream.
 */
import { useInbox } from "../inbox-store";
import { useNow } from "../use-now";
import { InboxItemCard } from "./InboxItemCard";

export function InboxView() {
  const { items, loaded, problem } = useInbox();
  const now = useNow(1000);
  return (
    <section className="inbox-view" data-testid="inbox-view" data-count={items.length}>
      <div className="row">
        <h1>Inbox</h1>
        <span className="muted">Questions and gates waiting for you, oldest first.</span>
      </div>
      {problem && (
        <p className="error-text" data-testid="inbox-load-error">
          {problem}
        </p>
      )}
      {!loaded && !problem && <p className="muted">Loading…</p>}
      {loaded && items.length === 0 && (
        <p className="empty" data-testid="inbox-empty">
          Nothing waits for you. Agents' questions and pipeline gates (a spec to approve, a review that
          reached its cap) arrive here.
        </p>
      )}
      <ol className="inbox-list" data-testid="inbox-list">
        {items.map((item) => (
          <li key={item.id}>
            <InboxItemCard item={item} now={now} />
          </li>
        ))}
      </ol>
    </section>
  );
}
