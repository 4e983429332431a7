/**
 * The landing queue: one landing at a time (the git layer also locks across processes). A
 * task lands by rebase, merge or squash onto the base's current tip, passes the repository's
 * test command, and only then advances the base. Anything else leaves the base untouched.
 */
import { landBranch } from "./git/land.js";
import { removeWorktree } from "./git/worktree.js";
import type { Orchestrator } from "./orchestrator.js";
import { loadRepoConfig } from "./repo-config.js";
import { TaskError } from "./task-error.js";
import type { Task } from "./task-store.js";

export type LandStrategy = "rebase" | "merge" | "squash";

const LANDABLE: readonly Task["state"][] = ["done", "conflict", "archived"];

export class LandingQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly orchestrator: Orchestrator) {}

  /** Queues a landing and resolves with the task once it has landed or failed to. */
  land(ref: string, strategy?: LandStrategy): Promise<Task> {
    const task = this.orchestrator.task(ref);
    if (!LANDABLE.includes(task.state)) {
      throw new TaskError(
        `task ${task.id} is ${task.state}; only finished tasks (done, conflict, archived) can land`,
        409,
      );
    }
    const result = this.tail.then(() => this.landNow(task.id, task.state, strategy));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async landNow(
    taskId: number,
    previous: Task["state"],
    strategy: LandStrategy | undefined,
  ): Promise<Task> {
    const orchestrator = this.orchestrator;
    const current = orchestrator.tasks.get(taskId)!;
    // The state may have changed while this request waited its turn (e.g. it was landed already).
    if (!LANDABLE.includes(current.state)) return current;
    const task = orchestrator.setState(taskId, "landing", { error: null });
    const config = await loadRepoConfig(task.repo);
    const chosen = strategy ?? config.landStrategy;
    orchestrator.log(taskId, "land_started", { strategy: chosen, base: task.baseBranch });
    try {
      const result = await landBranch({
        repo: task.repo,
        worktree: task.worktree,
        branch: task.branch,
        base: task.baseBranch,
        taskId: String(task.id),
        strategy: chosen,
        message: `${task.prompt.split("\n")[0]!.slice(0, 72)}\n\nLanded by grove from task ${task.id} (${task.branch}).`,
        ...(config.test ? { test: { command: config.test } } : {}),
        onProgress: (step) => orchestrator.log(taskId, "land_progress", { step }),
        onBackup: (ref, commit) => orchestrator.log(taskId, "backup_ref", { ref, commit }),
      });
      switch (result.kind) {
        case "landed":
          orchestrator.log(taskId, "land_finished", {
            result: "landed",
            commit: result.commit,
            previousBase: result.previousBase,
          });
          await removeWorktree(task.repo, task.worktree, { force: true }).catch(() => undefined);
          return orchestrator.setState(taskId, "landed", {
            landedCommit: result.commit,
            finishedAt: new Date().toISOString(),
          });
        case "conflict":
          orchestrator.log(taskId, "land_finished", { result: "conflict", files: result.files });
          return orchestrator.setState(taskId, "conflict", {
            error: `conflicts with ${task.baseBranch} in ${result.files.join(", ")}; grove reply ${taskId} "resolve the conflicts" asks the agent`,
          });
        case "tests-failed":
          orchestrator.log(taskId, "land_finished", {
            result: "tests-failed",
            exitCode: result.exitCode,
            output: result.output,
          });
          return orchestrator.setState(taskId, "done", {
            error: `tests failed after rebasing (exit ${result.exitCode}); nothing landed`,
          });
        case "refused":
          orchestrator.log(taskId, "land_finished", { result: "refused", reason: result.reason });
          return orchestrator.setState(taskId, previous, { error: result.reason });
      }
    } catch (error) {
      orchestrator.log(taskId, "land_finished", { result: "error", message: (error as Error).message });
      return orchestrator.setState(taskId, previous, {
        error: `landing failed: ${(error as Error).message}`,
      });
    }
  }
}
