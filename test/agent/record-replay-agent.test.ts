/**
 * Record a built-in agent session through `grove router --record`, replay the cassette, and get
 * the same events and the same repository. The model is grove's demo script (read → two parallel
 * edits → `node --test` → summary) on the sample repository: no key, no network.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSampleRepo } from "../../src/node/sample-repo.js";
import { type AgentEvent, parseAgentEvent } from "../../src/protocol/agent-events.js";
import { assertBuilt, cleanEnv, killAllChildren, runGrove, startGroveRouter } from "../cli/spawn-grove.js";

const PROMPT = "Make greet() greet the world when no name is given";
const MODEL = "greeter-model";

let root: string;
beforeAll(() => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), "grove-record-replay-agent-"));
});
afterEach(() => killAllChildren());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh sample repository and GROVE_HOME under `root/name`; equal-length paths for every run. */
async function workspace(name: string): Promise<{ repo: string; home: string }> {
  const repo = join(root, name, "repo");
  const home = join(root, name, "home");
  mkdirSync(home, { recursive: true });
  await createSampleRepo(repo);
  return { repo, home };
}

async function runAgent(repo: string, home: string, args: string[]) {
  const result = await runGrove(["agent", "--json", "--cwd", repo, ...args, PROMPT], {
    env: cleanEnv({ GROVE_HOME: home }),
    timeoutMs: 60_000,
  });
  const lines = result.stdout.split("\n").filter((line) => line.trim() !== "");
  const events = lines.map(parseAgentEvent);
  expect(events.every((event) => event !== undefined)).toBe(true); // Every stdout line is an event.
  return { ...result, events: events as AgentEvent[] };
}

/** Files under `dir` (without .git) and their contents. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      if (name === ".git") continue;
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

const gitStatus = (repo: string) =>
  execFileSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" });

/**
 * The events with what may differ between two runs of the same session taken out: the envelope's
 * time and session id, the repository path, measured durations (of the tool calls, of the
 * session, and the timings `node --test` prints), and the order in which parallel tool calls
 * finish (each tool_call_finished is emitted when its call completes, so two edits run together
 * may finish either way round; a run of finishes is put in call order). Everything else — the
 * kind and order of events, text, tool call ids and inputs, outputs, errors, usage and turns —
 * must match exactly.
 */
function normalise(events: AgentEvent[], repo: string): Record<string, unknown>[] {
  const callOrder = events.flatMap((event) => (event.type === "tool_call_started" ? [event.id] : []));
  const ordered: AgentEvent[] = [];
  for (let i = 0; i < events.length; ) {
    let end = i;
    while (events[end]?.type === "tool_call_finished") end += 1;
    if (end === i) {
      ordered.push(events[i]!);
      i += 1;
      continue;
    }
    const batch = events.slice(i, end);
    const position = (event: AgentEvent) => callOrder.indexOf((event as { id: string }).id);
    ordered.push(...batch.sort((a, b) => position(a) - position(b)));
    i = end;
  }
  return ordered.map((event) => {
    const { ts: _ts, session: _session, ...rest } = event;
    const text = JSON.stringify(rest)
      .replaceAll(repo, "<repo>")
      .replace(/duration_ms:? \d+(\.\d+)?/g, "duration_ms <n>")
      .replace(/\(\d+(\.\d+)?ms\)/g, "(<n>ms)");
    const value = JSON.parse(text) as Record<string, unknown>;
    if ("duration_ms" in value) value.duration_ms = "<n>";
    return value;
  });
}

/**
 * Events are compared one by one, text deltas included: each router sends one delta per upstream
 * chunk, instead of joining those that arrive together (a replay serves each body at once).
 */
const ONE_DELTA_PER_CHUNK = { coalesceDeltas: false };

