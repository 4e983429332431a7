/**
 * The Codex runner end to end through the orchestrator: the real `codex` (the pinned
 * devDependency) on grove's scripted demo model, behind the router the agent wrapper serves.
 * Its apply_patch call adds GROVE_DEMO.md, which the wrapper commits on the task branch.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  disposeAll,
  eventsOf,
  expectImplementedThenApproved,
  getTask,
  git,
  grove,
  makeSandbox,
  sampleRepo,
  taskEvents,
} from "./harness.js";

const codexBin = fileURLToPath(new URL("../../node_modules/.bin/codex", import.meta.url));

afterEach(disposeAll);

describe("grove run --agent codex", () => {
  it("ends done as a branch with a commit holding the note Codex wrote", async () => {
    expect(existsSync(codexBin), `${codexBin} is missing: npm install`).toBe(true);
    const sandbox = makeSandbox("grove-codex-");
    const repo = await sampleRepo(sandbox);
    const result = await grove(
      sandbox,
      ["run", "--agent", "codex", "--model", "demo", "--wait", "Leave a note for the grove demo"],
      { cwd: repo, timeoutMs: 90_000, env: { GROVE_CODEX_BIN: codexBin } },
    );
    const id = Number(result.stdout.split("\n")[0]);
    const task = await getTask(sandbox, id);
    const events = await taskEvents(sandbox, id);
    const log = (file: string) =>
      existsSync(join(task.taskDir, file)) ? readFileSync(join(task.taskDir, file), "utf8") : "";
    const why = `${result.stdout}\n${result.stderr}\n${JSON.stringify(events, null, 1)}\n${log("agent-stderr.log")}\n${log("router.log")}`;
    expect(result.code, why).toBe(0);
    expect(result.stdout).toContain(`task ${id}: done`);
    expect(task).toMatchObject({ state: "done", agent: "codex", model: "demo", runs: 2 });
    expectImplementedThenApproved(events);

    const commit = git(repo, ["rev-parse", task.branch]);
    expect(commit).not.toBe(task.baseCommit);
    expect(git(repo, ["diff", "--name-only", `${task.baseCommit}..${task.branch}`])).toBe("GROVE_DEMO.md");
    expect(git(repo, ["show", `${task.branch}:GROVE_DEMO.md`])).toContain("written by Codex");
    expect(git(repo, ["log", "-1", "--format=%s", task.branch])).toBe("Leave a note for the grove demo");
    expect(eventsOf(events, "session_finished").at(-1)?.body.status, why).toBe("success");
    // Codex kept its state in the task, outside TMPDIR, and not in the user's ~/.codex.
    expect(log("agent-stderr.log")).not.toContain("Refusing to create helper binaries");
    expect(existsSync(join(task.taskDir, "codex-home"))).toBe(true);
    expect(existsSync(join(sandbox.userHome, ".codex"))).toBe(false);
  }, 100_000);
});
