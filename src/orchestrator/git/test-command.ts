/** Runs a landing's test command: `bash -c`, stdin closed, stdout+stderr captured and capped. */
import { spawn } from "node:child_process";

export interface TestCommand {
  command: string;
  /** Added to (and overriding) the current environment. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface TestRun {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/** Output beyond this many characters is dropped from the middle, keeping the head and the tail. */
export const MAX_TEST_OUTPUT = 200_000;

export function runTestCommand(cwd: string, test: TestCommand): Promise<TestRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", test.command], {
      cwd,
      env: { ...process.env, ...test.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
    });
    const output = new CappedText(MAX_TEST_OUTPUT);
    let timedOut = false;
    const timer =
      test.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killTree(child.pid);
          }, test.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => output.append(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => output.append(chunk));
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      let text = output.toString();
      if (timedOut) text += `\n[grove: test command timed out after ${test.timeoutMs} ms and was killed]\n`;
      resolve({ exitCode: timedOut ? null : code, output: text, timedOut });
    };
    child.on("close", (code) => finish(code));
    // A background process left behind by the command may keep the pipes open: once bash
    // itself has exited, wait briefly for the output, then kill its process group and move on.
    child.on("exit", (code) => {
      grace = setTimeout(() => {
        if (settled) return;
        killTree(child.pid);
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code);
      }, 2_000);
    });
  });
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === "win32" ? pid : -pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

class CappedText {
  private head = "";
  private tail = "";
  private dropped = 0;

  constructor(private readonly max: number) {}

  append(chunk: string): void {
    const half = Math.floor(this.max / 2);
    if (this.head.length < half) {
      const take = chunk.slice(0, half - this.head.length);
      this.head += take;
      chunk = chunk.slice(take.length);
    }
    this.tail += chunk;
    if (this.tail.length > this.max - half) {
      const excess = this.tail.length - (this.max - half);
      this.dropped += excess;
      this.tail = this.tail.slice(excess);
    }
  }

  toString(): string {
    return this.dropped === 0
      ? this.head + this.tail
      : `${this.head}\n[grove: ${this.dropped} characters of output omitted]\n${this.tail}`;
  }
}
