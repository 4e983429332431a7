/** The newest router requests, one row each: when, for which task, what answered, how it went. */
import { formatTokens } from "../lib/format";
import { formatCost, formatMs, isErrorRequest } from "../lib/router-stats";
import type { RouterRequest } from "../types";
import { Link } from "./Link";

const SOURCE_LABEL: Record<string, string> = {
  task: "task",
  agent: "grove agent",
  session: "grove claude/codex",
  router: "grove router",
};

export function RouterRequestList(props: { requests: readonly RouterRequest[]; showTask: boolean }) {
  return (
    <table className="data-table requests" data-testid="router-requests">
      <thead>
        <tr>
          <th>Time</th>
          {props.showTask && <th>From</th>}
          <th>Model → target</th>
          <th className="num">Status</th>
          <th className="num">TTFB</th>
          <th className="num">Total</th>
          <th className="num">Tokens</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {props.requests.map((request) => (
          <tr
            key={request.id}
            className={isErrorRequest(request) ? "failed" : undefined}
            data-testid="router-request"
            data-request-id={request.id}
            data-task-id={request.taskId ?? ""}
          >
            <td title={request.ts}>{request.ts.slice(11, 19)}</td>
            {props.showTask && (
              <td>
                {request.taskId !== null ? (
                  <Link to={`/tasks/${request.taskId}`}>#{request.taskId}</Link>
                ) : (
                  (SOURCE_LABEL[request.source] ?? request.source)
                )}
              </td>
            )}
            <td>
              {request.clientModel} → {request.target}
              {request.stream && <span className="muted"> · stream</span>}
              {request.error && (
                <div className="error-text" data-testid="router-request-error">
                  {request.error}
                </div>
              )}
            </td>
            <td className="num">{request.status}</td>
            <td className="num">{formatMs(request.ttfbMs)}</td>
            <td className="num">{formatMs(request.totalMs)}</td>
            <td className="num">
              {request.inputTokens === null
                ? "—"
                : `${formatTokens(request.inputTokens)} → ${formatTokens(request.outputTokens ?? 0)}`}
            </td>
            <td className="num" data-col="cost">
              {formatCost(request.costUsd)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
