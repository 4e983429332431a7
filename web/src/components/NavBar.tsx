import { useInbox } from "../inbox-store";
import { reviewQueue } from "../lib/board";
import type { Route } from "../router";
import { useLive } from "../store";
import { Link } from "./Link";

const STATUS_TEXT = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…" } as const;

export function NavBar({ route }: { route: Route }) {
  const { tasks, status } = useLive();
  const inbox = useInbox().items.length;
  const ready = reviewQueue(tasks.values()).length;
  const waiting = [...tasks.values()].filter((task) => task.state === "waiting-for-input").length;
  const current = (name: Route["name"]) => (route.name === name ? "nav-link active" : "nav-link");
  return (
    <header className="navbar">
      <Link to="/" className="brand" data-testid="nav-brand">
        <img src="/favicon.svg" alt="" width={20} height={20} /> grove
      </Link>
      <nav>
        <Link to="/" className={current("board")} data-testid="nav-board">
          Board
        </Link>
        <Link to="/review" className={current("review")} data-testid="nav-review">
          Review
          {ready > 0 && (
            <span className="count" data-testid="nav-review-count">
              {ready}
            </span>
          )}
        </Link>
        <Link
          to="/inbox"
          className={current("inbox")}
          data-testid="nav-inbox"
          title="Questions and gates waiting for you"
        >
          Inbox
          {inbox > 0 && (
            <span className="count" data-testid="nav-inbox-count">
              {inbox}
            </span>
          )}
        </Link>
        <Link to="/new" className={current("new")} data-testid="nav-new-task">
          New task
        </Link>
        <Link to="/router" className={current("router")} data-testid="nav-router">
          Router
        </Link>
      </nav>
      {waiting > 0 && (
        <span className="badge waiting" data-testid="nav-waiting-count" title="Tasks waiting for your answer">
          {waiting} waiting for you
        </span>
      )}
      <span className={`stream-status ${status}`} data-testid="stream-status" data-status={status}>
        {STATUS_TEXT[status]}
      </span>
    </header>
  );
}
