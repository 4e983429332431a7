/**
 * `grove agent` as a real process, on scripted models (no key, no network), in real temporary
 * git repositories.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSampleRepo } from "../../src/node/sample-repo.js";
import { type AgentEvent, parseAgentEvent } from "../../src/protocol/agent-events.js";
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import { assertBuilt, cleanEnv, groveMain, killAllChildren, runGrove } from "../cli/spawn-grove.js";

let root: string;
let repo: string;
let home: string;

beforeEach(async () => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), "grove-agent-test-"));
  repo = join(root, "repo");
  home = join(root, "home");
  mkdirSync(home);
  await createSampleRepo(repo);
});
afterEach(() => killAllChildren());

/** A router config in GROVE_HOME whose provider `s` answers from `replies`. */
function useScript(replies: ScriptReply[]): void {
  const config = {
    providers: { s: { type: "script", script: { name: "test", replies } } },
    routes: { default: "s" },
  };
  writeFileSync(join(home, "router.json"), JSON.stringify(config));
}

async function agent(args: string[]) {
  const result = await runGrove(["agent", "--json", "--cwd", repo, ...args], {
    env: cleanEnv({ GROVE_HOME: home }),
    timeoutMs: 30_000,
  });
  const events = result.stdout
    .split("\n")
    .map(parseAgentEvent)
    .filter((event): event is AgentEvent => event !== undefined && "session" in event);
  return { ...result, events };
}

const finished = (events: AgentEvent[]) => events.find((event) => event.type === "session_finished");
const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type);

describe("grove agent on the demo model", () => {
  it("fixes a bug over several turns and ends with a passing test run", async () => {
    const result = await agent(["--model", "demo", "Make greet() greet the world when no name is given"]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(repo, "src/greet.js"), "utf8")).toContain('name ?? "world"');
    expect(finished(result.events)).toMatchObject({ type: "session_finished", status: "success", turns: 4 });
    const bash = ofType(result.events, "tool_call_finished").find((event) => event.name === "bash");
    expect(bash?.is_error).toBe(false);
    expect(bash?.output).toMatch(/pass 2/);
    // The second turn edits two files at once: both results come back, in call order.
    const started = ofType(result.events, "tool_call_started").map((event) => event.name);
    expect(started).toEqual(["read", "edit", "edit", "bash"]);
    expect(execFileSync("node", ["--test"], { cwd: repo, encoding: "utf8" })).toMatch(/pass 2/);
  });

  it("writes the JSONL protocol with a versioned envelope", async () => {
    const result = await agent(["--model", "demo", "anything at all"]);
    expect(result.code).toBe(0);
    const first = result.events[0]!;
    expect(first).toMatchObject({
      v: 1,
      type: "session_started",
      agent: "builtin",
      model: "demo",
      cwd: repo,
    });
    for (const event of result.events) expect(event.session).toBe(first.session);
  });
});

describe("scripted edge cases", () => {
  it("reports edit failures to the model and leaves the file untouched", async () => {
    useScript([
      {
        when: { turn: 0 },
        toolCalls: [
          { name: "edit", arguments: { path: "src/greet.js", old_string: "absent text", new_string: "x" } },
        ],
      },
      {
        when: { turn: 1 },
        toolCalls: [
          { name: "edit", arguments: { path: "test/greet.test.js", old_string: "greet", new_string: "x" } },
        ],
      },
      { text: "gave up" },
    ]);
    const before = readFileSync(join(repo, "test/greet.test.js"), "utf8");
    const result = await agent(["--model", "s", "try edits"]);
    const failures = ofType(result.events, "tool_call_finished");
    expect(failures.map((event) => event.is_error)).toEqual([true, true]);
    expect(failures[1]?.output).toMatch(/occurs \d+ times/);
    expect(readFileSync(join(repo, "test/greet.test.js"), "utf8")).toBe(before);
    expect(result.code).toBe(0);
  });

  it("refuses paths outside the working directory without touching them", async () => {
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "keep me");
    useScript([
      {
        when: { turn: 0 },
        toolCalls: [
          { name: "write", arguments: { path: "../outside.txt", content: "overwritten" } },
          { name: "read", arguments: { path: "/etc/passwd" } },
        ],
      },
      { text: "done" },
    ]);
    const result = await agent(["--model", "s", "escape"]);
    const results = ofType(result.events, "tool_call_finished");
    expect(results.map((event) => event.is_error)).toEqual([true, true]);
    expect(results.every((event) => /outside the working directory/.test(event.output))).toBe(true);
    expect(readFileSync(outside, "utf8")).toBe("keep me");
  });

  it("stops at the turn limit with status max_turns and exit code 3", async () => {
    useScript([{ repeat: true, toolCalls: [{ name: "list", arguments: { path: "." } }] }]);
    const result = await agent(["--model", "s", "--max-turns", "2", "loop forever"]);
    expect(result.code).toBe(3);
    expect(finished(result.events)).toMatchObject({ status: "max_turns", turns: 2 });
  });

  it("resumes a saved session with the earlier conversation", async () => {
    useScript([
      { when: { lastUserContains: "first" }, text: "first answer" },
      {
        when: { anyMessageContains: "first answer", lastUserContains: "second" },
        text: "I remember the first answer",
      },
    ]);
    const first = await agent(["--model", "s", "first question"]);
    expect(first.code).toBe(0);
    const session = first.events[0]!.session;
    const second = await agent(["--model", "s", "--resume", session, "second question"]);
    expect(second.code).toBe(0);
    expect(second.events[0]).toMatchObject({ type: "session_started", resumed: true, session });
    expect(finished(second.events)).toMatchObject({
      status: "success",
      summary: "I remember the first answer",
    });
  });

  it("says clearly when a resume id does not exist", async () => {
    useScript([{ text: "x" }]);
    const result = await agent(["--model", "s", "--resume", "ses_doesnotexist", "hello"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no saved session ses_doesnotexist");
  });
});

describe("signals", () => {
  it("ends with an aborted event on SIGTERM mid-stream and leaves no process behind", async () => {
    const marker = `grove-test-sleep-${process.pid}-${Date.now()}`;
    useScript([
      { when: { turn: 0 }, toolCalls: [{ name: "bash", arguments: { command: `sleep 30 # ${marker}` } }] },
      {
        text: "this reply streams slowly and will be cut short by the signal",
        chunkSize: 2,
        chunkDelayMs: 200,
      },
    ]);
    const child = spawn(
      process.execPath,
      [groveMain, "agent", "--json", "--cwd", repo, "--model", "s", "run a slow command"],
      {
        env: cleanEnv({ GROVE_HOME: home }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    const sawBashStart = new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (text: string) => {
        stdout += text;
        if (stdout.includes('"tool_call_started"')) resolve();
      });
    });
    await sawBashStart;
    await waitFor(() => processesMatching(marker) > 0);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const events = stdout
      .split("\n")
      .map(parseAgentEvent)
      .filter((event): event is AgentEvent => event !== undefined && "session" in event);
    expect(finished(events)).toMatchObject({ status: "aborted" });
    expect(code).toBe(130);
    await waitFor(() => processesMatching(marker) === 0);
    expect(processesMatching(marker)).toBe(0);
  });
});

function processesMatching(marker: string): number {
  try {
    return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim().split("\n").filter(Boolean)
      .length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches.
  }
}

async function waitFor(condition: () => boolean, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}
