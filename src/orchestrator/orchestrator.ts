/**
 * The orchestrator: the one owner of tasks. It queues tasks under each repository's
 * concurrency limit, prepares their worktrees, starts and follows agent runs, and turns what
 * they report into task state. Every change is published to subscribers (the HTTP API, the
 * dashboard), which see the same typed stream.
 */
import { mkdir } from "node:fs/promises";
import { readAgentLines } from "./agent-lines.js";
import { InboxStore } from "./inbox-store.js";
import { PendingRuns, type RunInput } from "./pending-runs.js";
import { Pipelines } from "./pipeline/pipeline.js";
import type { PipelineHost } from "./pipeline/pipeline-host.js";
import { initialState, PipelineStore } from "./pipeline/pipeline-state.js";
import { lastRunResult, singleRunPrompt, storeNotes } from "./pipeline/single-run.js";
import { recoverTasks } from "./recovery.js";
import { loadRepoConfig, type RepoConfig } from "./repo-config.js";
import { singleRunOutcome } from "./run-outcome.js";
import { runnerSpec } from "./run-spec.js";
import { type RunExit, Supervisor, stopOrphanedAgent } from "./supervisor.js";
import { TaskError } from "./task-error.js";
import { type NewTaskInput, TaskIntake } from "./task-intake.js";
import { allocatePortBase, prepareWorkspace } from "./task-setup.js";
import { ACTIVE_STATES, holdsSlot, type TaskState } from "./task-states.js";
import type { StoredEvent, Task, TaskStore } from "./task-store.js";

export type OrchestratorChange = { kind: "task"; task: Task } | { kind: "event"; event: StoredEvent };

export interface OrchestratorOptions {
  home: string;
  store: TaskStore;
  /** Extra environment for agent runs (tests point HOME somewhere harmless). */
  agentEnv?: NodeJS.ProcessEnv;
}

export class Orchestrator implements PipelineHost {
  private readonly listeners = new Set<(change: OrchestratorChange) => void>();
  readonly supervisor: Supervisor;
  private readonly store: TaskStore;
  readonly inbox: InboxStore;
  readonly pipelines: Pipelines;
  readonly pendingRuns: PendingRuns;
  private scheduling = Promise.resolve();
  /** A scheduling pass is queued and has not started: another request adds nothing. */
  private schedulePending = false;
  private readonly intake: TaskIntake;

  constructor(private readonly options: OrchestratorOptions) {
    this.store = options.store;
    this.intake = new TaskIntake(options.store, options.home);
    this.inbox = new InboxStore(options.store.db);
    this.pendingRuns = new PendingRuns(options.store.db);
    this.pipelines = new Pipelines(this, new PipelineStore(options.store.db));
    this.supervisor = new Supervisor({
      onLines: (taskId, lines, offset) => this.ingest(taskId, lines, offset),
      onExit: (taskId, run, exit) => void this.finishRun(taskId, run, exit),
    });
  }

