/** The setup command's output and every landing attempt with its test output. */
import { useMemo } from "react";
import { landResult } from "../lib/transcript";
import type { StoredEvent } from "../types";
import { OutputBlock } from "./OutputBlock";

export function SetupOutput({ events }: { events: readonly StoredEvent[] }) {
  const setup = useMemo(
    () =>
      events
        .filter((event) => event.type === "setup_output")
        .map((event) => String(event.body.text ?? ""))
        .join(""),
    [events],
  );
  const landings = useMemo(() => events.filter((event) => event.type.startsWith("land_")), [events]);
  return (
    <div className="setup-output" data-testid="setup-output">
      <h3>Setup</h3>
      {setup ? <OutputBlock text={setup} testId="setup-text" /> : <p className="muted">No setup output.</p>}
      <h3>Landing and tests</h3>
      {landings.length === 0 ? (
        <p className="muted" data-testid="tests-none">
          Not landed yet: the repository's tests run when the task lands.
        </p>
      ) : (
        <ul className="land-log" data-testid="land-log">
          {landings.map((event) => {
            const finished = event.type === "land_finished" ? landResult(event.body) : undefined;
            return (
              <li key={event.seq} className={finished ? `result-${finished.result}` : undefined}>
                <span className="muted">{event.ts.slice(11, 19)}</span>{" "}
                {event.type === "land_started"
                  ? `landing onto ${String(event.body.base)} (${String(event.body.strategy)})`
                  : event.type === "land_progress"
                    ? String(event.body.step)
                    : finished?.text}
                {finished?.output && <OutputBlock text={finished.output} testId="test-output" />}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
