/** One Board column: a virtualized list, so hundreds of cards cost only the visible ones. */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { BoardColumn } from "../lib/board";
import type { StoredEvent, Task } from "../types";
import { CARD_HEIGHT, TaskCard } from "./TaskCard";

const GAP = 8;

export function BoardColumnView(props: {
  column: BoardColumn;
  tasks: Task[];
  activity: ReadonlyMap<number, StoredEvent>;
  now: number;
}) {
  const { column, tasks, activity, now } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT + GAP,
    overscan: 6,
    getItemKey: (index) => tasks[index]!.id,
  });
  const empty = tasks.length === 0;
  return (
    <div
      className={`column${empty ? " column-empty" : ""}`}
      data-testid={`board-column-${column.id}`}
      data-count={tasks.length}
    >
      <h2 className="column-title">
        {column.title} <span className="count">{tasks.length}</span>
      </h2>
      <div className="column-scroll" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((row) => {
            const task = tasks[row.index]!;
            return (
              <div
                key={row.key}
                className="card-slot"
                style={{ transform: `translateY(${row.start}px)`, height: CARD_HEIGHT }}
              >
                <TaskCard task={task} activity={activity.get(task.id)} now={now} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
