/** What a pipeline needs from the orchestrator that owns it: runs, task state, the log. */
import type { SessionStatus } from "../../protocol/agent-events.js";
import type { InboxStore } from "../inbox-store.js";
import type { RepoConfig } from "../repo-config.js";
import type { AgentName, TaskState } from "../task-states.js";
import type { Task, TaskStore } from "../task-store.js";
import type { Role } from "./pipeline-state.js";

export interface RunRequest {
  role: Role;
  prompt: string;
  agent: AgentName;
  model: string | null;
  readOnly: boolean;
  resumeSessionId?: string;
  commitMessage?: string;
}

/** How one agent run ended, as the pipeline sees it. */
export interface RunResult {
  status: SessionStatus | "crashed";
  /** The agent's final message. */
  summary: string;
  sessionId?: string;
  usage: { input: number; output: number };
}

export interface PipelineHost {
  readonly tasks: TaskStore;
  readonly inbox: InboxStore;
  /** Starts an agent run for the task; returns the run number. */
  startRun(task: Task, request: RunRequest, config: RepoConfig): number;
  setState(taskId: number, state: TaskState, changes?: Partial<Task>): Task;
  log(taskId: number, type: string, body: Record<string, unknown>): void;
  /** Lets queued tasks start once this one leaves the active states. */
  schedule(): void;
}
