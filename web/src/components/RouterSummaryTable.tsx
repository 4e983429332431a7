/** Per provider and model: requests, errors, latency, tokens and estimated cost, with totals. */
import { formatTokens } from "../lib/format";
import { formatCost, formatMs, summaryTotals } from "../lib/router-stats";
import type { RouterModelSummary } from "../types";

type Numbers = Omit<RouterModelSummary, "provider" | "model">;

function Cells({ row }: { row: Numbers }) {
  return (
    <>
      <td className="num" data-col="requests">
        {row.requests}
      </td>
      <td className={row.errors > 0 ? "num error-text" : "num"} data-col="errors">
        {row.errors}
      </td>
      <td className="num" data-col="ttfb">
        {formatMs(row.avgTtfbMs)}
      </td>
      <td className="num" data-col="total">
        {formatMs(row.avgTotalMs)}
      </td>
      <td className="num" data-col="max">
        {formatMs(row.maxTotalMs)}
      </td>
      <td className="num" data-col="input">
        {formatTokens(row.inputTokens)}
      </td>
      <td className="num" data-col="output">
        {formatTokens(row.outputTokens)}
      </td>
      <td
        className="num"
        data-col="cost"
        title={
          row.unpriced > 0 ? `${row.unpriced} request(s) without a known price or token count` : undefined
        }
      >
        {formatCost(row.costUsd)}
        {row.costUsd !== null && row.unpriced > 0 && <span className="muted"> +{row.unpriced} unpriced</span>}
      </td>
    </>
  );
}

export function RouterSummaryTable({ rows }: { rows: readonly RouterModelSummary[] }) {
  return (
    <table className="data-table" data-testid="router-summary">
      <thead>
        <tr>
          <th>Provider</th>
          <th>Model</th>
          <th className="num">Requests</th>
          <th className="num">Errors</th>
          <th className="num" title="Average time to the first byte">
            TTFB
          </th>
          <th className="num" title="Average total time">
            Total
          </th>
          <th className="num">Slowest</th>
          <th className="num">Tokens in</th>
          <th className="num">Tokens out</th>
          <th className="num" title="Estimated from providers.<name>.pricing in the router config">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={`${row.provider ?? ""}\n${row.model}`}
            data-testid="router-summary-row"
            data-provider={row.provider ?? ""}
            data-model={row.model}
          >
            <td>{row.provider ?? <span className="muted">(every target failed)</span>}</td>
            <td>{row.model}</td>
            <Cells row={row} />
          </tr>
        ))}
      </tbody>
      {rows.length > 1 && (
        <tfoot>
          <tr data-testid="router-summary-total">
            <td colSpan={2}>All</td>
            <Cells row={summaryTotals(rows)} />
          </tr>
        </tfoot>
      )}
    </table>
  );
}
