/**
 * What a user does to a task in flight: reply to its agent, resume it, stop it. Each goes through
 * the orchestrator (which owns the state), and answers bad requests with a TaskError.
 */
import type { Orchestrator } from "./orchestrator.js";
import { loadRepoConfig } from "./repo-config.js";
import { TaskError } from "./task-error.js";
import { ACTIVE_STATES, REPLYABLE_STATES } from "./task-states.js";
import type { Task } from "./task-store.js";

/** A follow-up in the agent's session (review comments, an answer); it may wait for a slot. */
export async function replyToTask(orchestrator: Orchestrator, ref: string, message: string): Promise<Task> {
  const task = orchestrator.task(ref);
  if (!REPLYABLE_STATES.includes(task.state)) {
    throw new TaskError(
      `task ${task.id} is ${task.state}; a reply needs it done, failed, interrupted, waiting or in conflict`,
      409,
    );
  }
  if (message.trim() === "") throw new TaskError("the reply is empty");
  const gate = orchestrator.pipelines.get(task.id)?.gate;
  if (gate) {
    throw new TaskError(
      `task ${task.id} waits on inbox item ${gate.item}: grove answer, approve or revise ${gate.item}`,
      409,
    );
  }
  // A follow-up still waiting for a slot (the task was stopped meanwhile) goes out with this one.
  const waiting = orchestrator.pendingRuns.get(task.id);
  if (waiting?.role) {
    throw new TaskError(
      `task ${task.id} has its ${waiting.role}'s run waiting for an agent slot: grove resume ${task.id} queues it again`,
      409,
    );
  }
  orchestrator.inbox.cancelAll(task.id); // The reply answers whatever the agent asked.
  orchestrator.log(task.id, "reply", { message });
  const config = await loadRepoConfig(task.repo);
  const prompt = waiting ? `${waiting.prompt}\n\n${message}` : message;
  orchestrator.startRun(
    task,
    { prompt, ...(task.sessionId ? { resumeSessionId: task.sessionId } : {}) },
    config,
  );
  return orchestrator.tasks.get(task.id)!;
}

/** Continues an interrupted task (or retries a failed pipeline step) where it stopped. */
export async function resumeTask(orchestrator: Orchestrator, ref: string): Promise<Task> {
  const task = orchestrator.task(ref);
  if (task.state === "interrupted" && orchestrator.pendingRuns.get(task.id)) {
    // Stopped while waiting for a slot: the same run waits again.
    const queued = orchestrator.setState(task.id, "queued", { error: null });
    orchestrator.schedule();
    return queued;
  }
  const step = orchestrator.pipelines.get(task.id)?.step;
  if (step === "gate" && task.state === "interrupted") {
    orchestrator.pipelines.reopenGate(task);
    return orchestrator.tasks.get(task.id)!;
  }
  const pipelined = task.runs > 0 && step !== undefined && step !== "ready" && step !== "gate";
  if (pipelined && (task.state === "interrupted" || task.state === "failed")) {
    orchestrator.log(task.id, "pipeline_retry", { step });
    await orchestrator.pipelines.retry(task);
    return orchestrator.tasks.get(task.id)!;
  }
  if (task.state !== "interrupted")
    throw new TaskError(`task ${task.id} is ${task.state}, not interrupted`, 409);
  if (task.runs === 0) {
    // Stopped before it ever started: it simply goes back in the queue.
    const queued = orchestrator.setState(task.id, "queued", { error: null });
    orchestrator.schedule();
    return queued;
  }
  return replyToTask(
    orchestrator,
    ref,
    "You were interrupted. Continue the task where you left off, then summarise what you did.",
  );
}

/** Stops a task's agent (its work so far is kept), or takes a queued task out of the queue. */
export function stopTask(orchestrator: Orchestrator, ref: string): Task {
  const task = orchestrator.task(ref);
  if (task.state === "queued")
    return orchestrator.setState(task.id, "interrupted", {
      error: orchestrator.pendingRuns.get(task.id)
        ? "stopped while waiting for an agent slot; grove resume queues the run again"
        : "stopped before it started",
    });
  if (!ACTIVE_STATES.includes(task.state))
    throw new TaskError(`task ${task.id} is ${task.state}, not running`, 409);
  if (orchestrator.pipelines.get(task.id)?.step === "gate") {
    orchestrator.inbox.cancelAll(task.id);
    orchestrator.log(task.id, "stop_requested", {});
    return orchestrator.setState(task.id, "interrupted", {
      error: "stopped while waiting on the inbox; grove resume asks again",
    });
  }
  if (!orchestrator.supervisor.stop(task.id))
    throw new TaskError(`task ${task.id} has no running agent process`, 409);
  orchestrator.log(task.id, "stop_requested", {});
  return task;
}
