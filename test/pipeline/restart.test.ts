/**
 * Durable pipeline state. `grove daemon stop` three times during one feature pipeline — while it
 * waits at the spec gate, while chunk 1's implementer run is in flight (it finishes after the
 * restart), and while chunk 1's review is in flight (it finishes while no daemon runs): each new
 * daemon picks the pipeline up where it stopped, no step runs twice, and the task ends done.
 * A failed step stays failed until `grove resume` runs that step again. And a daemon killed
 * between a finished run and the step it leads to must still go on after the restart.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  barrier,
  disposeAll,
  eventsOf,
  getTask,
  git,
  grove,
  groveOk,
  isAlive,
  makeSandbox,
  readInfo,
  type Sandbox,
  taskEvents,
  waitFor,
} from "../orchestrator/harness.js";
import { APPROVED, featureScripts, IDEA } from "./feature-scripts.js";
import {
  bash,
  branchCommits,
  inboxJson,
  pipelineRepo,
  pipelineView,
  ROLE_MODELS,
  replaceRoleScript,
  reply,
  runsOf,
  settle,
  startPlan,
  step,
  stepTrail,
  useRoleScripts,
  waitForPipeline,
  write,
} from "./pipeline-harness.js";

afterEach(disposeAll);

/** `grove daemon stop`; returns the stopped daemon's pid once it is gone. */
async function stopDaemon(sandbox: Sandbox): Promise<number> {
  const pid = readInfo(sandbox.home)!.pid;
  expect(await groveOk(sandbox, ["daemon", "stop"])).toBe(`grove daemon (pid ${pid}) stopped\n`);
  await waitFor(() => gone(pid), 10_000, "the daemon to exit");
  expect((await grove(sandbox, ["daemon", "status"])).code).toBe(1);
  return pid;
}

/** Waits for an agent at the barrier; fails at once, with the task's state, if the task settles instead. */
async function waitAtBarrier(sandbox: Sandbox, id: number, hold: { arrived(): number }): Promise<void> {
  await waitFor(
    async () => {
      if (hold.arrived() > 0) return true;
      const task = await getTask(sandbox, id);
      if (["queued", "setting-up", "running"].includes(task.state)) return false;
      await settle(sandbox, id, "running"); // Throws with the task's log.
      return false;
    },
    60_000,
    "the implementer at the barrier",
    100,
  );
}

/** Whether `pid` is gone for good: not even a zombie (a new daemon takes a zombie for a live one). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Any command starts the next daemon; its log is in the error when it does not come up. */
async function startNextDaemon(sandbox: Sandbox): Promise<number> {
  const result = await grove(sandbox, ["ls"]);
  if (result.code !== 0) {
    const log = join(sandbox.home, "logs", "daemon.log");
    const text = existsSync(log) ? readFileSync(log, "utf8").slice(-4_000) : "(no daemon.log)";
    throw new Error(`grove ls exited ${result.code}: ${result.stderr}\ndaemon.log: ${text}`);
  }
  return readInfo(sandbox.home)!.pid;
}

