/**
 * The human inbox, shared by the nav badge, the Inbox page and each task's pipeline panel: every
 * open question and gate, oldest first. Fetched when the change stream (re)connects, then again
 * whenever the stream says an item opened or closed (`inbox_opened`, `inbox_resolved`, an agent's
 * `question`) or a task moved in or out of waiting (a stop, a discard or a reply cancels its items
 * without an event of their own). Bursts of such changes cost one fetch.
 */
import { useSyncExternalStore } from "react";
import { api, errorMessage } from "./api";
import type { InboxEntry, StoredEvent, Task } from "./types";

export interface InboxState {
  items: readonly InboxEntry[];
  /** Whether the first list has arrived. */
  loaded: boolean;
  /** Why the last fetch failed, until one succeeds. */
  problem: string | undefined;
}

/** Events after which the open items may have changed. */
const INBOX_EVENTS = new Set(["inbox_opened", "inbox_resolved", "question", "reply"]);
/** Task states whose arrival or departure can open or cancel items. */
const WAITING_STATES = new Set<Task["state"]>(["waiting-for-input", "interrupted", "landed", "discarded"]);
const RELOAD_DELAY_MS = 100;

class InboxStore {
  private state: InboxState = { items: [], loaded: false, problem: undefined };
  private readonly listeners = new Set<() => void>();
  private readonly states = new Map<number, Task["state"]>();
  /** Items resolved from this page: a fetch that started before cannot bring them back. */
  private readonly done = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading = false;
  private again = false;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  /** Fetches the open items now (one fetch at a time; a request during one runs after it). */
  reload(): void {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    api
      .inbox()
      .then((items) =>
        this.set({
          items: items.filter((item) => !this.done.has(item.id)),
          loaded: true,
          problem: undefined,
        }),
      )
      .catch((error: unknown) => this.set({ ...this.state, problem: errorMessage(error) }))
      .finally(() => {
        this.loading = false;
        if (this.again) {
          this.again = false;
          this.reload();
        }
      });
  }

  onEvent(event: StoredEvent): void {
    if (INBOX_EVENTS.has(event.type)) this.reloadSoon();
  }

  onTask(task: Task): void {
    const before = this.states.get(task.id);
    this.states.set(task.id, task.state);
    if (before === undefined || before === task.state) return;
    if (WAITING_STATES.has(before) || WAITING_STATES.has(task.state)) this.reloadSoon();
  }

  /** An item this page resolved: gone at once, before the stream confirms it. */
  resolved(id: number): void {
    this.done.add(id);
    this.set({ ...this.state, items: this.state.items.filter((item) => item.id !== id) });
    this.reloadSoon();
  }

  private reloadSoon(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
    }, RELOAD_DELAY_MS);
  }

  private set(state: InboxState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

export const inboxStore = new InboxStore();

export function useInbox(): InboxState {
  return useSyncExternalStore(inboxStore.subscribe, inboxStore.getSnapshot);
}
