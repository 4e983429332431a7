/**
 * The agent wrapper as a real process (`node dist/cli/main.js _run-agent <spec>`), on grove's
 * built-in agent and scripted models, in real git worktrees. Needs `npm run build` first.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  cleanEnv,
  groveMain,
  killAllChildren,
  repoRoot,
  runGrove,
} from "../../../test/cli/spawn-grove.js";
import { createSampleRepo } from "../../node/sample-repo.js";
import { type AgentEvent, isKnownAgentEvent, parseAgentEvent } from "../../protocol/agent-events.js";
import type { ScriptReply } from "../../router/script/script-schema.js";
import { type RunExit, type RunnerSpec, runFiles, writeRunnerSpec } from "./spec.js";

let root: string;
let gitConfig: string;
let count = 0;

beforeAll(() => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), "grove-runner-test-"));
  gitConfig = join(root, "gitconfig");
  writeFileSync(gitConfig, "");
});
afterEach(() => killAllChildren());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A sample repository with a task worktree on its own branch, a task dir and a GROVE_HOME. */
async function makeTask() {
  count += 1;
  const base = join(root, `task-${count}`);
  const repo = join(base, "repo");
  const worktree = join(base, "worktree");
  const taskDir = join(base, "task");
  const groveHome = join(base, "grove-home");
  mkdirSync(taskDir, { recursive: true });
  mkdirSync(groveHome, { recursive: true });
  await createSampleRepo(repo);
  execFileSync("git", ["worktree", "add", "-q", "-b", `grove/task-${count}`, worktree], { cwd: repo });
  return { repo, worktree, taskDir, groveHome };
}

/** The wrapper's environment: no developer keys or GROVE_* state, and no personal git config. */
function wrapperEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({ GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1", ...extra });
}

function readEvents(taskDir: string): AgentEvent[] {
  const path = runFiles(taskDir, 1).events;
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const event = parseAgentEvent(line);
      expect(event, line).toBeDefined();
      return event!;
    })
    .filter(isKnownAgentEvent);
}

const readExit = (taskDir: string) => JSON.parse(readFileSync(runFiles(taskDir, 1).exit, "utf8")) as RunExit;
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

describe("the agent wrapper with grove's built-in agent", () => {
  it("runs the demo fix, writes the events and the exit record, and commits the work", async () => {
    const task = await makeTask();
    const spec: RunnerSpec = {
      taskId: "41",
      agent: "builtin",
      prompt: "Make greet() greet the world when no name is given",
      cwd: task.worktree,
      taskDir: task.taskDir,
      model: "demo",
      commitMessage: "grove: task 41\n\nMake greet() greet the world",
      groveHome: task.groveHome,
    };
    const specPath = writeRunnerSpec(spec, 1);
    const result = await runGrove(["_run-agent", specPath], { env: wrapperEnv(), timeoutMs: 60_000 });
    const why = `exit ${result.code}\n${result.stderr}\n${readIfExists(runFiles(task.taskDir, 1).stderr)}`;
    expect(result.code, why).toBe(0);

    const events = readEvents(task.taskDir);
    expect(events[0]).toMatchObject({ type: "session_started", agent: "builtin", model: "demo" });
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "success", turns: 4 });
    const session = events[0]!.session;
    expect(session).toMatch(/^ses_/);
    for (const event of events) expect(event.session).toBe(session);
    expect(events.filter((event) => event.type === "tool_call_started").map((event) => event.name)).toEqual([
      "read",
      "edit",
      "edit",
      "bash",
    ]);

    const exit = readExit(task.taskDir);
    expect(exit).toMatchObject({ exitCode: 0, signal: null, status: "success", sessionId: session });
    expect(exit.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isNaN(Date.parse(exit.finishedAt))).toBe(false);
    expect(Number(readFileSync(runFiles(task.taskDir, 1).pid, "utf8"))).toBeGreaterThan(0);

    // The branch holds the work as a commit by grove; the worktree is clean.
    expect(git(task.worktree, "rev-parse", "HEAD")).toBe(exit.commit);
    expect(git(task.repo, "rev-parse", `grove/task-${count}`)).toBe(exit.commit);
    expect(git(task.worktree, "log", "-1", "--format=%an <%ae>%n%B")).toBe(
      "grove <grove@localhost>\ngrove: task 41\n\nMake greet() greet the world",
    );
    expect(git(task.worktree, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([
      "src/greet.js",
      "test/greet.test.js",
    ]);
    expect(git(task.worktree, "show", "HEAD:src/greet.js")).toContain('name ?? "world"');
    expect(git(task.worktree, "status", "--porcelain")).toBe("");
    // The main checkout is untouched.
    expect(readFileSync(join(task.repo, "src/greet.js"), "utf8")).not.toContain("world");
  });

  it("ends with aborted on SIGTERM while a slow step runs, and leaves no process behind", async () => {
    const task = await makeTask();
    const marker = `grove-runner-test-${process.pid}-${Date.now()}`;
    const replies: ScriptReply[] = [
      {
        when: { turn: 0 },
        toolCalls: [
          { name: "bash", arguments: { command: `node -e "setTimeout(() => {}, 60000)" ${marker}` } },
        ],
      },
      { text: "never reached", chunkDelayMs: 200, chunkSize: 2 },
    ];
    writeFileSync(
      join(task.groveHome, "router.json"),
      JSON.stringify({ providers: { s: { type: "script", script: { replies } } }, routes: { default: "s" } }),
    );
    const specPath = writeRunnerSpec(
      {
        taskId: "42",
        agent: "builtin",
        prompt: `run a slow command (${marker})`,
        cwd: task.worktree,
        taskDir: task.taskDir,
        model: "s",
        commitMessage: "grove: task 42",
        groveHome: task.groveHome,
      },
      1,
    );
    const wrapper = spawn(process.execPath, [groveMain, "_run-agent", specPath], {
      cwd: repoRoot,
      env: wrapperEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => wrapper.once("exit", (code) => resolve(code)));
    try {
      // The agent (its prompt holds the marker) and the slow command (its argv does) both run.
      await waitFor(
        () =>
          readEvents(task.taskDir).some((event) => event.type === "tool_call_started") &&
          processesMatching(marker) >= 2,
      );
      expect(processesMatching(marker)).toBeGreaterThanOrEqual(2);
      wrapper.kill("SIGTERM");
      expect(await exited).toBe(1);
    } finally {
      if (wrapper.exitCode === null) wrapper.kill("SIGKILL");
    }

    const events = readEvents(task.taskDir);
    const finished = events.filter((event) => event.type === "session_finished");
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ status: "aborted" });
    expect(readExit(task.taskDir)).toMatchObject({ status: "aborted" });
    expect(readExit(task.taskDir).commit).toBeUndefined();
    await waitFor(() => processesMatching(marker) === 0);
    expect(processesMatching(marker)).toBe(0);
  });
});