describe("a daemon restart in the middle of the pipeline", () => {
  it("resumes at the stage where it stopped, without repeating a step", async () => {
    const sandbox = makeSandbox("grove-pipeline-restart-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 1 });
    const hold = barrier(sandbox, "chunk-1");
    useRoleScripts(
      sandbox,
      featureScripts({ chunk1Review: "approve", implementerHold: hold.command, reviewDelayMs: 8_000 }),
    );
    const id = await startPlan(sandbox, repo, IDEA);
    const daemons = [readInfo(sandbox.home)!.pid];

    // 1. At the spec gate: the gate survives the restart and is approved on the new daemon.
    await waitForPipeline(
      sandbox,
      id,
      (view, task) => view.pipeline?.gate?.about === "spec" && task.state === "waiting-for-input",
      "the spec gate",
    );
    await stopDaemon(sandbox);
    const [gate] = await inboxJson(sandbox); // Starts the next daemon.
    daemons.push(readInfo(sandbox.home)!.pid);
    expect(gate).toMatchObject({ taskId: id, kind: "gate", stage: "spec", resolvedAt: null });
    expect((await getTask(sandbox, id)).state).toBe("waiting-for-input");
    await groveOk(sandbox, ["approve", String(gate!.id)]);

    // 2. Chunk 1's implementer is held at the barrier; its agent outlives the daemon.
    await waitAtBarrier(sandbox, id, hold);
    const running = await getTask(sandbox, id);
    expect(running.state).toBe("running");
    expect((await pipelineView(sandbox, id)).pipeline).toMatchObject({
      step: "implement",
      chunk: 0,
      chunks: 2,
    });
    const implementRun = running.runs;
    await stopDaemon(sandbox);
    expect(isAlive(running.pid!)).toBe(true);
    daemons.push(await startNextDaemon(sandbox)); // It re-attaches to the run.
    hold.release();

    // 3. Chunk 1's review is slow; it ends while no daemon runs, and the next daemon reads its exit.
    await waitForPipeline(
      sandbox,
      id,
      (view, task) => view.pipeline?.step === "review" && task.state === "running",
      "chunk 1's review",
    );
    const reviewRun = (await getTask(sandbox, id)).runs;
    expect(reviewRun).toBe(implementRun + 1);
    await stopDaemon(sandbox);
    const exitFile = join(running.taskDir, `run-${reviewRun}.exit.json`);
    expect(existsSync(exitFile)).toBe(false);
    await waitFor(() => existsSync(exitFile), 30_000, "the review run to finish with no daemon");
    daemons.push(await startNextDaemon(sandbox));
    expect(new Set(daemons).size).toBe(4);

    const task = await settle(sandbox, id, "done");
    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/2",
      "review 1/2 r1",
      "implement 2/2",
      "review 2/2 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    // One run per step, each finished once; the implementer's run was followed again, not restarted.
    expect(runsOf(task).map((run) => run.step)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement",
      "review",
      "implement",
      "review",
      "final-review",
    ]);
    expect(eventsOf(events, "run_finished").map((event) => event.body.run)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(eventsOf(events, "reattached")).toHaveLength(1);
    expect(eventsOf(events, "pipeline_retry")).toEqual([]);
    expect(eventsOf(events, "inbox_opened")).toHaveLength(1);
    expect(eventsOf(events, "state_changed").map((event) => event.body.to)).not.toContain("interrupted");

    expect(branchCommits(repo, task).map((commit) => commit.subject)).toEqual([
      `Design: ${IDEA}`,
      `Plan: ${IDEA}`,
      "farewell() says goodbye by name",
      "farewell() without a name says goodbye to a friend",
    ]);
    expect(git(repo, ["show", `${task.branch}:test/farewell.test.js`])).toContain("says goodbye to a friend");
    expect(git(task.worktree, ["status", "--porcelain"])).toBe("");
  }, 240_000);

  it("leaves a failed step failed, and grove resume runs that step again", async () => {
    const sandbox = makeSandbox("grove-pipeline-retry-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 2 });
    const scripts = featureScripts({ chunk1Review: "approve" });
    // The reviewer's provider refuses every request (a 400 is not retried).
    const down = { repeat: true, status: 400, error: "the reviewer's provider is down" };
    useRoleScripts(sandbox, { ...scripts, reviewer: [down] });
    const id = await startPlan(sandbox, repo, "--auto", IDEA);

    const failed = await settle(sandbox, id, "failed");
    expect(failed.error).toMatch(/^review step: .*; grove resume \d+ retries it$/);
    expect((await pipelineView(sandbox, id)).pipeline).toMatchObject({ step: "review", round: 1 });

    // The provider is fixed; resume runs the review again, in the same round, and the rest follows.
    replaceRoleScript(sandbox, "reviewer", scripts.reviewer);
    expect(await groveOk(sandbox, ["resume", String(id)])).toMatch(
      new RegExp(`^task ${id} resumed \\(running\\)`),
    );
    const task = await settle(sandbox, id, "done");
    const events = await taskEvents(sandbox, id);
    expect(eventsOf(events, "pipeline_retry").map((event) => event.body)).toEqual([{ step: "review" }]);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/1",
      "review 1/1 r1",
      "review 1/1 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    const runs = runsOf(task);
    expect(runs.map((run) => run.step)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement",
      "review",
      "review",
      "final-review",
    ]);
    // The failed review's session goes on (read-only, as before) with a reminder to finish.
    expect(runs[4]!.resumeSessionId).toBeUndefined();
    expect(runs[5]).toMatchObject({ readOnly: true, model: ROLE_MODELS.reviewer });
    expect(runs[5]!.resumeSessionId).toBeDefined();
    expect(runs[5]!.prompt).toBe(
      "(grove step: review)\nYou were interrupted. Continue the task where you left off, and end your answer in the format you were asked for.",
    );
    // The failed run gave no verdict; the retried review and the final review did.
    expect(
      eventsOf(events, "review_finished").map((event) => [event.body.verdict, event.body.final ?? false]),
    ).toEqual([
      ["APPROVED", false],
      ["APPROVED", true],
    ]);
    expect(branchCommits(repo, task).map((commit) => commit.subject)).toEqual([
      `Design: ${IDEA}`,
      `Plan: ${IDEA}`,
      "farewell() says goodbye by name (plan tasks 1-2)",
    ]);
  }, 180_000);

  it("goes on after a restart between a finished run and the step it leads to", async () => {
    // The daemon records a run as handled, then reads the repository's config before it starts
    // the next step. A FIFO in place of .grove/config.json holds it right there while it is killed.
    const sandbox = makeSandbox("grove-pipeline-handoff-");
    const repo = await pipelineRepo(sandbox);
    const hold = barrier(sandbox, "handoff");
    useRoleScripts(sandbox, {
      architect: [],
      implementer: [
        reply(step("implement", { turn: 0 }), { text: "Working.", toolCalls: [bash(hold.command)] }),
        reply(step("implement", { turn: 1 }), {
          text: "Writing it.",
          toolCalls: [
            write("src/farewell.js", 'export const farewell = (name) => "Goodbye, " + name + "!";\n'),
          ],
        }),
        reply(step("implement", { turn: 2 }), { text: "farewell() is there.\n\nSTATUS: DONE" }),
      ],
      reviewer: [reply(step("review"), { text: `It does what was asked.\n\n${APPROVED}` })],
    });
    const id = Number((await groveOk(sandbox, ["run", "Add farewell(name)"], { cwd: repo })).trim());
    await waitAtBarrier(sandbox, id, hold);

    const config = join(repo, ".grove", "config.json");
    renameSync(config, `${config}.saved`);
    execFileSync("mkfifo", [config]);
    const daemon = readInfo(sandbox.home)!.pid;
    hold.release();
    // The run finished and was handled; the daemon now waits on the FIFO, before the review.
    await waitFor(
      () => waitsOnFifo(daemon),
      30_000,
      "the daemon to read the config after the implementer's run",
    );
    expect(eventsOf(await taskEvents(sandbox, id), "run_finished")).toHaveLength(1);
    process.kill(daemon, "SIGKILL");
    await waitFor(() => gone(daemon), 10_000, "the daemon to die");
    rmSync(config);
    renameSync(`${config}.saved`, config);

    await startNextDaemon(sandbox);
    const task = await settle(sandbox, id, "done", 30_000).catch(async (error: Error) => {
      const { pipeline } = await pipelineView(sandbox, id);
      const { step: at, run, handledRun } = pipeline!;
      throw new Error(`${error.message}\npipeline at "${at}", run ${run}, handledRun ${handledRun}`);
    });
    expect(stepTrail(await taskEvents(sandbox, id))).toEqual(["implement 1/1", "review 1/1 r1", "ready"]);
    expect(runsOf(task).map((run) => run.step)).toEqual(["implement", "review"]);
  }, 120_000);
});

/** Whether a thread of process `pid` is blocked opening a FIFO that has no writer. */
function waitsOnFifo(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((thread) => {
      try {
        return readFileSync(`/proc/${pid}/task/${thread}/wchan`, "utf8") === "wait_for_partner";
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
