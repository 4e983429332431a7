/**
 * Agent slots under `concurrency: 1`. A follow-up asked for while the slot is busy must not start
 * a second agent: the task waits queued. It keeps waiting through a stop and a resume, takes a
 * second reply along, and survives `kill -9` of the daemon; once the slot frees up both replies
 * run as one prompt, in the same session. And a task whose agent ended on a question (the real
 * Claude Code, denied a permission) holds no slot while it waits for the user, and a daemon
 * restart leaves it as it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { claudeBin } from "../cli/spawn-grove.js";
import {
  barrier,
  createTask,
  disposeAll,
  enteredAt,
  eventsOf,
  expectSettled,
  getTask,
  git,
  grove,
  groveOk,
  isAlive,
  makeSandbox,
  readInfo,
  sampleRepo,
  startDaemonProcess,
  taskEvents,
  useScript,
  waitFor,
} from "./harness.js";

afterAll(disposeAll);

describe("a reply while the repository's only slot is busy", () => {
  it("waits queued, through a stop, a resume and a daemon crash, and runs when the slot frees up", async () => {
    const sandbox = makeSandbox("grove-slots-");
    const repo = await sampleRepo(sandbox, "repo", { test: "node --test", concurrency: 1 });
    const hold = barrier(sandbox, "blocker");
    useScript(sandbox, [
      { when: { turn: 0, lastUserContains: "first task" }, text: "First pass." },
      {
        when: { turn: 1, lastUserContains: "second pass" },
        toolCalls: [{ name: "write", arguments: { path: "second.txt", content: "second\n" } }],
      },
      { when: { turn: 2, lastUserContains: "second pass" }, text: "Second pass done." },
      {
        when: { turn: 0, lastUserContains: "blocking task" },
        toolCalls: [{ name: "bash", arguments: { command: hold.command } }],
      },
      { when: { turn: 1, lastUserContains: "blocking task" }, text: "Blocker done." },
    ]);
    const daemon = await startDaemonProcess(sandbox);

    const first = await createTask(sandbox, { cwd: repo, prompt: "The first task" });
    const firstDone = await expectSettled(sandbox, first.id, "done");
    expect(firstDone.summary).toBe("First pass.");
    const replyRun = firstDone.runs + 1;
    const blocker = await createTask(sandbox, { cwd: repo, prompt: "The blocking task" });
    await hold.waitArrived(1);
    expect((await getTask(sandbox, blocker.id)).state).toBe("running");

    const replied = await groveOk(sandbox, ["reply", String(first.id), "Now a second pass, please."]);
    expect(replied).toBe(
      `task ${first.id} is queued: its repository's agent slots are all busy, and the reply runs when one frees up\n`,
    );
    const queued = await getTask(sandbox, first.id);
    expect(queued).toMatchObject({ state: "queued", runs: firstDone.runs, pid: null });
    expect(await groveOk(sandbox, ["logs", String(first.id)])).toMatch(
      /reply: Now a second pass, please\.\n\S+ done → queued\n\S+ waiting for an agent slot \(the repository runs at most 1 at once\)\n$/,
    );
    expect(eventsOf(await taskEvents(sandbox, first.id), "run_queued").map((event) => event.body)).toEqual([
      { run: replyRun, concurrency: 1 },
    ]);

    // Stopped while it waits, it keeps its reply; resumed, it waits again (no new prompt).
    await groveOk(sandbox, ["stop", String(first.id)]);
    expect(await getTask(sandbox, first.id)).toMatchObject({
      state: "interrupted",
      error: "stopped while waiting for an agent slot; grove resume queues the run again",
    });
    expect(await groveOk(sandbox, ["resume", String(first.id)])).toBe(`task ${first.id} resumed (queued)\n`);
    // Stopped again and replied to: both replies wait, to go out as one prompt.
    await groveOk(sandbox, ["stop", String(first.id)]);
    expect(await groveOk(sandbox, ["reply", String(first.id), "Keep it short."])).toContain("is queued");

    // The daemon dies; the next command starts a new one, which still knows the waiting run.
    daemon.child.kill("SIGKILL");
    await waitFor(() => !isAlive(daemon.pid), 5_000, "the daemon to die");
    expect((await grove(sandbox, ["ls"])).code).toBe(0);
    expect(readInfo(sandbox.home)?.pid).not.toBe(daemon.pid);
    expect((await getTask(sandbox, first.id)).state).toBe("queued");
    expect((await getTask(sandbox, blocker.id)).state).toBe("running");

    hold.release();
    const finished = await expectSettled(sandbox, first.id, "done");
    expect(finished.summary).toBe("Second pass done.");
    expect(git(repo, ["show", `${first.branch}:second.txt`])).toBe("second");
    const blockerDone = await expectSettled(sandbox, blocker.id, "done");

    // Never two agents at once: the reply's run started only after the blocker had finished.
    const events = await taskEvents(sandbox, first.id);
    const secondRun = eventsOf(events, "run_started").find((event) => event.body.run === replyRun)!;
    expect(secondRun.body).toMatchObject({ resumed: true });
    const spec = JSON.parse(readFileSync(join(finished.taskDir, `spec-${replyRun}.json`), "utf8"));
    expect(spec.prompt).toBe("Now a second pass, please.\n\nKeep it short.");
    const blockerFinished = enteredAt(await taskEvents(sandbox, blockerDone.id), "done")!;
    expect(secondRun.ts >= blockerFinished).toBe(true);
  }, 90_000);
});

describe("a task waiting on the user", () => {
  it("holds no slot, and a daemon restart leaves it waiting without finishing its run again", async () => {
    const sandbox = makeSandbox("grove-slots-wait-");
    sandbox.env.GROVE_CLAUDE_BIN = claudeBin;
    const repo = await sampleRepo(sandbox, "repo", {
      test: "node --test",
      concurrency: 1,
      claude: { permissionMode: "default" },
    });
    await startDaemonProcess(sandbox);

    // Headless Claude Code may not write without permission: its run ends on a question.
    const asking = await grove(
      sandbox,
      [
        "run",
        "--kind",
        "research",
        "--agent",
        "claude",
        "--model",
        "demo",
        "Leave a note for the grove demo",
      ],
      { cwd: repo },
    );
    const askingId = Number(asking.stdout.split("\n")[0]);
    await expectSettled(sandbox, askingId, "waiting-for-input");
    // The state comes with the question, while the agent is still running; then its run ends.
    await waitFor(async () => (await getTask(sandbox, askingId)).pid === null, 60_000, "the run to end");
    const waiting = await getTask(sandbox, askingId);
    expect(waiting.state).toBe("waiting-for-input");
    expect(eventsOf(await taskEvents(sandbox, askingId), "question")).toHaveLength(1);

    // The only slot is free: another task runs to its end meanwhile.
    const other = await createTask(sandbox, {
      cwd: repo,
      prompt: "Explain greet()",
      kind: "explain",
      model: "demo",
    });
    await expectSettled(sandbox, other.id, "archived");
    expect((await getTask(sandbox, askingId)).state).toBe("waiting-for-input");

    await groveOk(sandbox, ["daemon", "stop"]);
    expect((await grove(sandbox, ["ls"])).code).toBe(0); // Starts the next daemon, which recovers.
    const after = await getTask(sandbox, askingId);
    expect(after).toMatchObject({ state: "waiting-for-input", runs: waiting.runs });
    expect(eventsOf(await taskEvents(sandbox, askingId), "run_finished")).toHaveLength(1);
  }, 120_000);
});