describe("the agent wrapper when an agent cannot run", () => {
  it("reports a missing codex binary with how to install it", async () => {
    const task = await makeTask();
    const specPath = writeRunnerSpec(
      {
        taskId: "43",
        agent: "codex",
        prompt: "anything",
        cwd: task.worktree,
        taskDir: task.taskDir,
        commitMessage: "grove: task 43",
        groveHome: task.groveHome,
      },
      1,
    );
    // An empty PATH directory, so only grove's own node_modules/.bin is left to search.
    const emptyBin = join(root, "empty-bin");
    mkdirSync(emptyBin, { recursive: true });
    const bundled = existsSync(join(repoRoot, "node_modules", ".bin", "codex"));
    const env = bundled
      ? wrapperEnv({ GROVE_CODEX_BIN: join(emptyBin, "codex") })
      : wrapperEnv({ PATH: emptyBin });
    const result = await runGrove(["_run-agent", specPath], { env });
    expect(result.code).toBe(1);

    const events = readEvents(task.taskDir);
    expect(events.map((event) => event.type)).toEqual(["error", "session_finished"]);
    expect(events[0]).toMatchObject({ type: "error", fatal: true, session: "43" });
    const message = events[0]?.type === "error" ? events[0].message : "";
    expect(message).toContain("Codex");
    expect(message).toContain("npm install -g @openai/codex@0.171.0");
    expect(events[1]).toMatchObject({ type: "session_finished", status: "error", summary: message });
    expect(readExit(task.taskDir)).toMatchObject({ exitCode: null, signal: null, status: "error" });
    expect(readExit(task.taskDir).commit).toBeUndefined();
  });

  it("records a crash when the agent dies without finishing its session", async () => {
    const task = await makeTask();
    const fake = join(task.taskDir, "..", "fake-claude.sh");
    const init = JSON.stringify({
      type: "system",
      subtype: "init",
      session_id: "fake-session",
      model: "m",
      cwd: "/",
    });
    writeFileSync(fake, `#!/bin/sh\necho '${init}'\necho 'something broke' >&2\nexit 3\n`, { mode: 0o755 });
    const specPath = writeRunnerSpec(
      {
        taskId: "45",
        agent: "claude",
        prompt: "anything",
        cwd: task.worktree,
        taskDir: task.taskDir,
        model: "demo",
        commitMessage: "grove: task 45",
        groveHome: task.groveHome,
      },
      1,
    );
    const result = await runGrove(["_run-agent", specPath], { env: wrapperEnv({ GROVE_CLAUDE_BIN: fake }) });
    expect(result.code).toBe(1);
    const events = readEvents(task.taskDir);
    expect(events.map((event) => event.type)).toEqual(["session_started", "error", "session_finished"]);
    for (const event of events) expect(event.session).toBe("fake-session");
    expect(events[2]).toMatchObject({
      status: "error",
      summary: expect.stringContaining("exited with code 3"),
    });
    expect(readExit(task.taskDir)).toMatchObject({
      exitCode: 3,
      status: "crashed",
      sessionId: "fake-session",
    });
    expect(readFileSync(runFiles(task.taskDir, 1).stderr, "utf8")).toContain("something broke");
  });

  it("reports a spec it cannot read beside the spec", async () => {
    const task = await makeTask();
    const specPath = join(task.taskDir, "spec-1.json");
    writeFileSync(specPath, JSON.stringify({ taskId: "44", agent: "nope" }));
    const result = await runGrove(["_run-agent", specPath], { env: wrapperEnv() });
    expect(result.code).toBe(1);
    expect(readEvents(task.taskDir)).toMatchObject([{ type: "error", fatal: true }]);
    expect(readExit(task.taskDir)).toMatchObject({ status: "error" });
  });
});

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

function processesMatching(marker: string): number {
  try {
    return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim().split("\n").filter(Boolean)
      .length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches.
  }
}

async function waitFor(condition: () => boolean, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}
