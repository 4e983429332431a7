/**
 * One task's full event log, live: replayed from the start by the task's stream, then followed.
 * After a reconnect the stream resumes after the last event seen. Events are applied in batches,
 * one per frame, so a replay of 10,000 events renders once, not 10,000 times.
 *
 * The task id is fixed for the hook's lifetime: render the component with `key={taskId}`.
 */
import { useEffect, useRef, useState } from "react";
import { streamUrl } from "./lib/reconnect";
import { TranscriptBuilder, type TranscriptItem } from "./lib/transcript";
import { liveStore } from "./store";
import type { StoredEvent } from "./types";
import { type StreamStatus, useEventStream } from "./use-stream";

export interface TaskEvents {
  events: readonly StoredEvent[];
  items: readonly TranscriptItem[];
  status: StreamStatus;
}

export function useTaskEvents(taskId: number): TaskEvents {
  const state = useRef({
    builder: new TranscriptBuilder(),
    events: [] as StoredEvent[],
    pending: [] as StoredEvent[],
    lastQueued: 0,
    timer: undefined as number | undefined,
  });
  const [view, setView] = useState<Omit<TaskEvents, "status">>({ events: [], items: [] });

  const flush = () => {
    const current = state.current;
    current.timer = undefined;
    const batch = current.pending;
    current.pending = [];
    if (batch.length === 0) return;
    current.builder.add(batch);
    current.events = current.events.concat(batch);
    setView({ events: current.events, items: current.builder.items });
  };

  const status = useEventStream(() => streamUrl(taskId, state.current.lastQueued), {
    onTask: (task) => liveStore.setTask(task),
    onEvent: (event) => {
      const current = state.current;
      if (event.taskId !== taskId || event.seq <= current.lastQueued) return;
      current.lastQueued = event.seq;
      current.pending.push(event);
      current.timer ??= window.setTimeout(flush, 16);
    },
  });
  useEffect(() => () => window.clearTimeout(state.current.timer), []);
  return { ...view, status };
}
