import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { endProcessGroup, processGroupAlive, signalGroup, waitForGroupExit } from "./process-group.js";

/** A shell leading its own group, with a background child; `ignoreTerm` makes both ignore SIGTERM. */
function startGroup(ignoreTerm: boolean): number {
  const trap = ignoreTerm ? "trap '' TERM; " : "";
  const child = spawn("bash", ["-c", `${trap}sleep 30 & ${trap}sleep 30; wait`], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return child.pid!;
}

describe("process groups", () => {
  it("ends a group with SIGTERM when its members heed it", async () => {
    const pgid = startGroup(false);
    expect(await processGroupAlive(pgid)).toBe(true);
    // A grace period longer than the test's timeout: this passes only if SIGTERM was enough.
    await endProcessGroup(pgid, { graceMs: 60_000, settleMs: 1_000 });
    expect(await processGroupAlive(pgid)).toBe(false);
  });

  it("escalates to SIGKILL after the grace period when SIGTERM is ignored", async () => {
    const pgid = startGroup(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // Let the traps be set.
    signalGroup(pgid, "SIGTERM");
    expect(await waitForGroupExit(pgid, 300)).toBe(false);
    await endProcessGroup(pgid, { graceMs: 300, settleMs: 2_000 });
    expect(await processGroupAlive(pgid)).toBe(false);
  });

  it("goes straight to SIGKILL when told not to ask, and treats a group that is gone as gone", async () => {
    const pgid = startGroup(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await endProcessGroup(pgid, { graceMs: 60_000, settleMs: 2_000, term: false });
    expect(await processGroupAlive(pgid)).toBe(false);
    await endProcessGroup(pgid, { graceMs: 60_000, settleMs: 60_000 }); // Returns at once.
    signalGroup(pgid, "SIGKILL"); // No throw for a group that is gone.
  });
});