describe("recording and replaying a built-in agent session", () => {
  it("replays a recorded multi-turn, tool-using session to the same events and the same repository", async () => {
    // 1. Record: a router whose provider is the demo script, recording every exchange.
    const recordDir = join(root, "cassettes");
    const scriptConfig = join(root, "script-router.json");
    writeFileSync(
      scriptConfig,
      JSON.stringify({
        providers: { demo: { type: "script", script: "builtin:demo" } },
        routes: { default: "demo" },
        server: ONE_DELTA_PER_CHUNK,
      }),
    );
    const recorded = await workspace("recorded");
    const recorder = await startGroveRouter(
      ["--config", scriptConfig, "--port", "0", "--record", recordDir],
      {
        env: cleanEnv({ GROVE_HOME: recorded.home }),
      },
    );
    const cassette = (await recorder.waitForStderr(/^grove router recording to /)).replace(
      "grove router recording to ",
      "",
    );
    const original = await runAgent(recorded.repo, recorded.home, [
      "--base-url",
      recorder.url,
      "--model",
      MODEL,
    ]);
    expect(original.code, original.stderr).toBe(0);
    // The recorder writes an exchange once its body has ended: wait for all four turns.
    await expect
      .poll(() => readFileSync(cassette, "utf8").split("\n").filter(Boolean).length, { timeout: 5_000 })
      .toBe(4);
    const stopped = await recorder.stop();
    expect(stopped.code).toBe(0);

    // The recording is the session we meant to record.
    const finished = original.events.at(-1);
    expect(finished).toMatchObject({ type: "session_finished", status: "success", turns: 4 });
    expect(
      original.events.flatMap((event) => (event.type === "tool_call_started" ? [event.name] : [])),
    ).toEqual(["read", "edit", "edit", "bash"]);
    const bash = original.events.find(
      (event) => event.type === "tool_call_finished" && event.name === "bash",
    );
    expect(bash).toMatchObject({ is_error: false, output: expect.stringMatching(/pass 2/) });
    const exchanges = readFileSync(cassette, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { seq: number; provider: string; api: string; status: number });
    expect(exchanges.map(({ seq, provider, api, status }) => ({ seq, provider, api, status }))).toEqual(
      [1, 2, 3, 4].map((seq) => ({ seq, provider: "demo", api: "chat", status: 200 })),
    );
    const recordedFiles = snapshot(recorded.repo);
    expect(recordedFiles["src/greet.js"]).toContain('name ?? "world"');

    // 2. Replay through a second router process, on a fresh copy of the sample repository.
    const replayConfig = join(recordDir, "replay-router.json");
    writeFileSync(
      replayConfig,
      JSON.stringify({
        providers: { recorded: { type: "replay", cassette: relative(recordDir, cassette) } },
        routes: { default: "recorded" },
        server: ONE_DELTA_PER_CHUNK,
      }),
    );
    const viaRouter = await workspace("replay-a");
    const replayer = await startGroveRouter(["--config", replayConfig, "--port", "0"], {
      env: cleanEnv({ GROVE_HOME: viaRouter.home }),
    });
    const replayed = await runAgent(viaRouter.repo, viaRouter.home, [
      "--base-url",
      replayer.url,
      "--model",
      MODEL,
    ]);
    await replayer.stop();
    expect(replayed.code, replayed.stderr).toBe(0);

    // 3. Replay through the in-process router, configured in GROVE_HOME, by provider name.
    const inProcess = await workspace("replay-b");
    writeFileSync(
      join(inProcess.home, "router.json"),
      JSON.stringify({
        providers: { recorded: { type: "replay", cassette } }, // An absolute path.
        routes: { default: "recorded" },
        server: ONE_DELTA_PER_CHUNK,
      }),
    );
    const replayedInProcess = await runAgent(inProcess.repo, inProcess.home, ["--model", "recorded"]);
    expect(replayedInProcess.code, replayedInProcess.stderr).toBe(0);

    // Same events, once the volatile fields are normalised.
    const expected = normalise(original.events, recorded.repo);
    expect(normalise(replayed.events, viaRouter.repo)).toEqual(expected);
    // The in-process run names its model differently (the router's provider, not MODEL); else the same.
    const renamed = (events: Record<string, unknown>[]) =>
      events.map((event) => (event.type === "session_started" ? { ...event, model: "<model>" } : event));
    expect(renamed(normalise(replayedInProcess.events, inProcess.repo))).toEqual(renamed(expected));

    // Not normalised away: the tool call ids and the usage are replayed exactly.
    const ids = (events: AgentEvent[]) =>
      events.flatMap((event) => (event.type === "tool_call_started" ? [event.id] : []));
    expect(ids(replayed.events)).toEqual(ids(original.events));
    const usage = (events: AgentEvent[]) =>
      events.flatMap((event) =>
        event.type === "turn_completed" || event.type === "session_finished" ? [event.usage] : [],
      );
    expect(usage(replayed.events)).toEqual(usage(original.events));
    expect(usage(replayedInProcess.events)).toEqual(usage(original.events));

    // Same repository at the end: the same files with the same contents, and the same git status.
    expect(snapshot(viaRouter.repo)).toEqual(recordedFiles);
    expect(snapshot(inProcess.repo)).toEqual(recordedFiles);
    expect(gitStatus(viaRouter.repo)).toBe(gitStatus(recorded.repo));
    expect(gitStatus(inProcess.repo)).toBe(gitStatus(recorded.repo));
    expect(execFileSync("node", ["--test"], { cwd: viaRouter.repo, encoding: "utf8" })).toMatch(/pass 2/);
  }, 120_000);
});
