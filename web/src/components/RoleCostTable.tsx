/** Tokens, runs and cost per pipeline role; a cost is "—" where the model's price is unknown. */
import { formatTokens } from "../lib/format";
import { formatCost } from "../lib/router-stats";
import type { Role, RoleCost } from "../types";

const ROLES: readonly Role[] = ["architect", "implementer", "reviewer"];

export function RoleCostTable({ costs }: { costs: Partial<Record<Role, RoleCost>> }) {
  const rows = ROLES.flatMap((role) => {
    const cost = costs[role];
    return cost ? [{ role, ...cost }] : [];
  });
  if (rows.length === 0)
    return (
      <p className="muted" data-testid="pipeline-costs-empty">
        No role has run yet.
      </p>
    );
  const sum = (pick: (row: RoleCost) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const allPriced = rows.every((row) => row.costUsd !== null);
  return (
    <table className="data-table role-costs" data-testid="pipeline-costs">
      <thead>
        <tr>
          <th>Role</th>
          <th>Model</th>
          <th className="num">Runs</th>
          <th className="num">Input</th>
          <th className="num">Output</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.role} data-testid="pipeline-cost-row" data-role={row.role}>
            <td>{row.role}</td>
            <td>{row.model ?? "default"}</td>
            <td className="num" data-col="runs">
              {row.runs}
            </td>
            <td className="num" data-col="input" title={String(row.input)}>
              {formatTokens(row.input)}
            </td>
            <td className="num" data-col="output" title={String(row.output)}>
              {formatTokens(row.output)}
            </td>
            <td className="num" data-col="cost">
              {formatCost(row.costUsd)}
            </td>
          </tr>
        ))}
      </tbody>
      {rows.length > 1 && (
        <tfoot>
          <tr>
            <td colSpan={2}>Total</td>
            <td className="num">{sum((row) => row.runs)}</td>
            <td className="num">{formatTokens(sum((row) => row.input))}</td>
            <td className="num">{formatTokens(sum((row) => row.output))}</td>
            <td className="num" data-col="cost">
              {formatCost(allPriced ? sum((row) => row.costUsd ?? 0) : null)}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
