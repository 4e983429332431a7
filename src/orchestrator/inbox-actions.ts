/**
 * The user's side of the inbox and of external reviews: `grove answer/approve/revise` resolve an
 * item and move its task on (an agent's own question becomes a reply); `grove triage` starts the
 * weighing of an external review.
 */
import type { InboxItem } from "./inbox-store.js";
import type { Orchestrator } from "./orchestrator.js";
import { replyToTask } from "./task-controls.js";
import { TaskError } from "./task-error.js";
import type { Task } from "./task-store.js";

export type InboxAction = "answer" | "approve" | "revise";

/** `grove answer`, `grove approve`, `grove revise`: resolves an inbox item and moves its task on. */
export async function resolveInbox(
  orchestrator: Orchestrator,
  itemId: number,
  action: InboxAction,
  text = "",
): Promise<InboxItem> {
  const item = orchestrator.inbox.get(itemId);
  if (!item) throw new TaskError(`no inbox item ${itemId} (see grove inbox)`, 404);
  if (item.resolvedAt) throw new TaskError(`inbox item ${itemId} was already ${item.resolution}`, 409);
  if (action === "answer" && item.kind !== "question")
    throw new TaskError(
      `item ${itemId} is a gate: grove approve ${itemId}, or grove revise ${itemId} "…"`,
      409,
    );
  if (action !== "answer" && item.kind !== "gate")
    throw new TaskError(`item ${itemId} is a question: grove answer ${itemId} "…"`, 409);
  if (action !== "approve" && text.trim() === "")
    throw new TaskError(action === "answer" ? "the answer is empty" : "the revision is empty");
  const task = orchestrator.task(String(item.taskId));
  const resolution = action === "answer" ? "answered" : action === "approve" ? "approved" : "revised";
  const resolved = orchestrator.inbox.resolve(itemId, resolution, action === "approve" ? null : text);
  if (!resolved) throw new TaskError(`inbox item ${itemId} was already resolved`, 409);
  orchestrator.log(task.id, "inbox_resolved", { item: itemId, resolution, response: resolved.response });
  if (item.stage === "agent") await replyToTask(orchestrator, String(task.id), text);
  else await orchestrator.pipelines.onResolved(task, resolved);
  return resolved;
}

/** `grove triage`: an agent weighs an external review of a finished task. */
export async function triageTask(orchestrator: Orchestrator, ref: string, review: string): Promise<Task> {
  const task = orchestrator.task(ref);
  if (!["done", "conflict", "failed", "archived"].includes(task.state) || task.runs === 0)
    throw new TaskError(`task ${task.id} is ${task.state}; triage needs a finished task`, 409);
  if (review.trim() === "") throw new TaskError("the review is empty");
  orchestrator.log(task.id, "triage_started", { review });
  await orchestrator.pipelines.triage(task, review);
  return orchestrator.tasks.get(task.id)!;
}
