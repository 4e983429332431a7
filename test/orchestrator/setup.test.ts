/**
 * Workspace setup: `copyFiles` brings an untracked, ignored `.env` into each worktree, the
 * `setup` command runs there with the task's port block (its output lands in the task log),
 * concurrently active tasks get distinct ports, and a failing setup fails the task without
 * ever starting an agent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  barrier,
  commitFile,
  createTask,
  disposeAll,
  eventsOf,
  expectAllSettled,
  expectSettled,
  git,
  groveOk,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  taskEvents,
  useScript,
} from "./harness.js";

const SETUP =
  'echo "setup ran on port $PORT" > .setup-marker && echo "setup says hello from $GROVE_PORT_BASE"';
const ENV_FILE = "API_URL=http://localhost\nSECRET=local-only\n";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = makeSandbox("grove-setup-");
  await startDaemonProcess(sandbox);
});
afterAll(disposeAll);

describe("task setup", () => {
  it("copies .env, runs setup with the task's ports, and gives overlapping tasks distinct ports", async () => {
    const repo = await sampleRepo(sandbox, "repo", {
      test: "node --test",
      concurrency: 3,
      copyFiles: [".env"],
      setup: SETUP,
    });
    commitFile(repo, ".gitignore", ".env\n.setup-marker\n", "ignore local files");
    writeFileSync(join(repo, ".env"), ENV_FILE);
    expect(git(repo, ["status", "--porcelain", "--ignored"])).toContain("!! .env");

    const gate = barrier(sandbox, "setup");
    useScript(sandbox, [
      {
        when: { turn: 0 },
        toolCalls: [
          {
            name: "bash",
            arguments: {
              command: `echo "$PORT $GROVE_PORT_BASE" > port.txt && cp .env env-seen.txt && ${gate.command}`,
            },
          },
        ],
      },
      { when: { turn: 1 }, text: "Recorded the port." },
    ]);

    const tasks = [];
    for (const n of [1, 2, 3])
      tasks.push(await createTask(sandbox, { cwd: repo, prompt: `setup task ${n}` }));
    // All three agents are inside their bash call at the same time.
    await gate.waitArrived(3);
    gate.release();
    const done = await expectAllSettled(
      sandbox,
      tasks.map((task) => task.id),
      "done",
    );

    const ports = done.map((task) => task.portBase);
    expect(new Set(ports).size).toBe(3);
    for (const task of done) {
      // The agent saw PORT and GROVE_PORT_BASE (committed on its branch) and the copied .env.
      expect(git(repo, ["show", `${task.branch}:port.txt`])).toBe(`${task.portBase} ${task.portBase}`);
      expect(git(repo, ["show", `${task.branch}:env-seen.txt`])).toBe(ENV_FILE.trim());
      // The copy is in the worktree but, being ignored, never committed.
      expect(readFileSync(join(task.worktree, ".env"), "utf8")).toBe(ENV_FILE);
      expect(git(repo, ["ls-tree", "-r", "--name-only", task.branch])).not.toMatch(/^\.env$/m);
      // setup ran in the worktree with the same port.
      expect(readFileSync(join(task.worktree, ".setup-marker"), "utf8")).toBe(
        `setup ran on port ${task.portBase}\n`,
      );
      const output = eventsOf(await taskEvents(sandbox, task.id), "setup_output")
        .map((event) => String(event.body.text))
        .join("");
      expect(output).toContain("copied .env");
      expect(output).toContain(`$ ${SETUP}`);
      expect(output).toContain(`setup says hello from ${task.portBase}`);
    }
    // The readable log shows the setup output too.
    const log = await groveOk(sandbox, ["logs", String(done[0]!.id)]);
    expect(log).toMatch(/setup │ setup says hello from \d+/);
  }, 60_000);

  it("fails the task with a clear error when setup fails, and starts no agent", async () => {
    const repo = await sampleRepo(sandbox, "failing", {
      test: "node --test",
      setup: "echo about to fail && exit 7",
    });
    useScript(sandbox, [{ repeat: true, text: "an agent must not run" }]);
    const created = await createTask(sandbox, { cwd: repo, prompt: "this setup fails" });
    const task = await expectSettled(sandbox, created.id, "failed");

    expect(task.error).toBe(
      'setup failed: setup command "echo about to fail && exit 7" failed with exit code 7',
    );
    expect(task.runs).toBe(0);
    expect(task.pid).toBeNull();
    const events = await taskEvents(sandbox, task.id);
    expect(eventsOf(events, "run_started")).toEqual([]);
    expect(eventsOf(events, "session_started")).toEqual([]);
    expect(
      eventsOf(events, "setup_output")
        .map((event) => event.body.text)
        .join(""),
    ).toContain("about to fail");
    expect(existsSync(join(task.taskDir, "spec-1.json"))).toBe(false);
    expect(existsSync(join(task.taskDir, "run-1.pid"))).toBe(false);
    const shown = await groveOk(sandbox, ["show", String(task.id)]);
    expect(shown).toMatch(/state\s+failed/);
    expect(shown).toContain("failed with exit code 7");
  }, 30_000);
});
