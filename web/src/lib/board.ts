/** The Board's columns, and which tasks go in each, in which order. */
import type { Task, TaskState } from "../types";

export interface BoardColumn {
  id: string;
  title: string;
  states: readonly TaskState[];
  /** Queue-like columns list the oldest first; the others the most recently changed first. */
  order: "oldest" | "newest";
  hiddenByDefault?: boolean;
}

export const BOARD_COLUMNS: readonly BoardColumn[] = [
  { id: "queued", title: "Queued", states: ["queued"], order: "oldest" },
  { id: "running", title: "Running", states: ["setting-up", "running"], order: "oldest" },
  { id: "waiting", title: "Waiting for you", states: ["waiting-for-input"], order: "oldest" },
  { id: "review", title: "Ready for review", states: ["done"], order: "oldest" },
  { id: "landing", title: "Landing", states: ["landing"], order: "oldest" },
  { id: "landed", title: "Landed", states: ["landed"], order: "newest" },
  { id: "failed", title: "Failed or interrupted", states: ["failed", "interrupted"], order: "newest" },
  { id: "conflict", title: "Conflict", states: ["conflict"], order: "newest" },
  { id: "archived", title: "Archived", states: ["archived"], order: "newest" },
  { id: "discarded", title: "Discarded", states: ["discarded"], order: "newest", hiddenByDefault: true },
];

export function columnOf(state: TaskState): BoardColumn {
  return BOARD_COLUMNS.find((column) => column.states.includes(state)) ?? BOARD_COLUMNS[0]!;
}

/** Free-text match on id, slug, branch, prompt, summary, agent and model. */
export function matchesFilter(task: Task, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    `#${task.id}`,
    task.slug,
    task.branch,
    task.prompt,
    task.summary ?? "",
    task.agent,
    task.model ?? "",
    task.state,
  ]
    .join("\n")
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** When a task became ready (or last changed): the review queue's and the columns' sort key. */
const readyAt = (task: Task) => task.finishedAt ?? task.updatedAt;

function compare(order: BoardColumn["order"]) {
  return order === "oldest"
    ? (a: Task, b: Task) => readyAt(a).localeCompare(readyAt(b)) || a.id - b.id
    : (a: Task, b: Task) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id;
}

export function groupTasks(
  tasks: Iterable<Task>,
  options: { filter?: string; showDiscarded?: boolean } = {},
): Map<string, Task[]> {
  const groups = new Map<string, Task[]>();
  for (const column of BOARD_COLUMNS) {
    if (column.hiddenByDefault && !options.showDiscarded) continue;
    groups.set(column.id, []);
  }
  for (const task of tasks) {
    if (options.filter && !matchesFilter(task, options.filter)) continue;
    groups.get(columnOf(task.state).id)?.push(task);
  }
  for (const column of BOARD_COLUMNS) groups.get(column.id)?.sort(compare(column.order));
  return groups;
}

/** Tasks ready for review, the one that has waited longest first. */
export function reviewQueue(tasks: Iterable<Task>): Task[] {
  return [...tasks].filter((task) => task.state === "done").sort(compare("oldest"));
}
