/** Runs git without a shell (arguments are never interpreted) and returns its stdout. */
import { execFile } from "node:child_process";

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(
      `git ${args.join(" ")} failed${exitCode === null ? "" : ` (exit ${exitCode})`}: ${stderr.trim() || "no output"}`,
    );
    this.name = "GitError";
  }
}

export function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new GitError(args, String(stderr), typeof error.code === "number" ? error.code : null));
        else resolve(String(stdout));
      },
    );
  });
}
