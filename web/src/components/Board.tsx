/** Every task, grouped by state into columns, live. */
import { useDeferredValue, useMemo, useState } from "react";
import { BOARD_COLUMNS, groupTasks } from "../lib/board";
import { useLive } from "../store";
import { useNow } from "../use-now";
import { BoardColumnView } from "./BoardColumn";
import { Link } from "./Link";

export function Board() {
  const { tasks, activity, loaded } = useLive();
  const [filter, setFilter] = useState("");
  const [showDiscarded, setShowDiscarded] = useState(false);
  const deferredFilter = useDeferredValue(filter);
  const groups = useMemo(
    () => groupTasks(tasks.values(), { filter: deferredFilter, showDiscarded }),
    [tasks, deferredFilter, showDiscarded],
  );
  const now = useNow(1000);

  return (
    <section className="board-page" data-testid="board">
      <div className="toolbar">
        <input
          type="search"
          placeholder="Filter: id, words of the prompt, agent, model…"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          data-testid="board-filter"
          aria-label="Filter tasks"
        />
        <label className="check">
          <input
            type="checkbox"
            checked={showDiscarded}
            onChange={(event) => setShowDiscarded(event.target.checked)}
            data-testid="board-show-discarded"
          />
          show discarded
        </label>
        <span className="muted" data-testid="board-task-count">
          {tasks.size} task{tasks.size === 1 ? "" : "s"}
        </span>
        <Link to="/new" className="button primary" data-testid="board-new-task">
          New task
        </Link>
      </div>
      {loaded && tasks.size === 0 ? (
        <p className="empty" data-testid="board-empty">
          No tasks yet. <Link to="/new">Start one</Link>, or run <code>grove run "…"</code> in a repository.
        </p>
      ) : (
        <div className="columns">
          {BOARD_COLUMNS.filter((column) => groups.has(column.id)).map((column) => (
            <BoardColumnView
              key={column.id}
              column={column}
              tasks={groups.get(column.id)!}
              activity={activity}
              now={now}
            />
          ))}
        </div>
      )}
    </section>
  );
}
