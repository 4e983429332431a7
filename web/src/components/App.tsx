/** The shell: one live connection for every page, the navigation bar, and the current page. */
import { useEffect } from "react";
import { api } from "../api";
import { useRoute } from "../router";
import { liveStore } from "../store";
import { useEventStream } from "../use-stream";
import { Board } from "./Board";
import { Link } from "./Link";
import { NavBar } from "./NavBar";
import { NewTaskForm } from "./NewTaskForm";
import { ReviewQueue } from "./ReviewQueue";
import { TaskView } from "./TaskView";

const streamAll = () => "/api/stream";

export function App() {
  const route = useRoute();
  const status = useEventStream(streamAll, {
    onOpen: () => {
      void api
        .activity()
        .then((activity) => liveStore.addActivity(Object.values(activity)))
        .catch(() => undefined);
      void api
        .tasks()
        .then((tasks) => liveStore.setTasks(tasks))
        .catch(() => undefined);
    },
    onTask: (task) => liveStore.setTask(task),
    onEvent: (event) => liveStore.addEvent(event),
  });
  useEffect(() => liveStore.setStatus(status), [status]);

  return (
    <div className="app">
      <NavBar route={route} />
      <main className="page">
        {route.name === "board" && <Board />}
        {route.name === "task" && <TaskView key={route.id} taskId={route.id} tab={route.tab} />}
        {route.name === "review" && <ReviewQueue />}
        {route.name === "new" && <NewTaskForm />}
        {route.name === "not-found" && (
          <p className="empty" data-testid="not-found">
            No such page. <Link to="/">Back to the Board</Link>
          </p>
        )}
      </main>
    </div>
  );
}
