/**
 * `grove router` on V8's single-threaded GC (src/node/gc-mode.ts, src/node/relaunch.ts), as real
 * processes: the launcher runs the router again in a child node with the flag, stays in front,
 * passes signals on and ends as the child ends; a launcher killed outright leaves no router behind.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SINGLE_THREADED_GC } from "../../src/node/gc-mode.js";
import {
  childPids,
  cleanEnv,
  groveMain,
  isListening,
  killAllChildren,
  repoRoot,
  runGrove,
  startGroveRouter,
} from "./spawn-grove.js";

afterEach(() => {
  killAllChildren();
});

const UPSTREAM = "http://127.0.0.1:9"; // never called: these tests ask only /health

const env = (gc: string) => cleanEnv({ GROVE_GC: gc, GROVE_HOME: join("/nonexistent", "grove-home") });
/**
 * `script` runs its line with $SHELL -c. The terminal's ^C reaches that shell too, and dash (Debian's
 * /bin/sh, used when SHELL is unset) dies of it at once; bash waits for its child first, as an
 * interactive shell's job control would keep it out of the way. So the line runs under bash.
 */
const terminalEnv = (extra: NodeJS.ProcessEnv) => ({ ...extra, SHELL: "/bin/bash" });

function nodeArgsOf(pid: number): string[] {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(1);
  return args.slice(
    0,
    args.findIndex((arg) => !arg.startsWith("-")),
  );
}

async function gone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** Alive and not a zombie waiting for its parent to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false; // gone
  }
}

async function health(url: string): Promise<number> {
  return (await fetch(`${url}/health`)).status;
}

