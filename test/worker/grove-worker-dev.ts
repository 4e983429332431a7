/** Runs the built `grove worker dev DIR --port 0` as a child process, for CLI and e2e tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { assertBuilt, cleanEnv, groveMain, repoRoot } from "../cli/spawn-grove.js";

export interface GroveWorkerDev {
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

const LISTENING = /^grove worker listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

/** Resolves once the listening line is out; rejects with the output if the process exits first. */
export function startGroveWorkerDev(dir: string, env: Record<string, string> = {}): Promise<GroveWorkerDev> {
  assertBuilt();
  const child: ChildProcess = spawn(process.execPath, [groveMain, "worker", "dev", dir, "--port", "0"], {
    cwd: repoRoot,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`grove worker dev said nothing in time\nstdout: ${stdout}\nstderr: ${stderr}`));
      void stop();
    }, 20_000);
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const match = LISTENING.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, stderr: () => stderr, stop });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(
        new Error(
          `grove worker dev exited (${child.exitCode ?? child.signalCode})\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    });
  });
}
