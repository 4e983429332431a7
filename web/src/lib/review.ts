/** Moving through the review queue: which task is shown, and which comes next. */
import type { Task } from "../types";

/**
 * The task on screen: the one chosen, for as long as it exists (after landing or sending it back
 * it stays, to show the outcome); otherwise the oldest ready task.
 */
export function currentReview(
  queue: readonly Task[],
  chosen: number | undefined,
  tasks: ReadonlyMap<number, Task>,
): Task | undefined {
  if (chosen !== undefined) {
    const task = tasks.get(chosen);
    if (task) return task;
  }
  return queue[0];
}

/** The next (or previous) ready task after `current`, wrapping around; undefined when none is left. */
export function stepReview(
  queue: readonly Task[],
  current: Task | undefined,
  step: 1 | -1,
): Task | undefined {
  const others = queue.filter((task) => task.id !== current?.id);
  if (others.length === 0) return undefined;
  const index = current ? queue.findIndex((task) => task.id === current.id) : -1;
  if (index === -1) return step === 1 ? others[0] : others.at(-1);
  return queue[(index + step + queue.length) % queue.length];
}
