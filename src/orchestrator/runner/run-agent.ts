/**
 * The agent wrapper: a small process (`grove _run-agent <spec>`), started detached by the
 * daemon, that runs one agent run and outlives the daemon. It starts the agent in its own
 * process group with stdin closed, translates its stdout into grove's event protocol appended
 * to `<taskDir>/events.jsonl` (one write per line, so a tailing reader never sees half a line),
 * commits whatever the agent left in the worktree, and finally writes `run-<n>.exit.json`.
 *
 * Claude Code and Codex run against a grove router this process serves on 127.0.0.1 (a random
 * port and token), built from the user's router config or the demo model. SIGTERM/SIGINT stop
 * the agent (SIGTERM to its group, SIGKILL a few seconds later); SIGHUP is ignored.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { git } from "../../node/git-exec.js";
import { inheritAutogroupNice } from "../../node/priority.js";
import { endProcessGroup, signalGroup } from "../../node/process-group.js";
import { commitAll } from "../git/commit.js";
import type { AgentLaunch } from "./agent-command.js";
import { type PreparedLaunch, prepareLaunch } from "./launch-setup.js";
import { RunLog } from "./run-log.js";
import {
  type RunExit,
  type RunFiles,
  type RunnerSpec,
  readRunnerSpec,
  runFiles,
  runNumberOf,
  writeJsonAtomic,
} from "./spec.js";
import { type AgentExit, type AgentTranslator, describeExit } from "./translator.js";

/** How long the agent gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 5_000;
/** How long to keep reading stdout after the agent exited (a leftover child may hold the pipe). */
const STDOUT_DRAIN_MS = 2_000;
/** What the agent left running in its group (a dev server, a background job) is ended after it. */
const AGENT_GROUP_END = { graceMs: KILL_GRACE_MS, settleMs: 0 };

/** The wrapper's main: runs the spec at `specPath`; resolves with the exit code (0 success, 1 otherwise). */
export async function runAgentWrapper(specPath: string): Promise<number> {
  let spec: RunnerSpec;
  try {
    spec = readRunnerSpec(specPath);
  } catch (error) {
    return reportUnreadableSpec(specPath, error);
  }
  return new AgentRun(spec, runNumberOf(specPath)).execute();
}

interface RunOutcome {
  status: RunExit["status"];
  exitCode: number | null;
  signal: string | null;
  /** The agent process ran (so its worktree may hold work to commit). */
  ran: boolean;
}

