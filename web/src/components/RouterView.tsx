/**
 * The Router view: what every grove router served (tasks' agents, `grove claude` sessions, a
 * standalone `grove router`), or one task's (`/router?task=3`): totals per provider and model,
 * then the newest requests. Fetched whenever the change stream (re)connects, then kept current by it.
 */
import { useEffect, useState } from "react";
import { api, errorMessage } from "../api";
import { applyRequest } from "../lib/router-stats";
import { routerFeed } from "../router-feed";
import { useLive } from "../store";
import type { RouterOverview, RouterRequest } from "../types";
import { Link } from "./Link";
import { RouterRequestList } from "./RouterRequestList";
import { RouterSummaryTable } from "./RouterSummaryTable";

export function RouterView({ taskId }: { taskId: number | undefined }) {
  const [overview, setOverview] = useState<RouterOverview | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  const live = useLive().status === "live";

  useEffect(() => {
    if (!live) return; // Requests missed while the stream was down come with the next fetch.
    let current = true;
    // Requests that arrive while the first fetch is on its way are applied after it.
    const early: RouterRequest[] = [];
    let loaded: RouterOverview | undefined;
    const unsubscribe = routerFeed.subscribe((request) => {
      if (taskId !== undefined && request.taskId !== taskId) return;
      if (!loaded) early.push(request);
      else setOverview((shown) => (shown ? applyRequest(shown, request) : shown));
    });
    api
      .router(taskId)
      .then((fetched) => {
        if (!current) return;
        loaded = early.reduce(applyRequest, fetched);
        setOverview(loaded);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(errorMessage(error)));
    return () => {
      current = false;
      unsubscribe();
    };
  }, [taskId, live]);

  return (
    <section className="router-view" data-testid="router-view" data-task-id={taskId ?? ""}>
      <div className="row">
        <h1>Router</h1>
        {taskId !== undefined && (
          <span>
            requests of <Link to={`/tasks/${taskId}`}>task #{taskId}</Link> ·{" "}
            <Link to="/router" data-testid="router-show-all">
              all requests
            </Link>
          </span>
        )}
      </div>
      {problem && (
        <p className="error-text" data-testid="router-error">
          {problem}
        </p>
      )}
      {!overview && !problem && <p className="muted">Loading…</p>}
      {overview && overview.requests.length === 0 && overview.summary.length === 0 && (
        <p className="empty" data-testid="router-empty">
          No requests yet. They appear here as grove's routers serve them: tasks' agents, grove claude and
          grove codex sessions, and grove router.
        </p>
      )}
      {overview && overview.summary.length > 0 && (
        <>
          <h2>By provider and model</h2>
          <p className="muted" data-testid="router-kept">
            Over the last {overview.keptDays} days: the daemon keeps requests that long
            (GROVE_ROUTER_REQUEST_DAYS).
          </p>
          <RouterSummaryTable rows={overview.summary} />
          <h2>Recent requests</h2>
          <RouterRequestList requests={overview.requests} showTask={taskId === undefined} />
        </>
      )}
    </section>
  );
}
