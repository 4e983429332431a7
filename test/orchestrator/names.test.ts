/**
 * Hostile task names and prompts: shell metacharacters, `..`, quotes, command substitutions,
 * backticks and non-ASCII text, through `grove run --name` and through the prompt. Each must
 * give a valid, unique `grove/…` branch, run no shell code, and still work end to end.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  barrier,
  createTask,
  disposeAll,
  expectAllSettled,
  expectSettled,
  getTask,
  git,
  gitOk,
  groveOk,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  useScript,
  waitForTask,
} from "./harness.js";

let sandbox: Sandbox;
let repo: string;
let markers: string[];
let hostile: string[];

beforeAll(async () => {
  sandbox = makeSandbox("grove-names-");
  repo = await sampleRepo(sandbox, "repo", { test: "node --test", concurrency: 8 });
  markers = ["pwned-semicolon", "pwned-dollar", "pwned-backtick"].map((name) => join(sandbox.root, name));
  // Each text packs several kinds of trouble; none may reach a shell.
  hostile = [
    `fix; touch ${markers[0]} && echo "double" 'single' it's`,
    "..",
    `$(touch ${markers[1]}) \`touch ${markers[2]}\``,
    "日本語 café Straße ✨",
  ];
  useScript(sandbox, [
    {
      when: { turn: 0 },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: "note.txt", content: "written by the agent\n" } }],
    },
    { when: { turn: 1 }, repeat: true, text: "Wrote note.txt." },
  ]);
  await startDaemonProcess(sandbox);
});
afterAll(disposeAll);

/** `grove run …` in `cwd`; returns the new task's id. */
async function run(args: string[], cwd = repo): Promise<number> {
  return Number((await groveOk(sandbox, ["run", "--model", "s", ...args], { cwd })).trim());
}

const hasBranch = (task: Task) => task.state !== "queued" && task.state !== "setting-up";

describe("hostile task names", () => {
  it("gives valid, unique branches, runs no shell code, and the tasks work", async () => {
    // Through the CLI's --name, then through the prompt alone (the same texts, so the same slugs).
    const named = await Promise.all(hostile.map((name) => run(["--name", name, "Write a note"])));
    const tasks: Task[] = [];
    for (const id of named) tasks.push(await waitForTask(sandbox, id, hasBranch));
    for (const prompt of hostile) {
      const created = await createTask(sandbox, { cwd: repo, prompt });
      tasks.push(await waitForTask(sandbox, created.id, hasBranch));
    }

    const branches = tasks.map((task) => task.branch);
    expect(new Set(branches).size).toBe(tasks.length);
    for (const branch of branches) {
      expect(branch).toMatch(/^grove\/[a-z0-9][a-z0-9._-]*$/);
      expect(gitOk(repo, ["check-ref-format", "--branch", branch])).toBe(true);
    }
    const fromNames = branches.slice(0, hostile.length);
    expect(fromNames).toEqual([
      expect.stringMatching(/^grove\/fix-touch-/),
      "grove/task",
      expect.stringMatching(/^grove\/touch-/),
      "grove/cafe-strasse",
    ]);
    // The same texts as prompts slugify alike, so they get the next free names.
    expect(branches.slice(hostile.length)).toEqual(fromNames.map((branch) => `${branch}-2`));

    const done = await expectAllSettled(
      sandbox,
      tasks.map((task) => task.id),
      "done",
    );
    for (const [index, task] of done.entries()) {
      expect(git(repo, ["show", `${task.branch}:note.txt`])).toBe("written by the agent");
      // The prompt reaches the task and the commit message literally: no expansion on the way.
      const subject = git(repo, ["log", "-1", "--format=%s", task.branch]);
      const prompt = index < hostile.length ? "Write a note" : hostile[index - hostile.length];
      expect(subject).toBe(prompt!.slice(0, 72)); // grove cuts the subject at 72 characters
      expect(task.prompt).toBe(prompt);
    }
    for (const marker of markers) expect(existsSync(marker), marker).toBe(false);

    // A branch name (or slug) finds its task.
    const byBranch = await groveOk(sandbox, ["path", "grove/cafe-strasse"]);
    expect(byBranch.trim()).toBe(done[3]!.worktree);
  }, 90_000);

  it("gives tasks queued at the same time distinct branches even when their names slugify alike", async () => {
    const queued = await sampleRepo(sandbox, "queued", { test: "node --test", concurrency: 1 });
    const gate = barrier(sandbox, "names-queue");
    useScript(sandbox, [
      {
        when: { turn: 0, lastUserContains: "blocker" },
        toolCalls: [{ name: "bash", arguments: { command: gate.command } }],
      },
      {
        when: { turn: 0 },
        repeat: true,
        toolCalls: [{ name: "write", arguments: { path: "note.txt", content: "x\n" } }],
      },
      { repeat: true, text: "Done." },
    ]);
    const first = await run(["blocker task"], queued);
    await gate.waitArrived(1);
    const a = await run(["--name", ";", "one"], queued);
    const b = await run(["--name", "..", "two"], queued);
    const [taskA, taskB] = [await getTask(sandbox, a), await getTask(sandbox, b)];
    expect([taskA.state, taskB.state]).toEqual(["queued", "queued"]);
    expect(taskA.branch).not.toBe(taskB.branch);
    gate.release();
    await expectSettled(sandbox, first, "done");
    await expectSettled(sandbox, a, "done");
    await expectSettled(sandbox, b, "done");
  }, 60_000);
});