class AgentRun {
  private readonly files: RunFiles;
  private readonly log: RunLog;
  private aborted = false;
  private child: ChildProcess | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spec: RunnerSpec,
    private readonly run: number,
  ) {
    this.files = runFiles(spec.taskDir, run);
    this.log = new RunLog(this.files, spec.taskId, spec.resumeSessionId);
  }

  async execute(): Promise<number> {
    mkdirSync(this.spec.taskDir, { recursive: true });
    writeFileSync(this.files.pid, `${process.pid}\n`);
    const onSignal = () => this.abort();
    const ignore = () => {};
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    process.on("SIGHUP", ignore); // The daemon's terminal going away must not end the run.

    let outcome: RunOutcome;
    const headBefore = await headOf(this.spec.cwd);
    try {
      outcome = await this.runAgent();
    } catch (error) {
      const message = `grove's agent wrapper failed: ${errorText(error)}`;
      this.log.note(message);
      if (this.child?.pid !== undefined) await endProcessGroup(this.child.pid, AGENT_GROUP_END); // Never leave the agent orphaned.
      this.log.emit({ type: "error", message, fatal: true });
      if (!this.log.finishedStatus) this.log.finish("error", message);
      outcome = {
        status: "crashed",
        exitCode: this.child?.exitCode ?? null,
        signal: null,
        ran: !!this.child,
      };
    }

    let commit: string | undefined;
    if (outcome.ran && !this.spec.readOnly) {
      try {
        commit = await commitAll(this.spec.cwd, this.spec.commitMessage);
        const headAfter = await headOf(this.spec.cwd);
        if (!commit && headAfter && headAfter !== headBefore) commit = headAfter; // The agent committed itself.
      } catch (error) {
        const message = `could not commit the agent's work in ${this.spec.cwd}: ${errorText(error)}`;
        this.log.emit({ type: "error", message, fatal: true });
        if (outcome.status === "success") outcome = { ...outcome, status: "error" };
      }
    }

    const exit: RunExit = {
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      status: outcome.status,
      ...(commit ? { commit } : {}),
      ...(this.log.agentSessionId ? { sessionId: this.log.agentSessionId } : {}),
      finishedAt: new Date().toISOString(),
    };
    writeJsonAtomic(this.files.exit, exit);
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    process.off("SIGHUP", ignore);
    return outcome.status === "success" ? 0 : 1;
  }

  private async runAgent(): Promise<RunOutcome> {
    const notStarted = (status: RunExit["status"]): RunOutcome => ({
      status,
      exitCode: null,
      signal: null,
      ran: false,
    });
    if (!existsSync(this.spec.cwd)) {
      return notStarted(this.log.fail(`the task worktree ${this.spec.cwd} does not exist`));
    }

    let prepared: PreparedLaunch;
    try {
      prepared = await prepareLaunch(this.spec, this.files);
    } catch (error) {
      return notStarted(this.log.fail(errorText(error)));
    }
    const { launch, translator, router } = prepared;
    try {
      if (this.aborted) {
        this.log.finish("aborted", "stopped by grove before the agent started");
        return notStarted("aborted");
      }
      const started = await this.start(launch);
      if (!started.ok) return notStarted(this.log.fail(started.message));
      const child = started.child;

      const exit = await this.follow(child, translator);
      await endProcessGroup(child.pid!, AGENT_GROUP_END);

      const finishedByAgent = this.log.finishedStatus;
      const agentExit: AgentExit = { code: exit.code, signal: exit.signal, aborted: this.aborted };
      if (translator) {
        for (const body of translator.end(agentExit)) this.log.emit(body);
      } else if (!this.log.finishedStatus) {
        if (this.aborted) this.log.finish("aborted", "stopped by grove");
        else {
          const message = `grove agent ${describeExit(agentExit)} without finishing its session; see agent-stderr.log in the task directory`;
          this.log.emit({ type: "error", message, fatal: true });
          this.log.finish("error", message);
        }
      }
      let status: RunExit["status"];
      if (finishedByAgent) status = finishedByAgent;
      else if (this.aborted && this.log.finishedStatus !== "success") status = "aborted";
      else if (this.log.finishedStatus === "success") status = "success";
      else status = "crashed";
      return { status, exitCode: exit.code, signal: exit.signal, ran: true };
    } finally {
      await router?.close();
    }
  }

  private async start(
    launch: AgentLaunch,
  ): Promise<{ ok: true; child: ChildProcess } | { ok: false; message: string }> {
    const stderrFd = openSync(this.files.stderr, "a");
    try {
      appendFileSync(
        stderrFd,
        `--- run ${this.run} · ${this.spec.agent} · ${new Date().toISOString()} · ${launch.command}\n`,
      );
      const child = spawn(launch.command, launch.args, {
        cwd: this.spec.cwd,
        env: launch.env,
        stdio: ["ignore", "pipe", stderrFd],
        detached: true, // Its own process group, so a stop reaches everything it started.
      });
      this.child = child;
      const spawned = await new Promise<Error | undefined>((resolve) => {
        child.once("spawn", () => resolve(undefined));
        child.once("error", (error) => resolve(error));
      });
      if (spawned) return { ok: false, message: `could not start ${launch.command}: ${spawned.message}` };
      // Its own session: as much in the background as this wrapper (see node/priority.ts).
      inheritAutogroupNice(child);
      // If this wrapper is killed outright, the daemon uses this to stop the agent it leaves behind.
      writeFileSync(this.files.agentPid, `${child.pid}\n`);
      if (this.aborted) signalGroup(child.pid!, "SIGTERM"); // A stop arrived while it was starting.
      return { ok: true, child };
    } finally {
      closeSync(stderrFd);
    }
  }

  /** Reads the agent's stdout until it exits; resolves with how it exited. */
  private async follow(
    child: ChildProcess,
    translator: AgentTranslator | undefined,
  ): Promise<{ code: number | null; signal: string | null }> {
    const lines = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => {
      try {
        this.log.agentLine(line, translator);
      } catch (error) {
        this.log.note(`could not handle an agent output line: ${errorText(error)}`);
      }
    });
    const drained = new Promise<void>((resolve) => lines.once("close", resolve));
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    if (this.killTimer) clearTimeout(this.killTimer);
    const timeout = sleep(STDOUT_DRAIN_MS, undefined, { ref: false });
    await Promise.race([drained, timeout]);
    lines.close();
    child.stdout?.destroy();
    return exit;
  }

  private abort(): void {
    const pid = this.child?.pid;
    const running = pid !== undefined && this.child?.exitCode === null && this.child.signalCode === null;
    if (this.aborted) {
      if (running) signalGroup(pid, "SIGKILL"); // A second stop means now.
      return;
    }
    this.aborted = true;
    if (!running) return;
    signalGroup(pid, "SIGTERM");
    this.killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), KILL_GRACE_MS);
  }
}

/** HEAD's sha, or undefined (no commits yet, not a repository, no such directory). */
async function headOf(cwd: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"])).trim() || undefined;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Without a readable spec there is no task to report to but the directory the spec is in. */
function reportUnreadableSpec(specPath: string, error: unknown): number {
  const message = errorText(error);
  const taskDir = dirname(specPath);
  const files = runFiles(taskDir, runNumberOf(specPath));
  try {
    appendFileSync(files.stderr, `grove: ${message}\n`);
    new RunLog(files, "unknown").emit({ type: "error", message, fatal: true });
    writeJsonAtomic(files.exit, {
      exitCode: null,
      signal: null,
      status: "error",
      finishedAt: new Date().toISOString(),
    } satisfies RunExit);
  } catch {
    process.stderr.write(`grove: ${message}\n`);
  }
  return 1;
}
