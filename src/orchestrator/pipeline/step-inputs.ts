/**
 * What each pipeline step shows its agent: the spec and plan as written in the worktree, the
 * chunk's tasks, the diff under review. Reads only; the pipeline decides what to do with it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { git } from "../../node/git-exec.js";
import type { Task } from "../task-store.js";
import { type Plan, type PlanTask, parsePlan, planChunks } from "./formats/index.js";
import type { PipelineState } from "./pipeline-state.js";

/** Diffs past this size are cut in the middle: a reviewer can still read the files themselves. */
const MAX_DIFF_CHARS = 60_000;

export async function readWorktreeFile(task: Task, path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(join(task.worktree, path), "utf8");
  } catch {
    return undefined;
  }
}

export async function headCommit(task: Task): Promise<string> {
  return (await git(task.worktree, ["rev-parse", "HEAD"])).trim();
}

export async function diffSince(task: Task, base: string): Promise<string> {
  const diff = await git(task.worktree, ["diff", "--no-color", "--no-ext-diff", base, "HEAD", "--"]);
  if (diff.trim() === "") return "(no changes)";
  if (diff.length <= MAX_DIFF_CHARS) return diff;
  const half = MAX_DIFF_CHARS / 2;
  return `${diff.slice(0, half)}\n… ${diff.length - MAX_DIFF_CHARS} characters of the diff left out; read the files for the rest …\n${diff.slice(-half)}`;
}

export async function readPlan(task: Task, state: PipelineState): Promise<Plan | undefined> {
  const text = await readWorktreeFile(task, state.planPath);
  return text === undefined ? undefined : parsePlan(text);
}

export async function chunkTasks(
  task: Task,
  state: PipelineState,
  chunkSize: number,
): Promise<PlanTask[] | undefined> {
  const plan = await readPlan(task, state);
  return plan ? planChunks(plan, chunkSize)[state.chunk] : undefined;
}

/** What the implementer was asked to do in the current chunk, for its reviewer. */
export async function chunkBrief(task: Task, state: PipelineState, chunkSize: number): Promise<string> {
  if (state.triage)
    return `Fix these accepted findings of an external review:\n\n${state.triage.accepted.join("\n")}`;
  if (state.lane === "maintenance") return task.prompt;
  const tasks = await chunkTasks(task, state, chunkSize);
  return tasks?.map((planTask) => planTask.text.trim()).join("\n\n") ?? task.prompt;
}

/** The commit message for a chunk: its tasks' own commit lines. */
export function chunkCommitMessage(tasks: PlanTask[], taskId: number): string {
  const lines = tasks.map((planTask) => planTask.commit.trim()).filter((line) => line !== "");
  const numbers = tasks.map((planTask) => planTask.number);
  const subject =
    lines.length <= 1
      ? (lines[0] ?? `Plan task ${numbers[0]}`)
      : `${lines[0]} (plan tasks ${numbers[0]}-${numbers.at(-1)})`;
  const body = lines.length > 1 ? `${lines.map((line) => `- ${line}`).join("\n")}\n\n` : "";
  return `${subject.slice(0, 72)}\n\n${body}grove task ${taskId}`;
}

export function datedSlugPath(dir: string, slug: string, suffix: string, now = new Date()): string {
  const date = now.toISOString().slice(0, 10);
  return `${dir.replace(/\/+$/, "")}/${date}-${slug}${suffix}.md`;
}
