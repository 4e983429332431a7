/**
 * Throwing work away, safely. `discard` removes a task's worktree but keeps its branch tip
 * under refs/grove/archive/<task>. `gc` is the only thing that deletes work: it prunes the
 * archive and backup refs of tasks finished longer ago than a given age, and lists each one.
 */
import { archiveBranch, deleteGroveRef, listGroveRefs } from "./git/archive.js";
import { branchExists } from "./git/repo.js";
import { removeWorktree } from "./git/worktree.js";
import { type Orchestrator, TaskError } from "./orchestrator.js";
import { ACTIVE_STATES } from "./task-states.js";
import type { Task } from "./task-store.js";

export async function discardTask(orchestrator: Orchestrator, ref: string): Promise<Task> {
  const task = orchestrator.task(ref);
  if (ACTIVE_STATES.includes(task.state) || task.state === "landing") {
    throw new TaskError(`task ${task.id} is ${task.state}; stop it first (grove stop ${task.id})`, 409);
  }
  if (task.state === "discarded") return task;
  if (task.state === "queued")
    return orchestrator.setState(task.id, "discarded", { finishedAt: new Date().toISOString() });
  await removeWorktree(task.repo, task.worktree, { force: true }).catch(() => undefined);
  let archiveRef: string | null = null;
  if (await branchExists(task.repo, task.branch)) {
    const archived = await archiveBranch(task.repo, task.branch, String(task.id));
    archiveRef = archived.ref;
    orchestrator.log(task.id, "archived", { ref: archived.ref, commit: archived.commit });
  }
  return orchestrator.setState(task.id, "discarded", { archiveRef, finishedAt: new Date().toISOString() });
}

export interface GcEntry {
  taskId: string;
  ref: string;
  commit: string;
  repo: string;
}

/** Deletes archive and backup refs of tasks that ended (landed or discarded) more than `olderThanMs` ago. */
export async function collectGarbage(
  orchestrator: Orchestrator,
  olderThanMs: number,
  dryRun = false,
): Promise<GcEntry[]> {
  const cutoff = Date.now() - olderThanMs;
  const ended = orchestrator.tasks
    .list(["landed", "discarded"])
    .filter((task) => task.finishedAt !== null && Date.parse(task.finishedAt) < cutoff);
  const endedIds = new Set(ended.map((task) => String(task.id)));
  const deleted: GcEntry[] = [];
  for (const repo of new Set(ended.map((task) => task.repo))) {
    for (const ref of await listGroveRefs(repo)) {
      if (!endedIds.has(ref.taskId)) continue;
      if (!dryRun) await deleteGroveRef(repo, ref.ref);
      deleted.push({ taskId: ref.taskId, ref: ref.ref, commit: ref.commit, repo });
    }
  }
  return deleted;
}
