/**
 * Crashes: `kill -9` of a real daemon while two agents run, then a restart through an ordinary
 * command (which auto-starts the daemon); and `kill -9` of one agent wrapper while the daemon
 * runs, then `grove resume`. No commit may be lost, and the tasks must finish.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  barrier,
  createTask,
  disposeAll,
  eventsOf,
  expectSettled,
  git,
  grove,
  groveOk,
  isAlive,
  isAncestor,
  makeSandbox,
  processesOf,
  readInfo,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
  tip,
  useScript,
  waitFor,
  waitForTask,
} from "./harness.js";

afterEach(disposeAll);

/** turn 0: write and commit a file, then wait at the barrier; turn 1: write another; turn 2: done. */
function crashScript(keyword: string, command: string) {
  return [
    {
      when: { turn: 0, lastUserContains: keyword },
      toolCalls: [
        {
          name: "bash",
          arguments: {
            command: `echo before > ${keyword}-1.txt && git add -A && git commit -qm "wip ${keyword}" && ${command}`,
          },
        },
      ],
    },
    {
      when: { turn: 1, anyMessageContains: keyword },
      toolCalls: [{ name: "write", arguments: { path: `${keyword}-2.txt`, content: "after\n" } }],
    },
    { when: { turn: 2, anyMessageContains: keyword }, text: `Finished ${keyword}.` },
  ];
}

describe("kill -9 of the daemon", () => {
  it("re-attaches both agents after a restart; they finish and no commit is lost", async () => {
    const sandbox = makeSandbox("grove-crash-");
    const repo = await sampleRepo(sandbox);
    const alpha = barrier(sandbox, "alpha");
    const beta = barrier(sandbox, "beta");
    useScript(sandbox, [...crashScript("alpha", alpha.command), ...crashScript("beta", beta.command)]);
    const daemon = await startDaemonProcess(sandbox);

    const a = await createTask(sandbox, { cwd: repo, prompt: "crash test alpha" });
    const b = await createTask(sandbox, { cwd: repo, prompt: "crash test beta" });
    await Promise.all([alpha.waitArrived(1), beta.waitArrived(1)]);
    const before = { a: tip(repo, a.branch), b: tip(repo, b.branch) };
    expect(git(repo, ["log", "-1", "--format=%s", a.branch])).toBe("wip alpha");

    daemon.child.kill("SIGKILL");
    await waitFor(() => !isAlive(daemon.pid), 5_000, "the daemon to die");
    const status = await grove(sandbox, ["daemon", "status"]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("grove daemon is not running");
    expect(status.stdout).toContain(`pid ${daemon.pid} left a stale daemon.json`);

    // alpha finishes while no daemon runs; beta only after the restart.
    const dirA = join(sandbox.home, "tasks", String(a.id));
    alpha.release();
    await waitFor(() => existsSync(join(dirA, "run-1.exit.json")), 30_000, "alpha's wrapper to finish");

    // Any command starts the daemon again.
    const listed = JSON.parse(await groveOk(sandbox, ["ls", "--json"])) as Task[];
    expect(listed.map((task) => task.id)).toEqual([a.id, b.id]);
    const restarted = readInfo(sandbox.home)!;
    expect(restarted.pid).not.toBe(daemon.pid);
    expect(isAlive(restarted.pid)).toBe(true);
    beta.release();

    const doneA = await expectSettled(sandbox, a.id, "done");
    const doneB = await expectSettled(sandbox, b.id, "done");
    // beta's wrapper was still alive: followed again. alpha's had exited: its exit file was read.
    expect(eventsOf(await taskEvents(sandbox, b.id), "reattached")).toHaveLength(1);
    expect(eventsOf(await taskEvents(sandbox, a.id), "reattached")).toHaveLength(0);
    for (const [task, earlier, keyword] of [
      [doneA, before.a, "alpha"],
      [doneB, before.b, "beta"],
    ] as const) {
      const after = tip(repo, task.branch);
      expect(isAncestor(repo, earlier, after)).toBe(true);
      expect(git(repo, ["show", `${task.branch}:${keyword}-1.txt`])).toBe("before");
      expect(git(repo, ["show", `${task.branch}:${keyword}-2.txt`])).toBe("after");
      expect(task.summary).toBe(`Finished ${keyword}.`);
    }
  }, 60_000);
});

describe("kill -9 of an agent wrapper", () => {
  let agentsLeftBehind: number[] | undefined;

  it("marks the task interrupted with its worktree intact; grove resume continues it", async () => {
    const sandbox = makeSandbox("grove-wrapper-");
    const repo = await sampleRepo(sandbox);
    const gate = barrier(sandbox, "gamma");
    useScript(sandbox, [
      {
        when: { turn: 0, lastUserContains: "gamma" },
        toolCalls: [
          { name: "bash", arguments: { command: `echo started > gamma-1.txt && ${gate.command}` } },
        ],
      },
      {
        when: { lastUserContains: "You were interrupted" },
        toolCalls: [{ name: "write", arguments: { path: "gamma-2.txt", content: "resumed\n" } }],
      },
      { when: { lastToolResultContains: "gamma-2.txt" }, text: "Continued and finished." },
    ]);
    await startDaemonProcess(sandbox);
    const created = await createTask(sandbox, { cwd: repo, prompt: "wrapper test gamma" });
    await gate.waitArrived(1);
    const task = await waitForTask(sandbox, created.id, (current) => current.state === "running");
    const pidFile = Number(readFileSync(join(task.taskDir, "run-1.pid"), "utf8"));
    expect(pidFile).toBe(task.pid);

    process.kill(task.pid!, "SIGKILL");
    const interrupted = await expectSettled(sandbox, task.id, "interrupted");
    expect(interrupted.error).toContain("grove resume continues it");
    expect(interrupted.pid).toBeNull();
    // The worktree is intact, with the agent's uncommitted work.
    expect(readFileSync(join(task.worktree, "gamma-1.txt"), "utf8")).toBe("started\n");
    expect(git(repo, ["worktree", "list", "--porcelain"])).toContain(task.worktree);
    expect(git(task.worktree, ["rev-parse", "--abbrev-ref", "HEAD"])).toBe(task.branch);

    // Any agent process the killed wrapper left behind. The gate
    // stays closed, so such an agent stays blocked in its bash call and cannot interfere.
    agentsLeftBehind = processesOf(task.worktree).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("agent\0--json");
      } catch {
        return false;
      }
    });

    const resumed = await groveOk(sandbox, ["resume", String(task.id)]);
    expect(resumed).toMatch(new RegExp(`^task ${task.id} resumed \\((running|setting-up)\\)`));
    const done = await expectSettled(sandbox, task.id, "done");
    expect(done.runs).toBe(3); // The cut-short run, its continuation, then the review.
    expect(done.summary).toBe("Continued and finished.");
    expect(git(repo, ["show", `${done.branch}:gamma-1.txt`])).toBe("started");
    expect(git(repo, ["show", `${done.branch}:gamma-2.txt`])).toBe("resumed");
    const started = eventsOf(await taskEvents(sandbox, task.id), "run_started");
    expect(started.map((event) => event.body.resumed)).toEqual([false, true, false]);
  }, 60_000);

  it("leaves no agent process running once the task is marked interrupted", () => {
    // Observed by the test above, right after the task became interrupted.
    expect(agentsLeftBehind).toEqual([]);
  });
});