  subscribe(listener: (change: OrchestratorChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get tasks(): TaskStore {
    return this.store;
  }

  task(ref: string): Task {
    const task = this.store.find(ref);
    if (!task) throw new TaskError(`no task "${ref}" (see grove ls)`, 404);
    return task;
  }

  async createTask(input: NewTaskInput): Promise<Task> {
    const task = await this.intake.create(input);
    if (task.kind === "feature" || task.kind === "maintenance")
      this.pipelines.create(task.id, initialState(task.kind, input.auto ?? false));
    this.log(task.id, "task_created", {
      prompt: task.prompt,
      agent: task.agent,
      model: task.model,
      kind: task.kind,
      branch: task.branch,
      base: task.baseBranch,
      ...(input.auto ? { auto: true } : {}),
    });
    this.publish(task);
    this.schedule();
    return task;
  }

  /** Starts queued tasks, oldest first, while their repository is under its limit. */
  schedule(): void {
    // A pass reads the store when it starts, so one queued pass serves every request before it.
    if (this.schedulePending) return;
    this.schedulePending = true;
    this.scheduling = this.scheduling
      .then(async () => {
        this.schedulePending = false;
        // Each repository's config is read once per pass.
        const configs = new Map<string, Promise<RepoConfig>>();
        for (const queued of this.store.list(["queued"])) {
          let config: RepoConfig;
          try {
            let loading = configs.get(queued.repo);
            if (!loading) {
              loading = loadRepoConfig(queued.repo);
              configs.set(queued.repo, loading);
            }
            config = await loading;
          } catch (error) {
            this.setState(queued.id, "failed", {
              error: (error as Error).message,
              finishedAt: new Date().toISOString(),
            });
            continue;
          }
          // Read after the await: a reply or a stop may have changed things meanwhile.
          const task = this.store.get(queued.id)!;
          const active = this.slotHolders();
          if (task.state !== "queued" || !slotFree(active, task, config)) continue;
          const portBase = allocatePortBase(
            active.map((other) => other.portBase),
            config,
          );
          const pending = this.pendingRuns.get(task.id);
          if (pending) {
            this.launchRun(this.store.update(task.id, { portBase }), pending, config);
          } else if (task.runs === 0) {
            const started = this.setState(task.id, "setting-up", {
              portBase,
              startedAt: new Date().toISOString(),
            });
            void this.setUpAndRun(started, config);
          } else {
            this.setState(task.id, "interrupted", {
              error: "queued without a run to start; grove resume continues it",
            });
          }
        }
      })
      .catch((error: unknown) => {
        // Scheduling must survive anything one task throws, or the queue would stall for good.
        process.stderr.write(
          `grove: scheduling failed: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
      });
  }

  private slotHolders(): Task[] {
    return this.store.list([...ACTIVE_STATES]).filter(holdsSlot);
  }

  private async setUpAndRun(task: Task, repoConfig: RepoConfig): Promise<void> {
    try {
      await mkdir(task.taskDir, { recursive: true });
      const report = await prepareWorkspace(task, repoConfig, (text) =>
        this.log(task.id, "setup_output", { text }),
      );
      this.store.update(task.id, { baseCommit: report.baseCommit });
      const ready = this.store.get(task.id)!;
      if (this.pipelines.has(task.id)) await this.pipelines.begin(ready, repoConfig);
      else this.startRun(ready, await singleRunPrompt(ready), repoConfig);
    } catch (error) {
      this.setState(task.id, "failed", {
        error: `setup failed: ${(error as Error).message}`,
        finishedAt: new Date().toISOString(),
      });
      this.schedule();
    }
  }

  /**
   * Starts one agent run (a pipeline step names its role, agent and model); returns its number.
   * A task that holds no slot (a follow-up, a step after an inbox gate) gets one only if its
   * repository has one free; otherwise the run waits, with the task queued (pending-runs.ts).
   */
  startRun(task: Task, request: RunInput, config: RepoConfig): number {
    if (holdsSlot(task) || slotFree(this.slotHolders(), task, config))
      return this.launchRun(task, request, config);
    this.pendingRuns.set(task.id, request);
    this.setState(task.id, "queued", { pid: null, error: null });
    this.log(task.id, "run_queued", { run: task.runs + 1, concurrency: config.concurrency });
    return task.runs + 1;
  }

  private launchRun(task: Task, request: RunInput, config: RepoConfig): number {
    this.pendingRuns.delete(task.id);
    const agent = request.agent ?? task.agent;
    const model = request.model === undefined ? task.model : request.model;
    const run = task.runs + 1;
    const spec = runnerSpec(task, { ...request, agent, model }, config, this.options);
    const env = { ...process.env, ...this.options.agentEnv, GROVE_HOME: this.options.home };
    const pid = this.supervisor.start(spec, run, task.eventsOffset, env);
    this.setState(task.id, "running", { runs: run, pid, error: null });
    this.log(task.id, "run_started", {
      run,
      agent,
      model,
      resumed: request.resumeSessionId !== undefined,
      ...(request.role ? { role: request.role } : {}),
      ...(request.readOnly ? { readOnly: true } : {}),
    });
    return run;
  }

  /** Lines of the agent's event protocol, stored and published in order. */
  private ingest(taskId: number, lines: string[], offset: number): void {
    const task = this.store.get(taskId)!;
    const pipeline = this.pipelines.get(taskId);
    const reviewing = pipeline?.run === task.runs && pipeline.lastRun?.role === "reviewer";
    const read = readAgentLines(task, lines, offset, reviewing);
    const stored = this.store.transaction(() => {
      const appended = read.events.map((event) =>
        this.store.appendEvent(taskId, event.type, event.body, event.ts),
      );
      this.store.update(taskId, read.changes);
      return appended;
    });
    for (const event of stored) this.emit({ kind: "event", event });
    for (const text of read.questions) this.inbox.open(taskId, "question", "agent", text);
    if (read.asked && this.store.get(taskId)?.state === "running") this.setState(taskId, "waiting-for-input");
  }

  private async finishRun(taskId: number, run: number, exit: RunExit | undefined): Promise<void> {
    const task = this.store.get(taskId);
    if (!task || task.runs !== run || !ACTIVE_STATES.includes(task.state)) return;
    // A wrapper that died without saying how may have left its agent running in the worktree.
    if (!exit) await stopOrphanedAgent(task.taskDir, run, task.worktree);
    const pipeline = this.pipelines.get(taskId);
    if (exit && exit.status !== "aborted" && pipeline?.run === run) {
      this.log(taskId, "run_finished", { run, status: exit.status, commit: exit.commit ?? null });
      const implementing = pipeline.lastRun?.role !== "reviewer";
      this.store.update(taskId, {
        pid: null,
        ...(exit.sessionId && implementing ? { sessionId: exit.sessionId } : {}),
      });
      try {
        await this.pipelines.afterRun(task, run, lastRunResult(this.store.events(taskId), exit));
      } catch (error) {
        this.setState(taskId, "failed", {
          error: `the pipeline could not go on: ${(error as Error).message}; grove resume ${taskId} retries`,
          finishedAt: new Date().toISOString(),
        });
      }
      this.schedule();
      return;
    }
    const { state, error } = singleRunOutcome(task, exit, this.store.events(taskId));
    this.log(taskId, "run_finished", {
      run,
      status: exit?.status ?? "crashed",
      commit: exit?.commit ?? null,
    });
    if (state === "archived")
      await storeNotes(this, task, lastRunResult(this.store.events(taskId), exit!).summary);
    this.setState(taskId, state, {
      error,
      pid: null,
      finishedAt: new Date().toISOString(),
      ...(exit?.sessionId ? { sessionId: exit.sessionId } : {}),
    });
    this.schedule();
  }

  /** After a restart: follow agents that are still alive, mark the others interrupted. */
  recover(): void {
    recoverTasks(this);
    this.schedule();
  }

  close(): void {
    this.supervisor.close();
  }

  setState(taskId: number, state: TaskState, changes: Partial<Task> = {}): Task {
    const before = this.store.get(taskId)!;
    const task = this.store.update(taskId, { ...changes, state });
    if (state === "landed" || state === "discarded") this.inbox.cancelAll(taskId);
    if (before.state !== state)
      this.log(taskId, "state_changed", {
        from: before.state,
        to: state,
        ...(task.error ? { error: task.error } : {}),
      });
    this.publish(task);
    return task;
  }

  log(taskId: number, type: string, body: Record<string, unknown>): void {
    this.emit({ kind: "event", event: this.store.appendEvent(taskId, type, body) });
  }

  private publish(task: Task): void {
    this.emit({ kind: "task", task });
  }

  private emit(change: OrchestratorChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Whether `task` may take a slot: fewer than `concurrency` other tasks of its repository hold one. */
function slotFree(holders: Task[], task: Task, config: RepoConfig): boolean {
  const others = holders.filter((other) => other.repo === task.repo && other.id !== task.id);
  return others.length < config.concurrency;
}
