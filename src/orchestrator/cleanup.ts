/**
 * Throwing work away, safely. `discard` removes a task's worktree but keeps its branch tip
 * under refs/grove/archive/<task>. `gc` is the only thing that deletes work: it prunes the
 * archive and backup refs of tasks finished longer ago than a given age, and lists each one.
 *
 * gc deletes only refs this grove home recorded writing (the task's `archived` and `backup_ref`
 * events), and only while they still point at the recorded commit. Task ids are per grove home,
 * so another home using the same repository has refs under the very same names.
 */
import { archiveBranch, deleteGroveRef } from "./git/archive.js";
import { branchExists, resolveCommit } from "./git/repo.js";
import { removeWorktree } from "./git/worktree.js";
import type { Orchestrator } from "./orchestrator.js";
import { TaskError } from "./task-error.js";
import { ACTIVE_STATES } from "./task-states.js";
import type { StoredEvent, Task } from "./task-store.js";

export async function discardTask(orchestrator: Orchestrator, ref: string): Promise<Task> {
  const task = orchestrator.task(ref);
  if (ACTIVE_STATES.includes(task.state) || task.state === "landing") {
    throw new TaskError(`task ${task.id} is ${task.state}; stop it first (grove stop ${task.id})`, 409);
  }
  if (task.state === "discarded") return task;
  orchestrator.pendingRuns.delete(task.id);
  // Queued before its first run: grove has made no branch yet (one of that name is not its own).
  if (task.state === "queued" && task.runs === 0)
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
  const deleted: GcEntry[] = [];
  for (const task of ended) {
    for (const { ref, commit } of recordedRefs(orchestrator.tasks.events(task.id))) {
      const current = await resolveCommit(task.repo, ref).catch(() => undefined);
      if (current !== commit) continue; // Deleted already, or someone else's now.
      if (!dryRun) await deleteGroveRef(task.repo, ref, commit);
      deleted.push({ taskId: String(task.id), ref, commit, repo: task.repo });
    }
  }
  return deleted;
}

/** The refs a task's events say grove wrote for it, once each. */
function recordedRefs(events: StoredEvent[]): { ref: string; commit: string }[] {
  const refs = new Map<string, string>();
  for (const event of events) {
    if (event.type !== "archived" && event.type !== "backup_ref") continue;
    const { ref, commit } = event.body;
    if (typeof ref === "string" && typeof commit === "string") refs.set(ref, commit);
  }
  return [...refs].map(([ref, commit]) => ({ ref, commit }));
}
