/**
 * The task CLI as a user meets it: the built `grove` against a real daemon, agents on a
 * scripted model. Agents that must still be running at some point wait at a barrier.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcMode, SINGLE_THREADED_GC } from "../../src/node/gc-mode.js";
import { groveMain } from "../cli/spawn-grove.js";
import {
  barrier,
  disposeAll,
  eventsOf,
  expectSettled,
  getTask,
  grove,
  groveOk,
  isAlive,
  makeSandbox,
  readInfo,
  type Sandbox,
  type StoredEvent,
  sampleRepo,
  startDaemonProcess,
  type Task,
  taskEvents,
  useScript,
  waitFor,
  waitForTask,
} from "./harness.js";

let sandbox: Sandbox;
let repo: string;
const gates = {} as Record<"stop" | "follow" | "survive", ReturnType<typeof barrier>>;

beforeAll(async () => {
  sandbox = makeSandbox("grove-cli-");
  repo = await sampleRepo(sandbox);
  for (const name of ["stop", "follow", "survive"] as const) gates[name] = barrier(sandbox, name);
  useScript(sandbox, [
    ...(["stop", "follow", "survive"] as const).map((name) => ({
      when: { turn: 0, lastUserContains: `hold for ${name}` },
      repeat: true,
      toolCalls: [{ name: "bash", arguments: { command: gates[name].command } }],
    })),
    {
      when: { turn: 0, lastUserContains: "write ok" },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: "ok.txt", content: "ok\n" } }],
    },
    { when: { turn: 1, lastUserContains: "write ok" }, repeat: true, text: "Wrote ok.txt as asked." },
    { when: { lastUserContains: "please fail" }, repeat: true, status: 400, error: "scripted refusal" },
    {
      when: { lastUserContains: "follow-up", anyMessageContains: "Wrote ok.txt as asked" },
      repeat: true,
      text: "I remember writing ok.txt.",
    },
    { repeat: true, text: "Released." },
  ]);
  await startDaemonProcess(sandbox);
});
afterAll(disposeAll);

const run = (args: string[]) => grove(sandbox, ["run", "--model", "s", ...args], { cwd: repo });

let okTask: Task;

describe("grove run", () => {
  it("prints the id at once, while the agent still runs; grove stop interrupts it", async () => {
    const result = await run(["hold for stop"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\n$/);
    const id = Number(result.stdout);
    expect(result.stderr).toBe(
      `task ${id} queued on grove/hold-for-stop: grove logs -f ${id}, grove show ${id}\n`,
    );
    // The agent cannot finish before the gate opens, and the gate stays closed.
    await gates.stop.waitArrived(1);
    expect((await getTask(sandbox, id)).state).toBe("running");

    expect(await groveOk(sandbox, ["stop", String(id)])).toBe(`task ${id} is stopping (running)\n`);
    const stopped = await expectSettled(sandbox, id, "interrupted");
    expect(stopped.error).toBe("stopped before finishing; grove resume continues it");
    expect(eventsOf(await taskEvents(sandbox, id), "stop_requested")).toHaveLength(1);
  });

  it("--wait exits 0 when the task is done and non-zero when it failed", async () => {
    const ok = await run(["--wait", "Please write ok.txt"]);
    expect(ok.code).toBe(0);
    const id = Number(ok.stdout.split("\n")[0]);
    expect(ok.stdout).toContain("→ write");
    expect(ok.stdout.trimEnd().split("\n").at(-1)).toBe(`task ${id}: done`);
    okTask = await getTask(sandbox, id);
    expect(okTask.state).toBe("done");

    const failed = await run(["--wait", "please fail now"]);
    expect(failed.code).toBe(1);
    const failedId = Number(failed.stdout.split("\n")[0]);
    expect(failed.stdout).toContain(`task ${failedId}: failed`);
    expect(failed.stdout).toContain("scripted refusal");
    expect((await getTask(sandbox, failedId)).state).toBe("failed");
  });
});

describe("reading tasks", () => {
  it("ls --json and show --json", async () => {
    const [listJson, table, showJson, showText] = await Promise.all([
      groveOk(sandbox, ["ls", "--json"]),
      groveOk(sandbox, ["ls"]),
      groveOk(sandbox, ["show", "--json", String(okTask.id)]),
      groveOk(sandbox, ["show", String(okTask.id)]),
    ]);
    const listed = JSON.parse(listJson) as Task[];
    expect(listed.map((task) => task.state)).toEqual(["interrupted", "done", "failed"]);
    expect(table.split("\n")[0]).toMatch(/^\s+ID\s+STATE\s+AGENT\/MODEL\s+BRANCH\s+SUMMARY$/);
    expect(table).toContain("builtin/s");

    const shown = JSON.parse(showJson) as Task;
    expect(shown).toMatchObject({
      id: okTask.id,
      state: "done",
      branch: okTask.branch,
      worktree: okTask.worktree,
      summary: "Wrote ok.txt as asked.",
      runs: 2, // The agent's run and its architect review.
    });
    expect(showText).toMatch(/^task\s+\d+\nstate\s+done\n/);
  });

  it("logs (readable and --json), diff --stat and path", async () => {
    const id = String(okTask.id);
    const [log, json, stat, diff, pathOut] = (await Promise.all(
      [
        ["logs", id],
        ["logs", "--json", id],
        ["diff", "--stat", id],
        ["diff", id],
        ["path", id],
      ].map((args) => groveOk(sandbox, args)),
    )) as [string, string, string, string, string];
    expect(log).toMatch(/created: builtin on grove\/please-write-ok\.txt from main/);
    expect(log).toContain("queued → setting-up");
    expect(log).toContain("run 1 started");
    expect(log).toContain('→ write {"path":"ok.txt"');
    expect(log).toContain("agent finished: success");
    expect(log).toContain("running → done");

    const lines = json.trim().split("\n");
    const events = lines.map((line) => JSON.parse(line) as StoredEvent);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]).toMatchObject({ taskId: okTask.id, type: "task_created" });
    expect(events.map((event) => event.type)).toContain("session_finished");

    expect(stat).toContain("ok.txt");
    expect(stat).toMatch(/1 file changed, 1 insertion/);
    expect(diff).toContain("+ok");

    const path = pathOut.trim();
    expect(path).toBe(okTask.worktree);
    expect(readFileSync(join(path, "ok.txt"), "utf8")).toBe("ok\n");
  });

  it("logs -f follows a running task and ends when it finishes", async () => {
    const id = Number((await run(["hold for follow"])).stdout);
    await gates.follow.waitArrived(1);
    const child = spawn(process.execPath, [groveMain, "logs", "-f", String(id)], {
      cwd: repo,
      env: sandbox.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    try {
      // It has replayed the log so far; the task cannot end before the gate opens.
      await waitFor(() => stdout.includes("→ bash"), 15_000, "logs -f to print the bash call");
      expect(child.exitCode).toBeNull();
      expect(stdout).not.toContain("→ done");
      gates.follow.release();
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    expect(stdout).toContain("agent finished: success");
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/running → done$/);
    expect((await getTask(sandbox, id)).state).toBe("done");
  });
});

describe("grove reply", () => {
  it("runs the agent again in the same session on a done task", async () => {
    const before = await getTask(sandbox, okTask.id);
    const out = await groveOk(sandbox, [
      "reply",
      "--wait",
      String(okTask.id),
      "A follow-up: what did you do?",
    ]);
    expect(out.split("\n")[0]).toBe(`task ${okTask.id} is running again`);
    expect(out.trimEnd().split("\n").at(-1)).toBe(`task ${okTask.id}: done`);
    const after = await getTask(sandbox, okTask.id);
    // Run 3, after the first run and its review, continues the implementer's session.
    expect(after).toMatchObject({ state: "done", runs: 3, summary: "I remember writing ok.txt." });
    expect(after.sessionId).toBe(before.sessionId);
    const events = await taskEvents(sandbox, okTask.id);
    expect(eventsOf(events, "run_started").map((event) => event.body.resumed)).toEqual([false, false, true]);
    expect(eventsOf(events, "reply")[0]?.body.message).toBe("A follow-up: what did you do?");
    const sessions = eventsOf(events, "session_started");
    expect(sessions.at(-1)?.body).toMatchObject({ resumed: true });
  });
});

describe("errors", () => {
  it("an unknown task id is a clear error with a non-zero exit code", async () => {
    const commands = [
      ["show", "9999"],
      ["logs", "9999"],
      ["land", "9999"],
      ["stop", "no-such-task"],
    ];
    const results = await Promise.all(commands.map((command) => grove(sandbox, command)));
    for (const [index, result] of results.entries()) {
      const command = commands[index]!;
      expect(result.code, command.join(" ")).toBe(4);
      expect(result.stderr).toBe(`grove: no task "${command[1]}" (see grove ls)\n`);
      expect(result.stdout).toBe("");
    }
    const notRunning = await grove(sandbox, ["stop", String(okTask.id)]);
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toBe(`grove: task ${okTask.id} is done, not running\n`);
  });
});

describe("grove daemon", () => {
  it("status and stop; agents keep running after stop and the next command picks them up", async () => {
    const id = Number((await run(["hold for survive"])).stdout);
    await gates.survive.waitArrived(1);
    const task = await waitForTask(sandbox, id, (current) => current.state === "running");
    const info = readInfo(sandbox.home)!;
    // The agent's wrapper gets grove's node flags from the daemon (src/node/gc-mode.ts).
    expect(hasGroveGcFlag(task.pid!)).toBe(gcMode(sandbox.env) === "single");

    const status = await groveOk(sandbox, ["daemon", "status"]);
    expect(status).toMatch(
      new RegExp(
        `^grove daemon running on ${info.url}, pid ${info.pid}, since \\S+ \\(GROVE_HOME ${sandbox.home}\\)\n$`,
      ),
    );
    expect(await groveOk(sandbox, ["daemon", "stop"])).toBe(`grove daemon (pid ${info.pid}) stopped\n`);
    const stopped = await grove(sandbox, ["daemon", "status"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toBe(`grove daemon is not running (GROVE_HOME ${sandbox.home})\n`);
    await waitFor(() => !isAlive(info.pid), 5_000, "the daemon process to exit");

    // The agent outlives the daemon and finishes on its own.
    expect(isAlive(task.pid!)).toBe(true);
    gates.survive.release();
    await waitFor(() => existsSync(join(task.taskDir, "run-1.exit.json")), 30_000, "the run to finish");
    // Any command starts a new daemon, which reads the finished run.
    const shown = JSON.parse(await groveOk(sandbox, ["show", "--json", String(id)])) as Task;
    expect(shown.id).toBe(id);
    const restarted = readInfo(sandbox.home)!.pid;
    expect(restarted).not.toBe(info.pid);
    // A daemon started by a command gets them too.
    expect(hasGroveGcFlag(restarted)).toBe(gcMode(sandbox.env) === "single");
    const done = await expectSettled(sandbox, id, "done");
    expect(done.summary).toBe("Released.");
    expect(await grove(sandbox, ["daemon", "stop"])).toMatchObject({ code: 0 });
    expect(await groveOk(sandbox, ["daemon", "stop"])).toBe("grove daemon is not running\n");
  }, 60_000);
});

function hasGroveGcFlag(pid: number): boolean {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(SINGLE_THREADED_GC);
}
