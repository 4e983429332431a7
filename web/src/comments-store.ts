/**
 * Review comments per task, shared by the task view and the review queue: fetched when a page
 * first shows a task, then kept current by the change stream's `comments` events (so a comment
 * added in one tab shows in every other). The daemon keeps them; a reload loses nothing.
 */
import { useEffect, useSyncExternalStore } from "react";
import { api } from "./api";
import type { ReviewComment } from "./types";

const NONE: readonly ReviewComment[] = [];

class CommentsStore {
  private readonly byTask = new Map<number, readonly ReviewComment[]>();
  private readonly loading = new Set<number>();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(taskId: number): readonly ReviewComment[] | undefined {
    return this.byTask.get(taskId);
  }

  /** A task's comments as the daemon said last (the stream, or a fetch). */
  set(taskId: number, comments: readonly ReviewComment[]): void {
    this.byTask.set(taskId, comments);
    for (const listener of this.listeners) listener();
  }

  /** Applies one change the page made itself, before the stream repeats it. */
  upsert(comment: ReviewComment): void {
    const current = this.byTask.get(comment.taskId) ?? NONE;
    this.set(comment.taskId, [...current.filter((c) => c.id !== comment.id), comment]);
  }

  removeLocal(taskId: number, id: number): void {
    this.set(
      taskId,
      (this.byTask.get(taskId) ?? NONE).filter((c) => c.id !== id),
    );
  }

  load(taskId: number, force = false): void {
    if (this.loading.has(taskId) || (!force && this.byTask.has(taskId))) return;
    this.loading.add(taskId);
    api
      .comments(taskId)
      .then((comments) => this.set(taskId, comments))
      .catch(() => undefined)
      .finally(() => this.loading.delete(taskId));
  }

  /** After the stream reconnects: changes made meanwhile were not heard. */
  reloadAll(): void {
    for (const taskId of this.byTask.keys()) this.load(taskId, true);
  }
}

export const commentsStore = new CommentsStore();

export function useComments(taskId: number): { comments: readonly ReviewComment[]; loaded: boolean } {
  useEffect(() => commentsStore.load(taskId), [taskId]);
  const comments = useSyncExternalStore(commentsStore.subscribe, () => commentsStore.get(taskId));
  return { comments: comments ?? NONE, loaded: comments !== undefined };
}
