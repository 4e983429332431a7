/** What the supervisor is told to start for one agent run of a task. */
import type { RunInput } from "./pending-runs.js";
import type { RunRequest } from "./pipeline/pipeline-host.js";
import type { RepoConfig } from "./repo-config.js";
import type { RunnerSpec } from "./runner/spec.js";
import { portEnv } from "./task-setup.js";
import type { Task } from "./task-store.js";

/** `run`, with its agent and model settled (the task's own unless the run names others). */
export function runnerSpec(
  task: Task,
  run: RunInput & Pick<RunRequest, "agent" | "model">,
  config: RepoConfig,
  options: { home: string; agentEnv?: NodeJS.ProcessEnv },
): RunnerSpec {
  return {
    taskId: String(task.id),
    agent: run.agent,
    prompt: run.prompt,
    cwd: task.worktree,
    taskDir: task.taskDir,
    ...(run.model ? { model: run.model } : {}),
    ...(run.readOnly ? { readOnly: true } : {}),
    yolo: task.yolo,
    permissionMode: config.claude.permissionMode,
    ...(run.resumeSessionId ? { resumeSessionId: run.resumeSessionId } : {}),
    env: { ...portEnv(task.portBase, config), ...stringEnv(options.agentEnv) },
    commitMessage: run.commitMessage ?? commitMessage(task),
    groveHome: options.home,
  };
}

function commitMessage(task: Task): string {
  const firstLine = task.prompt.split("\n")[0]!.slice(0, 72);
  return `${firstLine}\n\ngrove task ${task.id} (${task.agent}${task.model ? `, ${task.model}` : ""})`;
}

function stringEnv(env: NodeJS.ProcessEnv | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
