/**
 * The agent wrapper running the real Claude Code CLI (the 2.1.197 devDependency) against the
 * grove router it serves itself, on the scripted demo model: no key, no network. Needs
 * `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  claudeBin,
  cleanEnv,
  killAllChildren,
  runGrove,
} from "../../../test/cli/spawn-grove.js";
import { createSampleRepo } from "../../node/sample-repo.js";
import { type AgentEvent, isKnownAgentEvent, parseAgentEvent } from "../../protocol/agent-events.js";
import { type RunExit, type RunnerSpec, runFiles, writeRunnerSpec } from "./spec.js";

const CLAUDE_TIMEOUT_MS = 90_000;

let root: string;
let gitConfig: string;
let count = 0;

beforeAll(() => {
  assertBuilt();
  if (!existsSync(claudeBin)) throw new Error(`${claudeBin} is missing: npm install`);
  root = mkdtempSync(join(tmpdir(), "grove-claude-runner-test-"));
  gitConfig = join(root, "gitconfig");
  writeFileSync(gitConfig, "");
});
afterEach(() => killAllChildren());
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function makeTask() {
  count += 1;
  const base = join(root, `task-${count}`);
  const paths = {
    repo: join(base, "repo"),
    worktree: join(base, "worktree"),
    taskDir: join(base, "task"),
    groveHome: join(base, "grove-home"),
    home: join(base, "home"),
    scratch: join(base, "scratch"),
  };
  for (const dir of [paths.taskDir, paths.groveHome, paths.home, paths.scratch])
    mkdirSync(dir, { recursive: true });
  await createSampleRepo(paths.repo);
  execFileSync("git", ["worktree", "add", "-q", "-b", `grove/claude-${count}`, paths.worktree], {
    cwd: paths.repo,
  });
  return paths;
}

type Task = Awaited<ReturnType<typeof makeTask>>;

function specFor(task: Task, overrides: Partial<RunnerSpec> = {}): RunnerSpec {
  return {
    taskId: `claude-${count}`,
    agent: "claude",
    prompt: "Leave a note for the grove demo",
    cwd: task.worktree,
    taskDir: task.taskDir,
    model: "demo",
    // A fresh HOME Claude Code can write its settings and session files to.
    env: { HOME: task.home, TMPDIR: task.scratch },
    commitMessage: "grove: leave a note",
    groveHome: task.groveHome,
    ...overrides,
  };
}

/** Runs the wrapper on run `run` of the spec; no ANTHROPIC_*, CLAUDE* or GROVE_* from this process. */
async function runWrapper(task: Task, spec: RunnerSpec, run: number) {
  const specPath = writeRunnerSpec(spec, run);
  const result = await runGrove(["_run-agent", specPath], {
    env: cleanEnv({ GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1", GROVE_CLAUDE_BIN: claudeBin }),
    timeoutMs: CLAUDE_TIMEOUT_MS,
  });
  const files = runFiles(task.taskDir, run);
  const why = `exit ${result.code} (${result.signal})\nwrapper stderr: ${result.stderr}\nagent stderr: ${
    existsSync(files.stderr) ? readFileSync(files.stderr, "utf8").slice(-4000) : ""
  }\nevents: ${existsSync(files.events) ? readFileSync(files.events, "utf8").slice(-4000) : ""}`;
  const exit = existsSync(files.exit) ? (JSON.parse(readFileSync(files.exit, "utf8")) as RunExit) : undefined;
  return { code: result.code, why, exit };
}

function readEvents(taskDir: string): AgentEvent[] {
  return readFileSync(runFiles(taskDir, 1).events, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => parseAgentEvent(line))
    .filter((event): event is AgentEvent => event !== undefined && isKnownAgentEvent(event));
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

describe("the agent wrapper with Claude Code", () => {
  it(
    "writes GROVE_DEMO.md through its own router, translates the events and commits the note",
    async () => {
      const task = await makeTask();
      const { code, why, exit } = await runWrapper(task, specFor(task), 1);
      expect(code, why).toBe(0);
      expect(exit, why).toMatchObject({ exitCode: 0, status: "success" });

      const events = readEvents(task.taskDir);
      const started = events.find((event) => event.type === "session_started");
      expect(started, why).toMatchObject({
        agent: "claude",
        model: "demo",
        cwd: task.worktree,
        resumed: false,
      });
      const session = started!.session;
      expect(session).toMatch(/^[0-9a-f-]{36}$/);
      expect(exit?.sessionId).toBe(session);
      for (const event of events) expect(event.session).toBe(session);
      const write = events.find((event) => event.type === "tool_call_started");
      expect(write).toMatchObject({
        name: "Write",
        input: { file_path: join(task.worktree, "GROVE_DEMO.md") },
      });
      expect(events.find((event) => event.type === "tool_call_finished")).toMatchObject({
        name: "Write",
        is_error: false,
      });
      expect(events.filter((event) => event.type === "question")).toEqual([]);
      expect(events.at(-1)).toMatchObject({
        type: "session_finished",
        status: "success",
        summary: expect.stringContaining("GROVE_DEMO.md"),
      });

      expect(exit?.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git(task.worktree, "rev-parse", "HEAD")).toBe(exit?.commit);
      expect(git(task.worktree, "show", "--name-only", "--format=%s", "HEAD")).toBe(
        "grove: leave a note\n\nGROVE_DEMO.md",
      );
      expect(git(task.worktree, "show", "HEAD:GROVE_DEMO.md")).toContain("# Hello from grove");
      expect(git(task.worktree, "status", "--porcelain")).toBe("");

      // A follow-up run resumes Claude's own session (same HOME and cwd), appending to events.jsonl.
      const second = await runWrapper(
        task,
        specFor(task, { prompt: "Thanks!", resumeSessionId: session }),
        2,
      );
      expect(second.code, second.why).toBe(0);
      expect(second.exit).toMatchObject({ status: "success", sessionId: session });
      expect(second.exit?.commit).toBeUndefined(); // Nothing new to commit.
      const all = readEvents(task.taskDir);
      expect(all.filter((event) => event.type === "session_started").at(-1)).toMatchObject({
        resumed: true,
        session,
      });
      expect(all.filter((event) => event.type === "session_finished")).toHaveLength(2);
    },
    2 * CLAUDE_TIMEOUT_MS,
  );

  it(
    "asks a question when Claude Code is denied a permission, instead of failing silently",
    async () => {
      const task = await makeTask();
      const { code, why, exit } = await runWrapper(task, specFor(task, { permissionMode: "default" }), 1);
      expect(code, why).toBe(0); // Claude Code carries on after a denial in -p mode.
      expect(exit?.commit, why).toBeUndefined();
      const events = readEvents(task.taskDir);
      expect(events.find((event) => event.type === "tool_call_finished")).toMatchObject({
        name: "Write",
        is_error: true,
      });
      const questions = events.filter((event) => event.type === "question");
      expect(questions, why).toHaveLength(1);
      expect(questions[0]).toMatchObject({ tool: "Write" });
      expect(questions[0]?.text).toContain(join(task.worktree, "GROVE_DEMO.md"));
      expect(existsSync(join(task.worktree, "GROVE_DEMO.md"))).toBe(false);
    },
    CLAUDE_TIMEOUT_MS,
  );

  it(
    "runs with --yolo (as root too) and without a model, on the router's default route",
    async () => {
      const task = await makeTask();
      const { code, why, exit } = await runWrapper(task, specFor(task, { yolo: true, model: undefined }), 1);
      expect(code, why).toBe(0);
      expect(exit?.status, why).toBe("success");
      expect(git(task.worktree, "show", "--name-only", "--format=", "HEAD")).toBe("GROVE_DEMO.md");
      expect(readEvents(task.taskDir).find((event) => event.type === "session_started")).toMatchObject({
        agent: "claude",
      });
    },
    CLAUDE_TIMEOUT_MS,
  );
});
