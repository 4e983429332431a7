/** Runs the built `grove` CLI (dist/cli/main.js) as a real child process, for CLI and e2e tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { childPids } from "../../bench/lib/proc.js";

export { childPids };

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const groveMain = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const claudeBin = fileURLToPath(new URL("../../node_modules/.bin/claude", import.meta.url));

/** The tests run the build, they do not make it: say so clearly instead of failing obscurely. */
export function assertBuilt(): void {
  if (!existsSync(groveMain)) {
    throw new Error(`${groveMain} is missing: run \`npm run build\` before these tests`);
  }
}

/**
 * The parent's environment without anything that would change what grove or Claude Code does
 * (a developer's ANTHROPIC_* keys, CLAUDE* session variables, GROVE_* state), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(ANTHROPIC_|CLAUDE|GROVE_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

const children = new Set<ChildProcess>();

/** SIGKILLs every child these helpers started that is still running, but `keep` (for afterEach/afterAll). */
export function killAllChildren(keep: ChildProcess[] = []): void {
  for (const child of children) {
    if (keep.includes(child)) continue;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    children.delete(child);
  }
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGKILL after this long (default 20 s); the result then has signal SIGKILL. */
  timeoutMs?: number;
}

/** Runs any command to completion with stdin closed, collecting its output. */
export function runProcess(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<ProcessResult> {
  const child = track(
    spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // `close` (not `exit`): all output has been read.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `node dist/cli/main.js ...args` to completion. */
export function runGrove(args: string[], options: SpawnOptions = {}): Promise<ProcessResult> {
  assertBuilt();
  return runProcess(process.execPath, [groveMain, ...args], options);
}

export interface GroveRouterProcess {
  child: ChildProcess;
  /** The process that serves: `child`, or its child when it ran itself again with node flags (src/node/relaunch.ts). */
  servingPid: number;
  /** The URL from the listening line, as printed. */
  printedUrl: string;
  port: number;
  /** http://127.0.0.1:PORT, whatever the bind address. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when a stderr line matches (polls; rejects after timeoutMs). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit result. */
  stop(signal?: NodeJS.Signals): Promise<ProcessResult>;
  exited: Promise<ProcessResult>;
}

const LISTENING = /^grove router listening on (http:\/\/\S+:(\d+))\n/;

/**
 * Starts `grove router ...args` and waits for its listening line. Rejects with the process's
 * output if it exits first or says nothing within `timeoutMs`.
 */
export async function startGroveRouter(
  args: string[],
  options: SpawnOptions = {},
): Promise<GroveRouterProcess> {
  assertBuilt();
  const child = track(
    spawn(process.execPath, [groveMain, "router", ...args], {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let stdout = "";
  let stderr = "";
  const changed = new Set<() => void>();
  const notify = () => {
    for (const listener of [...changed]) listener();
  };
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    notify();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
    notify();
  });
  const exited = new Promise<ProcessResult>((resolve) => {
    child.once("close", (code, signal) => {
      resolve({ code, signal, stdout, stderr });
      notify();
    });
  });

  const waitFor = <T>(test: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = test();
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          finish();
          reject(
            new Error(`grove router exited (${child.exitCode ?? child.signalCode}) before ${what}
stdout: ${stdout}
stderr: ${stderr}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        changed.delete(check);
      };
      changed.add(check);
      check();
    });

  const match = await waitFor(
    () => LISTENING.exec(stdout) ?? undefined,
    options.timeoutMs ?? 15_000,
    "the listening line",
  );
  const printedUrl = match[1]!;
  const port = Number(match[2]);
  const [relaunched] = childPids(child.pid!);
  return {
    child,
    servingPid: relaunched ?? child.pid!,
    printedUrl,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr: (pattern, timeoutMs = 5_000) =>
      waitFor(
        () => stderr.split("\n").find((line) => pattern.test(line)),
        timeoutMs,
        `a stderr line matching ${pattern}`,
      ),
    stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether anything accepts TCP connections on host:port. */
export function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