describe("grove router under GROVE_GC", () => {
  it("single: serves from a child node started with --single-threaded-gc, which gets the launcher's signals", async () => {
    const router = await startGroveRouter(["--upstream", UPSTREAM, "--port", "0"], { env: env("single") });
    const launcher = router.child.pid!;
    expect(nodeArgsOf(launcher)).not.toContain(SINGLE_THREADED_GC);
    const children = childPids(launcher);
    expect(children).toHaveLength(1);
    const worker = children[0]!;
    expect(nodeArgsOf(worker)).toContain(SINGLE_THREADED_GC);
    expect(await health(router.url)).toBe(200);
    // The relaunched router starts no second launcher of its own.
    expect(childPids(worker)).toEqual([]);

    // The router closes and exits 0 on SIGTERM (router-process.test.ts); so does its launcher.
    const result = await router.stop("SIGTERM");
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(await gone(worker)).toBe(true);
    expect(await isListening(router.port)).toBe(false);
  });

  it("single: SIGINT reaches the router too", async () => {
    const router = await startGroveRouter(["--upstream", UPSTREAM, "--port", "0"], { env: env("single") });
    const worker = router.servingPid;
    const result = await router.stop("SIGINT");
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(await gone(worker)).toBe(true);
  });

  it("single: Ctrl-C in a terminal reaches the router once, so it closes and exits 0", async () => {
    // util-linux's `script` runs the shell line on a pseudo-terminal; a ^C written to it is the
    // terminal's SIGINT to the whole foreground group: the launcher and the router both.
    const line = `${process.execPath} ${groveMain} router --upstream ${UPSTREAM} --port 0; echo "exit=$?"`;
    const terminal = spawn("script", ["-qec", line, "/dev/null"], {
      env: terminalEnv(env("single")),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    terminal.stdout.setEncoding("utf8").on("data", (text: string) => {
      output += text;
    });
    const closed = new Promise<number | null>((resolve) => terminal.once("close", resolve));
    try {
      await expect.poll(() => output, { timeout: 15_000 }).toContain("grove router listening on");
      terminal.stdin.write("\u0003");
      expect(await closed).toBe(0);
      expect(output).toContain("exit=0");
    } finally {
      terminal.kill("SIGKILL");
    }
  });

  it("relaunch() passes a signal sent to the launcher on once, and one from the terminal not at all", async () => {
    // A stand-in for the relaunched command that counts the SIGINTs it gets.
    const dir = mkdtempSync(join(tmpdir(), "grove-relaunch-"));
    const counter = join(dir, "counter.mjs");
    writeFileSync(
      counter,
      `let count = 0;
process.on("SIGINT", () => { count += 1; });
process.stdout.write("ready\\n");
setTimeout(() => { process.stdout.write("sigint=" + count + "\\n"); process.exit(3); }, 1500);
`,
    );
    const launcher = join(dir, "launcher.mjs");
    const relaunchModule = join(repoRoot, "dist/node/relaunch.js");
    writeFileSync(
      launcher,
      `import { relaunch } from ${JSON.stringify(relaunchModule)};\nrelaunch([], ${JSON.stringify(counter)}, []);\n`,
    );
    try {
      // Not on a terminal: the launcher's SIGINT is the only one, and it is passed on.
      const piped = spawn(process.execPath, [launcher], { stdio: ["pipe", "pipe", "inherit"] });
      let pipedOut = "";
      piped.stdout.setEncoding("utf8").on("data", (text: string) => {
        pipedOut += text;
      });
      const pipedExit = new Promise<number | null>((resolve) => piped.once("close", resolve));
      await expect.poll(() => pipedOut, { timeout: 10_000 }).toContain("ready");
      piped.kill("SIGINT");
      expect(await pipedExit).toBe(3);
      expect(pipedOut).toContain("sigint=1");

      // On a terminal, ^C reaches both processes of the group: the launcher passes nothing on.
      const terminal = spawn("script", ["-qec", `exec ${process.execPath} ${launcher}`, "/dev/null"], {
        env: terminalEnv(process.env),
        stdio: ["pipe", "pipe", "inherit"],
      });
      let terminalOut = "";
      terminal.stdout.setEncoding("utf8").on("data", (text: string) => {
        terminalOut += text;
      });
      const terminalExit = new Promise<number | null>((resolve) => terminal.once("close", resolve));
      await expect.poll(() => terminalOut, { timeout: 10_000 }).toContain("ready");
      terminal.stdin.write("\u0003");
      expect(await terminalExit).toBe(3);
      expect(terminalOut).toContain("sigint=1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("single: a router killed by a signal ends its launcher by the same signal", async () => {
    const router = await startGroveRouter(["--upstream", UPSTREAM, "--port", "0"], { env: env("single") });
    const [worker] = childPids(router.child.pid!);
    process.kill(worker!, "SIGKILL");
    const result = await router.exited;
    expect(result).toMatchObject({ code: null, signal: "SIGKILL" });
  });

  it("single: a launcher killed with SIGKILL leaves no router behind", async () => {
    const router = await startGroveRouter(["--upstream", UPSTREAM, "--port", "0"], { env: env("single") });
    const [worker] = childPids(router.child.pid!);
    expect(await health(router.url)).toBe(200);
    const result = await router.stop("SIGKILL");
    expect(result.signal).toBe("SIGKILL");
    expect(await gone(worker!)).toBe(true);
    expect(await isListening(router.port)).toBe(false);
  });

  it("parallel: serves from the process itself, without the flag", async () => {
    const router = await startGroveRouter(["--upstream", UPSTREAM, "--port", "0"], { env: env("parallel") });
    expect(childPids(router.child.pid!)).toEqual([]);
    expect(nodeArgsOf(router.child.pid!)).not.toContain(SINGLE_THREADED_GC);
    expect(await health(router.url)).toBe(200);
  });

  it("single: the launcher ends with the child's exit code, and the error is printed once", async () => {
    const result = await runGrove(["router", "--config", "/nonexistent/router.json"], { env: env("single") });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "grove: /nonexistent/router.json: cannot read the config file: ENOENT: no such file or directory, open '/nonexistent/router.json'\n",
    );
  });

  it("a GROVE_GC it does not know is a clear error", async () => {
    const result = await runGrove(["router", "--upstream", UPSTREAM, "--port", "0"], { env: env("fast") });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'grove: GROVE_GC: must be "single" or "parallel" (or unset: single on machines with 2 CPUs or fewer), not "fast"\n',
    );
  });
});
