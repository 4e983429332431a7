/**
 * A large git repository for benchmarks, made quickly: one `git fast-import` stream writes every
 * blob and a single commit on `main` straight into a pack (no 20,000 loose objects, no
 * `git add`), then `git reset --hard` checks it out in the main worktree.
 *
 * Layout: nested directories of small, distinct text files (`d07/s13/f0042.ts`), `files` in all,
 * plus any `extra` files (e.g. `.grove/config.json`) in the same commit.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";

export interface BigRepo {
  repo: string;
  /** Files in the commit, `extra` included. */
  files: number;
  commit: string;
  /** Bytes of file content in the commit. */
  bytes: number;
  ms: number;
}

/** Environment for git in benchmarks: no user or system config, a fixed identity. */
export function benchGitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@localhost",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@localhost",
  };
}

export async function createBigRepo(
  repo: string,
  options: { files: number; extra?: Record<string, string>; env?: NodeJS.ProcessEnv },
): Promise<BigRepo> {
  const started = performance.now();
  const env = options.env ?? benchGitEnv();
  mkdirSync(repo, { recursive: true });
  await run("git", ["init", "--quiet", "-b", "main", repo], repo, env);

  const chunks: string[] = [];
  let bytes = 0;
  const add = (path: string, content: string) => {
    const length = Buffer.byteLength(content);
    bytes += length;
    chunks.push(`M 100644 inline ${path}\ndata ${length}\n${content}\n`);
  };
  const perDir = 50;
  const subdirs = 20;
  for (let i = 0; i < options.files; i++) {
    const leaf = Math.floor(i / perDir);
    const path = `d${pad(Math.floor(leaf / subdirs), 2)}/s${pad(leaf % subdirs, 2)}/f${pad(i, 5)}.ts`;
    add(path, fileContent(i));
  }
  for (const [path, content] of Object.entries(options.extra ?? {})) add(path, content);
  const message = `bench: ${options.files} files\n`;
  const header =
    "commit refs/heads/main\n" +
    "committer bench <bench@localhost> 1700000000 +0000\n" +
    `data ${Buffer.byteLength(message)}\n${message}`;
  await run("git", ["fast-import", "--quiet"], repo, env, `${header}${chunks.join("")}\ndone\n`);
  await run("git", ["reset", "--quiet", "--hard", "main"], repo, env);
  const commit = (await run("git", ["rev-parse", "HEAD"], repo, env)).trim();
  return {
    repo,
    files: options.files + Object.keys(options.extra ?? {}).length,
    commit,
    bytes,
    ms: performance.now() - started,
  };
}

function fileContent(i: number): string {
  return (
    `// generated file ${i}\n` +
    `export const value${i} = ${(i * 2654435761) % 1_000_003};\n` +
    `export function f${i}(x: number): number {\n  return x * ${i % 97} + ${i % 13};\n}\n`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Runs a command to completion (stdin from `input`, if any); rejects with its stderr on failure. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<string> {
  if (input === undefined) {
    return new Promise((resolve, reject) => {
      execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(" ")}: ${String(stderr).trim() || error.message}`));
        else resolve(String(stdout));
      });
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(input);
  });
}