describe("grove stop on a queued task", () => {
  it("can be resumed after it was stopped before it started", async () => {
    const sandbox = makeSandbox("grove-queued-stop-");
    const repo = await sampleRepo(sandbox, "repo", { test: "node --test", concurrency: 1 });
    const gate = barrier(sandbox, "queued-stop");
    useScript(sandbox, [
      {
        when: { turn: 0, lastUserContains: "blocker" },
        toolCalls: [{ name: "bash", arguments: { command: gate.command } }],
      },
      {
        when: { turn: 0 },
        repeat: true,
        toolCalls: [{ name: "write", arguments: { path: "later.txt", content: "later\n" } }],
      },
      { repeat: true, text: "Done." },
    ]);
    await startDaemonProcess(sandbox);
    const blocker = await createTask(sandbox, { cwd: repo, prompt: "blocker" });
    await gate.waitArrived(1);
    const queued = await createTask(sandbox, { cwd: repo, prompt: "write it later" });
    expect(await groveOk(sandbox, ["stop", String(queued.id)])).toBe(
      `task ${queued.id} stopped (interrupted)\n`,
    );
    expect((await expectSettled(sandbox, queued.id, "interrupted")).error).toBe("stopped before it started");
    gate.release();
    await expectSettled(sandbox, blocker.id, "done");

    const resumed = await grove(sandbox, ["resume", String(queued.id)]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const done = await expectSettled(sandbox, queued.id, "done");
    expect(git(repo, ["show", `${done.branch}:later.txt`])).toBe("later");
  }, 30_000);
});
