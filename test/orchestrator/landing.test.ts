/**
 * Landing through `grove land`: a clean rebase advances the base (and the user's checked-out
 * main worktree), a conflict or a failing test after the rebase lands nothing, two concurrent
 * landings are serialized into a linear history, and a dirty base worktree is refused.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  type Barrier,
  barrier,
  commitFile,
  createTask,
  disposeAll,
  eventsOf,
  expectAllSettled,
  getTask,
  git,
  grove,
  isAncestor,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
  tip,
  useScript,
} from "./harness.js";

let sandbox: Sandbox;
const repos: Record<string, string> = {};
const tasks: Record<string, Task> = {};
let landGate: Barrier;

beforeAll(async () => {
  sandbox = makeSandbox("grove-land-");
  useScript(sandbox, [
    {
      when: { turn: 0, lastUserContains: "alpha" },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: "alpha.txt", content: "alpha\n" } }],
    },
    {
      when: { turn: 0, lastUserContains: "beta" },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: "beta.txt", content: "beta\n" } }],
    },
    {
      when: { turn: 0, lastUserContains: "readme" },
      repeat: true,
      toolCalls: [
        {
          name: "edit",
          arguments: { path: "README.md", old_string: "# greeter\n", new_string: "# greeter, by the task\n" },
        },
      ],
    },
    { when: { turn: 1 }, repeat: true, text: "Done." },
  ]);
  await startDaemonProcess(sandbox);
  // A repository whose test command waits at a barrier, to hold a landing mid-way.
  landGate = barrier(sandbox, "land");
  repos.twice = await sampleRepo(sandbox, "twice", { test: landGate.command });
  const plan: [string, string, string][] = [
    ["clean", "clean", "Add alpha"],
    ["conflict", "conflict", "Retitle the readme"],
    ["tests", "tests", "Add alpha"],
    ["pairA", "pair", "Add alpha"],
    ["pairB", "pair", "Add beta"],
    ["dirty", "dirty", "Add alpha"],
    ["twiceA", "twice", "Add alpha"],
    ["twiceB", "twice", "Add beta"],
  ];
  for (const name of new Set(plan.map(([, repo]) => repo))) repos[name] ??= await sampleRepo(sandbox, name);
  for (const [key, repo, prompt] of plan)
    tasks[key] = await createTask(sandbox, { cwd: repos[repo]!, prompt });
  const done = await expectAllSettled(
    sandbox,
    Object.values(tasks).map((task) => task.id),
    "done",
  );
  for (const task of done) {
    const key = Object.keys(tasks).find((name) => tasks[name]!.id === task.id)!;
    tasks[key] = task;
  }
}, 60_000);
afterAll(disposeAll);

const land = (task: Task) => grove(sandbox, ["land", String(task.id)]);

describe("grove land", () => {
  it("lands a clean rebase: the base moves and the checked-out main worktree follows", async () => {
    const repo = repos.clean!;
    const task = tasks.clean!;
    // main moves on after the task started.
    const mainCommit = commitFile(repo, "main.txt", "on main\n", "main moves on");

    const result = await land(task);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const landed = await getTask(sandbox, task.id);
    expect(landed.state).toBe("landed");
    expect(result.stdout).toBe(`task ${task.id} landed on main as ${landed.landedCommit!.slice(0, 12)}\n`);

    expect(tip(repo, "main")).toBe(landed.landedCommit);
    expect(git(repo, ["rev-parse", `${landed.landedCommit}^`])).toBe(mainCommit); // rebased, not merged
    expect(git(repo, ["rev-list", "--merges", "main"])).toBe("");
    // The user's main worktree has the task's file and nothing left over.
    expect(readFileSync(join(repo, "alpha.txt"), "utf8")).toBe("alpha\n");
    expect(git(repo, ["status", "--porcelain"])).toBe("");
    expect(existsSync(task.worktree)).toBe(false);
    const steps = eventsOf(await taskEvents(sandbox, task.id), "land_progress").map(
      (event) => event.body.step,
    );
    expect(steps).toEqual(["lock", "rebase", "test", "advance"]);
  });

  it("stops at a conflict: the task is in conflict with the file named, main untouched", async () => {
    const repo = repos.conflict!;
    const task = tasks.conflict!;
    const taskTip = tip(repo, task.branch);
    const mainTip = commitFile(repo, "README.md", "# greeter, on main\n", "conflicting title");

    const result = await land(task);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`task ${task.id} did not land (conflict)`);
    expect(result.stderr).toContain("README.md");
    const after = await getTask(sandbox, task.id);
    expect(after.state).toBe("conflict");
    expect(after.error).toContain("conflicts with main in README.md");
    const finished = eventsOf(await taskEvents(sandbox, task.id), "land_finished").at(-1);
    expect(finished?.body).toMatchObject({ result: "conflict", files: ["README.md"] });

    expect(tip(repo, "main")).toBe(mainTip);
    expect(readFileSync(join(repo, "README.md"), "utf8")).toBe("# greeter, on main\n");
    expect(git(repo, ["status", "--porcelain"])).toBe("");
    // The task's branch and worktree are as the agent left them, with no rebase in progress.
    expect(tip(repo, task.branch)).toBe(taskTip);
    expect(git(task.worktree, ["status", "--porcelain"])).toBe("");
    expect(readFileSync(join(task.worktree, "README.md"), "utf8")).toContain("by the task");
  });

  it("lands nothing when the tests fail after the rebase", async () => {
    const repo = repos.tests!;
    const task = tasks.tests!;
    const broken =
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\n\ntest("main is broken", () => {\n  assert.equal(1, 2);\n});\n';
    const mainTip = commitFile(repo, "test/broken.test.js", broken, "break the tests on main");

    const result = await land(task);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("tests failed after rebasing");
    const after = await getTask(sandbox, task.id);
    expect(after.state).toBe("done");
    expect(after.error).toMatch(/tests failed after rebasing \(exit \d+\); nothing landed/);
    const finished = eventsOf(await taskEvents(sandbox, task.id), "land_finished").at(-1);
    expect(finished?.body).toMatchObject({ result: "tests-failed" });
    expect(String(finished?.body.output)).toContain("main is broken");

    expect(tip(repo, "main")).toBe(mainTip);
    expect(existsSync(join(repo, "alpha.txt"))).toBe(false);
    expect(git(repo, ["status", "--porcelain"])).toBe("");
  });

  it("serializes two concurrent landings into a linear history", async () => {
    const repo = repos.pair!;
    const before = tip(repo, "main");
    const [a, b] = await Promise.all([land(tasks.pairA!), land(tasks.pairB!)]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);

    const landedA = (await getTask(sandbox, tasks.pairA!.id)).landedCommit!;
    const landedB = (await getTask(sandbox, tasks.pairB!.id)).landedCommit!;
    const [first, second] = isAncestor(repo, landedA, landedB) ? [landedA, landedB] : [landedB, landedA];
    expect(isAncestor(repo, first, second)).toBe(true);
    expect(tip(repo, "main")).toBe(second);
    // One commit each, one after the other: the second was rebased onto the first.
    expect(git(repo, ["rev-parse", `${second}^`])).toBe(first);
    expect(git(repo, ["rev-parse", `${first}^`])).toBe(before);
    expect(git(repo, ["rev-list", "--merges", "main"])).toBe("");
    expect(readFileSync(join(repo, "alpha.txt"), "utf8")).toBe("alpha\n");
    expect(readFileSync(join(repo, "beta.txt"), "utf8")).toBe("beta\n");
    expect(git(repo, ["status", "--porcelain"])).toBe("");
  });

  it("refuses a dirty base worktree with a clear message and changes nothing", async () => {
    const repo = repos.dirty!;
    const task = tasks.dirty!;
    const mainTip = tip(repo, "main");
    const taskTip = tip(repo, task.branch);
    writeFileSync(join(repo, "README.md"), "# greeter\n\nwork in progress by the user\n");

    const result = await land(task);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The base branch "main" is checked out in ${repo}, which has uncommitted changes; commit or stash them first`,
    );
    const after = await getTask(sandbox, task.id);
    expect(after.state).toBe("done");
    expect(tip(repo, "main")).toBe(mainTip);
    expect(tip(repo, task.branch)).toBe(taskTip);
    expect(readFileSync(join(repo, "README.md"), "utf8")).toBe("# greeter\n\nwork in progress by the user\n");
    expect(git(repo, ["status", "--porcelain"])).toBe("M README.md");
    expect(existsSync(join(repo, "alpha.txt"))).toBe(false);
    expect(existsSync(task.worktree)).toBe(true);
  });

  it("keeps a task landed when it was queued to land twice", async () => {
    const holding = land(tasks.twiceA!);
    await landGate.waitArrived(1); // The first landing is running its test command.
    // Straight to the API, so both requests reach the daemon while the queue is held.
    const landB = () =>
      api<Task>(sandbox, "POST", `/api/tasks/${tasks.twiceB!.id}/land`, {}).then(
        (task) => task.state,
        (error: Error) => error.message,
      );
    const twice = [landB(), landB()];
    await api(sandbox, "GET", "/api/health");
    await sleep(300);
    landGate.release();
    expect((await holding).code).toBe(0);
    expect(await Promise.all(twice)).toContain("landed");
    const after = await getTask(sandbox, tasks.twiceB!.id);
    expect(tip(repos.twice!, "main")).toBe(after.landedCommit);
    expect(after.state).toBe("landed");
    expect(after.error).toBeNull();
  });
});
