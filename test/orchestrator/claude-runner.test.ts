/**
 * The Claude Code runner end to end through the orchestrator: the real `claude` (the pinned
 * devDependency) on grove's scripted demo model, behind the router the agent wrapper serves.
 * Its Write tool leaves GROVE_DEMO.md, which the wrapper commits on the task branch.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claudeBin } from "../cli/spawn-grove.js";
import {
  disposeAll,
  eventsOf,
  expectImplementedThenApproved,
  getTask,
  git,
  grove,
  makeSandbox,
  readInfo,
  sampleRepo,
  taskEvents,
} from "./harness.js";

afterEach(disposeAll);

describe("grove run --agent claude", () => {
  it("ends done with a commit holding the note Claude Code wrote", async () => {
    expect(existsSync(claudeBin), `${claudeBin} is missing: npm install`).toBe(true);
    const sandbox = makeSandbox("grove-claude-");
    const repo = await sampleRepo(sandbox);
    const result = await grove(
      sandbox,
      ["run", "--agent", "claude", "--model", "demo", "--wait", "Leave a note for the grove demo"],
      { cwd: repo, timeoutMs: 90_000, env: { GROVE_CLAUDE_BIN: claudeBin } },
    );
    expect(readInfo(sandbox.home)).toBeDefined(); // `run` started the daemon itself.
    const id = Number(result.stdout.split("\n")[0]);
    const task = await getTask(sandbox, id);
    const events = await taskEvents(sandbox, id);
    expect(result.code, `${result.stdout}\n${result.stderr}\n${JSON.stringify(events, null, 1)}`).toBe(0);
    expect(result.stdout).toContain(`task ${id}: done`);
    expect(task).toMatchObject({ state: "done", agent: "claude", model: "demo", runs: 2 });
    expectImplementedThenApproved(events);
    expect(task.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const commit = git(repo, ["rev-parse", task.branch]);
    expect(commit).not.toBe(task.baseCommit);
    expect(git(repo, ["diff", "--name-only", `${task.baseCommit}..${task.branch}`])).toBe("GROVE_DEMO.md");
    expect(git(repo, ["show", `${task.branch}:GROVE_DEMO.md`])).toContain("# Hello from grove");
    expect(git(repo, ["log", "-1", "--format=%s", task.branch])).toBe("Leave a note for the grove demo");
    const write = eventsOf(events, "tool_call_started").find((event) => event.body.name === "Write");
    expect(write).toBeDefined();
    expect(eventsOf(events, "session_finished").at(-1)?.body.status).toBe("success");
    // Claude Code kept its state in the sandbox's HOME, not the user's.
    expect(existsSync(join(sandbox.userHome, ".claude"))).toBe(true);
  }, 100_000);
});
