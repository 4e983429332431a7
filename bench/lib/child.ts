/** Starts a server as a child process and waits for the line that announces its URL. */
import { type ChildProcess, spawn } from "node:child_process";

export interface ServerChild {
  child: ChildProcess;
  pid: number;
  url: string;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export async function startServerChild(
  label: string,
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<ServerChild> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    for (const line of text.split("\n")) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label} did not start within ${options.timeoutMs ?? 20_000} ms: ${seen}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => {
      seen += text;
      const match = options.ready.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited early (code ${code}, signal ${signal}): ${seen}`));
    });
  });
  const pid = child.pid!;
  return {
    child,
    pid,
    url,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
