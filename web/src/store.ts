/**
 * Live state shared by every page: all tasks and each one's latest activity, fed by one
 * connection to the change stream. Bursts of changes are applied once per animation frame, so
 * the Board stays responsive however busy 200 agents are.
 */
import { useSyncExternalStore } from "react";
import { activityLine } from "./lib/format";
import type { StoredEvent, Task } from "./types";
import type { StreamStatus } from "./use-stream";

export interface LiveState {
  tasks: ReadonlyMap<number, Task>;
  activity: ReadonlyMap<number, StoredEvent>;
  status: StreamStatus;
  /** Whether the first full list of tasks has arrived. */
  loaded: boolean;
}

class LiveStore {
  private state: LiveState = { tasks: new Map(), activity: new Map(), status: "connecting", loaded: false };
  private readonly tasks = new Map<number, Task>();
  private readonly activity = new Map<number, StoredEvent>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private loaded = false;
  private status: StreamStatus = "connecting";

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  setTask(task: Task): void {
    this.tasks.set(task.id, task);
    this.schedule();
  }

  setTasks(tasks: readonly Task[]): void {
    for (const task of tasks) {
      // A list fetched while the stream ran may be older than what the stream already said.
      const known = this.tasks.get(task.id);
      if (!known || known.updatedAt <= task.updatedAt) this.tasks.set(task.id, task);
    }
    this.loaded = true;
    this.schedule();
  }

  addEvent(event: StoredEvent): void {
    if (activityLine(event) === undefined) return;
    const current = this.activity.get(event.taskId);
    if (current && current.seq >= event.seq) return;
    this.activity.set(event.taskId, event);
    this.schedule();
  }

  addActivity(events: Iterable<StoredEvent>): void {
    for (const event of events) this.addEvent(event);
  }

  setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.state = {
        tasks: new Map(this.tasks),
        activity: new Map(this.activity),
        status: this.status,
        loaded: this.loaded,
      };
      for (const listener of this.listeners) listener();
    };
    // requestAnimationFrame pauses in background tabs; a timer keeps the state current there too.
    if (typeof document !== "undefined" && document.visibilityState === "visible")
      requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }
}

export const liveStore = new LiveStore();

export function useLive(): LiveState {
  return useSyncExternalStore(liveStore.subscribe, liveStore.getSnapshot);
}
