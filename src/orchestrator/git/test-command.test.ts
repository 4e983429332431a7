import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_TEST_OUTPUT, runTestCommand } from "./test-command.js";

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "grove-testcmd-")));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("runTestCommand", () => {
  it("captures stdout and stderr and reports the exit code", async () => {
    const run = await runTestCommand(dir, {
      command: 'echo out; echo err >&2; echo "$X"; pwd; exit 7',
      env: { X: "y" },
    });
    expect(run).toMatchObject({ exitCode: 7, timedOut: false });
    expect(run.output.split("\n")).toEqual(expect.arrayContaining(["out", "err", "y", dir]));
  });

  it("does not let the shell interpret anything beyond the command string", async () => {
    const run = await runTestCommand(dir, { command: "printf '%s' \"$(echo ok)\" '$(rm -rf /)'" });
    expect(run).toMatchObject({ exitCode: 0, output: "ok$(rm -rf /)" });
  });

  it("caps huge output, keeping the head and the tail", async () => {
    const run = await runTestCommand(dir, {
      command: "echo FIRST; head -c 1000000 /dev/zero | tr '\\0' x; echo; echo LAST",
    });
    expect(run.exitCode).toBe(0);
    expect(run.output.length).toBeLessThan(MAX_TEST_OUTPUT + 200);
    expect(run.output.startsWith("FIRST")).toBe(true);
    expect(run.output.trimEnd().endsWith("LAST")).toBe(true);
    expect(run.output).toMatch(/characters of output omitted/);
  });

  it("kills the command and its children on timeout", async () => {
    const run = await runTestCommand(dir, { command: "sleep 30 & sleep 30; echo never", timeoutMs: 200 });
    expect(run).toMatchObject({ exitCode: null, timedOut: true });
    expect(run.output).not.toContain("never");
    expect(run.output).toMatch(/timed out/);
  });

  it("returns when the command exits even if a background process keeps its output open", async () => {
    const run = await runTestCommand(dir, { command: "(sleep 30 &); echo started" });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false });
    expect(run.output).toContain("started");
  });
});
