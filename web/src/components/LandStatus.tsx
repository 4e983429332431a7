/** The latest landing: its steps as they happen, then landed, conflict, or tests failed. */
import type { LandState } from "../lib/transcript";
import { OutputBlock } from "./OutputBlock";

const RESULT_CLASS: Record<string, string> = { landed: "good", conflict: "bad", "tests-failed": "bad" };

export function LandStatus({ landing }: { landing: LandState | undefined }) {
  if (!landing) return null;
  const result = landing.result;
  return (
    <div className="land-status" data-testid="land-status" data-result={result?.result ?? "running"}>
      <strong>{landing.running ? "Landing…" : "Last landing"}</strong>
      <ol className="land-steps" data-testid="land-steps">
        {landing.steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps only ever grow, in order.
          <li key={index}>{step}</li>
        ))}
      </ol>
      {result && (
        <p className={`land-result ${RESULT_CLASS[result.result] ?? "bad"}`} data-testid="land-result">
          {result.text}
        </p>
      )}
      {result?.output && <OutputBlock text={result.output} testId="land-test-output" />}
    </div>
  );
}
