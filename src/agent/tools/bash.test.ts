import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBashTool, isSecretEnvName, scrubEnv } from "./bash.js";
import type { ToolOptions } from "./tool.js";

const context = () => ({ signal: new AbortController().signal });
let cwd: string;
beforeEach(async () => {
  cwd = await realpath(await mkdtemp(join(tmpdir(), "grove-bash-")));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(cwd, { recursive: true, force: true });
});
const bash = (input: unknown, options: Partial<ToolOptions> = {}, signal = context().signal) =>
  createBashTool({ cwd, ...options }).run(input, { signal });

/** Whether any process of the group is still alive (zombies awaiting their reaper do not count). */
function groupAlive(pgid: number): boolean {
  const table = execFileSync("ps", ["-e", "-o", "pgid=,stat="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .some(([group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith("Z"));
}

/** The first line of the output: the `$$` that the commands below echo first. */
function firstPid(output: string): number {
  const pid = Number(output.split("\n")[0]);
  expect(Number.isInteger(pid) && pid > 1).toBe(true);
  return pid;
}

describe("bash", () => {
  it("runs a command in the working directory and reports exit code 0", async () => {
    expect(await bash({ command: "echo hello; pwd -P" })).toEqual({
      output: `hello\n${cwd}\n\nExit code: 0`,
      isError: false,
    });
  });

  it("starts every command in the working directory", async () => {
    await bash({ command: "cd /" });
    expect((await bash({ command: "pwd -P" })).output).toBe(`${cwd}\n\nExit code: 0`);
  });

  it("reports a non-zero exit code as an error", async () => {
    expect(await bash({ command: "echo partial; exit 3" })).toEqual({
      output: "partial\n\nExit code: 3",
      isError: true,
    });
    expect(await bash({ command: "true" })).toEqual({
      output: "(no output)\n\nExit code: 0",
      isError: false,
    });
  });

  it("interleaves stdout and stderr in order", async () => {
    expect((await bash({ command: "echo one; echo two >&2; echo three; echo four >&2" })).output).toBe(
      "one\ntwo\nthree\nfour\n\nExit code: 0",
    );
  });

  it("reports syntax errors", async () => {
    const result = await bash({ command: "if then fi" });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("syntax error");
    expect(result.output).toContain("Exit code: 2");
  });

  it("closes stdin", async () => {
    expect((await bash({ command: "cat; read line || echo eof", timeout_ms: 10_000 })).output).toBe(
      "eof\n\nExit code: 0",
    );
  });

  it("kills the whole process group on timeout and says so", async () => {
    const result = await bash({ command: "echo $$; sleep 5 & sleep 5; echo not reached", timeout_ms: 300 });
    expect(result.isError).toBe(true);
    expect(result.output).toContain("The command timed out after 300 ms; its process group was killed.");
    expect(result.output).toContain("Exit code: none (killed by SIGTERM)");
    expect(result.output).not.toContain("not reached");
    expect(groupAlive(firstPid(result.output))).toBe(false);
  });

  it("follows SIGTERM with SIGKILL when the command ignores SIGTERM", async () => {
    const result = await bash({ command: "trap '' TERM; echo $$; sleep 5; sleep 5", timeout_ms: 300 });
    expect(result.output).toContain("timed out after 300 ms");
    expect(result.output).toContain("killed by SIGKILL");
    expect(groupAlive(firstPid(result.output))).toBe(false);
  });

  it("kills the process group when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = bash({ command: "echo $$ > pid; sleep 5" }, {}, controller.signal);
    while (!existsSync(join(cwd, "pid"))) await sleep(10);
    const pid = Number((await readFile(join(cwd, "pid"), "utf8")).trim());
    controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.output).toContain("The command was aborted; its process group was killed.");
    expect(groupAlive(pid)).toBe(false);
  });

  it("does not start when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await bash({ command: "touch ran" }, {}, controller.signal);
    expect(result.isError).toBe(true);
    expect(existsSync(join(cwd, "ran"))).toBe(false);
  });

  it("kills background processes left behind when the command ends", async () => {
    const result = await bash({ command: "echo $$; sleep 30 > /dev/null 2>&1 & echo started" });
    expect(result.output).toContain("started\n\nExit code: 0");
    expect(groupAlive(firstPid(result.output))).toBe(false);
  });

  it("caps output, keeping its head and tail", async () => {
    const result = await bash(
      { command: "printf 'BEGIN'; head -c 100000 /dev/zero | tr '\\0' x; printf 'END\\n'" },
      { bash: { maxOutputBytes: 1000 } },
    );
    const [head, tail] = result.output.split("\n\n[... 99009 bytes of output omitted ...]\n\n");
    expect(head).toBe(`BEGIN${"x".repeat(495)}`);
    expect(tail).toBe(`${"x".repeat(496)}END\n\nExit code: 0`);
  });

  it("scrubs secrets from the given environment unless they are allowed", async () => {
    const env = { PATH: process.env.PATH, OPENAI_API_KEY: "sk-fake", GH_TOKEN: "gh-fake", VISIBLE: "yes" };
    const command = 'echo "[$OPENAI_API_KEY][$GH_TOKEN][$VISIBLE]"';
    expect((await bash({ command }, { bash: { env } })).output).toBe("[][][yes]\n\nExit code: 0");
    expect((await bash({ command }, { bash: { env, allowSecrets: true } })).output).toBe(
      "[sk-fake][gh-fake][yes]\n\nExit code: 0",
    );
  });

  it("uses process.env, scrubbed, by default", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-fake-from-process");
    vi.stubEnv("GROVE_TOOLS_TEST_VISIBLE", "visible");
    expect((await bash({ command: 'echo "[$OPENAI_API_KEY][$GROVE_TOOLS_TEST_VISIBLE]"' })).output).toBe(
      "[][visible]\n\nExit code: 0",
    );
  });

  it("validates its input", async () => {
    expect((await bash({ command: "true", timeout_ms: 0 })).output).toContain("- timeout_ms: Too small");
    expect((await bash({ command: "true", timeout_ms: 600_001 })).output).toContain("- timeout_ms: Too big");
    expect(await bash({})).toEqual({
      output: 'Invalid input for tool "bash":\n- command: Invalid input: expected string, received undefined',
      isError: true,
    });
  });
});

describe("isSecretEnvName", () => {
  it.each([
    "OPENAI_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "OPENROUTER_ANYTHING",
    "AWS_SECRET_ACCESS_KEY",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "NPM_TOKEN",
    "SOME_SERVICE_KEY",
    "slack_token",
    "DB_PASSWORD",
    "PGPASSWORD",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "MY_CREDENTIAL",
    "CLIENT_SECRET",
  ])("withholds %s", (name) => {
    expect(isSecretEnvName(name)).toBe(true);
  });

  it.each([
    "PATH",
    "HOME",
    "KEYBOARD",
    "TOKENIZERS_PARALLELISM",
    "AWS_REGION",
    "GITHUB_ACTIONS",
    "SECRET_SAUCE_DIR",
  ])("keeps %s", (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });

  it("scrubEnv drops exactly those variables", () => {
    expect(scrubEnv({ PATH: "/bin", OPENAI_API_KEY: "x", HOME: "/root", DB_PASSWORD: "y" })).toEqual({
      PATH: "/bin",
      HOME: "/root",
    });
  });
});
