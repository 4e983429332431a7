/**
 * What the daemon hands an agent wrapper (`<taskDir>/spec-<n>.json`, one per run) and the
 * files the wrapper leaves in the task directory for the daemon to follow.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import type { SessionStatus } from "../../protocol/agent-events.js";

export const runnerSpecSchema = z
  .object({
    taskId: z.string().min(1),
    agent: z.enum(["builtin", "claude", "codex"]),
    prompt: z.string(),
    /** The task worktree: the agent's working directory. */
    cwd: z.string().min(1),
    taskDir: z.string().min(1),
    model: z.string().optional(),
    yolo: z.boolean().optional(),
    /** Claude Code's --permission-mode (default acceptEdits); ignored with yolo. */
    permissionMode: z.string().optional(),
    /** Continue the agent's own session (claude --resume, grove agent --resume, codex exec resume). */
    resumeSessionId: z.string().optional(),
    /** Extra environment for the agent (PORT, GROVE_PORT_BASE, …). */
    env: z.record(z.string(), z.string()).optional(),
    commitMessage: z.string(),
    /** Reviewers and explainers: the agent may read but not change files, and nothing is committed. */
    readOnly: z.boolean().optional(),
    groveHome: z.string().min(1),
  })
  .loose();

export type RunnerSpec = z.infer<typeof runnerSpecSchema>;

export type AgentKind = RunnerSpec["agent"];

/** `run-<n>.exit.json`: written once, atomically, when the wrapper is done. */
export interface RunExit {
  /** The agent process's exit code (null when a signal ended it, or it never started). */
  exitCode: number | null;
  signal: string | null;
  /** The session's outcome; `crashed` when the agent ended without saying how it went. */
  status: SessionStatus | "crashed";
  /** The commit holding the run's work (grove's commit, or the agent's own newest one). */
  commit?: string;
  /** The agent's own session id, for resuming it. */
  sessionId?: string;
  finishedAt: string;
}

export interface RunFiles {
  spec: string;
  /** grove's event protocol, appended by every run of the task. */
  events: string;
  /** The agent's stderr, appended by every run. */
  stderr: string;
  /** The in-process router's log (Claude Code and Codex runs), appended by every run. */
  routerLog: string;
  exit: string;
  /** The wrapper's pid, written when it starts. */
  pid: string;
  /** The agent's pid (and process group), written once it is started. */
  agentPid: string;
}

export function runFiles(taskDir: string, run: number): RunFiles {
  return {
    spec: join(taskDir, `spec-${run}.json`),
    events: join(taskDir, "events.jsonl"),
    stderr: join(taskDir, "agent-stderr.log"),
    routerLog: join(taskDir, "router.log"),
    exit: join(taskDir, `run-${run}.exit.json`),
    pid: join(taskDir, `run-${run}.pid`),
    agentPid: join(taskDir, `run-${run}.agent.pid`),
  };
}

/** The run number in a spec file name (`spec-3.json` → 3); 1 for any other name. */
export function runNumberOf(specPath: string): number {
  const match = /^spec-(\d+)\.json$/.exec(basename(specPath));
  return match ? Number(match[1]) : 1;
}

export class RunnerSpecError extends Error {}

export function readRunnerSpec(path: string): RunnerSpec {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RunnerSpecError(`cannot read the run spec ${path}: ${(error as Error).message}`);
  }
  const parsed = runnerSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new RunnerSpecError(`invalid run spec ${path}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Writes `<taskDir>/spec-<run>.json` (temp file + rename) and returns its path. */
export function writeRunnerSpec(spec: RunnerSpec, run: number): string {
  const path = runFiles(spec.taskDir, run).spec;
  writeJsonAtomic(path, spec);
  return path;
}

export function readRunExit(taskDir: string, run: number): RunExit | undefined {
  try {
    return JSON.parse(readFileSync(runFiles(taskDir, run).exit, "utf8")) as RunExit;
  } catch {
    return undefined;
  }
}

/** A reader never sees half a file: write a temp file beside the target, then rename it over. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}
