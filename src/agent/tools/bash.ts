/**
 * bash: runs a command with `bash -c` in the working directory, stdin closed, in its own process
 * group. A timeout or an abort kills the whole group (SIGTERM, then SIGKILL); so does the command's
 * end, for anything it left running in the background. stdout and stderr are interleaved and capped,
 * keeping the head and the tail. Secrets are scrubbed from the environment unless allowed.
 */
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import { endProcessGroup, signalGroup } from "../../node/process-group.js";
import { realCwd } from "./confine.js";
import { defineTool } from "./define.js";
import { type AgentTool, fail, ok, type ToolOptions, type ToolResult } from "./tool.js";

export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
export const MAX_BASH_TIMEOUT_MS = 600_000;
export const DEFAULT_BASH_MAX_OUTPUT_BYTES = 30_000;
/** How long a group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** How long to wait, after SIGKILL, for the group to be gone and the output pipes to close. */
const SETTLE_MS = 2_000;

const SECRET_SUFFIX = /(_KEY|_TOKEN|_SECRET|PASSWORD|CREDENTIALS?)$/i;
const SECRET_PREFIXES = [
  "ANTHROPIC_",
  "OPENAI_",
  "OPENROUTER_",
  "AWS_SECRET",
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "NPM_TOKEN",
];

/** Whether an environment variable of this name is withheld from commands (unless secrets are allowed). */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return SECRET_SUFFIX.test(name) || SECRET_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** A copy of `env` without the variables that isSecretEnvName picks out. */
export function scrubEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isSecretEnvName(name)));
}

const schema = z.strictObject({
  command: z.string().min(1, "must not be empty").describe("The bash command (or script) to run."),
  timeout_ms: z
    .int()
    .min(1)
    .max(MAX_BASH_TIMEOUT_MS)
    .optional()
    .describe(`Kill the command after this many milliseconds (default ${DEFAULT_BASH_TIMEOUT_MS}).`),
});

export function createBashTool(options: ToolOptions): AgentTool {
  const defaultTimeoutMs = Math.min(options.bash?.timeoutMs ?? DEFAULT_BASH_TIMEOUT_MS, MAX_BASH_TIMEOUT_MS);
  const maxOutputBytes = Math.max(options.bash?.maxOutputBytes ?? DEFAULT_BASH_MAX_OUTPUT_BYTES, 2);
  return defineTool({
    name: "bash",
    description:
      "Run a bash command in the working directory (each call starts a fresh shell there; `cd` does not " +
      "carry over). stdin is closed, so interactive commands fail or get EOF. stdout and stderr are " +
      `combined; output over ${maxOutputBytes} bytes keeps its beginning and end. The command is killed ` +
      `after timeout_ms (default ${defaultTimeoutMs}, at most ${MAX_BASH_TIMEOUT_MS}); background processes ` +
      "are killed when it ends. The result ends with the exit code.",
    schema,
    async run(input, { signal }) {
      const cwd = await realCwd(options.cwd);
      const env = options.bash?.allowSecrets
        ? { ...(options.bash.env ?? process.env) }
        : scrubEnv(options.bash?.env ?? process.env);
      return runCommand({
        command: input.command,
        cwd,
        env,
        timeoutMs: input.timeout_ms ?? defaultTimeoutMs,
        maxOutputBytes,
        signal,
      });
    },
  });
}

interface RunOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal;
}

function runCommand(run: RunOptions): Promise<ToolResult> {
  if (run.signal.aborted) return Promise.resolve(fail("The command was aborted before it started."));
  return new Promise((resolve) => {
    const output = new OutputCollector(run.maxOutputBytes);
    // `exec 2>&1` on the command's first line sends stderr into the stdout pipe, so the two
    // interleave exactly; bash's own errors before that (syntax errors) still arrive on stderr.
    const child = spawn("bash", ["-c", `exec 2>&1; ${run.command}`], {
      cwd: run.cwd,
      env: run.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pid = child.pid;
    let stopped: "timeout" | "aborted" | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));

    const stop = (reason: "timeout" | "aborted") => {
      if (stopped || exit || pid === undefined) return;
      stopped = reason;
      signalGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop("timeout"), run.timeoutMs);
    const onAbort = () => stop("aborted");
    run.signal.addEventListener("abort", onAbort, { once: true });

    const finish = (result: ToolResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      run.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };

    child.on("error", (error) => {
      if (pid !== undefined) signalGroup(pid, "SIGKILL");
      finish(fail(`Could not run bash: ${error.message}`));
    });

    const closed = new Promise<void>((done) => child.on("close", () => done()));
    child.on("exit", (code, exitSignal) => {
      exit = { code, signal: exitSignal };
      clearTimeout(timer);
      void (async () => {
        if (pid !== undefined)
          await endProcessGroup(pid, {
            graceMs: KILL_GRACE_MS,
            settleMs: SETTLE_MS,
            term: stopped === undefined,
          });
        let settleTimer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((done) => (settleTimer = setTimeout(done, SETTLE_MS)))]);
        clearTimeout(settleTimer);
        child.stdout.destroy();
        child.stderr.destroy();
        finish(describeOutcome(run, output.text(), code, exitSignal, stopped));
      })();
    });
  });
}

function describeOutcome(
  run: RunOptions,
  text: string,
  code: number | null,
  exitSignal: NodeJS.Signals | null,
  stopped: "timeout" | "aborted" | undefined,
): ToolResult {
  const body = text === "" ? "(no output)" : text.replace(/\n$/, "");
  const status =
    code !== null ? `Exit code: ${code}` : `Exit code: none (killed by ${exitSignal ?? "a signal"})`;
  if (stopped === "timeout")
    return fail(
      `${body}\n\nThe command timed out after ${run.timeoutMs} ms; its process group was killed.\n${status}`,
    );
  if (stopped === "aborted")
    return fail(`${body}\n\nThe command was aborted; its process group was killed.\n${status}`);
  const result = `${body}\n\n${status}`;
  return code === 0 ? ok(result) : fail(result);
}

/** Keeps the first and last halves of at most `maxBytes` of output, counting what falls between. */
class OutputCollector {
  private readonly headMax: number;
  private readonly tailMax: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    this.headMax = Math.floor(maxBytes / 2);
    this.tailMax = maxBytes - this.headMax;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headMax) {
      const taken = rest.subarray(0, this.headMax - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      rest = rest.subarray(taken.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes > this.tailMax) {
      const first = this.tail[0]!;
      const excess = this.tailBytes - this.tailMax;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    const omitted = this.total - this.headBytes - this.tailBytes;
    if (omitted === 0) return Buffer.concat([head, tail]).toString("utf8");
    // Cut at character boundaries: drop a partial character at the end of the head and at the start of the tail.
    const headText = new StringDecoder("utf8").write(head);
    let start = 0;
    while (start < tail.length && start < 4 && ((tail[start] ?? 0) & 0xc0) === 0x80) start += 1;
    const tailText = tail.subarray(start).toString("utf8");
    return `${headText}\n\n[... ${omitted} bytes of output omitted ...]\n\n${tailText}`;
  }
}
